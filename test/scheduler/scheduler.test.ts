import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { schedulerRuns } from "../../db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import {
  createScheduler,
  type ScheduledTask,
  type Scheduler,
  schedulerHousekeeping,
} from "../../src/scheduler/index.js";
import { createTestDatabase } from "../support/db.js";

const HOUR = 3_600_000;

function recorder(name: string, cron: string, fail?: (fireAt: Date) => boolean) {
  const runs: string[] = [];
  const task: ScheduledTask = {
    name,
    cron,
    async run(fireAt) {
      runs.push(fireAt.toISOString());
      if (fail?.(fireAt)) throw new Error(`boom at ${fireAt.toISOString()}`);
    },
  };
  return { task, runs };
}

describe("the scheduler on the test database", () => {
  let handle: DatabaseHandle;
  let clock: ManualClock;
  let scheduler: Scheduler | undefined;
  const make = (tasks: ScheduledTask[], maxCatchUp?: number) => {
    scheduler = createScheduler({ db: handle.db, clock, log: silentLogger, replicaId: "test", tasks, maxCatchUp });
    return scheduler;
  };

  beforeEach(async () => {
    handle = await createTestDatabase();
    clock = new ManualClock("2026-03-02T10:00:30Z");
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await handle.close();
  });

  it("runs a fire once: the second claim of the same fire finds it taken", async () => {
    const hourly = recorder("hourly", "0 * * * *");
    const s = make([hourly.task]);
    const fireAt = new Date("2026-03-02T10:00:00Z");
    expect(await s.runDue("hourly", fireAt)).toBe("ran");
    expect(await s.runDue("hourly", fireAt)).toBe("taken");
    expect(hourly.runs).toEqual(["2026-03-02T10:00:00.000Z"]);
    const [row] = await handle.db.select().from(schedulerRuns);
    expect(row).toMatchObject({ task: "hourly", fireAt, claimedBy: "test", error: null });
    expect(row?.finishedAt).toEqual(clock.now());
  });

  it("refuses an instant the cron does not fire at", async () => {
    const s = make([recorder("hourly", "0 * * * *").task]);
    expect(() => s.runDue("hourly", new Date("2026-03-02T10:05:00Z"))).toThrow(/not a fire/);
  });

  it("records a failed run, does not throw, and does not retry it", async () => {
    const failing = recorder("failing", "0 * * * *", () => true);
    const s = make([failing.task]);
    const fireAt = new Date("2026-03-02T10:00:00Z");
    expect(await s.runDue("failing", fireAt)).toBe("failed");
    expect(await s.runDue("failing", fireAt)).toBe("taken");
    const [row] = await handle.db.select().from(schedulerRuns);
    expect(row?.error).toBe("boom at 2026-03-02T10:00:00.000Z");
    expect(row?.finishedAt).not.toBeNull();
  });

  it("catches up the fires a clock move skipped, in order, once each", async () => {
    const sixHourly = recorder("six-hourly", "0 */6 * * *", (d) => d.getUTCHours() === 12);
    const s = make([sixHourly.task]);
    const from = new Date("2026-03-02T10:00:00Z");
    const to = new Date("2026-03-04T10:00:00Z");
    expect(await s.catchUp("six-hourly", from, to)).toEqual({ ran: 6, failed: 2, taken: 0, dropped: 0 });
    expect(sixHourly.runs).toEqual([
      "2026-03-02T12:00:00.000Z",
      "2026-03-02T18:00:00.000Z",
      "2026-03-03T00:00:00.000Z",
      "2026-03-03T06:00:00.000Z",
      "2026-03-03T12:00:00.000Z",
      "2026-03-03T18:00:00.000Z",
      "2026-03-04T00:00:00.000Z",
      "2026-03-04T06:00:00.000Z",
    ]);
    expect(await s.catchUp("six-hourly", from, to)).toEqual({ ran: 0, failed: 0, taken: 8, dropped: 0 });
  });

  it("caps a catch-up, keeping the latest fires", async () => {
    const hourly = recorder("hourly", "0 * * * *");
    const s = make([hourly.task], 5);
    const report = await s.catchUp("hourly", new Date("2026-03-01T00:00:00Z"), new Date("2026-03-02T00:00:00Z"));
    expect(report).toEqual({ ran: 5, failed: 0, taken: 0, dropped: 20 });
    expect(hourly.runs[0]).toBe("2026-03-01T20:00:00.000Z");
    expect(hourly.runs.at(-1)).toBe("2026-03-02T00:00:00.000Z");
  });

  it("heartbeats run the latest fire first, then every fire since the previous heartbeat", async () => {
    const hourly = recorder("hourly", "0 * * * *");
    const s = make([hourly.task]);
    clock.set("2026-03-02T10:20:00Z");
    await s.tick();
    expect(hourly.runs).toEqual(["2026-03-02T10:00:00.000Z"]);
    clock.advance(60_000);
    await s.tick();
    expect(hourly.runs).toHaveLength(1);
    clock.advance(3 * HOUR);
    await s.tick();
    expect(hourly.runs.slice(1)).toEqual([
      "2026-03-02T11:00:00.000Z",
      "2026-03-02T12:00:00.000Z",
      "2026-03-02T13:00:00.000Z",
    ]);
  });

  it("starts and stops its node-cron heartbeat", async () => {
    const s = make([recorder("hourly", "0 * * * *").task]);
    s.start();
    await s.stop();
    scheduler = undefined;
  });

  it("housekeeping forgets fires older than 30 days", async () => {
    const daily = recorder("daily", "0 0 * * *");
    const s = make([daily.task, schedulerHousekeeping]);
    await s.catchUp("daily", new Date("2026-01-01T00:00:00Z"), new Date("2026-03-02T00:00:00Z"));
    await s.runDue("scheduler:housekeeping", new Date("2026-03-02T03:17:00Z"));
    const rows = await handle.db
      .select({ task: schedulerRuns.task, fireAt: schedulerRuns.fireAt })
      .from(schedulerRuns)
      .orderBy(asc(schedulerRuns.fireAt));
    // 30 days before 2026-03-02T03:17 is 2026-01-31T03:17: that day's midnight fire goes.
    expect(rows[0]?.fireAt.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(rows.filter((r) => r.task === "daily")).toHaveLength(30);
  });
});
