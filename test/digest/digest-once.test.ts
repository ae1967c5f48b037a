import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../db/client.js";
import { outbox } from "../../db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { digestTask, writeDueDigests } from "../../src/features/digest/digest.task.js";
import { digestSchedule, digestSlot, localInstant } from "../../src/features/digest/schedule.js";
import { createScheduler } from "../../src/scheduler/index.js";
import { createTestDatabase, testDatabaseKind } from "../support/db.js";
import { DIGEST_AT, type ProgrammeRow, programmeFile, seedProgramme } from "./seed.js";

const digestRows = async (db: DatabaseHandle["db"], week: string) =>
  (
    await db
      .select()
      .from(outbox)
      .where(sql`${outbox.key} like ${`digest:cohorte-test:${week}:%`}`)
  ).map((r) => r.key);

// On PostgreSQL the second "replica" has its own connection pool, as another process would.
describe(`the weekly digest is written once per week (${testDatabaseKind})`, () => {
  let first: DatabaseHandle & { url?: string };
  let second: DatabaseHandle;

  beforeAll(async () => {
    first = await createTestDatabase();
    second = first.url ? await openDatabase({ url: first.url, migrate: false, poolSize: 4 }) : first;
    await seedProgramme(first.db, { extraPairs: 2 });
  });
  afterAll(async () => {
    if (second !== first) await second.close();
    await first.close();
  });

  it("waits for Monday 09:00 in Paris, then writes once however often it runs", async () => {
    expect(await writeDueDigests(first.db, new Date("2026-11-30T07:59:00Z"))).toEqual([]);
    expect(await digestRows(first.db, "2026-W49")).toEqual([]);
    expect(await writeDueDigests(first.db, DIGEST_AT)).toEqual(["digest:cohorte-test:2026-W49:1"]);
    expect(await writeDueDigests(first.db, DIGEST_AT)).toEqual([]);
    expect(await writeDueDigests(first.db, new Date("2026-11-30T09:00:00Z"))).toEqual([]);
    expect(await writeDueDigests(first.db, new Date("2026-12-04T17:00:00Z"))).toEqual([]);
    expect(await digestRows(first.db, "2026-W49")).toEqual(["digest:cohorte-test:2026-W49:1"]);
  });

  it("brings the digest of a Monday that a week-long gap jumped over, and no older one", async () => {
    // The clock moves from Monday 4 January 08:00 in Paris to Monday 11 January 08:00: this
    // week's digest time has not come yet, but 4 January's passed during the gap.
    const scheduler = createScheduler({
      db: first.db,
      clock: new ManualClock("2027-01-11T07:00:00Z"),
      log: silentLogger,
      replicaId: "replica-a",
      tasks: [digestTask()],
    });
    const from = new Date("2027-01-04T07:00:00Z");
    const to = new Date("2027-01-11T07:00:00Z");
    expect(await writeDueDigests(first.db, to), "without the gap, nothing is due before 09:00").toEqual([]);
    expect(await scheduler.catchUp("digest:weekly", from, to)).toMatchObject({ ran: 1 });
    expect(await digestRows(first.db, "2027-W01")).toEqual(["digest:cohorte-test:2027-W01:1"]);
    expect(await digestRows(first.db, "2027-W02")).toEqual([]);
    // A gap that began after 4 January's digest time brings nothing more.
    expect(await writeDueDigests(first.db, to, new Date("2027-01-04T09:00:00Z"))).toEqual([]);
    await scheduler.stop();
  });

  it("writes one digest when two replicas' schedulers race through the same hours", async () => {
    const clock = new ManualClock("2026-12-07T00:00:30Z");
    const make = (db: DatabaseHandle["db"], replicaId: string) =>
      createScheduler({ db, clock, log: silentLogger, replicaId, tasks: [digestTask()] });
    const a = make(first.db, "replica-a");
    const b = make(second.db, "replica-b");
    const from = new Date("2026-12-07T00:00:00Z");
    const to = new Date("2026-12-07T12:00:00Z");
    clock.set(to);
    const [ra, rb] = await Promise.all([a.catchUp("digest:weekly", from, to), b.catchUp("digest:weekly", from, to)]);
    // Catch-up "latest": one fire runs, on one replica.
    expect(ra.ran + rb.ran).toBe(1);
    expect(await digestRows(first.db, "2026-W50")).toEqual(["digest:cohorte-test:2026-W50:1"]);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("writes one digest when two replicas build it at the same moment", async () => {
    const at = new Date("2026-12-14T08:00:00Z");
    const [x, y] = await Promise.all([writeDueDigests(first.db, at), writeDueDigests(second.db, at)]);
    expect([...x, ...y]).toEqual(["digest:cohorte-test:2026-W51:1"]);
    expect(await digestRows(first.db, "2026-W51")).toEqual(["digest:cohorte-test:2026-W51:1"]);
  });
});

describe("the digest's day and time", () => {
  it("is Monday 09:00 in the programme's zone by default, and follows the programme file", async () => {
    const handle = await createTestDatabase();
    try {
      const { programme: row } = await seedProgramme(handle.db, {
        file: programmeFile(["timeZone: America/Montreal", "digest:", "  day: fri", '  time: "16:30"']),
      });
      const slot = digestSlot(digestSchedule(row as ProgrammeRow), new Date("2026-11-25T12:00:00Z"));
      expect(slot).toEqual({ week: "2026-W48", date: "2026-11-27", at: new Date("2026-11-27T21:30:00Z") });
      expect(await writeDueDigests(handle.db, new Date("2026-11-27T21:29:00Z"))).toEqual([]);
      expect(await writeDueDigests(handle.db, new Date("2026-11-27T21:30:00Z"))).toEqual([
        "digest:cohorte-test:2026-W48:1",
      ]);
    } finally {
      await handle.close();
    }
  });

  it("keeps the wall-clock time across a change of offset", () => {
    // Paris leaves summer time on Sunday 25 October 2026 at 03:00.
    expect(localInstant("2026-10-25", "09:00", "Europe/Paris").toISOString()).toBe("2026-10-25T08:00:00.000Z");
    expect(localInstant("2026-10-24", "09:00", "Europe/Paris").toISOString()).toBe("2026-10-24T07:00:00.000Z");
    expect(localInstant("2027-03-28", "09:00", "Europe/Paris").toISOString()).toBe("2027-03-28T07:00:00.000Z");
  });
});
