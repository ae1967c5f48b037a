import { nextWorkingTime, type WorkingHours } from "../outbox/working-hours.js";
import { startOfNextWeek } from "./calendar.js";
import { isPublicHoliday } from "./holidays.js";

/** Where a person lives, as far as the attention rule needs it. */
export interface AttentionPerson {
  /** IANA zone, e.g. `Europe/Paris`. */
  timeZone: string;
  /** ISO 3166-1 country whose public holidays the person keeps, e.g. `FR`, `CA`. */
  holidaysCountry?: string;
  /** Subdivision of that country, e.g. `FR-57` (Moselle), `CA-QC`. */
  holidaysRegion?: string;
}

/** A programme's settings for when binome may write on its own initiative. */
export interface AttentionRules {
  workingHours: WorkingHours;
  skipHolidays: boolean;
  /** The programme's own country: its holidays apply to people whose country is unknown. */
  holidaysCountry?: string;
  /** Region of the programme's country, used together with it. */
  holidaysRegion?: string;
}

/**
 * Whose holidays a person keeps: their own country (with their region) when known, otherwise the programme's
 * (with the programme's region); none when neither is set or the programme does not skip holidays.
 */
export function holidayCalendarFor(
  person: AttentionPerson,
  rules: AttentionRules,
): { country: string; region?: string } | undefined {
  if (!rules.skipHolidays) return undefined;
  if (person.holidaysCountry) return { country: person.holidaysCountry, region: person.holidaysRegion };
  if (rules.holidaysCountry) return { country: rules.holidaysCountry, region: rules.holidaysRegion };
  return undefined;
}

/**
 * The first instant at or after `from` inside the programme's working hours in the person's time zone,
 * and not on a public holiday of their calendar (see `holidayCalendarFor`) as dated where they live.
 */
export function nextAllowedTime(from: Date, person: AttentionPerson, rules: AttentionRules): Date {
  const calendar = holidayCalendarFor(person, rules);
  if (!calendar) return nextWorkingTime(from, person.timeZone, rules.workingHours);
  return nextWorkingTime(from, person.timeZone, rules.workingHours, {
    isClosedDate: (localDate) => isPublicHoliday(localDate, calendar.country, calendar.region),
  });
}

/** What binome sends; only some of it is unsolicited enough to count against the weekly cap. */
export type MessageKind = "checkin" | "nudge" | "reminder" | "survey" | "introduction" | "reply" | "coordinator-notice";

/** Kinds that count against a person's weekly cap of unsolicited messages. */
export const CAPPED_KINDS: ReadonlySet<MessageKind> = new Set<MessageKind>(["checkin", "nudge", "reminder", "survey"]);

/** A person's default weekly cap of capped messages. */
export const DEFAULT_WEEKLY_CAP = 2;

/** Send now, or hold until the person's next week opens. */
export type CapDecision = { action: "send" } | { action: "defer-to-next-week"; until: Date };

/**
 * Whether a message due at `at` may go, given how many capped messages the person already got in that ISO week
 * (their zone; see `weekKey`). A deferred one waits for the next Monday's first allowed instant, where the cap
 * is checked again. A cap of 0 defers every capped message.
 */
export function capDecision(input: {
  sentThisWeek: number;
  cap: number;
  kind: MessageKind;
  at: Date;
  person: AttentionPerson;
  rules: AttentionRules;
}): CapDecision {
  if (!CAPPED_KINDS.has(input.kind) || input.sentThisWeek < input.cap) return { action: "send" };
  const monday = startOfNextWeek(input.at, input.person.timeZone);
  return { action: "defer-to-next-week", until: nextAllowedTime(monday, input.person, input.rules) };
}

/** A person's standing choices about being written to. */
export interface AttentionState {
  optedOut?: boolean;
  pausedUntil?: Date | null;
}

/** Why a message may not go to the person now, or undefined when it may. Replies and coordinator notices always go. */
export function attentionHold(
  kind: MessageKind,
  state: AttentionState,
  now: Date,
): { reason: "opted-out" } | { reason: "paused"; until: Date } | undefined {
  if (kind === "reply" || kind === "coordinator-notice") return undefined;
  if (state.optedOut) return { reason: "opted-out" };
  if (state.pausedUntil && state.pausedUntil.getTime() > now.getTime())
    return { reason: "paused", until: state.pausedUntil };
  return undefined;
}
