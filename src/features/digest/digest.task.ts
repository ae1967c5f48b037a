import { eq, isNotNull } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { outbox, programmes } from "../../../db/schema.js";
import type { ScheduledTask } from "../../scheduler/index.js";
import { addDays } from "../engagement/activity.js";
import { enqueue, type OutboxMessage } from "../outbox/outbox.repository.js";
import { buildDigest } from "./digest.build.js";
import { digestCards } from "./digest.cards.js";
import { digestSchedule, digestSlot } from "./schedule.js";

type ProgrammeRow = typeof programmes.$inferSelect;

/** Parts of one digest are due this far apart, so that they reach the channel in order. */
export const PART_SPACING_MS = 2_000;

/** The outbox key of one part of a programme's digest for an ISO week. */
export const digestKey = (slug: string, week: string, part: number) => `digest:${slug}:${week}:${part}`;

/**
 * A digest is sent for the weeks the programme runs: from the first digest day after its start to
 * the one after its end (which covers its last week).
 */
function runsOn(programme: ProgrammeRow, date: string): boolean {
  return (
    (!programme.startsOn || date > programme.startsOn) && (!programme.endsOn || date <= addDays(programme.endsOn, 7))
  );
}

/**
 * Writes this week's digest of each programme whose digest time has come (in its own zone) and
 * that has none yet, as one or more cards to its coordinators' channel. The first part's insert
 * elects the writer: a second run, or another replica building at the same moment, finds the key
 * taken and writes nothing. With `since` (the start of a gap the run stands for: a restart, a
 * moved clock), a digest time inside the gap counts even when this week's has not come yet, so a
 * week-long gap that ends just before Monday 09:00 still brings last Monday's digest. Returns the
 * keys written.
 */
export async function writeDueDigests(db: Database, now: Date, since?: Date): Promise<string[]> {
  const written: string[] = [];
  const rows = await db.select().from(programmes).where(isNotNull(programmes.coordinatorChannel));
  for (const programme of rows) {
    const schedule = digestSchedule(programme);
    let slot = digestSlot(schedule, now);
    if (now.getTime() < slot.at.getTime() && since) {
      const before = digestSlot(schedule, new Date(slot.at.getTime() - 7 * 86_400_000));
      if (before.at.getTime() > since.getTime()) slot = before;
    }
    if (now.getTime() < slot.at.getTime() || !runsOn(programme, slot.date)) continue;
    const first = digestKey(programme.slug, slot.week, 1);
    const [existing] = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.key, first));
    if (existing) continue;
    const digest = await buildDigest(db, programme, { asOf: slot.date, now });
    const messages: OutboxMessage[] = digestCards(digest).map((card, i) => ({
      key: digestKey(programme.slug, slot.week, i + 1),
      kind: "digest",
      programmeId: programme.id,
      channel: programme.coordinatorChannel,
      payload: { card },
      dueAt: new Date(now.getTime() + i * PART_SPACING_MS),
    }));
    await db.transaction(async (tx) => {
      if ((await enqueue(tx, messages.slice(0, 1), now)) === 0) return;
      await enqueue(tx, messages.slice(1), now);
      written.push(...messages.map((m) => m.key));
    });
  }
  return written;
}

/** The scheduled task: hourly, on one replica; each programme's digest goes at its own day and time. */
export function digestTask(onWritten: () => void = () => {}): ScheduledTask {
  return {
    name: "digest:weekly",
    cron: "0 * * * *",
    // The week's digest depends on the week, not on the fire: after a gap, one run is enough.
    catchUp: "latest",
    async run(fireAt, { db, log, since }) {
      const keys = await writeDueDigests(db, fireAt, since);
      if (keys.length > 0) {
        log.info({ parts: keys.length, first: keys[0] }, "weekly digests written to the outbox");
        onWritten();
      }
    },
  };
}
