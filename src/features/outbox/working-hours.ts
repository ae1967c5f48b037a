/** When a programme lets binome write to people: days of the week and a daily window, local time. */
export interface WorkingHours {
  days: Array<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun">;
  /** HH:MM */
  start: string;
  /** HH:MM */
  end: string;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  days: ["mon", "tue", "wed", "thu", "fri"],
  start: "09:00",
  end: "18:00",
};

/** Extra days off on top of the weekly pattern (public holidays, for instance). */
export interface WorkingTimeOptions {
  /** True when the local calendar date (`YYYY-MM-DD`) is a day off. */
  isClosedDate?: (localDate: string) => boolean;
}

/** A day of the week as `WorkingHours.days` names it. */
export type Weekday = WorkingHours["days"][number];

/** Wall-clock reading of an instant in a time zone. */
export interface LocalMoment {
  /** `YYYY-MM-DD` */
  date: string;
  day: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// Why a cache: building an Intl.DateTimeFormat costs far more than using one, and the search below reads hundreds.
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date, weekday and minute of `at` in `timeZone`. */
export function localMoment(at: Date, timeZone: string): LocalMoment {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = get("weekday").toLowerCase().slice(0, 3) as Weekday;
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    day,
    minutes: Number(get("hour")) * 60 + Number(get("minute")),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `at` falls inside the working hours in `timeZone` (and not on a closed date, if given). */
export function isWorkingTime(
  at: Date,
  timeZone: string,
  hours: WorkingHours,
  options: WorkingTimeOptions = {},
): boolean {
  const { date, day, minutes } = localMoment(at, timeZone);
  if (!hours.days.includes(day) || minutes < toMinutes(hours.start) || minutes >= toMinutes(hours.end)) return false;
  return !options.isClosedDate?.(date);
}

// Eight days cover any weekly pattern; closed dates can chain with weekends (Good Friday to Easter Monday in
// Alsace, Christmas week), so the search then looks further before giving up.
const SEARCH_DAYS_PLAIN = 8;
const SEARCH_DAYS_WITH_CLOSED_DATES = 31;

/**
 * The first instant at or after `from` inside the working hours in the person's time zone,
 * found minute-exactly by stepping in quarter hours (daylight-saving changes included).
 * With `options.isClosedDate`, those local dates are skipped too. Returns `from` if nothing opens within a month.
 */
export function nextWorkingTime(
  from: Date,
  timeZone: string,
  hours: WorkingHours = DEFAULT_WORKING_HOURS,
  options: WorkingTimeOptions = {},
): Date {
  if (hours.days.length === 0) return from;
  const open = (at: Date) => isWorkingTime(at, timeZone, hours, options);
  if (open(from)) return from;
  const step = 15 * 60_000;
  const searchDays = options.isClosedDate ? SEARCH_DAYS_WITH_CLOSED_DATES : SEARCH_DAYS_PLAIN;
  let at = new Date(Math.ceil(from.getTime() / step) * step);
  for (let i = 0; i < searchDays * 24 * 4; i++) {
    if (open(at)) {
      // Step back to the exact opening minute within the quarter hour.
      let exact = at.getTime();
      while (exact - 60_000 >= from.getTime() && open(new Date(exact - 60_000))) exact -= 60_000;
      return new Date(exact);
    }
    at = new Date(at.getTime() + step);
  }
  return from;
}
