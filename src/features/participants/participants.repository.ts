import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, identities, pairs, participants, programmes } from "../../../db/schema.js";
import type { Platform } from "../../core/ids.js";

export type Role = "coordinator" | "mentor" | "mentee";
export type Participant = typeof participants.$inferSelect;
export type Programme = typeof programmes.$inferSelect;

/** A participant with their roles, programme by programme. */
export interface Member {
  participant: Participant;
  enrolments: Array<{ programmeId: string; role: Role }>;
}

/** The participant a platform user is linked to, if any. */
export async function findParticipantByIdentity(
  db: Database,
  platform: Platform,
  userId: string,
): Promise<Participant | undefined> {
  const rows = await db
    .select({ participant: participants })
    .from(identities)
    .innerJoin(participants, eq(identities.participantId, participants.id))
    .where(and(eq(identities.platform, platform), eq(identities.userId, userId)))
    .limit(1);
  return rows[0]?.participant;
}

export async function findParticipantByEmail(db: Database, email: string): Promise<Participant | undefined> {
  const rows = await db.select().from(participants).where(eq(participants.email, email.trim().toLowerCase())).limit(1);
  return rows[0];
}

/** Links a platform user to a participant; an existing link for that user is moved. */
export async function linkIdentity(
  db: Database,
  participantId: string,
  user: { platform: Platform; userId: string; tenantId?: string | undefined },
): Promise<void> {
  await db
    .insert(identities)
    .values({ participantId, platform: user.platform, userId: user.userId, tenantId: user.tenantId ?? null })
    .onConflictDoUpdate({
      target: [identities.platform, identities.userId],
      set: { participantId, tenantId: user.tenantId ?? null },
    });
}

export async function identitiesOf(db: Database, participantIds: string[]) {
  if (participantIds.length === 0) return [];
  return db.select().from(identities).where(inArray(identities.participantId, participantIds));
}

export async function enrolmentsOf(db: Database, participantId: string): Promise<Member["enrolments"]> {
  return db
    .select({ programmeId: enrolments.programmeId, role: enrolments.role })
    .from(enrolments)
    .where(eq(enrolments.participantId, participantId));
}

export async function programmesByIds(db: Database, ids: string[]): Promise<Programme[]> {
  if (ids.length === 0) return [];
  return db.select().from(programmes).where(inArray(programmes.id, ids));
}

/** A mentor's active pairs with each mentee. */
export async function activeMenteesOf(db: Database, mentorId: string) {
  return db
    .select({ pairId: pairs.id, programmeId: pairs.programmeId, mentee: participants })
    .from(pairs)
    .innerJoin(participants, eq(pairs.menteeId, participants.id))
    .where(and(eq(pairs.mentorId, mentorId), eq(pairs.status, "active")))
    .orderBy(participants.name);
}
