// A 12-week programme of 50 pairs with scripted behaviour, and a reference model of what binome
// must send for it, written from the rules of issue 5 (check-ins every two weeks to the mentee;
// 14/21/28 quiet days: remind both, ask the mentee, flag to the coordinators; activity restarts the
// ladder and cancels what waits; 09:00–18:00 on weekdays in Paris, not on French public holidays;
// at most two check-ins or nudges per person and ISO week). The model steps hour by hour in plain
// arithmetic, without binome's code, so that a simulation can be compared with it.
import type { Database } from "../../db/client.js";
import type { SeedSpec } from "../../src/features/participants/seed.js";
import { programmeFileSchema, withDefaults } from "../../src/features/programmes/programme-file.js";
import { applyProgramme } from "../../src/features/programmes/programmes.usecases.js";
import type { FakeSlackUser } from "../support/fake-slack.js";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/**
 * The simulation's step: every three hours from midnight in Paris (00, 03, 06, 09 … 21), so that
 * a step falls at each day's first tick, at opening time (09:00), at closing time (18:00) and in
 * the night, while twelve weeks stay quick to run.
 */
export const STEP = 3 * HOUR;
export const PROGRAMME_START = "2026-11-30"; // a Monday
export const PROGRAMME_END = "2027-02-21"; // a Sunday: twelve weeks
export const COORDINATORS_CHANNEL = "C0COORD";
/** French public holidays inside the window (no others until Easter Monday 2027). */
export const HOLIDAYS = new Set(["2026-12-25", "2027-01-01"]);
export const WEEKLY_CAP = 2;
const CHECKIN_EVERY = 14;
const STEPS = [
  { after: 14, action: "remind-both" },
  { after: 21, action: "ask-mentee" },
  { after: 28, action: "flag-coordinators" },
] as const;

export type Behaviour =
  | { kind: "quiet" }
  /** The mentor logs a session on these days after the pair was made, at `hour` (Paris; a multiple of 3). */
  | { kind: "logs"; days: number[]; hour: number }
  /** The mentee answers "we met" to each check-in an hour after it arrives. */
  | { kind: "answers" };

export interface ScriptedPair {
  index: number;
  mentor: string;
  mentee: string;
  /** Days after PROGRAMME_START the pair was made (at 10:00 in Paris). */
  createdDay: number;
  behaviour: Behaviour;
}

export interface ProgrammeScript {
  pairs: ScriptedPair[];
  /** The person whose Slack account is deactivated, and from which day of the programme (00:00). */
  deactivated: { person: string; fromDay: number };
}

const pad = (n: number) => String(n).padStart(2, "0");
export const mentorKey = (n: number) => `m${pad(n)}`;
export const menteeKey = (n: number) => `e${pad(n)}`;
export const slackIdOf = (key: string) => `U${key.toUpperCase()}`;

/** `YYYY-MM-DD` plus days. */
export function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const daysFrom = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/**
 * The instant of a Paris wall-clock hour. The window lies between the end and the start of daylight
 * saving time (25 Oct 2026 – 28 Mar 2027), so Paris is UTC+1 throughout; `paris()` checks it.
 */
export const parisInstant = (date: string, hour: number) => Date.parse(`${date}T${pad(hour)}:00:00+01:00`);

const parisFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  weekday: "short",
  hourCycle: "h23",
});

/** Date, hour and weekday (1 = Monday … 7 = Sunday) of an instant in Paris. */
export function paris(t: number): { date: string; hour: number; weekday: number } {
  const parts = Object.fromEntries(parisFormat.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "") + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), weekday };
}

/** 09:00–18:00, Monday to Friday, in Paris, not on a French public holiday. */
export function isWorkingTime(t: number): boolean {
  const { date, hour, weekday } = paris(t);
  return weekday <= 5 && hour >= 9 && hour < 18 && !HOLIDAYS.has(date);
}

/** The ISO 8601 week of a date: `2026-W49`. */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7;
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return `${year}-W${pad(week)}`;
}

/**
 * The script: who is paired with whom, when, and how each pair behaves.
 * - m00 mentors e00–e02, all quiet and made the same day: three reminders on one day, one over the cap.
 * - m01 mentors e03–e05, quiet, made on three days in a row: the third reminder waits for the next
 *   week, and e05's pair logs a session meanwhile, which cancels it.
 * - e06–e15 answer every check-in "we met"; the mentors of e16–e25 log a session every ten days;
 *   those of e26–e30 every sixteen days (quiet long enough for a reminder each time).
 * - e31–e35 resume after the ladder's second step (a session on day 24), then go quiet again.
 * - e36–e37's mentors log a session at 06:00 on the morning the ladder asks the mentee: the question,
 *   written at midnight and held until 09:00, is cancelled.
 * - e38's mentor logs every ten days; e38 leaves the company on day 30 (Slack: account_inactive).
 * - e39–e49 stay quiet for good. Pairs are made over the first twelve days, weekends included, so
 *   that check-ins fall on weekends and on Christmas and New Year's Day.
 */
