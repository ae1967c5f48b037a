import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { count } from "drizzle-orm";
import type { TeamsActivity } from "../../adapters/teams/activity.js";
import { createTeamsAdapter, type TeamsAdapterDeps } from "../../adapters/teams/index.js";
import type { DatabaseHandle } from "../../db/client.js";
import { sessions } from "../../db/schema.js";
import type { ChatAdapter } from "../../src/adapters.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { type Bot, createBot } from "../../src/features/commands/router.js";
import { applySeed, type SeedSpec } from "../../src/features/participants/seed.js";
import { createHttpServer } from "../../src/http/server.js";
import { createTestDatabase } from "../support/db.js";
import { type FakeBotConnector, startFakeBotConnector } from "../support/fake-bot-connector.js";
import { programmeFixture } from "../support/fixtures.js";
import type { TeamsPerson } from "../support/teams-activities.js";
import { TEST_TENANT_ID } from "../support/teams-auth.js";

/** The fixture's people as Teams knows them (AAD object ids); Inès has no Teams identity on file yet. */
export const people = {
  claire: { aadObjectId: "0c1a0000-0000-4000-8000-00000000c1a1", name: "Claire Martin" },
  marc: { aadObjectId: "0c1a0000-0000-4000-8000-00000000a4c0", name: "Marc Dubois" },
  sophie: { aadObjectId: "0c1a0000-0000-4000-8000-0000000050f1", name: "Sophie Bernard" },
  lea: { aadObjectId: "0c1a0000-0000-4000-8000-000000001ea0", name: "Léa Petit" },
  hugo: { aadObjectId: "0c1a0000-0000-4000-8000-00000000b060", name: "Hugo Moreau" },
  ines: { aadObjectId: "0c1a0000-0000-4000-8000-0000000001e5", name: "Inès Laurent" },
  stranger: { aadObjectId: "0c1a0000-0000-4000-8000-00000000dead", name: "Paul Inconnu" },
} satisfies Record<string, TeamsPerson>;

/** The shared fixture with a Teams identity added to everyone but Inès. */
export const teamsFixture: SeedSpec = {
  ...programmeFixture,
  people: programmeFixture.people.map((person) => {
    const teams = person.key !== "ines" ? people[person.key as keyof typeof people] : undefined;
    return teams
      ? {
          ...person,
          identities: [
            ...(person.identities ?? []),
            { platform: "teams" as const, tenantId: TEST_TENANT_ID, userId: teams.aadObjectId },
          ],
        }
      : person;
  }),
};

export const NOW = "2026-11-27T10:00:00Z";

/** What a person sees of a message the bot sent: its text, or the text of its card. */
export function visibleText(message: Record<string, unknown> | undefined): string {
  if (!message) return "";
  if (typeof message.text === "string" && message.text) return message.text;
  const attachments = (message.attachments ?? []) as Array<{ content: { body: Array<Record<string, unknown>> } }>;
  return attachments
    .flatMap((a) => a.content.body.filter((e) => e.type === "TextBlock").map((e) => String(e.text)))
    .join("\n");
}

/** binome's Teams front door on loopback: database, core, adapter, HTTP server and fake Bot Connector. */
export async function startTeamsHarness(
  options: Partial<Omit<TeamsAdapterDeps, "bot" | "db" | "clock" | "log">> & { bot?: (real: Bot) => Bot } = {},
) {
  const handle: DatabaseHandle = await createTestDatabase();
  await applySeed(handle.db, teamsFixture);
  const connector: FakeBotConnector = await startFakeBotConnector();
  const clock = new ManualClock(NOW);
  const realBot = createBot({ db: handle.db, clock });
  const bot = options.bot ? options.bot(realBot) : realBot;
  const { bot: _b, ...rest } = options;
  const adapter: ChatAdapter = createTeamsAdapter({
    bot,
    db: handle.db,
    clock,
    log: silentLogger,
    env: { NODE_ENV: "test", TEAMS_DEV_NO_AUTH: true },
    ...rest,
  });
  const server: Server = createHttpServer([...adapter.routes], silentLogger);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    db: handle.db,
    connector,
    adapter,
    clock,
    place: (person: TeamsPerson) => ({
      serviceUrl: connector.serviceUrl,
      conversationId: `a:personal-${person.aadObjectId}`,
    }),
    /** POSTs an activity to /api/messages as Teams would. */
    async post(activity: TeamsActivity, token?: string): Promise<{ status: number; body: unknown }> {
      const response = await fetch(`${base}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      return { status: response.status, body };
    },
    /** POSTs a raw body, for malformed requests. */
    async postRaw(body: string): Promise<number> {
      return (
        await fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body })
      ).status;
    },
    /** The last message the bot sent to the fake Bot Connector, as the person sees it. */
    lastSent: () => visibleText(connector.sent().at(-1)),
    sessionCount: async () => (await handle.db.select({ n: count() }).from(sessions))[0]?.n ?? 0,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.close();
      await handle.close();
    },
  };
}

export type TeamsHarness = Awaited<ReturnType<typeof startTeamsHarness>>;
