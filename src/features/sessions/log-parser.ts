import { UserFacingError } from "../../core/errors.js";

/** Shortest and longest session binome accepts, in minutes. */
export const MIN_DURATION = 5;
export const MAX_DURATION = 8 * 60;
/** Topics and next steps together, in characters. */
export const MAX_TEXT = 2000;

/** Parses `45m`, `45`, `1h`, `1h30`, `1h30m`, `1.5h`, `90min` into minutes; throws a user-facing error otherwise. */
export function parseDuration(raw: string, field = "duration"): number {
  const text = raw.trim().toLowerCase().replace(",", ".");
  let minutes: number | undefined;
  const hoursAndMinutes = /^(\d{1,2})\s*h\s*(\d{1,2})\s*(?:m|min|mn)?$/.exec(text);
  const single = /^(\d+(?:\.\d+)?)\s*(h|hr|hrs|heures?|hours?|m|min|mins|minutes?|mn)?$/.exec(text);
  if (hoursAndMinutes) {
    minutes = Number(hoursAndMinutes[1]) * 60 + Number(hoursAndMinutes[2]);
  } else if (single) {
    const value = Number(single[1]);
    minutes = single[2]?.startsWith("h") ? value * 60 : value;
  }
  if (minutes === undefined || !Number.isFinite(minutes)) {
    throw new UserFacingError("log.durationInvalid", { value: raw.trim().slice(0, 40) }, field);
  }
  minutes = Math.round(minutes);
  if (minutes < MIN_DURATION) throw new UserFacingError("log.durationZero", {}, field);
  if (minutes > MAX_DURATION) throw new UserFacingError("log.durationTooLong", {}, field);
  return minutes;
}

const RELATIVE_DAYS: Record<string, number> = {
  today: 0,
  "aujourd'hui": 0,
  aujourdhui: 0,
  auj: 0,
  yesterday: -1,
  hier: -1,
  "avant-hier": -2,
};

/** True when the token is meant as a date (so a bad date is reported as a date, not as a duration). */
export function looksLikeDate(token: string): boolean {
  const t = token.toLowerCase();
  return t in RELATIVE_DAYS || /^\d{4}-\d{1,2}-\d{1,2}$/.test(t) || /^\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?$/.test(t);
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The calendar date of `now` in a time zone, as YYYY-MM-DD. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/**
 * Parses a session date (`2026-11-20`, `20/11`, `20/11/2026`, `today`, `hier`) against the caller's today.
 * A date in the future or more than a year back is refused.
 */
export function parseSessionDate(raw: string, today: string, field = "date"): string {
  const text = raw.trim().toLowerCase();
  let iso: string | undefined;
  if (text === "") return today;
  if (text in RELATIVE_DAYS) {
    iso = addDays(today, RELATIVE_DAYS[text] as number);
  } else {
    const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    const dmy = /^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?$/.exec(text);
    let y: number | undefined;
    let m: number | undefined;
    let d: number | undefined;
    if (isoMatch) [y, m, d] = [Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3])];
    else if (dmy) {
      const year = dmy[3] ? Number(dmy[3]) : Number(today.slice(0, 4));
      [y, m, d] = [year < 100 ? 2000 + year : year, Number(dmy[2]), Number(dmy[1])];
    }
    if (y !== undefined && m !== undefined && d !== undefined) {
      const candidate = new Date(Date.UTC(y, m - 1, d));
      if (candidate.getUTCFullYear() === y && candidate.getUTCMonth() === m - 1 && candidate.getUTCDate() === d) {
        iso = candidate.toISOString().slice(0, 10);
      }
    }
  }
  if (!iso) throw new UserFacingError("log.dateInvalid", { value: raw.trim().slice(0, 40) }, field);
  if (iso > today) throw new UserFacingError("log.dateFuture", {}, field);
  if (iso < addDays(today, -366)) throw new UserFacingError("log.dateTooOld", {}, field);
  return iso;
}

/** Checks topics and next steps: topics required, both together within MAX_TEXT. */
export function checkSessionText(topics: string, nextSteps: string | undefined): void {
  if (topics.trim() === "") throw new UserFacingError("log.missingTopics", {}, "topics");
  if (topics.length + (nextSteps?.length ?? 0) > MAX_TEXT) {
    throw new UserFacingError("log.textTooLong", { max: MAX_TEXT }, "topics");
  }
}

/** The one-line form of `log`, before the mentee is resolved. */
export interface LogLine {
  mentee: string;
  heldOn: string;
  durationMinutes: number;
  topics: string;
  nextSteps?: string;
}

const NEXT_MARKER = /(?:^|;|\s)\s*(?:next|suite|ensuite|prochaines?\s+étapes?)\s*:\s*/i;

/** Parses `@lea [date] 45m topics; next: steps` (the words after `log`). */
export function parseLogLine(args: string, today: string): LogLine {
  const words = [...args.matchAll(/\S+/g)];
  const word = (i: number) => words[i]?.[0];
  const mentee = word(0);
  if (!mentee) throw new UserFacingError("log.missingMentee");
  let next = 1;
  let heldOn = today;
  const maybeDate = word(next);
  if (maybeDate && looksLikeDate(maybeDate)) {
    heldOn = parseSessionDate(maybeDate, today);
    next += 1;
  }
  const durationWord = words[next];
  if (!durationWord) throw new UserFacingError("log.missingDuration");
  const durationMinutes = parseDuration(durationWord[0]);
  const remainder = args.slice((durationWord.index ?? 0) + durationWord[0].length).trim();
  const marker = NEXT_MARKER.exec(remainder);
  const topics = (marker ? remainder.slice(0, marker.index) : remainder).replace(/[;\s]+$/, "").trim();
  const nextSteps = marker ? remainder.slice(marker.index + marker[0].length).trim() || undefined : undefined;
  checkSessionText(topics, nextSteps);
  return nextSteps
    ? { mentee, heldOn, durationMinutes, topics, nextSteps }
    : { mentee, heldOn, durationMinutes, topics };
}
