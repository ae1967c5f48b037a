import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../../../db/client.js";
import { pairs, participants, sessions } from "../../../db/schema.js";

export type NewSession = typeof sessions.$inferInsert;

export async function insertSession(db: Database, session: NewSession) {
  const [row] = await db.insert(sessions).values(session).returning();
  return row;
}

/** Which sessions a listing may show: a person's own pairs, or whole programmes for coordinators. */
export type SessionScope = { participantId: string } | { programmeIds: string[] };

export interface SessionRow {
  id: string;
  heldOn: string;
  durationMinutes: number;
  topics: string;
  nextSteps: string | null;
  mentorName: string;
  menteeName: string;
  programmeId: string;
}

/** The most recent sessions in scope, newest first, with the total count in scope. */
export async function recentSessions(
  db: Database,
  scope: SessionScope,
  limit: number,
): Promise<{ rows: SessionRow[]; total: number }> {
  const mentor = alias(participants, "mentor");
  const mentee = alias(participants, "mentee");
  const where =
    "participantId" in scope
      ? or(eq(pairs.mentorId, scope.participantId), eq(pairs.menteeId, scope.participantId))
      : scope.programmeIds.length > 0
        ? inArray(pairs.programmeId, scope.programmeIds)
        : sql`false`;
  const rows = await db
    .select({
      id: sessions.id,
      heldOn: sessions.heldOn,
      durationMinutes: sessions.durationMinutes,
      topics: sessions.topics,
      nextSteps: sessions.nextSteps,
      mentorName: mentor.name,
      menteeName: mentee.name,
      programmeId: pairs.programmeId,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(sessions)
    .innerJoin(pairs, eq(sessions.pairId, pairs.id))
    .innerJoin(mentor, eq(pairs.mentorId, mentor.id))
    .innerJoin(mentee, eq(pairs.menteeId, mentee.id))
    .where(and(where))
    .orderBy(desc(sessions.heldOn), desc(sessions.createdAt))
    .limit(limit);
  return { rows: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0 };
}
