import type { Database } from "../../../db/client.js";
import type { Card } from "../../core/card.js";
import type { Clock } from "../../core/clock.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { t } from "../../core/i18n/index.js";
import type { Caller } from "../commands/caller.js";
import { hasRole, programmesWhere } from "../commands/caller.js";
import { recordActivity } from "../engagement/activity.js";
import { foldName } from "../participants/names.js";
import { activeMenteesOf, programmesByIds } from "../participants/participants.repository.js";
import { checkSessionText, localDate, parseDuration, parseLogLine, parseSessionDate } from "./log-parser.js";
import { logForm, loggedCard, sessionsCard } from "./sessions.cards.js";
import { insertSession, recentSessions } from "./sessions.repository.js";

export { LOG_FORM_ID } from "./sessions.cards.js";

const LISTED_SESSIONS = 10;

export interface SessionDeps {
  db: Database;
  clock: Clock;
}

type MenteePair = Awaited<ReturnType<typeof activeMenteesOf>>[number];

/** A platform mention resolved to a participant (or to nobody binome knows), with a name to show. */
export interface Mention {
  participantId: string | undefined;
  label: string;
}

/** The caller's mentee that a `log` argument names: a mention token, a first name, a full name or an email. */
export function findMentee(pairsOfMentor: MenteePair[], arg: string, mention?: Mention): MenteePair {
  const names = pairsOfMentor.map((p) => p.mentee.name).join(", ");
  if (mention) {
    const pair = pairsOfMentor.find((p) => p.mentee.id === mention.participantId);
    if (pair) return pair;
    throw new UserFacingError("log.menteeNotFound", { name: mention.label, mentees: names });
  }
  const wanted = foldName(arg);
  const matches = pairsOfMentor.filter((p) => {
    const full = foldName(p.mentee.name);
    const first = full.split(/\s+/)[0];
    const emailLocal = p.mentee.email.split("@")[0]?.toLowerCase();
    return (
      wanted === full ||
      wanted === first ||
      wanted === full.replace(/\s+/g, "") ||
      wanted === emailLocal ||
      wanted === p.mentee.email
    );
  });
  if (matches.length === 1) return matches[0] as MenteePair;
  if (matches.length > 1) {
    throw new UserFacingError("log.menteeAmbiguous", {
      name: arg,
      mentees: matches.map((m) => m.mentee.name).join(", "),
    });
  }
  throw new UserFacingError("log.menteeNotFound", { name: arg, mentees: names });
}

async function mentorPairs(deps: SessionDeps, caller: Caller): Promise<MenteePair[]> {
  if (!hasRole(caller, "mentor")) throw new UserFacingError("log.notMentor");
  const pairsOfMentor = await activeMenteesOf(deps.db, caller.participant.id);
  if (pairsOfMentor.length === 0) throw new UserFacingError("log.noMentees");
  return pairsOfMentor;
}

async function saveSession(
  deps: SessionDeps,
  caller: Caller,
  pair: MenteePair,
  session: { heldOn: string; durationMinutes: number; topics: string; nextSteps?: string | undefined },
): Promise<Card> {
  await insertSession(deps.db, {
    pairId: pair.pairId,
    loggedBy: caller.participant.id,
    heldOn: session.heldOn,
    durationMinutes: session.durationMinutes,
    topics: session.topics,
    nextSteps: session.nextSteps ?? null,
    source: caller.actor.platform,
  });
  // A logged session is activity: the nudge ladder starts again from it.
  await recordActivity(deps.db, pair.pairId, session.heldOn);
  return loggedCard(caller.language, pair.mentee.name, session);
}

/**
 * `/binome log …`: with arguments, records the session from one line; without, opens the form.
 * `mention` is what a platform mention in first position resolved to.
 */
export async function logSession(deps: SessionDeps, caller: Caller, args: string, mention?: Mention): Promise<Outcome> {
  const pairsOfMentor = await mentorPairs(deps, caller);
  const today = localDate(deps.clock.now(), caller.timeZone);
  if (args.trim() === "") {
    return { type: "form", form: logForm(caller.language, pairsOfMentor, today) };
  }
  const line = parseLogLine(args, today);
  const pair = findMentee(pairsOfMentor, line.mentee, mention);
  return { type: "reply", card: await saveSession(deps, caller, pair, line) };
}

/** The log form's submission: every invalid field is reported beside its input, nothing saved. */
export async function submitLogForm(
  deps: SessionDeps,
  caller: Caller,
  values: Record<string, string>,
): Promise<Outcome> {
  const pairsOfMentor = await mentorPairs(deps, caller);
  const today = localDate(deps.clock.now(), caller.timeZone);
  const errors: Record<string, string> = {};
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof UserFacingError) || !error.field) throw error;
      errors[error.field] = t(caller.language, error.key, error.params);
      return undefined;
    }
  };
  const pair = pairsOfMentor.find((p) => p.pairId === values.pair);
  if (!pair) {
    const mentees = pairsOfMentor.map((p) => p.mentee.name).join(", ");
    errors.pair = t(caller.language, "log.menteeNotFound", { name: values.pair ?? "", mentees });
  }
  const heldOn = attempt(() => parseSessionDate(values.date ?? "", today));
  const durationMinutes = attempt(() => parseDuration(values.duration ?? ""));
  const topics = (values.topics ?? "").trim();
  const nextSteps = (values.next ?? "").trim() || undefined;
  attempt(() => checkSessionText(topics, nextSteps));
  if (!pair || !heldOn || !durationMinutes || Object.keys(errors).length > 0) return { type: "formErrors", errors };
  return { type: "reply", card: await saveSession(deps, caller, pair, { heldOn, durationMinutes, topics, nextSteps }) };
}

/** `/binome sessions`: coordinators see their programmes' sessions; others their own pairs'. */
export async function listSessions(deps: SessionDeps, caller: Caller): Promise<Outcome> {
  const coordinated = programmesWhere(caller, "coordinator");
  const scope = coordinated.length > 0 ? { programmeIds: coordinated } : { participantId: caller.participant.id };
  const { rows, total } = await recentSessions(deps.db, scope, LISTED_SESSIONS);
  const programmeNames = coordinated.length > 0 ? (await programmesByIds(deps.db, coordinated)).map((p) => p.name) : [];
  return { type: "reply", card: sessionsCard(caller.language, rows, total, programmeNames) };
}
