import { and, eq, inArray } from "drizzle-orm";
import { enrolments, pairs, participants, programmes } from "../../../db/schema.js";
import type { Block, Card } from "../../core/card.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { type Language, t } from "../../core/i18n/index.js";
import { type Caller, programmesWhere } from "../commands/caller.js";
import type { FeatureDeps } from "../commands/feature.js";
import { findProfile, profilesForProgramme, saveProfile } from "../enrolment/enrolment.repository.js";
import type { ProfileAnswers } from "../enrolment/profile-answers.js";
import { dayList, partList } from "./reasons.js";

/** A mentee ranks at most this many mentors; the first weighs most in matching. */
export const MAX_CHOICES = 3;
/** Mentors shown at once, those with free places first (Slack allows 50 blocks a message). */
const SHOWN = 12;

async function menteeProgramme(deps: FeatureDeps, caller: Caller, programmeId?: string) {
  const ids = programmesWhere(caller, "mentee");
  const id = programmeId ?? ids[0];
  if (!id || !ids.includes(id)) throw new UserFacingError("catalogue.notMentee");
  const [programme] = await deps.db.select().from(programmes).where(eq(programmes.id, id));
  if (!programme) throw new UserFacingError("catalogue.notMentee");
  return programme;
}

/** The mentee's stored answers, or what binome knows of them when they never filled the form. */
async function answersOf(
  deps: FeatureDeps,
  caller: Caller,
  programme: { id: string; defaultLanguage: string; timeZone: string },
) {
  const stored = await findProfile(deps.db, {
    programmeId: programme.id,
    participantId: caller.participant.id,
    role: "mentee",
  });
  const base: ProfileAnswers = {
    languages: [caller.participant.language ?? programme.defaultLanguage],
    timeZone: caller.participant.timeZone ?? programme.timeZone,
    availability: { days: [], parts: [] },
    skills: caller.participant.skills,
    notWith: [],
    rankedChoices: [],
  };
  return stored ?? base;
}

function choicesLine(lang: Language, choices: string[], names: Map<string, string>): string {
  if (choices.length === 0) return t(lang, "catalogue.noChoice");
  return t(lang, "catalogue.choices", { list: choices.map((id, i) => `${i + 1}. ${names.get(id) ?? "?"}`).join(", ") });
}

/** `/binome mentors`: the programme's mentors as a catalogue a mentee ranks up to three from. */
export async function showCatalogue(deps: FeatureDeps, caller: Caller): Promise<Outcome> {
  const lang = caller.language;
  const programme = await menteeProgramme(deps, caller);
  const mentors = await deps.db
    .select({ participant: participants })
    .from(enrolments)
    .innerJoin(participants, eq(enrolments.participantId, participants.id))
    .where(and(eq(enrolments.programmeId, programme.id), eq(enrolments.role, "mentor")));
  const profiles = new Map(
    (await profilesForProgramme(deps.db, programme.id))
      .filter((p) => p.role === "mentor")
      .map((p) => [p.participantId, p]),
  );
  const active = await deps.db
    .select({ mentorId: pairs.mentorId })
    .from(pairs)
    .where(and(eq(pairs.programmeId, programme.id), eq(pairs.status, "active")));
  const free = (id: string) => (profiles.get(id)?.capacity ?? 1) - active.filter((p) => p.mentorId === id).length;
  const choices = (await answersOf(deps, caller, programme)).rankedChoices;
  const names = new Map(mentors.map((m) => [m.participant.id, m.participant.name]));
  const sorted = mentors
    .map((m) => m.participant)
    .sort((a, b) => Number(free(b.id) > 0) - Number(free(a.id) > 0) || a.name.localeCompare(b.name, "fr"));

  const title = t(lang, "catalogue.title", { programme: programme.name });
  const blocks: Block[] = [
    { type: "header", text: title },
    { type: "text", text: t(lang, "catalogue.intro", { max: MAX_CHOICES }), style: "muted" },
  ];
  for (const mentor of sorted.slice(0, SHOWN)) {
    const profile = profiles.get(mentor.id);
    const rank = choices.indexOf(mentor.id);
    blocks.push({
      type: "text",
      text: rank >= 0 ? t(lang, "catalogue.chosen", { name: mentor.name, rank: rank + 1 }) : mentor.name,
      style: "bold",
    });
    const details = [
      (profile?.skills ?? mentor.skills).join(", "),
      profile?.domain,
      profile?.availability.days.length
        ? `${dayList(lang, profile.availability.days)} (${partList(lang, profile.availability.parts)})`
        : undefined,
      free(mentor.id) > 0 ? t(lang, "catalogue.free", { count: free(mentor.id) }) : t(lang, "catalogue.full"),
    ].filter(Boolean);
    blocks.push({ type: "text", text: details.join(" · "), style: "muted" });
    if (rank < 0 && choices.length < MAX_CHOICES) {
      blocks.push({
        type: "actions",
        buttons: [
          { actionId: "catalogue.choose", label: t(lang, "catalogue.choose"), value: `${programme.id}:${mentor.id}` },
        ],
      });
    }
  }
  if (sorted.length > SHOWN)
    blocks.push({ type: "text", text: t(lang, "catalogue.more", { count: sorted.length - SHOWN }), style: "muted" });
  blocks.push({ type: "divider" }, { type: "text", text: choicesLine(lang, choices, names) });
  if (choices.length > 0)
    blocks.push({
      type: "actions",
      buttons: [{ actionId: "catalogue.clear", label: t(lang, "catalogue.clear"), value: programme.id }],
    });
  return { type: "reply", card: { fallback: title, blocks } satisfies Card };
}

