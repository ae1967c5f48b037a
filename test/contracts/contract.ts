// What every adapter driver of the contract suites shares: people, identities, the driver interface, a recording core.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { it } from "vitest";
import type { Card, Form } from "../../src/core/card.js";
import type { InboundEvent, Outcome } from "../../src/core/events.js";
import type { Platform, PlatformUser } from "../../src/core/ids.js";
import type { Bot } from "../../src/features/commands/router.js";

/** A person of the contract suites, with an identity on every platform. */
export interface ContractPerson {
  name: string;
  email: string;
  slack: { teamId: string; userId: string };
  teams: { tenantId: string; aadObjectId: string };
  playground: string;
}

export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

export const contractPeople = {
  marc: {
    name: "Marc Dubois",
    email: "marc@example.org",
    slack: { teamId: "T0CONTRACT", userId: "U04MARC7QZ" },
    teams: { tenantId: TENANT, aadObjectId: "6b1f0c3e-8a2d-4f5b-9c7e-1d2a3b4c5d6e" },
    playground: "marc",
  },
  lea: {
    name: "Léa Petit",
    email: "lea@example.org",
    slack: { teamId: "T0CONTRACT", userId: "U04LEA2BXY" },
    teams: { tenantId: TENANT, aadObjectId: "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b" },
    playground: "lea",
  },
} satisfies Record<string, ContractPerson>;

/** How a platform names a person in what it sends binome. */
export type PlatformIdentity =
  | {
      platform: "slack";
      userId: string;
      teamId: string;
      enterpriseId?: string;
      /** An org-wide (Enterprise Grid) install: interactions carry `team: null`, the team only on the user. */
      orgWideInteraction?: boolean;
    }
  | {
      platform: "teams";
      /** Teams' per-app id of the person (`29:…`); `29:<aad>` by default. */
      accountId?: string;
      aadObjectId?: string;
      tenantId?: string;
      /** Where the activity carries the tenant: chats have both, channel posts often only channelData. */
      tenantIn?: "conversation+channelData" | "channelData" | "nowhere";
    }
  | { platform: "playground"; userId: string };

/** Where the adapter sends to for a person, as the platform would see it. */
export type Address = Record<string, string>;

/** A realistic id of a platform, and the address binome must send to for that person. */
export interface IdCase {
  name: string;
  identity: PlatformIdentity;
  address: Address;
  /** Set when the adapter cannot meet the contract yet: what it should change. */
  knownGap?: string;
}

/** Two payloads that name the same person (the core must see one identity). */
export interface SamePersonCase {
  name: string;
  identities: [PlatformIdentity, PlatformIdentity];
  knownGap?: string;
}

/** An adapter started on loopback with a recording core. */
export interface RunningAdapter {
  /** Every event the core received, in order. */
  events: InboundEvent[];
  /** The platform's payload of this person typing `help`; resolves to the event the core received. */
  arrive(identity: PlatformIdentity): Promise<InboundEvent>;
  /** Where the adapter sends a direct message for this core user (through its ChatPort or its addressing). */
  addressOf(user: PlatformUser): Promise<Address>;
  /**
   * Renders `card` with the adapter's pure renderer, finds the button (or choice option) labelled
   * `label` as the platform shows it, and sends the platform's click payload; resolves to the event.
   */
  click(card: Card, label: string, as: ContractPerson): Promise<InboundEvent>;
  /**
   * Lets the adapter show `form` to the person (the core answers a command with it), fills it with
   * `values` and submits it in every way the platform submits forms; resolves to each event.
   */
  submitForm(
    form: Form,
    values: Record<string, string>,
    as: ContractPerson,
  ): Promise<Array<{ way: string; event: InboundEvent }>>;
  close(): Promise<void>;
}

/** One adapter as the contract suites drive it. */
export interface AdapterDriver {
  platform: Platform;
  /** The core user a contract person is on this platform. */
  userOf(person: ContractPerson): PlatformUser;
  idCases: IdCase[];
  samePerson: SamePersonCase[];
  start(): Promise<RunningAdapter>;
}

/**
 * `it` for a contract the adapter meets; `it.fails` for a known gap, which turns red once the adapter
 * is fixed (then drop the gap). `CONTRACTS_SHOW_GAPS=1` runs the gaps as plain tests, to see how they fail.
 */
export function contract(knownGap: string | undefined): typeof it | typeof it.fails {
  return knownGap && !process.env.CONTRACTS_SHOW_GAPS ? it.fails : it;
}

/** The suffix of a test name that says why it is expected to fail. */
export const gapNote = (knownGap: string | undefined) => (knownGap ? ` [known gap: ${knownGap}]` : "");

/** A core that records what it is handed and answers with what the test says (nothing by default). */
export function recordingBot(): Bot & { events: InboundEvent[]; answerWith(outcome: Outcome): void } {
  const events: InboundEvent[] = [];
  let answer: Outcome = { type: "none" };
  return {
    events,
    answerWith(outcome) {
      answer = outcome;
    },
    async handle(event) {
      events.push(event);
      return answer;
    },
  };
}

/** The identity part of an event's actor: what `encodePersonRef` keeps. */
export function identityOf(user: PlatformUser): PlatformUser {
  return user.tenantId
    ? { platform: user.platform, tenantId: user.tenantId, userId: user.userId }
    : { platform: user.platform, userId: user.userId };
}

/** An event without what only its transport decides (delivery id, origin, profile details of the actor). */
export function neutral(event: InboundEvent): Record<string, unknown> {
  const actor = identityOf(event.actor);
  switch (event.type) {
    case "action":
      return { type: "action", actionId: event.actionId, value: event.value, actor };
    case "form":
      return {
        type: "form",
        formId: event.formId,
        values: event.values,
        ...(event.meta !== undefined ? { meta: event.meta } : {}),
        actor,
      };
    case "command":
      return { type: "command", text: event.text, actor };
    case "home":
      return { type: "home", actor };
  }
}

export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function listen(server: Server): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export const NOW = "2026-11-27T10:00:00Z";
