import { type ScheduledTask as CronTask, createTask, type Logger as NodeCronLogger } from "node-cron";
import type { Database } from "../../db/client.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { type CronMatcher, cronMatcher, fireTimes, previousFire } from "./cron.js";
import { claimFire, finishFire } from "./scheduler.repository.js";

/** What a task's run receives. */
export interface SchedulerDeps {
  db: Database;
  clock: Clock;
  log: Logger;
}

/** A piece of recurring work: "find due work" queries that write outbox rows with unique keys. */
export interface ScheduledTask {
  /** Stable: it is half of the claim key in `scheduler_runs`. */
  name: string;
  /** A five-field node-cron expression, read in UTC. */
  cron: string;
  /**
   * After missed fires (a restart, a moved clock): run each of them (`all`, the default), or only
   * the latest (`latest`), for tasks that look at the state of things rather than at the fire time.
   */
  catchUp?: "all" | "latest";
  /**
   * One fire. With `catchUp: "latest"`, `since` is where the skipped fires began: the run stands
   * for every fire in (since, fireAt].
   */
  run(fireAt: Date, deps: SchedulerDeps & { since?: Date }): Promise<void>;
}

/** How one fire went for this replica: it ran (and succeeded or failed), or another had it. */
export type FireOutcome = "ran" | "failed" | "taken";

export interface CatchUpReport {
  ran: number;
  failed: number;
  taken: number;
  /** Fires older than the cap allowed, left unrun. */
  dropped: number;
}

export interface SchedulerOptions extends SchedulerDeps {
  /** Written to `scheduler_runs.claimed_by`: which replica ran a fire. */
  replicaId: string;
  tasks: ScheduledTask[];
  /** Most fires one task runs in one catch-up; older ones are dropped (default 200). */
  maxCatchUp?: number;
  /** node-cron expression of the heartbeat that looks for due fires (default every minute). */
  heartbeat?: string;
}

export interface Scheduler {
  /** Starts the node-cron heartbeat. */
  start(): void;
  /** Stops the heartbeat and waits for runs in progress. */
  stop(): Promise<void>;
  /** Claims one fire of a task and runs it if this replica won the claim. */
  runDue(task: string, fireAt: Date): Promise<FireOutcome>;
  /** Claims and runs, oldest first, each fire of a task in [from, to] (at most `maxCatchUp`). */
  catchUp(task: string, from: Date, to: Date): Promise<CatchUpReport>;
  /** `catchUp` for every task: what the playground calls after moving the clock. */
  catchUpAll(from: Date, to: Date): Promise<Record<string, CatchUpReport>>;
  /** One heartbeat: every fire since the previous heartbeat (or the latest one, at first). */
  tick(): Promise<void>;
}

interface Entry {
  task: ScheduledTask;
  cron: CronMatcher;
  matcher: CronTask;
  lastTick?: Date;
  /** Runs of one task go one after another, whoever asks (heartbeat, catch-up, test). */
  queue: Promise<unknown>;
}

function nodeCronLogger(log: Logger): NodeCronLogger {
  const text = (m: string | Error, err?: Error) => ({ err: err ?? (m instanceof Error ? m : undefined), msg: `${m}` });
  return {
    info: (m) => log.debug({ source: "node-cron" }, m),
    warn: (m) => log.warn({ source: "node-cron" }, m),
    error: (m, err) => log.error({ source: "node-cron", err: text(m, err).err }, text(m, err).msg),
    debug: (m, err) => log.debug({ source: "node-cron", err: text(m, err).err }, text(m, err).msg),
  };
}