/** The "choose" button: adds the mentor to the mentee's ranked choices (at most three). */
export async function chooseMentor(deps: FeatureDeps, caller: Caller, value: string): Promise<Outcome> {
  const [programmeId = "", mentorId = ""] = value.split(":");
  const programme = await menteeProgramme(deps, caller, programmeId);
  const [mentor] = await deps.db
    .select({ name: participants.name })
    .from(enrolments)
    .innerJoin(participants, eq(enrolments.participantId, participants.id))
    .where(
      and(
        eq(enrolments.programmeId, programme.id),
        eq(enrolments.role, "mentor"),
        eq(enrolments.participantId, mentorId),
      ),
    );
  if (!mentor) throw new UserFacingError("catalogue.unknownMentor");
  const answers = await answersOf(deps, caller, programme);
  if (answers.rankedChoices.includes(mentorId)) throw new UserFacingError("catalogue.already", { name: mentor.name });
  if (answers.rankedChoices.length >= MAX_CHOICES) throw new UserFacingError("catalogue.tooMany", { max: MAX_CHOICES });
  const rankedChoices = [...answers.rankedChoices, mentorId];
  await saveProfile(deps.db, {
    programmeId: programme.id,
    participantId: caller.participant.id,
    role: "mentee",
    answers: { ...answers, rankedChoices },
    at: deps.clock.now(),
  });
  const names = new Map(
    (await deps.db.select().from(participants).where(inArray(participants.id, rankedChoices))).map((p) => [
      p.id,
      p.name,
    ]),
  );
  const text = `${t(caller.language, "catalogue.noted", { name: mentor.name, rank: rankedChoices.length })} ${choicesLine(caller.language, rankedChoices, names)}`;
  return { type: "reply", card: { fallback: text, blocks: [{ type: "text", text }] } };
}

/** The "clear" button: forgets the mentee's choices. */
export async function clearChoices(deps: FeatureDeps, caller: Caller, programmeId: string): Promise<Outcome> {
  const programme = await menteeProgramme(deps, caller, programmeId);
  const answers = await answersOf(deps, caller, programme);
  await saveProfile(deps.db, {
    programmeId: programme.id,
    participantId: caller.participant.id,
    role: "mentee",
    answers: { ...answers, rankedChoices: [] },
    at: deps.clock.now(),
  });
  const text = t(caller.language, "catalogue.cleared");
  return { type: "reply", card: { fallback: text, blocks: [{ type: "text", text }] } };
}
