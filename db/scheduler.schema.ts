import { sql } from "drizzle-orm";
import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per scheduled task and fire instant. Whoever inserts the row runs that fire: a second
 * replica, a repeated tick or a catch-up after a clock move finds it taken and does nothing.
 */
export const schedulerRuns = pgTable(
  "scheduler_runs",
  {
    task: text("task").notNull(),
    /** The cron's fire instant (a whole minute, UTC), not when the tick happened to run. */
    fireAt: timestamp("fire_at", { withTimezone: true }).notNull(),
    claimedBy: text("claimed_by").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().default(sql`now()`),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** Why the run failed; null while running and after a success. */
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.task, t.fireAt] })],
);