export function programmeScript(): ProgrammeScript {
  const pairs: ScriptedPair[] = [];
  const every = (first: number, interval: number) =>
    Array.from({ length: Math.ceil(84 / interval) + 1 }, (_, k) => first + k * interval);
  for (let i = 0; i < 50; i++) {
    const mentor = i < 3 ? mentorKey(0) : i < 6 ? mentorKey(1) : mentorKey(i - 4);
    const createdDay = i < 3 ? 0 : i < 6 ? i - 3 : i % 12;
    let behaviour: Behaviour = { kind: "quiet" };
    if (i === 5) behaviour = { kind: "logs", days: [15], hour: 15 };
    else if (i >= 6 && i <= 15) behaviour = { kind: "answers" };
    else if (i >= 16 && i <= 25) behaviour = { kind: "logs", days: every(4, 10), hour: 15 };
    else if (i >= 26 && i <= 30) behaviour = { kind: "logs", days: every(6, 16), hour: 12 };
    else if (i >= 31 && i <= 35) behaviour = { kind: "logs", days: [24], hour: 15 };
    else if (i === 36 || i === 37) behaviour = { kind: "logs", days: [21], hour: 6 };
    else if (i === 38) behaviour = { kind: "logs", days: every(4, 10), hour: 15 };
    pairs.push({ index: i, mentor, mentee: menteeKey(i), createdDay, behaviour });
  }
  return { pairs, deactivated: { person: menteeKey(38), fromDay: 30 } };
}

/** The seed: one coordinator, the mentors and mentees on Slack, the pairs. */
export function seedOf(script: ProgrammeScript): SeedSpec {
  const slack = (key: string) => [{ platform: "slack" as const, tenantId: "T0TEST", userId: slackIdOf(key) }];
  const mentors = [...new Set(script.pairs.map((p) => p.mentor))];
  return {
    programme: { slug: "cohorte-sim", name: "Cohorte simulée", coordinatorChannel: `slack:${COORDINATORS_CHANNEL}` },
    people: [
      {
        key: "coord",
        name: "Claire Coord",
        email: "coord@example.org",
        roles: ["coordinator"],
        identities: slack("coord"),
      },
      ...mentors.map((key) => ({
        key,
        name: `Mentor ${key.slice(1)}`,
        email: `mentor${key.slice(1)}@example.org`,
        roles: ["mentor" as const],
        skills: ["data"],
        identities: slack(key),
      })),
      ...script.pairs.map((p) => ({
        key: p.mentee,
        name: `Mentee ${p.mentee.slice(1)}`,
        email: `mentee${p.mentee.slice(1)}@example.org`,
        roles: ["mentee" as const],
        skills: ["data"],
        identities: slack(p.mentee),
      })),
    ],
    pairs: script.pairs.map((p) => [p.mentor, p.mentee] as [string, string]),
  };
}

/** The Slack users behind a seed (users.info answers with their zone and locale). */
export function slackUsersOf(seed: SeedSpec): FakeSlackUser[] {
  return seed.people.map((p) => ({ id: slackIdOf(p.key), name: p.name, tz: "Europe/Paris", locale: "fr-FR" }));
}

/** Applies the programme file: twelve weeks, check-ins every two weeks, the default ladder and cap. */
export async function applyProgrammeSettings(db: Database): Promise<void> {
  const file = programmeFileSchema.parse({
    slug: "cohorte-sim",
    name: "Cohorte simulée",
    start: PROGRAMME_START,
    end: PROGRAMME_END,
    coordinators: ["coord@example.org"],
    coordinatorChannel: `slack:${COORDINATORS_CHANNEL}`,
    checkIns: { every: "2w" },
  });
  const outcome = await applyProgramme({ db }, withDefaults(file));
  if (!outcome.ok) throw new Error("the programme file was refused");
}

/** When a pair was made: its day, 10:00 in Paris. */
export const createdAtOf = (pair: ScriptedPair) =>
  new Date(parisInstant(plusDays(PROGRAMME_START, pair.createdDay), 10));

/** What the model expects of one message binome writes about a pair. */
export interface ExpectedMessage {
  seq: number;
  pair: number;
  /** `checkin#<round>`, or `step<i>@<anchor date>` for the ladder. */
  label: string;
  kind: "checkin" | "nudge" | "pair-flag";
  /** A person's key, or `coord` for the coordinators' channel. */
  to: string;
  due: number;
  status: "pending" | "sent" | "dead" | "cancelled";
  sentAt?: number;
  /** Held at least once by the weekly cap. */
  capped?: boolean;
}

interface PairState {
  anchor: string;
  step: number;
  ladderNext: string | null;
  nextCheckin: string;
  round: number;
}

/** Session logs by instant, from the script: what the simulation performs at each hour. */
export function sessionsByInstant(script: ProgrammeScript, lastDay: string): Map<number, ScriptedPair[]> {
  const found = new Map<number, ScriptedPair[]>();
  for (const pair of script.pairs) {
    if (pair.behaviour.kind !== "logs") continue;
    for (const day of pair.behaviour.days) {
      const date = plusDays(PROGRAMME_START, pair.createdDay + day);
      if (date > lastDay) continue;
      const at = parisInstant(date, pair.behaviour.hour);
      found.set(at, [...(found.get(at) ?? []), pair]);
    }
  }
  return found;
}

