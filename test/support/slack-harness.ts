import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createSlackAdapter } from "../../adapters/slack/index.js";
import type { DatabaseHandle } from "../../db/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { attentionGate } from "../../src/features/attention/gate.js";
import { createBot } from "../../src/features/commands/router.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import { applySeed, type SeedSpec } from "../../src/features/participants/seed.js";
import { createHttpServer, type Route } from "../../src/http/server.js";
import { createTestDatabase } from "./db.js";
import { FakeSlack, type FakeSlackUser } from "./fake-slack.js";
import { interactionBody, postSigned, type SendOptions, slashCommandBody } from "./slack-requests.js";

export const SIGNING_SECRET = "test-signing-secret";

/** binome's Slack front door on loopback, with a seeded database and a fake Slack Web API. */
export interface SlackHarness {
  url: string;
  fake: FakeSlack;
  db: DatabaseHandle;
  clock: ManualClock;
  /** The outbox worker over the same Slack port; tests drain it when they want deliveries. */
  worker: OutboxWorker;
  /** Sends `/binome <text>` as `userId`; `reply()` waits for the ephemeral answer on response_url. */
  command(
    userId: string,
    text: string,
    options?: SendOptions,
  ): Promise<{ status: number; body: string; reply(): Promise<string> }>;
  /** Sends an interactivity payload; returns the HTTP status and body. */
  interact(payload: Record<string, unknown>, options?: SendOptions): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

/** Starts the harness on a database seeded with `seed`. */
export async function startSlackHarness(seed: SeedSpec, users: FakeSlackUser[]): Promise<SlackHarness> {
  const db = await createTestDatabase();
  await applySeed(db.db, seed);
  const fake = await new FakeSlack(users).start();
  const clock = new ManualClock("2026-11-27T10:00:00Z");
  const bot = createBot({ db: db.db, clock, log: silentLogger });
  const adapter = createSlackAdapter({
    bot,
    clock,
    log: silentLogger,
    botToken: "xoxb-test",
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
  });
  await adapter.start?.();
  // As in the program: the attention rules (pauses, working hours, weekly cap) hold messages back.
  const worker = new OutboxWorker({
    db: db.db,
    clock,
    log: silentLogger,
    ports: [adapter.chatPort],
    gate: attentionGate(db.db),
  });
  const routes: Route[] = [...adapter.routes];
  const server: Server = createHttpServer(routes, silentLogger);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  let responses = 0;

  return {
    url,
    fake,
    db,
    clock,
    worker,
    async command(userId, text, options) {
      responses += 1;
      const responseUrl = fake.responseUrl(`cmd-${responses}`);
      const body = slashCommandBody({ userId, text, responseUrl });
      const result = await postSigned(url, SIGNING_SECRET, body, "application/x-www-form-urlencoded", options);
      const path = new URL(responseUrl).pathname;
      return {
        status: result.status,
        body: result.text,
        reply: async () => {
          const response = await fake.waitFor(() => fake.responses.find((r) => r.path === path));
          return String(response.body.text);
        },
      };
    },
    async interact(payload, options) {
      return postSigned(url, SIGNING_SECRET, interactionBody(payload), "application/x-www-form-urlencoded", options);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await fake.stop();
      await db.close();
    },
  };
}
