import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, profiles, programmes } from "../../../db/schema.js";
import type { MatchProfile } from "../matching/profile.js";
import { type ProfileAnswers, profileAnswersSchema } from "./profile-answers.js";

/** A role that has a profile: coordinators have none. */
export type ProfileRole = "mentor" | "mentee";

/** One stored profile with the programme it belongs to. */
export interface StoredProfile {
  programmeId: string;
  programmeName: string;
  role: ProfileRole;
  answers: ProfileAnswers;
  updatedAt: Date;
}

function readAnswers(raw: unknown): ProfileAnswers | undefined {
  const parsed = profileAnswersSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { domain, style, capacity, ...rest } = parsed.data;
  return {
    ...rest,
    ...(domain !== undefined ? { domain } : {}),
    ...(style !== undefined ? { style } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
  };
}

/**
 * Saves a person's answers for a programme and role, enrolling them in that role first when they
 * were not (self-enrolment); both or neither are written. True when the enrolment is new.
 */
export async function saveProfile(
  db: Database,
  entry: { programmeId: string; participantId: string; role: ProfileRole; answers: ProfileAnswers; at: Date },
): Promise<{ enrolled: boolean }> {
  return db.transaction(async (tx) => {
    const added = await tx
      .insert(enrolments)
      .values({ programmeId: entry.programmeId, participantId: entry.participantId, role: entry.role })
      .onConflictDoNothing()
      .returning({ role: enrolments.role });
    const row = {
      programmeId: entry.programmeId,
      participantId: entry.participantId,
      role: entry.role,
      answers: entry.answers,
      updatedAt: entry.at,
    };
    await tx
      .insert(profiles)
      .values(row)
      .onConflictDoUpdate({
        target: [profiles.programmeId, profiles.participantId, profiles.role],
        set: { answers: row.answers, updatedAt: row.updatedAt },
      });
    return { enrolled: added.length > 0 };
  });
}

/** A person's profiles in every programme, by programme name. */
export async function profilesOf(db: Database, participantId: string): Promise<StoredProfile[]> {
  const rows = await db
    .select({
      programmeId: profiles.programmeId,
      programmeName: programmes.name,
      role: profiles.role,
      answers: profiles.answers,
      updatedAt: profiles.updatedAt,
    })
    .from(profiles)
    .innerJoin(programmes, eq(profiles.programmeId, programmes.id))
    .where(eq(profiles.participantId, participantId))
    .orderBy(programmes.name, profiles.role);
  return rows.flatMap((row) => {
    const answers = readAnswers(row.answers);
    return answers && row.role !== "coordinator" ? [{ ...row, role: row.role, answers }] : [];
  });
}

/** One person's profile for a programme and role, if they filled it in. */
export async function findProfile(
  db: Database,
  key: { programmeId: string; participantId: string; role: ProfileRole },
): Promise<ProfileAnswers | undefined> {
  const [row] = await db
    .select({ answers: profiles.answers })
    .from(profiles)
    .where(
      and(
        eq(profiles.programmeId, key.programmeId),
        eq(profiles.participantId, key.participantId),
        eq(profiles.role, key.role),
      ),
    )
    .limit(1);
  return row ? readAnswers(row.answers) : undefined;
}

/**
 * The mentors' and mentees' profiles of a programme, as matching takes them. Only people still
 * enrolled in that role count; a profile whose answers no longer read is left out.
 */
export async function profilesForProgramme(db: Database, programmeId: string): Promise<MatchProfile[]> {
  const rows = await db
    .select({ participantId: profiles.participantId, role: profiles.role, answers: profiles.answers })
    .from(profiles)
    .innerJoin(
      enrolments,
      and(
        eq(enrolments.programmeId, profiles.programmeId),
        eq(enrolments.participantId, profiles.participantId),
        eq(enrolments.role, profiles.role),
      ),
    )
    .where(eq(profiles.programmeId, programmeId))
    .orderBy(profiles.role, profiles.participantId);
  return rows.flatMap((row) => {
    const answers = readAnswers(row.answers);
    if (!answers || row.role === "coordinator") return [];
    return [{ participantId: row.participantId, role: row.role, ...answers }];
  });
}
