export { type CronMatcher, cronMatcher, fireTimes, previousFire } from "./cron.js";
export { SCHEDULER_RUNS_RETENTION_DAYS, schedulerHousekeeping } from "./housekeeping.js";
export {
  type CatchUpReport,
  createScheduler,
  type FireOutcome,
  type ScheduledTask,
  type Scheduler,
  type SchedulerDeps,
  type SchedulerOptions,
} from "./scheduler.js";
