import { parse } from "node-cron";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A cron expression's fire instants, UTC, at whole minutes. */
export interface CronMatcher {
  expression: string;
  /** True when the expression fires at this instant (node-cron's own matcher). */
  matches(at: Date): boolean;
  minutes: readonly number[];
  hours: readonly number[];
}

/**
 * Wraps node-cron's parser and matcher. node-cron exposes `parse()` (the expanded fields) and
 * `task.match(date)` but no "fires between" enumeration, so this walks the candidate minutes the
 * parsed minute and hour fields allow and lets node-cron's matcher decide days, months, `L`, `#`.
 */
export function cronMatcher(expression: string, matches: (at: Date) => boolean): CronMatcher {
  const fields = parse(expression);
  if (fields.second.length !== 1 || fields.second[0] !== 0) {
    throw new Error(`cron "${expression}": binome schedules whole minutes; drop the seconds field`);
  }
  return { expression, matches, minutes: [...fields.minute].sort((a, b) => b - a), hours: fields.hour };
}

/**
 * The fire instants in [from, to], oldest first. When there are more than `limit`, the latest
 * `limit` are returned: the walk goes backwards from `to`, so its cost is bounded by the limit.
 */
export function fireTimes(cron: CronMatcher, from: Date, to: Date, limit: number): Date[] {
  const found: Date[] = [];
  if (limit <= 0 || to.getTime() < from.getTime()) return found;
  const hours = new Set(cron.hours);
  for (let hour = Math.floor(to.getTime() / HOUR) * HOUR; hour + HOUR > from.getTime(); hour -= HOUR) {
    if (!hours.has(new Date(hour).getUTCHours())) continue;
    for (const minute of cron.minutes) {
      const at = hour + minute * MINUTE;
      if (at > to.getTime() || at < from.getTime()) continue;
      if (!cron.matches(new Date(at))) continue;
      found.push(new Date(at));
      if (found.length >= limit) return found.reverse();
    }
  }
  return found.reverse();
}

/** The latest fire instant at or before `at`, looking back at most `lookbackMs`. */
export function previousFire(cron: CronMatcher, at: Date, lookbackMs = 32 * 24 * HOUR): Date | undefined {
  return fireTimes(cron, new Date(at.getTime() - lookbackMs), at, 1)[0];
}
