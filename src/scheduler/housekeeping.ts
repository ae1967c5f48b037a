import type { ScheduledTask } from "./scheduler.js";
import { deleteRunsBefore } from "./scheduler.repository.js";

/** How long the record of each fire is kept. */
export const SCHEDULER_RUNS_RETENTION_DAYS = 30;

/** Daily: forgets fires older than the retention, so `scheduler_runs` stays small. */
export const schedulerHousekeeping: ScheduledTask = {
  name: "scheduler:housekeeping",
  cron: "17 3 * * *",
  async run(fireAt, { db, log }) {
    const before = new Date(fireAt.getTime() - SCHEDULER_RUNS_RETENTION_DAYS * 24 * 60 * 60 * 1000);
    const deleted = await deleteRunsBefore(db, before);
    if (deleted > 0) log.info({ deleted, before: before.toISOString() }, "old scheduler runs deleted");
  },
};
