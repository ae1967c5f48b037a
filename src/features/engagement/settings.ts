import type { programmes } from "../../../db/schema.js";
import type { AttentionRules } from "../attention/attention.rules.js";
import { DEFAULT_WEEKLY_CAP } from "../attention/attention.rules.js";
import { DEFAULT_WORKING_HOURS } from "../outbox/working-hours.js";
import {
  DEFAULT_NUDGE_STEPS,
  definitionFromSettings,
  type NudgeAction,
  periodDays,
} from "../programmes/programme-file.js";

type ProgrammeRow = typeof programmes.$inferSelect;

/** What the engagement loop needs to know of a programme, defaults filled in. */
export interface EngagementSettings {
  timeZone: string;
  language: string;
  startsOn: string | null;
  endsOn: string | null;
  checkInEveryDays: number;
  checkInAudience: "mentee" | "both";
  cadenceDays: number;
  /** Ordered by `afterDays`. */
  nudgeSteps: Array<{ afterDays: number; action: NudgeAction }>;
  weeklyCap: number;
  rules: AttentionRules;
}

/**
 * A programme's engagement settings: from its applied programme file, or the defaults for a
 * programme that was only imported (check-ins every two weeks to the mentee, the 14/21/28-day
 * ladder, two unsolicited messages a week, 09:00–18:00 on weekdays, French public holidays).
 */
export function engagementSettings(programme: ProgrammeRow): EngagementSettings {
  const definition = definitionFromSettings(programme.settings);
  const holidays = definition?.attention.holidays ?? "FR";
  const [country, region] =
    holidays === false ? [] : [holidays.slice(0, 2), holidays.length > 2 ? holidays : undefined];
  return {
    timeZone: definition?.timeZone ?? programme.timeZone,
    language: definition?.language ?? programme.defaultLanguage,
    startsOn: programme.startsOn,
    endsOn: programme.endsOn,
    checkInEveryDays: periodDays(definition?.checkIns.every ?? "2w"),
    checkInAudience: definition?.checkIns.audience ?? "mentee",
    cadenceDays: periodDays(definition?.cadence.every ?? "4w"),
    nudgeSteps: (definition?.nudges.steps ?? DEFAULT_NUDGE_STEPS).map((s) => ({
      afterDays: periodDays(s.after),
      action: s.action,
    })),
    weeklyCap: definition?.attention.weeklyCap ?? DEFAULT_WEEKLY_CAP,
    rules: {
      workingHours: definition?.workingHours ?? DEFAULT_WORKING_HOURS,
      skipHolidays: holidays !== false,
      ...(country ? { holidaysCountry: country } : {}),
      ...(region ? { holidaysRegion: region } : {}),
    },
  };
}
