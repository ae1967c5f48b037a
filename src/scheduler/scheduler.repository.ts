import { and, eq, lt } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { schedulerRuns } from "../../db/schema.js";

export type SchedulerRun = typeof schedulerRuns.$inferSelect;

/**
 * Claims one fire of one task. The primary key (task, fire_at) and ON CONFLICT DO NOTHING elect
 * exactly one claimant on PostgreSQL (a concurrent insert waits for the first to commit, then
 * does nothing) and on PGlite alike. True when this caller won and must run the fire.
 */
export async function claimFire(db: Database, task: string, fireAt: Date, replicaId: string, now: Date) {
  const rows = await db
    .insert(schedulerRuns)
    .values({ task, fireAt, claimedBy: replicaId, startedAt: now })
    .onConflictDoNothing()
    .returning({ task: schedulerRuns.task });
  return rows.length === 1;
}

/** Records how a claimed fire ended: `error` is null after a success. */
export async function finishFire(db: Database, task: string, fireAt: Date, now: Date, error: string | null) {
  await db
    .update(schedulerRuns)
    .set({ finishedAt: now, error })
    .where(and(eq(schedulerRuns.task, task), eq(schedulerRuns.fireAt, fireAt)));
}

/** Deletes the record of fires before `before`; returns how many went. */
export async function deleteRunsBefore(db: Database, before: Date): Promise<number> {
  const rows = await db
    .delete(schedulerRuns)
    .where(lt(schedulerRuns.fireAt, before))
    .returning({ task: schedulerRuns.task });
  return rows.length;
}
