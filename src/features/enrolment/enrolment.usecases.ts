import type { Database } from "../../../db/client.js";
import { textCard } from "../../core/card.js";
import type { Clock } from "../../core/clock.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { t } from "../../core/i18n/index.js";
import type { Caller } from "../commands/caller.js";
import { findProgrammeBySlug, type Programme, programmesByIds } from "../participants/participants.repository.js";
import { allProgrammes } from "../programmes/programmes.repository.js";
import { chooseRoleCard, type ProfileDraft, profileForm, profilesCard, savedCard } from "./enrolment.cards.js";
import { findProfile, type ProfileRole, profilesOf, saveProfile } from "./enrolment.repository.js";
import { parseProfileForm } from "./profile-answers.js";

export interface EnrolmentDeps {
  db: Database;
  clock: Clock;
}

const PROFILE_ROLES: ProfileRole[] = ["mentor", "mentee"];

/** The mentor/mentee roles the caller holds in a programme. */
function heldRoles(caller: Caller, programmeId: string): ProfileRole[] {
  return PROFILE_ROLES.filter((role) =>
    caller.enrolments.some((e) => e.programmeId === programmeId && e.role === role),
  );
}

function hasEnded(programme: Programme, clock: Clock): boolean {
  return programme.endsOn !== null && programme.endsOn < clock.now().toISOString().slice(0, 10);
}

/**
 * The roles the caller may fill a profile for: the ones they hold there, or — someone enrolling
 * themselves — either, while the programme has not ended.
 */
function allowedRoles(caller: Caller, programme: Programme, clock: Clock): ProfileRole[] {
  const held = heldRoles(caller, programme.id);
  if (held.length > 0) return held;
  if (hasEnded(programme, clock)) throw new UserFacingError("join.programmeEnded", { programme: programme.name });
  return PROFILE_ROLES;
}

/** Refuses a role the caller may not take in this programme (a mentee asking for the mentor's form). */
function assertMayTake(caller: Caller, programme: Programme, role: ProfileRole, clock: Clock): void {
  if (allowedRoles(caller, programme, clock).includes(role)) return;
  const roles = heldRoles(caller, programme.id)
    .map((r) => t(caller.language, `roleName.${r}`))
    .join(", ");
  throw new UserFacingError("join.roleNotAllowed", { programme: programme.name, roles });
}

async function openProgrammes(deps: EnrolmentDeps): Promise<Programme[]> {
  return (await allProgrammes(deps.db)).filter((p) => !hasEnded(p, deps.clock));
}

/** The programme `/binome join [slug]` is about: the one named, else the only one that fits. */
async function programmeToJoin(deps: EnrolmentDeps, caller: Caller, slug: string): Promise<Programme> {
  const open = await openProgrammes(deps);
  const slugs = open.map((p) => `\`${p.slug}\``).join(", ");
  if (slug) {
    const programme = await findProgrammeBySlug(deps.db, slug.toLowerCase());
    if (!programme) {
      if (open.length === 0) throw new UserFacingError("join.noProgramme");
      throw new UserFacingError("join.unknownProgramme", { slug: slug.slice(0, 60), programmes: slugs });
    }
    return programme;
  }
  const mine = await programmesByIds(deps.db, [
    ...new Set(caller.enrolments.filter((e) => e.role !== "coordinator").map((e) => e.programmeId)),
  ]);
  const candidates = mine.length > 0 ? mine : open;
  const [only] = candidates;
  if (candidates.length === 1 && only) return only;
  if (candidates.length === 0) throw new UserFacingError("join.noProgramme");
  throw new UserFacingError("join.whichProgramme", {
    programmes: candidates.map((p) => `\`${p.slug}\``).join(", "),
    example: candidates[0]?.slug ?? "",
  });
}

async function draftFor(
  deps: EnrolmentDeps,
  caller: Caller,
  programmeId: string,
  role: ProfileRole,
): Promise<ProfileDraft> {
  const saved = await findProfile(deps.db, { programmeId, participantId: caller.participant.id, role });
  if (saved) return { ...saved, days: saved.availability.days, parts: saved.availability.parts };
  return {
    skills: caller.participant.skills,
    languages: [caller.participant.language ?? caller.language],
    timeZone: caller.timeZone,
    days: [],
    parts: [],
  };
}

async function formFor(deps: EnrolmentDeps, caller: Caller, programme: Programme, role: ProfileRole): Promise<Outcome> {
  assertMayTake(caller, programme, role, deps.clock);
  const draft = await draftFor(deps, caller, programme.id, role);
  return { type: "form", form: profileForm(caller.language, programme, role, draft) };
}

/** `/binome join [programme]`: the questionnaire for the caller's role, or first the choice of role. */
export async function startJoin(deps: EnrolmentDeps, caller: Caller, args: string): Promise<Outcome> {
  const programme = await programmeToJoin(deps, caller, args.split(/\s+/)[0] ?? "");
  const roles = allowedRoles(caller, programme, deps.clock);
  const [only] = roles;
  if (roles.length === 1 && only) return formFor(deps, caller, programme, only);
  return { type: "reply", card: chooseRoleCard(caller.language, programme) };
}

/** The programme and role a button or a form names; a value that names neither is refused. */
async function targetOf(deps: EnrolmentDeps, value: string): Promise<{ programme: Programme; role: ProfileRole }> {
  const match = /^([0-9a-f-]{36}):(mentor|mentee)$/.exec(value);
  const [programme] = match ? await programmesByIds(deps.db, [match[1] as string]) : [];
  if (!match || !programme) throw new UserFacingError("join.noProgramme");
  return { programme, role: match[2] as ProfileRole };
}

/** A click on "mentor"/"mentee" or on "edit": the questionnaire for that programme and role. */
export async function openProfileForm(deps: EnrolmentDeps, caller: Caller, value: string): Promise<Outcome> {
  const { programme, role } = await targetOf(deps, value);
  return formFor(deps, caller, programme, role);
}

/**
 * A submitted questionnaire: every refused answer beside its input and nothing saved; otherwise the
 * profile saved (enrolling the person when they chose their role) and a summary shown.
 */
export async function submitProfileForm(
  deps: EnrolmentDeps,
  caller: Caller,
  values: Record<string, string>,
  meta: string | undefined,
): Promise<Outcome> {
  const { programme, role } = await targetOf(deps, meta ?? "");
  assertMayTake(caller, programme, role, deps.clock);
  const parsed = parseProfileForm(role, values);
  if (!parsed.ok) {
    const errors = Object.fromEntries(
      Object.entries(parsed.errors).map(([id, error]) => [id, t(caller.language, error.key, error.params)]),
    );
    return { type: "formErrors", errors };
  }
  const { enrolled } = await saveProfile(deps.db, {
    programmeId: programme.id,
    participantId: caller.participant.id,
    role,
    answers: parsed.answers,
    at: deps.clock.now(),
  });
  return { type: "reply", card: savedCard(caller.language, programme.name, role, parsed.answers, enrolled) };
}

/** `/binome profile`: the caller's answers, with a button to change them. */
export async function showProfile(deps: EnrolmentDeps, caller: Caller): Promise<Outcome> {
  const stored = await profilesOf(deps.db, caller.participant.id);
  const current = stored.filter((p) => heldRoles(caller, p.programmeId).includes(p.role));
  if (current.length === 0) return { type: "reply", card: textCard(t(caller.language, "profile.none")) };
  return { type: "reply", card: profilesCard(caller.language, current) };
}
