import { and, eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { checkins, outbox, pairs, participants } from "../../db/schema.js";
import { findDueWork } from "../../src/features/engagement/due-work.js";
import type { SeedSpec } from "../../src/features/participants/seed.js";
import type { FakeSlackUser, SlackCall } from "../support/fake-slack.js";
import { programmeFixture } from "../support/fixtures.js";
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from "../support/slack-harness.js";
import { dmEventBody, postSigned } from "../support/slack-requests.js";

/** When the fixture's pairs were made: Friday 27 November 2026, 11:00 in Paris. */
export const PAIRED_AT = "2026-11-27T10:00:00Z";

/** The shared fixture, with Inès reading English: her check-ins come in English. */
export const engagementSeed: SeedSpec = {
  ...programmeFixture,
  people: programmeFixture.people.map((p) => (p.key === "ines" ? { ...p, language: "en" } : p)),
};

/** The Slack users behind a seed, with the locale that matches each person's language. */
export function slackUsersOf(seed: SeedSpec): FakeSlackUser[] {
  return seed.people.map((p) => ({
    id: p.identities?.[0]?.userId ?? "",
    name: p.name,
    locale: p.language === "en" ? "en-US" : "fr-FR",
  }));
}

/** A Block Kit button as Slack shows it. */
export interface SlackButton {
  action_id: string;
  value: string;
  label: string;
}

type SlackBlock = {
  type: string;
  text?: { text: string };
  label?: { text: string };
  elements?: Array<{ type: string; action_id?: string; value?: string; text?: { text: string } | string }>;
  fields?: Array<{ text: string }>;
};

const blocksOf = (call: SlackCall | undefined) => (call?.args.blocks ?? []) as SlackBlock[];

/** The buttons of a message, in order. */
export function buttonsOf(call: SlackCall | undefined): SlackButton[] {
  return blocksOf(call)
    .filter((b) => b.type === "actions")
    .flatMap((b) => b.elements ?? [])
    .map((e) => ({
      action_id: e.action_id ?? "",
      value: e.value ?? "",
      label: typeof e.text === "string" ? e.text : (e.text?.text ?? ""),
    }));
}

/** What a person reads in a message or view: section, field and context texts, then button labels. */
export function readableText(blocks: unknown): string {
  const lines: string[] = [];
  for (const block of (blocks ?? []) as SlackBlock[]) {
    if (block.text?.text) lines.push(block.text.text);
    if (block.label?.text) lines.push(block.label.text);
    for (const field of block.fields ?? []) lines.push(field.text);
    for (const element of block.elements ?? []) {
      if (typeof element.text === "string") lines.push(element.text);
      else if (element.text?.text) lines.push(element.text.text);
    }
  }
  return lines.join("\n");
}

/** Polls until `probe` gives a value (work after Slack's ack happens in the background). */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("eventually: timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** binome over Slack with the fixture programme, its pairs made at PAIRED_AT, and journey helpers. */
export interface Journey {
  slack: SlackHarness;
  /** Participant ids by seed key. */
  ids: Record<string, string>;
  /** Pair ids by mentee key. */
  pairIds: Record<string, string>;
  /** Moves the clock, runs one tick of the engagement loop, delivers what may go; returns Slack calls made. */
  tick(at: string): Promise<SlackCall[]>;
  /** Delivers what may go now; returns the Slack calls made. */
  drain(): Promise<SlackCall[]>;
  /** Messages posted into the DM of a Slack user by the outbox (check-ins, nudges), oldest first. */
  dmsTo(userId: string, calls?: SlackCall[]): SlackCall[];
  /** The check-in messages posted among `calls`, by Slack user. */
  checkinsIn(calls: SlackCall[]): Map<string, SlackCall>;
  /**
   * Clicks a button of a message the bot posted in `user`'s DM, as Slack sends it.
   * `reply()` waits for the private answer on response_url.
   */
  click(user: string, button: SlackButton, message?: SlackCall): Promise<{ reply(): Promise<string> }>;
  /** Types a DM to binome and returns binome's answer in that DM. */
  type(user: string, text: string): Promise<string>;
  /** The check-in row of a mentee's pair for a round. */
  checkin(menteeKey: string, round: number, participantKey?: string): Promise<typeof checkins.$inferSelect>;
  /** How many updates of a check-in's message were written to the outbox. */
  updatesOf(checkinId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startJourney(
  options: { seed?: SeedSpec; users?: FakeSlackUser[]; pairedAt?: Record<string, string> } = {},
): Promise<Journey> {
  const seed = options.seed ?? engagementSeed;
  const slack = await startSlackHarness(seed, options.users ?? slackUsersOf(seed));
  const db = slack.db.db;
  const ids: Record<string, string> = {};
  for (const person of seed.people) {
    const [row] = await db
      .select({ id: participants.id })
      .from(participants)
      .where(eq(participants.email, person.email));
    ids[person.key] = row?.id as string;
  }
  const pairIds: Record<string, string> = {};
  for (const pair of await db.select().from(pairs)) {
    const mentee = Object.keys(ids).find((k) => ids[k] === pair.menteeId) as string;
    pairIds[mentee] = pair.id;
    // The pairs were made "now" by the database; the story starts at PAIRED_AT on binome's clock.
    await db
      .update(pairs)
      .set({ createdAt: new Date(options.pairedAt?.[mentee] ?? PAIRED_AT) })
      .where(eq(pairs.id, pair.id));
  }
  let clicks = 0;
  let events = 0;

  const drain = async () => {
    const before = slack.fake.calls.length;
    await slack.worker.drain();
    return slack.fake.calls.slice(before);
  };
  const dmsTo = (userId: string, calls: SlackCall[] = slack.fake.calls) =>
    calls.filter((c) => c.method === "chat.postMessage" && c.args.channel === userId);

  return {
    slack,
    ids,
    pairIds,
    async tick(at) {
      slack.clock.set(at);
      await findDueWork(db, slack.clock.now());
      return drain();
    },
    drain,
    dmsTo,
    checkinsIn(calls) {
      const found = new Map<string, SlackCall>();
      for (const call of calls) {
        if (call.method !== "chat.postMessage") continue;
        if (buttonsOf(call).some((b) => b.action_id === "checkin.answer")) found.set(String(call.args.channel), call);
      }
      return found;
    },
    async click(user, button, message) {
      clicks += 1;
      const id = `click-${clicks}`;
      const channel = String(message?.response?.channel ?? `D${user.slice(1)}`);
      const ts = String(message?.response?.ts ?? "1700000000.000100");
      const ack = await postSigned(
        slack.url,
        SIGNING_SECRET,
        new URLSearchParams({
          payload: JSON.stringify({
            type: "block_actions",
            team: { id: "T0TEST", domain: "test" },
            user: { id: user, team_id: "T0TEST" },
            api_app_id: "A0BINOME",
            trigger_id: `trigger-${id}`,
            response_url: slack.fake.responseUrl(id),
            container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
            channel: { id: channel, name: "directmessage" },
            message: { type: "message", ts, text: message?.args.text ?? "", blocks: message?.args.blocks ?? [] },
            actions: [
              {
                type: "button",
                action_id: button.action_id,
                block_id: "b1",
                value: button.value,
                text: { type: "plain_text", text: button.label },
                action_ts: "1",
              },
            ],
          }),
        }).toString(),
        "application/x-www-form-urlencoded",
      );
      expect(ack.status).toBe(200);
      return {
        reply: async () => {
          const path = `/respond/${id}`;
          const response = await slack.fake.waitFor(() => slack.fake.responses.find((r) => r.path === path));
          return String(response.body.text);
        },
      };
    },
    async type(user, text) {
      events += 1;
      const before = slack.fake.calls.length;
      const dm = `D${user.slice(1)}`;
      const result = await postSigned(
        slack.url,
        SIGNING_SECRET,
        dmEventBody({
          eventId: `Ev${events}`,
          userId: user,
          text,
          ts: `1700000${String(events).padStart(3, "0")}.000200`,
        }),
        "application/json",
      );
      expect(result.status).toBe(200);
      const answer = await slack.fake.waitFor(() =>
        slack.fake.calls.slice(before).find((c) => c.method === "chat.postMessage" && c.args.channel === dm),
      );
      return String(answer.args.text);
    },
    async checkin(menteeKey, round, participantKey = menteeKey) {
      const [row] = await db
        .select()
        .from(checkins)
        .where(
          and(
            eq(checkins.pairId, pairIds[menteeKey] as string),
            eq(checkins.participantId, ids[participantKey] as string),
            eq(checkins.round, round),
          ),
        );
      if (!row) throw new Error(`no check-in of round ${round} for ${participantKey}`);
      return row;
    },
    async updatesOf(checkinId) {
      const [row] = await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(outbox)
        .where(sql`${outbox.key} like ${`update:checkin:${checkinId}:%`}`);
      return row?.n ?? 0;
    },
    close: () => slack.close(),
  };
}
