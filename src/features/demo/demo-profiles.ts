import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, participants, profiles, programmes } from "../../../db/schema.js";
import { type Clock, systemClock } from "../../core/clock.js";
import type { ProfileRole } from "../enrolment/enrolment.repository.js";
import { saveProfile } from "../enrolment/enrolment.repository.js";
import type { ProfileAnswers } from "../enrolment/profile-answers.js";
import { DEFAULT_NUDGE_STEPS, withDefaults } from "../programmes/programme-file.js";
import { applyProgramme } from "../programmes/programmes.usecases.js";
import { DEMO_COORDINATOR_CHANNEL, demoProgramme } from "./demo-programme.js";

const DEMO_COORDINATOR = "claire@demo.binome.example";

const answers = (
  skills: string[],
  domain: string,
  days: ProfileAnswers["availability"]["days"],
  parts: ProfileAnswers["availability"]["parts"],
  style: number,
  extra: Partial<ProfileAnswers> = {},
): ProfileAnswers => ({
  languages: ["fr"],
  timeZone: "Europe/Paris",
  availability: { days, parts },
  skills,
  domain,
  style,
  notWith: [],
  rankedChoices: [],
  ...extra,
});

/**
 * What each demo person would answer to `/binome join`: the current pairs fit, and Camille, not
 * paired yet, fits Nadia best (web, portfolio, afternoons), who still has room.
 */
const DEMO_PROFILES: Record<string, { role: ProfileRole; answers: ProfileAnswers }> = {
  thomas: {
    role: "mentor",
    answers: answers(
      ["CV", "entretien", "reconversion"],
      "Ressources humaines",
      ["mon", "tue", "thu"],
      ["evening"],
      2,
      { capacity: 2 },
    ),
  },
  nadia: {
    role: "mentor",
    answers: answers(
      ["développement web", "portfolio", "entretien", "JavaScript"],
      "Développement web",
      ["tue", "wed", "fri"],
      ["afternoon", "evening"],
      4,
      {
        languages: ["fr", "en"],
        capacity: 2,
      },
    ),
  },
  sophie: {
    role: "mentor",
    answers: answers(
      ["anglais professionnel", "gestion de projet"],
      "Gestion de projet",
      ["mon", "wed"],
      ["morning", "afternoon"],
      3,
      {
        languages: ["en", "fr"],
        timeZone: "Europe/London",
        capacity: 1,
      },
    ),
  },
  lea: { role: "mentee", answers: answers(["CV", "entretien"], "Développement web", ["mon", "thu"], ["evening"], 2) },
  hugo: {
    role: "mentee",
    answers: answers(["reconversion", "CV"], "Ressources humaines", ["tue", "thu"], ["evening"], 1),
  },
  ines: {
    role: "mentee",
    answers: answers(["développement web", "portfolio"], "Développement web", ["wed", "fri"], ["afternoon"], 4),
  },
  lucas: {
    role: "mentee",
    answers: answers(
      ["gestion de projet", "anglais professionnel"],
      "Gestion de projet",
      ["mon", "wed"],
      ["morning"],
      3,
      { languages: ["fr", "en"] },
    ),
  },
  camille: {
    role: "mentee",
    answers: answers(["entretien", "portfolio", "JavaScript"], "Développement web", ["tue", "fri"], ["afternoon"], 4),
  },
};

function addDays(date: Date, days: number): string {
  return new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Gives the demo programme its settings (started a month ago, nine months long) and every demo
 * person their profile, so that `/binome match` proposes sensible pairs in the playground. Touches
 * only the demo programme, recognised by its demo coordinator, and writes only what is missing;
 * returns how many profiles it wrote.
 */
export async function seedDemoProfiles(db: Database, clock: Clock = systemClock): Promise<number> {
  const [programme] = await db
    .select({ id: programmes.id, settings: programmes.settings })
    .from(programmes)
    .innerJoin(enrolments, eq(enrolments.programmeId, programmes.id))
    .innerJoin(participants, eq(enrolments.participantId, participants.id))
    .where(
      and(
        eq(programmes.slug, demoProgramme.programme.slug),
        eq(participants.email, DEMO_COORDINATOR),
        eq(enrolments.role, "coordinator"),
      ),
    )
    .limit(1);
  if (!programme) return 0;
  const now = clock.now();
  if (programme.settings === null) {
    const definition = withDefaults({
      slug: demoProgramme.programme.slug,
      name: demoProgramme.programme.name,
      objectives: [
        "Chaque mentoré rencontre son mentor au moins une fois par mois",
        "Un premier entretien décroché avant la fin du parcours",
      ],
      audience: "Personnes en reconversion vers le numérique",
      start: addDays(now, -30),
      end: addDays(now, 240),
      language: "fr",
      timeZone: "Europe/Paris",
      cadence: { every: "4w" },
      checkIns: { every: "2w", audience: "mentee" },
      surveys: {},
      coordinators: [DEMO_COORDINATOR],
      coordinatorChannel: DEMO_COORDINATOR_CHANNEL,
      // The playground clock moves in whole days, so it can never reach a later hour: the demo writes at any time.
      workingHours: { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "00:00", end: "23:59" },
      nudges: { steps: DEFAULT_NUDGE_STEPS },
      attention: { weeklyCap: 2, holidays: "FR" },
      matching: { weights: {} },
    });
    await applyProgramme({ db }, definition);
  }
  const emails = Object.keys(DEMO_PROFILES).map((key) => `${key}@demo.binome.example`);
  const people = await db
    .select({ id: participants.id, email: participants.email })
    .from(participants)
    .where(inArray(participants.email, emails));
  const existing = await db
    .select({ participantId: profiles.participantId })
    .from(profiles)
    .where(eq(profiles.programmeId, programme.id));
  const done = new Set(existing.map((p) => p.participantId));
  let written = 0;
  for (const person of people) {
    const profile = DEMO_PROFILES[person.email.split("@")[0] ?? ""];
    if (!profile || done.has(person.id)) continue;
    await saveProfile(db, {
      programmeId: programme.id,
      participantId: person.id,
      role: profile.role,
      answers: profile.answers,
      at: now,
    });
    written += 1;
  }
  return written;
}
