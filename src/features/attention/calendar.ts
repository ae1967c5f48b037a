import { localMoment } from "../outbox/working-hours.js";

const DAY_MS = 86_400_000;

const utcOfDate = (localDate: string) => {
  const [y, m, d] = localDate.split("-").map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
};

const dateOfUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The ISO 8601 week of `at` as the person lives it, in their time zone: `2026-W48`. */
export function weekKey(at: Date, timeZone: string): string {
  const day = utcOfDate(localMoment(at, timeZone).date);
  const mondayBased = (new Date(day).getUTCDay() + 6) % 7;
  // The ISO week belongs to the year of its Thursday.
  const thursday = new Date(day + (3 - mondayBased) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The first instant of the local calendar date `YYYY-MM-DD` in `timeZone` (later if midnight is skipped by DST). */
export function startOfLocalDay(localDate: string, timeZone: string): Date {
  const wallMs = (at: Date) => {
    const local = localMoment(at, timeZone);
    return utcOfDate(local.date) + local.minutes * 60_000;
  };
  const guess = utcOfDate(localDate);
  let at = new Date(guess - (wallMs(new Date(guess)) - guess));
  at = new Date(guess - (wallMs(at) - at.getTime()));
  // Where DST skips midnight, the day starts at the first minute that exists.
  for (let i = 0; i < 8 && localMoment(at, timeZone).date < localDate; i++) at = new Date(at.getTime() + 15 * 60_000);
  return at;
}

/** The first instant of the Monday after `at`'s ISO week, in `timeZone`. */
export function startOfNextWeek(at: Date, timeZone: string): Date {
  const day = utcOfDate(localMoment(at, timeZone).date);
  const mondayBased = (new Date(day).getUTCDay() + 6) % 7;
  return startOfLocalDay(dateOfUtc(day + (7 - mondayBased) * DAY_MS), timeZone);
}

/** The first instant of the Monday that opens `at`'s ISO week, in `timeZone`. */
export function startOfWeek(at: Date, timeZone: string): Date {
  const day = utcOfDate(localMoment(at, timeZone).date);
  const mondayBased = (new Date(day).getUTCDay() + 6) % 7;
  return startOfLocalDay(dateOfUtc(day - mondayBased * DAY_MS), timeZone);
}
