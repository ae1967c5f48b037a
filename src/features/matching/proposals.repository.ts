import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, matchProposals, pairs, participants, type programmes } from "../../../db/schema.js";
import { profilesForProgramme } from "../enrolment/enrolment.repository.js";
import type { Proposal } from "./matching.js";
import type { MatchProfile } from "./profile.js";

export type ProposalRow = typeof matchProposals.$inferSelect;
export type ProgrammeRow = typeof programmes.$inferSelect;

/** Stored profile answers: a MatchProfile without who and which side. */
export type ProfileAnswers = Omit<MatchProfile, "participantId" | "role">;

/**
 * Everyone matching should consider in a programme, with what it must respect: mentees without an
 * active mentor, mentors with their capacity net of current mentees, previous partners excluded.
 * People who never filled a profile are matched on what binome knows of them (language, time zone, skills).
 */
export async function matchingPool(
  db: Database,
  programme: ProgrammeRow,
): Promise<{ mentors: MatchProfile[]; mentees: MatchProfile[] }> {
  const people = await db
    .select({ participant: participants, role: enrolments.role })
    .from(enrolments)
    .innerJoin(participants, eq(enrolments.participantId, participants.id))
    .where(and(eq(enrolments.programmeId, programme.id), inArray(enrolments.role, ["mentor", "mentee"])));
  const answers = await profilesForProgramme(db, programme.id);
  const programmePairs = await db.select().from(pairs).where(eq(pairs.programmeId, programme.id));
  const answersOf = (id: string, role: string): ProfileAnswers | undefined => {
    const found = answers.find((a) => a.participantId === id && a.role === role);
    if (!found) return undefined;
    const { participantId: _id, role: _role, ...rest } = found;
    return rest;
  };

  const mentors: MatchProfile[] = [];
  const mentees: MatchProfile[] = [];
  for (const { participant, role } of people) {
    const stored = answersOf(participant.id, role);
    const previous = programmePairs
      .filter((p) => p.status === "ended" && (p.mentorId === participant.id || p.menteeId === participant.id))
      .map((p) => (p.mentorId === participant.id ? p.menteeId : p.mentorId));
    const base: MatchProfile = {
      participantId: participant.id,
      role: role as "mentor" | "mentee",
      languages: [participant.language ?? programme.defaultLanguage],
      timeZone: participant.timeZone ?? programme.timeZone,
      availability: { days: [], parts: [] },
      skills: participant.skills,
      ...stored,
      previousPartners: [...(stored?.previousPartners ?? []), ...previous],
    };
    const active = programmePairs.filter((p) => p.status === "active");
    if (role === "mentor") {
      const taken = active.filter((p) => p.mentorId === participant.id).length;
      mentors.push({ ...base, capacity: Math.max(0, (stored?.capacity ?? 1) - taken) });
    } else if (!active.some((p) => p.menteeId === participant.id)) {
      mentees.push(base);
    }
  }
  return { mentors, mentees };
}

/** Saves a new pending proposal; older pending ones of the programme are superseded. */
export async function saveProposal(
  db: Database,
  programmeId: string,
  result: Proposal,
  createdBy: string,
  at: Date,
): Promise<ProposalRow> {
  return db.transaction(async (tx) => {
    await tx
      .update(matchProposals)
      .set({ status: "superseded", decidedAt: at })
      .where(and(eq(matchProposals.programmeId, programmeId), eq(matchProposals.status, "pending")));
    const [row] = await tx.insert(matchProposals).values({ programmeId, result, createdBy, createdAt: at }).returning();
    if (!row) throw new Error("proposal not saved");
    return row;
  });
}

export async function findProposal(db: Database, id: string): Promise<ProposalRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db.select().from(matchProposals).where(eq(matchProposals.id, id));
  return row;
}

export async function latestProposal(db: Database, programmeId: string): Promise<ProposalRow | undefined> {
  const [row] = await db
    .select()
    .from(matchProposals)
    .where(eq(matchProposals.programmeId, programmeId))
    .orderBy(desc(matchProposals.createdAt))
    .limit(1);
  return row;
}

/** Names and languages of people, by id. */
export async function peopleByIds(db: Database, ids: string[]) {
  if (ids.length === 0) return new Map<string, typeof participants.$inferSelect>();
  const rows = await db
    .select()
    .from(participants)
    .where(inArray(participants.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}
