import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../db/client.js";
import { outbox, schedulerRuns } from "../../db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { enqueue } from "../../src/features/outbox/outbox.repository.js";
import { createScheduler, type ScheduledTask } from "../../src/scheduler/index.js";
import { createTestDatabase, testDatabaseKind } from "../support/db.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKS = 8;

/** An hourly task that writes one outbox row per fire and counts its runs. */
function outboxWriter(runs: string[], written: { count: number }): ScheduledTask {
  return {
    name: "test:hourly",
    cron: "0 * * * *",
    async run(fireAt, { db, clock }) {
      runs.push(fireAt.toISOString());
      // Read the counter after the await: `count += await …` would lose the other replica's adds.
      const added = await enqueue(
        db,
        [
          {
            key: `test:${fireAt.toISOString()}`,
            kind: "test",
            channel: "test:channel",
            payload: { card: { fallback: "tick", blocks: [] } },
            dueAt: fireAt,
          },
        ],
        clock.now(),
      );
      written.count += added;
    },
  };
}

// On PostgreSQL: two pools on one database, as two replicas would have. On PGlite: one database
// (one process may open it once), two schedulers.
describe(`two schedulers over ${WEEKS} weeks of hourly fires (${testDatabaseKind})`, () => {
  let first: DatabaseHandle & { url?: string };
  let second: DatabaseHandle;

  beforeAll(async () => {
    first = await createTestDatabase();
    second = first.url ? await openDatabase({ url: first.url, migrate: false, poolSize: 4 }) : first;
  });
  afterAll(async () => {
    if (second !== first) await second.close();
    await first.close();
  });

  it("runs every fire exactly once across both, and writes each outbox row once", async () => {
    const start = new Date("2026-03-02T00:00:30Z");
    const clock = new ManualClock(start);
    const runs = { a: [] as string[], b: [] as string[] };
    const written = { count: 0 };
    const a = createScheduler({
      db: first.db,
      clock,
      log: silentLogger,
      replicaId: "replica-a",
      tasks: [outboxWriter(runs.a, written)],
    });
    const b = createScheduler({
      db: second.db,
      clock,
      log: silentLogger,
      replicaId: "replica-b",
      tasks: [outboxWriter(runs.b, written)],
    });
    try {
      await Promise.all([a.tick(), b.tick()]);
      for (let day = 1; day <= WEEKS * 7; day++) {
        clock.advance(DAY);
        // Both heartbeats race for the same day of fires; then a catch-up over the whole day
        // (a playground clock move, say) races again and must find every fire taken.
        await Promise.all([a.tick(), b.tick()]);
        const to = clock.now();
        const from = new Date(to.getTime() - DAY);
        const reports = await Promise.all([a.catchUp("test:hourly", from, to), b.catchUp("test:hourly", from, to)]);
        expect(reports.map((r) => r.ran + r.failed)).toEqual([0, 0]);
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }

    const fires = WEEKS * 7 * 24 + 1;
    const all = [...runs.a, ...runs.b];
    expect(all).toHaveLength(fires);
    expect(new Set(all).size).toBe(fires);
    expect(all.sort().at(-1)).toBe(new Date(start.getTime() - 30_000 + WEEKS * 7 * DAY).toISOString());
    expect(written.count).toBe(fires);
    const [rows] = await first.db.select({ n: count() }).from(outbox);
    expect(rows?.n).toBe(fires);
    const [claims] = await first.db.select({ n: count() }).from(schedulerRuns);
    expect(claims?.n).toBe(fires);
  });
});
