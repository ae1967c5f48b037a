import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { participants } from "../../../db/schema.js";
import { UserFacingError } from "../../core/errors.js";
import type { Actor } from "../../core/events.js";
import { type Language, languageOf, pickLanguage } from "../../core/i18n/index.js";
import {
  enrolmentsOf,
  findParticipantByEmail,
  findParticipantByIdentity,
  linkIdentity,
  type Member,
  type Participant,
  type Role,
} from "../participants/participants.repository.js";

/** The person behind an event, as the features need them. */
export interface Caller {
  actor: Actor;
  participant: Participant;
  enrolments: Member["enrolments"];
  language: Language;
  timeZone: string;
}

export const DEFAULT_TIME_ZONE = "Europe/Paris";

/** The language to answer an actor in before we know who they are. */
export function actorLanguage(actor: Actor): Language {
  return pickLanguage(actor.locale);
}

/**
 * Finds the participant behind an actor: by platform identity, else by the email the platform
 * gives (first contact), which links the identity for next time. Unknown people are refused, and so
 * are people enrolled nowhere unless `allowUnenrolled` (they may enrol themselves).
 */
export async function resolveCaller(
  db: Database,
  actor: Actor,
  options: { allowUnenrolled?: boolean } = {},
): Promise<Caller> {
  let participant = await findParticipantByIdentity(db, actor.platform, actor.userId);
  if (!participant && actor.email) {
    participant = await findParticipantByEmail(db, actor.email);
    if (participant) await linkIdentity(db, participant.id, actor);
  }
  if (!participant) throw new UserFacingError("command.notParticipant");
  participant = await learnFromPlatform(db, participant, actor);
  const enrolments = await enrolmentsOf(db, participant.id);
  if (enrolments.length === 0 && !options.allowUnenrolled) throw new UserFacingError("command.notParticipant");
  return {
    actor,
    participant,
    enrolments,
    // The platform's locale wins; the language on file comes next; French by default.
    language: pickLanguage(actor.locale, participant.language),
    timeZone: actor.timeZone ?? participant.timeZone ?? DEFAULT_TIME_ZONE,
  };
}

/**
 * What the platform says of a person (language, time zone) is kept when nothing is on file, so
 * that messages binome sends on its own later — check-ins, nudges — use their language and their
 * working hours. A value on file (from the import, or chosen) is never overwritten.
 */
async function learnFromPlatform(db: Database, participant: Participant, actor: Actor): Promise<Participant> {
  const language = participant.language ? undefined : languageOf(actor.locale);
  const timeZone = participant.timeZone || !actor.timeZone || !isTimeZone(actor.timeZone) ? undefined : actor.timeZone;
  if (!language && !timeZone) return participant;
  const [saved] = await db
    .update(participants)
    .set({ ...(language ? { language } : {}), ...(timeZone ? { timeZone } : {}) })
    .where(eq(participants.id, participant.id))
    .returning();
  return saved ?? participant;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The programmes in which the caller holds a role. */
export function programmesWhere(caller: Caller, role: Role): string[] {
  return caller.enrolments.filter((e) => e.role === role).map((e) => e.programmeId);
}

export function hasRole(caller: Caller, role: Role): boolean {
  return caller.enrolments.some((e) => e.role === role);
}
