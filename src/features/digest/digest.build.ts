import type { Database } from "../../../db/client.js";
import type { programmes } from "../../../db/schema.js";
import { type Language, pickLanguage } from "../../core/i18n/index.js";
import { startOfLocalDay } from "../attention/calendar.js";
import { addDays, daysBetween } from "../engagement/activity.js";
import { engagementSettings } from "../engagement/settings.js";
import { localMoment } from "../outbox/working-hours.js";
import { definitionFromSettings } from "../programmes/programme-file.js";
import {
  type DigestWeek,
  handledReasons,
  lowUsefulness,
  openDifficulties,
  pairPeople,
  quietPairs,
  unansweredSurveys,
  unreachablePeople,
  type WeekFigures,
  weekFigures,
} from "./digest.repository.js";

type ProgrammeRow = typeof programmes.$inferSelect;

/** A usefulness score this low or lower asks for attention. */
export const LOW_USEFULNESS = 2;
/** A survey still unanswered after this many reminders asks for attention. */
export const SURVEY_REMINDERS = 2;
/** A dead letter this recent makes its recipient "unreachable". */
export const DEAD_LETTER_DAYS = 28;
/** Milestones this close are shown. */
export const MILESTONE_DAYS = 28;
/** At most this many pairs are listed; the rest are counted, and listed once the first are handled. */
export const MAX_LISTED_PAIRS = 400;

/**
 * Why a pair needs attention. `key` names the reason for "Mark handled" (`attention_handled.reason`);
 * it changes when the situation does (a new quiet spell, a new low score), so a new one is listed again.
 */
export type AttentionReason = { key: string } & (
  | { kind: "unreachable"; personId: string; since: string }
  | { kind: "difficulty"; personId: string; on: string }
  | { kind: "low-usefulness"; personId: string; score: number; on: string }
  | { kind: "survey"; personId: string; moment: string; reminders: number }
  | { kind: "quiet"; days: number; since: string }
);

const RANK: Record<AttentionReason["kind"], number> = {
  unreachable: 0,
  difficulty: 1,
  "low-usefulness": 2,
  survey: 3,
  quiet: 4,
};

export interface Person {
  id: string;
  name: string;
  email: string;
}

export interface AttentionPair {
  pairId: string;
  mentor: Person;
  mentee: Person;
  reasons: AttentionReason[];
}

export interface Milestone {
  date: string;
  kind: "midterm-survey" | "end-survey" | "programme-end";
}

/** Everything the digest shows, as plain data: figures, pairs needing attention, milestones. */
export interface Digest {
  programme: { id: string; slug: string; name: string };
  language: Language;
  /** The digest's day: figures cover the seven days before it. */
  asOf: string;
  week: DigestWeek;
  figures: { current: WeekFigures; previous: WeekFigures };
  /** Pairs listed, most urgent first (at most `MAX_LISTED_PAIRS`). */
  attention: AttentionPair[];
  /** How many pairs need attention in all. */
  attentionTotal: number;
  milestones: Milestone[];
}

/** The seven local days before `asOf`, and the seven before those. */
export function digestWeeks(asOf: string, timeZone: string): { week: DigestWeek; previous: DigestWeek } {
  const span = (from: string): DigestWeek => ({
    from,
    to: addDays(from, 6),
    start: startOfLocalDay(from, timeZone),
    end: startOfLocalDay(addDays(from, 7), timeZone),
  });
  return { week: span(addDays(asOf, -7)), previous: span(addDays(asOf, -14)) };
}