/**
 * The reference model: steps from `from` to `to` as the simulation does (a tick at each step,
 * deliveries, then the people's actions), and returns every message written with its fate.
 */
export function expectedRun(script: ProgrammeScript, from: number, to: number): ExpectedMessage[] {
  const messages: ExpectedMessage[] = [];
  const state = new Map<number, PairState>();
  const sessions = sessionsByInstant(script, paris(to).date);
  const answered = new Set<number>();
  let seq = 0;
  for (const pair of script.pairs) {
    const made = plusDays(PROGRAMME_START, pair.createdDay);
    state.set(pair.index, {
      anchor: made,
      step: 0,
      ladderNext: plusDays(made, STEPS[0].after),
      nextCheckin: plusDays(made, CHECKIN_EVERY),
      round: 0,
    });
  }
  const write = (pair: ScriptedPair, m: Omit<ExpectedMessage, "seq" | "pair" | "status">) =>
    messages.push({ ...m, seq: seq++, pair: pair.index, status: "pending" });
  const activity = (pair: ScriptedPair, date: string) => {
    const s = state.get(pair.index) as PairState;
    if (date > s.anchor) s.anchor = date;
    s.step = 0;
    s.ladderNext = plusDays(s.anchor, STEPS[0].after);
    for (const m of messages) {
      if (m.pair === pair.index && m.status === "pending" && m.kind !== "checkin") m.status = "cancelled";
    }
  };
  const nextWorking = (t: number) => {
    let at = t;
    while (!isWorkingTime(at)) at += HOUR;
    return at;
  };
  const nextWeek = (t: number) => {
    const { date, weekday } = paris(t);
    return nextWorking(parisInstant(plusDays(date, 8 - weekday), 0));
  };
  const sentThisWeek = (person: string, t: number) =>
    messages.filter(
      (m) =>
        m.to === person && m.status === "sent" && isoWeek(paris(m.sentAt as number).date) === isoWeek(paris(t).date),
    ).length;

  for (let t = from; t <= to; t += STEP) {
    const { date: today, hour } = paris(t);
    // The first tick of the day writes what came due; the programme runs from its start to its end.
    if (hour === 0 && today >= PROGRAMME_START && today <= PROGRAMME_END) {
      for (const pair of script.pairs) {
        const s = state.get(pair.index) as PairState;
        if (s.nextCheckin > today) continue;
        for (const m of messages) {
          if (m.pair === pair.index && m.kind === "checkin" && m.status === "pending") m.status = "cancelled";
        }
        s.round += 1;
        s.nextCheckin = plusDays(s.nextCheckin, CHECKIN_EVERY);
        write(pair, { label: `checkin#${s.round}`, kind: "checkin", to: pair.mentee, due: t });
      }
      for (const pair of script.pairs) {
        const s = state.get(pair.index) as PairState;
        if (!s.ladderNext || s.ladderNext > today) continue;
        const quiet = daysFrom(s.anchor, today);
        const reached = STEPS.reduce((found, step, i) => (step.after <= quiet ? i : found), -1);
        const following = STEPS[reached + 1];
        const taken = s.step;
        s.step = Math.max(s.step, reached + 1);
        s.ladderNext = following ? plusDays(s.anchor, following.after) : null;
        const step = STEPS[reached];
        if (!step || reached < taken) continue;
        const label = `step${reached}@${s.anchor}`;
        if (step.action === "remind-both") {
          write(pair, { label, kind: "nudge", to: pair.mentor, due: t });
          write(pair, { label, kind: "nudge", to: pair.mentee, due: t });
        } else if (step.action === "ask-mentee") {
          write(pair, { label, kind: "nudge", to: pair.mentee, due: t });
        } else {
          write(pair, { label, kind: "pair-flag", to: "coord", due: t });
        }
      }
    }
    // Deliveries: oldest first; the attention rules at the instant of sending.
    const due = messages
      .filter((m) => m.status === "pending" && m.due <= t)
      .sort((a, b) => a.due - b.due || a.seq - b.seq);
    for (const m of due) {
      if (!isWorkingTime(t)) {
        m.due = nextWorking(t);
        continue;
      }
      if (m.to !== "coord" && sentThisWeek(m.to, t) >= WEEKLY_CAP) {
        m.due = nextWeek(t);
        m.capped = true;
        continue;
      }
      const gone = m.to === script.deactivated.person && today >= plusDays(PROGRAMME_START, script.deactivated.fromDay);
      m.status = gone ? "dead" : "sent";
      if (!gone) m.sentAt = t;
    }
    // The people: scripted sessions, and answers an hour after a check-in arrives.
    for (const pair of sessions.get(t) ?? []) activity(pair, today);
    for (const m of messages) {
      const pair = script.pairs[m.pair] as ScriptedPair;
      if (m.kind !== "checkin" || m.status !== "sent" || answered.has(m.seq) || pair.behaviour.kind !== "answers")
        continue;
      if ((m.sentAt as number) <= t - HOUR) {
        answered.add(m.seq);
        activity(pair, today);
      }
    }
  }
  return messages;
}
