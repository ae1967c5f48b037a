import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/client.js";
import { outbox } from "../../db/schema.js";
import { enqueue, type OutboxMessage } from "../../src/features/outbox/outbox.repository.js";
import { applySeed, type SeedSpec } from "../../src/features/participants/seed.js";
import { createTestDatabase } from "../support/db.js";
import { FakeSlack } from "../support/fake-slack.js";
import { type BinomeProcess, startBinome } from "../support/process.js";

const PEOPLE = 50;
const MESSAGES = 500;
/** Delivered before the SIGKILL: well into the run, far from its end. */
const KILL_AFTER = 150;
/** The worker's defaults (OutboxWorker): 8 lanes, each sending one row at a time, 8 × 4 rows claimed per batch. */
const CONCURRENCY = 8;
const BATCH = CONCURRENCY * 4;
/** Each chat.postMessage is answered this late: 8 lanes then deliver about 160 messages a second. */
const SLACK_DELAY_MS = 50;
/** The claim a dead process leaves behind expires this soon, so that the restarted one takes its rows over. */
const LEASE_MS = 2_000;

const spec: SeedSpec = {
  programme: { slug: "crash", name: "Crash safety" },
  people: Array.from({ length: PEOPLE }, (_, i) => ({
    key: `p${i}`,
    name: `Person ${i}`,
    email: `p${i}@example.org`,
    roles: ["mentee"],
    identities: [{ platform: "slack", tenantId: "T0TEST", userId: `UP${String(i).padStart(3, "0")}` }],
  })),
};

const textOf = (i: number) => `crash message ${i}`;

/** Seeds the people and 500 due outbox rows: one text per key, recipients spread over everyone. */
async function seed(db: Database): Promise<void> {
  const { programmeId, ids } = await applySeed(db, spec);
  const now = new Date();
  const messages: OutboxMessage[] = Array.from({ length: MESSAGES }, (_, i) => ({
    key: `crash:${i}`,
    kind: "test",
    programmeId,
    recipientId: ids[`p${i % PEOPLE}`] as string,
    payload: { card: { fallback: textOf(i), blocks: [{ type: "text", text: textOf(i) }] } },
    dueAt: now,
  }));
  expect(await enqueue(db, messages, now)).toBe(MESSAGES);
}

/** A fresh PGlite folder, or a fresh PostgreSQL database when DATABASE_URL is set, seeded. */
async function seededStore(): Promise<{
  env: Record<string, string>;
  rows(): Promise<Array<{ key: string; status: string }>>;
  cleanup(): Promise<void>;
}> {
  const read = async (db: Database) => db.select({ key: outbox.key, status: outbox.status }).from(outbox);
  if (process.env.DATABASE_URL) {
    const db = await createTestDatabase();
    await seed(db.db);
    return { env: { DATABASE_URL: db.url as string }, rows: () => read(db.db), cleanup: () => db.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), "binome-crash-"));
  const db = await openDatabase({ dataDir: dir });
  await seed(db.db);
  await db.close();
  return {
    env: { DATA_DIR: dir },
    // PGlite allows one process per folder: read it only once binome has stopped.
    rows: async () => {
      const reader = await openDatabase({ dataDir: dir });
      try {
        return await read(reader.db);
      } finally {
        await reader.close();
      }
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe("outbox crash safety", () => {
  let fake: FakeSlack | undefined;
  let store: Awaited<ReturnType<typeof seededStore>> | undefined;
  const processes: BinomeProcess[] = [];

  afterAll(async () => {
    for (const p of processes) await p.stop("SIGKILL");
    await fake?.stop();
    await store?.cleanup();
  });

  it("loses nothing when the process is SIGKILLed while delivering 500 messages, and sends few twice", async () => {
    fake = await new FakeSlack().start();
    fake.slowDown("chat.postMessage", SLACK_DELAY_MS);
    store = await seededStore();
    const env = {
      ...store.env,
      PLAYGROUND: "off",
      SCHEDULER: "off",
      SLACK_BOT_TOKEN: "xoxb-crash",
      SLACK_SIGNING_SECRET: "crash-signing-secret",
      SLACK_API_URL: fake.apiUrl,
      OUTBOX_POLL_MS: "200",
      OUTBOX_LEASE_MS: String(LEASE_MS),
    };
    const posts = () => (fake as FakeSlack).callsOf("chat.postMessage");

    const t0 = Date.now();
    const phase: string[] = [];
    const mark = (name: string) => phase.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    mark("seeded");
    const first = await startBinome(env, 20_000);
    mark("started");
    processes.push(first);
    await fake.waitFor(() => posts().length >= KILL_AFTER, 20_000);
    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGKILL");
    await exited;
    mark("killed");
    const atKill = posts().length;
    // The kill landed mid-delivery, not after it.
    expect(atKill).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(atKill).toBeLessThan(MESSAGES);

    const second = await startBinome(env, 20_000);
    processes.push(second);
    mark("restarted");
    const expected = Array.from({ length: MESSAGES }, (_, i) => textOf(i));
    const received = () => new Set(posts().map((c) => String(c.args.text)));
    await fake
      .waitFor(() => expected.every((text) => received().has(text)), 30_000)
      .catch(() => {
        const missing = expected.filter((text) => !received().has(text));
        throw new Error(`${missing.length} messages never arrived, e.g. ${missing.slice(0, 5).join(", ")}`);
      });
    mark("all arrived");
    // A graceful stop lets the pass under way record what it sent.
    expect(await second.stop("SIGTERM")).toBe(0);

    // Nothing lost: every text arrived, every row is recorded as sent.
    const counts = new Map<string, number>();
    for (const call of posts()) {
      expect(call.status).toBe(200);
      counts.set(String(call.args.text), (counts.get(String(call.args.text)) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...expected].sort());
    const rows = await store.rows();
    mark("read");
    expect(rows).toHaveLength(MESSAGES);
    expect(rows.filter((r) => r.status !== "sent")).toEqual([]);

    // Sent twice: only rows whose message had left before the kill but whose `sent` mark had not
    // been committed. Each of the 8 lanes holds one such row at most (it marks a row sent before it
    // sends the next), so at most CONCURRENCY, well inside the 32 rows one worker claims at once.
    const twice = [...counts.values()].filter((n) => n === 2).length;
    const more = [...counts.values()].filter((n) => n > 2).length;
    console.log(
      `outbox crash (${process.env.DATABASE_URL ? "postgres" : "pglite"}): killed after ${atKill} posts; ` +
        `${twice} of ${MESSAGES} messages sent twice (bound ${CONCURRENCY} = lanes in flight; claim window ${BATCH}), ` +
        `${more} more than twice, ${posts().length} posts in all (${phase.join(", ")})`,
    );
    expect(more).toBe(0);
    expect(twice).toBeLessThanOrEqual(CONCURRENCY);
  }, 150_000);
});