/**
 * The durable scheduler: a node-cron heartbeat (UTC, no overlap) finds each task's fires since the
 * previous heartbeat, claims each in `scheduler_runs` (one replica wins) and runs it. Because fire
 * instants come from the injected clock, a clock moved forward by days is caught up on the next
 * heartbeat. A failed run is logged and recorded; it never stops the heartbeat.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { db, clock, log, replicaId } = options;
  const maxCatchUp = options.maxCatchUp ?? 200;
  const cronLog = nodeCronLogger(log);
  const entries = new Map<string, Entry>();
  for (const task of options.tasks) {
    if (entries.has(task.name)) throw new Error(`two scheduled tasks are named "${task.name}"`);
    // Never started: node-cron's matcher decides which instants the expression fires at.
    const matcher = createTask(task.cron, () => {}, { timezone: "UTC", logger: cronLog });
    entries.set(task.name, {
      task,
      matcher,
      cron: cronMatcher(task.cron, (d) => matcher.match(d)),
      queue: Promise.resolve(),
    });
  }
  let heartbeat: CronTask | undefined;
  let ticking: Promise<void> = Promise.resolve();

  const entryOf = (name: string): Entry => {
    const entry = entries.get(name);
    if (!entry) throw new Error(`no scheduled task is named "${name}"`);
    return entry;
  };

  const serially = <T>(entry: Entry, work: () => Promise<T>): Promise<T> => {
    const next = entry.queue.then(work, work);
    entry.queue = next.catch(() => {});
    return next;
  };

  async function fire(entry: Entry, fireAt: Date, since?: Date): Promise<FireOutcome> {
    const { task } = entry;
    if (!(await claimFire(db, task.name, fireAt, replicaId, clock.now()))) return "taken";
    const taskLog = log.child({ task: task.name, fireAt: fireAt.toISOString() });
    try {
      await task.run(fireAt, { db, clock, log: taskLog, ...(since ? { since } : {}) });
      await finishFire(db, task.name, fireAt, clock.now(), null);
      return "ran";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      taskLog.error({ err: error }, "scheduled task failed");
      await finishFire(db, task.name, fireAt, clock.now(), message || "failed");
      return "failed";
    }
  }

  async function catchUpEntry(entry: Entry, from: Date, to: Date): Promise<CatchUpReport> {
    if (entry.task.catchUp === "latest") {
      const latest = fireTimes(entry.cron, from, to, 1);
      const report: CatchUpReport = { ran: 0, failed: 0, taken: 0, dropped: 0 };
      for (const fireAt of latest) report[await fire(entry, fireAt, from)]++;
      return report;
    }
    const fires = fireTimes(entry.cron, from, to, maxCatchUp);
    const oldest = fires[0];
    // Counted, not run: bounded so that a clock moved by years costs little.
    const dropped =
      fires.length < maxCatchUp || !oldest
        ? 0
        : fireTimes(entry.cron, from, new Date(oldest.getTime() - 1), 100_000).length;
    const report: CatchUpReport = { ran: 0, failed: 0, taken: 0, dropped };
    if (dropped > 0) {
      log.warn(
        { task: entry.task.name, dropped, kept: maxCatchUp },
        "too many fires to catch up: the oldest are skipped",
      );
    }
    for (const fireAt of fires) report[await fire(entry, fireAt)]++;
    return report;
  }

  const scheduler: Scheduler = {
    start() {
      if (heartbeat) return;
      heartbeat = createTask(options.heartbeat ?? "* * * * *", () => scheduler.tick(), {
        timezone: "UTC",
        noOverlap: true,
        name: `binome-scheduler:${replicaId}`,
        logger: cronLog,
      });
      heartbeat.start();
    },

    async stop() {
      await heartbeat?.destroy();
      heartbeat = undefined;
      await ticking;
      for (const entry of entries.values()) await entry.queue;
      for (const entry of entries.values()) await entry.matcher.destroy();
    },

    runDue(name, fireAt) {
      const entry = entryOf(name);
      if (!entry.cron.matches(fireAt)) {
        throw new Error(`${fireAt.toISOString()} is not a fire of "${name}" (${entry.task.cron})`);
      }
      return serially(entry, () => fire(entry, fireAt));
    },

    catchUp(name, from, to) {
      const entry = entryOf(name);
      return serially(entry, () => catchUpEntry(entry, from, to));
    },

    async catchUpAll(from, to) {
      const reports: Record<string, CatchUpReport> = {};
      for (const name of entries.keys()) reports[name] = await scheduler.catchUp(name, from, to);
      return reports;
    },

    tick() {
      const run = async () => {
        const now = clock.now();
        for (const entry of entries.values()) {
          // At the first heartbeat only the latest fire is due: one that a restart made us miss.
          const from = entry.lastTick ?? previousFire(entry.cron, now) ?? now;
          try {
            await serially(entry, () => catchUpEntry(entry, from, now));
            entry.lastTick = now;
          } catch (error) {
            // The database is unreachable, say: the next heartbeat tries the same fires again.
            log.error({ err: error, task: entry.task.name }, "scheduler heartbeat failed");
          }
        }
      };
      ticking = ticking.then(run, run);
      return ticking;
    },
  };
  return scheduler;
}
