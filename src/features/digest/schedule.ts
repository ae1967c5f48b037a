import type { programmes } from "../../../db/schema.js";
import { startOfLocalDay, startOfWeek, weekKey } from "../attention/calendar.js";
import { addDays } from "../engagement/activity.js";
import { engagementSettings } from "../engagement/settings.js";
import { localMoment, type Weekday } from "../outbox/working-hours.js";
import { definitionFromSettings } from "../programmes/programme-file.js";

type ProgrammeRow = typeof programmes.$inferSelect;

const WEEKDAYS: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** When a programme's weekly digest goes out: a day and a time in the programme's time zone. */
export interface DigestSchedule {
  day: Weekday;
  /** HH:MM */
  time: string;
  timeZone: string;
}

/** The programme's digest schedule: its file's `digest`, else Monday 09:00, in the programme's zone. */
export function digestSchedule(programme: ProgrammeRow): DigestSchedule {
  const digest = definitionFromSettings(programme.settings)?.digest;
  return {
    day: digest?.day ?? "mon",
    time: digest?.time ?? "09:00",
    timeZone: engagementSettings(programme).timeZone,
  };
}

/**
 * The instant a local date and wall-clock time name in a zone, across a change of offset that day
 * (a time the change skips, such as 02:30 when clocks go forward, lands an hour early).
 */
export function localInstant(localDate: string, time: string, timeZone: string): Date {
  const minutes = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  const midnight = startOfLocalDay(localDate, timeZone);
  const guess = new Date(midnight.getTime() + minutes * 60_000);
  const seen = localMoment(guess, timeZone);
  // Across a change of offset between midnight and `time`, the guess is off by the change.
  const drift = seen.date === localDate ? seen.minutes - minutes : 0;
  return drift === 0 ? guess : new Date(guess.getTime() - drift * 60_000);
}

/** One week's digest: its ISO week, the local date it is due on, and the instant. */
export interface DigestSlot {
  /** `2026-W48`, in the programme's zone. */
  week: string;
  /** `YYYY-MM-DD`: the digest's day; its figures cover the seven days before it. */
  date: string;
  at: Date;
}

/** The digest slot of the ISO week that contains `now`, in the programme's zone. */
export function digestSlot(schedule: DigestSchedule, now: Date): DigestSlot {
  const monday = localMoment(startOfWeek(now, schedule.timeZone), schedule.timeZone).date;
  const date = addDays(monday, WEEKDAYS.indexOf(schedule.day));
  return { week: weekKey(now, schedule.timeZone), date, at: localInstant(date, schedule.time, schedule.timeZone) };
}
