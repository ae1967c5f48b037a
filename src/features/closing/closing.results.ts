import type { Database } from "../../../db/client.js";
import type { programmes } from "../../../db/schema.js";
import { addDays, daysBetween } from "../engagement/activity.js";
import { engagementSettings } from "../engagement/settings.js";
import { definitionFromSettings } from "../programmes/programme-file.js";
import { checkinTotals, difficultyTotals, pairRecords, type SurveyScores, surveyScores } from "./closing.repository.js";

type ProgrammeRow = typeof programmes.$inferSelect;

/** A share: how many of how many. */
export interface Share {
  n: number;
  of: number;
}

/** What a programme achieved, as far as binome can measure it. */
export interface ClosingResults {
  programme: { name: string; slug: string; startsOn: string | null; endsOn: string | null };
  objectives: string[];
  pairs: number;
  mentors: number;
  mentees: number;
  sessions: number;
  minutes: number;
  /** The least a pair should meet: once every `cadenceDays`. */
  cadenceDays: number;
  /** Sessions the cadence asks of a pair that ran the whole programme. */
  expectedPerPair: number;
  /** Pairs that met at least as often as the cadence asked over their own time together. */
  onCadence: Share;
  checkins: { sent: number; answered: number; usefulness: number | null };
  surveys: Share;
  /** End-of-programme mentee answers of 4 or 5 out of 5. */
  objectivesReached: Share;
  moreConfident: Share;
  moreCompetent: Share;
  /** End-of-programme mentors who would mentor again. */
  mentorAgain: Share;
  difficulties: { raised: number; handled: number };
}

/** A score of 4 or 5 out of 5. */
const HIGH = 4;

function shareOf(rows: SurveyScores[], pick: (r: SurveyScores) => string | null, hit: (v: string) => boolean): Share {
  const answered = rows.map(pick).filter((v): v is string => v !== null && v !== "");
  return { n: answered.filter(hit).length, of: answered.length };
}

const isHigh = (v: string) => /^[1-5]$/.test(v) && Number(v) >= HIGH;

/** Sessions the cadence asks of a pair over `days` days together: at least one. */
export const expectedSessions = (days: number, cadenceDays: number) => Math.max(1, Math.floor(days / cadenceDays));

/** Measures a programme at its end: pairs, sessions against the cadence, check-ins, surveys, difficulties. */
export async function closingResults(db: Database, programme: ProgrammeRow): Promise<ClosingResults> {
  const settings = engagementSettings(programme);
  const [records, checkins, scores, difficulties] = await Promise.all([
    pairRecords(db, programme.id, settings.timeZone),
    checkinTotals(db, programme.id),
    surveyScores(db, programme.id),
    difficultyTotals(db, programme.id),
  ]);
  const start = programme.startsOn;
  const end = programme.endsOn;
  const cadenceDays = settings.cadenceDays;
  let onCadence = 0;
  for (const pair of records) {
    const from = start && pair.createdOn < start ? start : pair.createdOn;
    const until = [pair.endedOn, end].filter((d): d is string => d !== null).sort()[0] ?? pair.createdOn;
    const days = Math.max(0, daysBetween(from, addDays(until, 1)));
    if (pair.sessions >= expectedSessions(days, cadenceDays)) onCadence += 1;
  }
  const endMentees = scores.filter((s) => s.moment === "end" && s.audience === "mentee");
  const endMentors = scores.filter((s) => s.moment === "end" && s.audience === "mentor");
  return {
    programme: { name: programme.name, slug: programme.slug, startsOn: start, endsOn: end },
    objectives: definitionFromSettings(programme.settings)?.objectives ?? [],
    pairs: records.length,
    mentors: new Set(records.map((r) => r.mentorId)).size,
    mentees: new Set(records.map((r) => r.menteeId)).size,
    sessions: records.reduce((sum, r) => sum + r.sessions, 0),
    minutes: records.reduce((sum, r) => sum + r.minutes, 0),
    cadenceDays,
    expectedPerPair: start && end ? expectedSessions(daysBetween(start, addDays(end, 1)), cadenceDays) : Number.NaN,
    onCadence: { n: onCadence, of: records.length },
    checkins,
    surveys: { n: scores.filter((s) => s.status === "completed").length, of: scores.length },
    objectivesReached: shareOf(endMentees, (s) => s.objectives, isHigh),
    moreConfident: shareOf(endMentees, (s) => s.confidence, isHigh),
    moreCompetent: shareOf(endMentees, (s) => s.competence, isHigh),
    mentorAgain: shareOf(
      endMentors,
      (s) => s.mentorAgain,
      (v) => v === "yes",
    ),
    difficulties,
  };
}