function milestonesOf(programme: ProgrammeRow, asOf: string): Milestone[] {
  const definition = definitionFromSettings(programme.settings);
  const candidates: Milestone[] = [];
  if (definition?.surveys.midterm) candidates.push({ date: definition.surveys.midterm, kind: "midterm-survey" });
  if (definition?.surveys.end) candidates.push({ date: definition.surveys.end, kind: "end-survey" });
  if (programme.endsOn) candidates.push({ date: programme.endsOn, kind: "programme-end" });
  const last = addDays(asOf, MILESTONE_DAYS);
  return candidates.filter((m) => m.date >= asOf && m.date <= last).sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Builds a programme's digest for the day `asOf` (local date): the week's figures against the week
 * before, the active pairs needing attention now (less the reasons marked handled), and what comes
 * in the next four weeks. Reads counts, scores, dates and names only: no note, free-text answer or
 * difficulty text is ever selected.
 */
export async function buildDigest(
  db: Database,
  programme: ProgrammeRow,
  input: { asOf: string; now: Date },
): Promise<Digest> {
  const settings = engagementSettings(programme);
  const { timeZone } = settings;
  const { week, previous } = digestWeeks(input.asOf, timeZone);
  const quietAfter = settings.nudgeSteps[0]?.afterDays ?? 14;
  const [figures, quiet, low, difficulties, surveys, unreachable, handled] = await Promise.all([
    weekFigures(db, programme.id, week, previous),
    quietPairs(db, programme.id, timeZone, addDays(input.asOf, -quietAfter)),
    lowUsefulness(db, programme.id, LOW_USEFULNESS),
    openDifficulties(db, programme.id),
    unansweredSurveys(db, programme.id, input.asOf, SURVEY_REMINDERS),
    unreachablePeople(db, programme.id, new Date(input.now.getTime() - DEAD_LETTER_DAYS * 86_400_000)),
    handledReasons(db, programme.id),
  ]);
  const localDate = (at: Date) => localMoment(at, timeZone).date;

  const reasons = new Map<string, AttentionReason[]>();
  const add = (pairId: string, reason: AttentionReason) => {
    if (handled.has(`${pairId} ${reason.key}`)) return;
    const list = reasons.get(pairId) ?? [];
    if (!list.some((r) => r.key === reason.key)) list.push(reason);
    reasons.set(pairId, list);
  };
  for (const u of unreachable) {
    const on = localDate(u.since);
    add(u.pairId, { key: `unreachable:${u.personId}:${on}`, kind: "unreachable", personId: u.personId, since: on });
  }
  for (const d of difficulties) {
    add(d.pairId, { key: `difficulty:${d.id}`, kind: "difficulty", personId: d.personId, on: localDate(d.createdAt) });
  }
  for (const c of low) {
    add(c.pairId, {
      key: `low-usefulness:${c.checkinId}`,
      kind: "low-usefulness",
      personId: c.personId,
      score: c.score,
      on: localDate(c.answeredAt),
    });
  }
  for (const s of surveys) {
    add(s.pairId, {
      key: `survey:${s.id}`,
      kind: "survey",
      personId: s.personId,
      moment: s.moment,
      reminders: s.reminders,
    });
  }
  for (const pair of quiet) {
    const days = daysBetween(pair.since, input.asOf);
    add(pair.id, { key: `quiet:${pair.since}`, kind: "quiet", days, since: pair.since });
  }

  const urgency = (list: AttentionReason[]) => Math.min(...list.map((r) => RANK[r.kind]));
  const quietDays = (list: AttentionReason[]) => list.find((r) => r.kind === "quiet")?.days ?? 0;
  const ordered = [...reasons.entries()].sort(
    ([a, ra], [b, rb]) => urgency(ra) - urgency(rb) || quietDays(rb) - quietDays(ra) || a.localeCompare(b),
  );
  const listed = ordered.slice(0, MAX_LISTED_PAIRS);
  const people = await pairPeople(
    db,
    listed.map(([pairId]) => pairId),
  );
  const attention: AttentionPair[] = listed.flatMap(([pairId, list]) => {
    const found = people.get(pairId);
    return found ? [{ pairId, ...found, reasons: [...list].sort((a, b) => RANK[a.kind] - RANK[b.kind]) }] : [];
  });
  return {
    programme: { id: programme.id, slug: programme.slug, name: programme.name },
    language: pickLanguage(settings.language),
    asOf: input.asOf,
    week,
    figures,
    attention,
    attentionTotal: ordered.length,
    milestones: milestonesOf(programme, input.asOf),
  };
}
