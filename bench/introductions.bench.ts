// Introductions for 500 pairs through a fake Slack that enforces conversations.open's Tier 3 limit
// (50 per minute) and answers 429 with Retry-After beyond it. Reports the total time against the
// least the limit allows, messages lost and messages sent twice.
// Run: npx tsx bench/introductions.bench.ts   (TIME_SCALE=10 divides the minute by 10; PAIRS=500)
import { PGlite } from "@electric-sql/pglite";
import { createSlackAdapter } from "../adapters/slack/index.js";
import { openDatabase } from "../db/client.js";
import { outbox, pairs } from "../db/schema.js";
import { OffsetClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { createBot } from "../src/features/commands/router.js";
import { introducePairs } from "../src/features/introductions/introductions.usecases.js";
import type { ProgrammeRow } from "../src/features/matching/proposals.repository.js";
import { outboxCounts } from "../src/features/outbox/outbox.repository.js";
import { OutboxWorker } from "../src/features/outbox/outbox.worker.js";
import { applySeed, type SeedSpec } from "../src/features/participants/seed.js";
import { FakeSlack } from "../test/support/fake-slack.js";

const PAIRS = Number(process.env.PAIRS ?? 500);
const SCALE = Number(process.env.TIME_SCALE ?? 10);
const LIMIT = 50;
const WINDOW_MS = 60_000 / SCALE;

const spec: SeedSpec = {
  programme: { slug: "bench", name: "Bench" },
  people: Array.from({ length: PAIRS }, (_, i) => [
    {
      key: `m${i}`,
      name: `Mentor ${i}`,
      email: `mentor${i}@bench.example`,
      roles: ["mentor" as const],
      identities: [{ platform: "slack" as const, tenantId: "T0TEST", userId: `UMENTOR${i}` }],
    },
    {
      key: `e${i}`,
      name: `Mentee ${i}`,
      email: `mentee${i}@bench.example`,
      roles: ["mentee" as const],
      identities: [{ platform: "slack" as const, tenantId: "T0TEST", userId: `UMENTEE${i}` }],
    },
  ]).flat(),
  pairs: Array.from({ length: PAIRS }, (_, i) => [`m${i}`, `e${i}`] as [string, string]),
};

const db = await openDatabase({ pglite: await PGlite.create() });
const { programmeId } = await applySeed(db.db, spec);
const programme = (await db.db.query.programmes.findFirst()) as ProgrammeRow;
const pairIds = (await db.db.select({ id: pairs.id }).from(pairs)).map((p) => p.id);

// A Friday, 10:00 in Paris, following real time so that Retry-After waits really elapse.
const clock = new OffsetClock();
clock.advance(Date.parse("2026-11-27T09:00:00Z") - Date.now());
const fake = await new FakeSlack().start();
fake.enforceLimit("conversations.open", LIMIT, WINDOW_MS);
const adapter = createSlackAdapter({
  bot: createBot({ db: db.db, clock }),
  clock,
  log: silentLogger,
  botToken: "xoxb-bench",
  signingSecret: "bench",
  apiUrl: fake.apiUrl,
  conversationsOpenPerMinute: LIMIT,
  pacingWindowMs: WINDOW_MS,
});
await adapter.start?.();
const worker = new OutboxWorker({ db: db.db, clock, log: silentLogger, ports: [adapter.chatPort] });

const deps = { db: db.db, clock, log: silentLogger, outboxChanged: () => {} };
const written = await introducePairs(deps, programme, pairIds);
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
// The worker runs as in production: polling, kicked at once, and woken when a delayed row falls due.
worker.start(5_000);
for (;;) {
  const counts = await outboxCounts(db.db);
  if ((counts.pending ?? 0) + (counts.sending ?? 0) === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const elapsed = performance.now() - started;
await worker.stop();

const opens = fake.callsOf("conversations.open").filter((c) => c.status === 200);
const posted = fake.callsOf("chat.postMessage").filter((c) => c.status === 200);
const distinctGroups = new Set(opens.map((c) => c.args.users));
const distinctPosts = new Set(posted.map((c) => c.args.channel));
const minimum = Math.floor((PAIRS - 1) / LIMIT) * WINDOW_MS;
const counts = await outboxCounts(db.db);
const sentRows = (await db.db.select().from(outbox)).filter((r) => r.status === "sent").length;

console.log(
  JSON.stringify(
    {
      pairs: PAIRS,
      timeScale: SCALE,
      limit: `${LIMIT} conversations.open per ${WINDOW_MS} ms`,
      written,
      elapsedMs: Math.round(elapsed),
      minimumMs: minimum,
      ratio: Number((elapsed / minimum).toFixed(3)),
      lost: PAIRS - sentRows,
      sentTwice: opens.length - distinctGroups.size + (posted.length - distinctPosts.size),
      refusedWith429: fake.rateLimited,
      outbox: counts,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      rssGrowthMiB: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
      programmeId,
    },
    null,
    2,
  ),
);
await fake.stop();
await db.close();
