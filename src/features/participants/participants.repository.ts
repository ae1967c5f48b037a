import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
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

/** Links a platform user to a participant; an existing link for that user is moved, keeping a tenant learned earlier when none is given. */
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
      set: { participantId, tenantId: sql`coalesce(excluded.tenant_id, ${identities.tenantId})` },
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

/** The programme with this slug, if there is one. */
export async function findProgrammeBySlug(db: Database, slug: string): Promise<Programme | undefined> {
  const rows = await db.select().from(programmes).where(eq(programmes.slug, slug)).limit(1);
  return rows[0];
}

/** Participants by (lowercased) email. */
export async function participantsByEmails(db: Database, emails: string[]): Promise<Participant[]> {
  if (emails.length === 0) return [];
  return db.select().from(participants).where(inArray(participants.email, emails));
}

/** Who holds each of these platform user ids, with the holder's email. */
export async function identityOwners(db: Database, platform: Platform, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db
    .select({ userId: identities.userId, participantId: participants.id, email: participants.email })
    .from(identities)
    .innerJoin(participants, eq(identities.participantId, participants.id))
    .where(and(eq(identities.platform, platform), inArray(identities.userId, userIds)));
}

/** Emails of the people holding `role` in a programme. */
export async function emailsWithRole(db: Database, programmeId: string, role: Role): Promise<string[]> {
  const rows = await db
    .select({ email: participants.email })
    .from(enrolments)
    .innerJoin(participants, eq(enrolments.participantId, participants.id))
    .where(and(eq(enrolments.programmeId, programmeId), eq(enrolments.role, role)));
  return rows.map((r) => r.email);
}

/** The active pairs of a programme, with both people's emails. */
export async function activePairsWithEmails(db: Database, programmeId: string) {
  const mentor = alias(participants, "mentor");
  const mentee = alias(participants, "mentee");
  return db
    .select({ pairId: pairs.id, mentorEmail: mentor.email, menteeEmail: mentee.email })
    .from(pairs)
    .innerJoin(mentor, eq(pairs.mentorId, mentor.id))
    .innerJoin(mentee, eq(pairs.menteeId, mentee.id))
    .where(and(eq(pairs.programmeId, programmeId), eq(pairs.status, "active")));
}
