/** Why a pause duration was refused; `code` is the catalog key the command will show (to be added). */
export type PauseErrorCode = "pause.error.unreadable" | "pause.error.zero" | "pause.error.tooLong";

/** A pause duration that binome cannot accept; the command turns it into a sentence in the person's language. */
export class PauseDurationError extends Error {
  override name = "PauseDurationError";
  constructor(
    readonly code: PauseErrorCode,
    readonly params: Record<string, string | number>,
  ) {
    super(code);
  }
}

const DAY_MS = 86_400_000;

/** The longest pause: six consecutive months are at most 184 days (July to December). */
export const MAX_PAUSE_DAYS = 184;

type Unit = "day" | "week" | "month";

const UNITS: Record<string, Unit> = {
  d: "day",
  j: "day",
  day: "day",
  days: "day",
  jour: "day",
  jours: "day",
  w: "week",
  sem: "week",
  week: "week",
  weeks: "week",
  semaine: "week",
  semaines: "week",
  mo: "month",
  mois: "month",
  month: "month",
  months: "month",
};

const WORD_ONE = new Set(["un", "une", "a", "an", "one"]);

/** Adds calendar months in UTC, keeping the day of month where it exists (31 Jan + 1 month = 28 Feb). */
function addMonths(from: Date, months: number): Date {
  const target = new Date(from.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/**
 * When a pause asked as `/binome pause 2w` ends: `2w`, `10d`, `10j`, `2 semaines`, `3 jours`, `1 mois`,
 * `1 month`, `une semaine`. Throws PauseDurationError for anything unreadable, zero, or over six months.
 */
export function parsePause(input: string, now: Date): Date {
  const text = input.trim().toLowerCase();
  const match = /^(\d{1,6}|[a-z]+)\s*([a-z]+)\.?$/.exec(text);
  const unit = match ? UNITS[match[2] ?? ""] : undefined;
  const rawCount = match?.[1] ?? "";
  const count = /^\d+$/.test(rawCount) ? Number(rawCount) : WORD_ONE.has(rawCount) ? 1 : undefined;
  if (!unit || count === undefined) throw new PauseDurationError("pause.error.unreadable", { value: input.trim() });
  if (count === 0) throw new PauseDurationError("pause.error.zero", { value: input.trim() });
  const until =
    unit === "month" ? addMonths(now, count) : new Date(now.getTime() + count * (unit === "week" ? 7 : 1) * DAY_MS);
  if (until.getTime() - now.getTime() > MAX_PAUSE_DAYS * DAY_MS)
    throw new PauseDurationError("pause.error.tooLong", { value: input.trim(), max: 6 });
  return until;
}
