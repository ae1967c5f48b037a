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

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

function localParts(at: Date, timeZone: string): { day: (typeof WEEKDAYS)[number]; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = get("weekday").toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number];
  return { day, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `at` falls inside the working hours in `timeZone`. */
export function isWorkingTime(at: Date, timeZone: string, hours: WorkingHours): boolean {
  const { day, minutes } = localParts(at, timeZone);
  return hours.days.includes(day) && minutes >= toMinutes(hours.start) && minutes < toMinutes(hours.end);
}

/**
 * The first instant at or after `from` inside the working hours in the person's time zone,
 * found minute-exactly by stepping in quarter hours (daylight-saving changes included).
 */
export function nextWorkingTime(from: Date, timeZone: string, hours: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  if (hours.days.length === 0) return from;
  if (isWorkingTime(from, timeZone, hours)) return from;
  const step = 15 * 60_000;
  let at = new Date(Math.ceil(from.getTime() / step) * step);
  for (let i = 0; i < 8 * 24 * 4; i++) {
    if (isWorkingTime(at, timeZone, hours)) {
      // Step back to the exact opening minute within the quarter hour.
      let exact = at.getTime();
      while (exact - 60_000 >= from.getTime() && isWorkingTime(new Date(exact - 60_000), timeZone, hours))
        exact -= 60_000;
      return new Date(exact);
    }
    at = new Date(at.getTime() + step);
  }
  return from;
}
