import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, pairs, participants, programmes } from "../../../db/schema.js";
import type { Platform } from "../../core/ids.js";
import { linkIdentity, type Role } from "./participants.repository.js";

/** A programme and its people as plain data: the demo programme and test fixtures are written this way. */
export interface SeedSpec {
  programme: { slug: string; name: string; defaultLanguage?: string; timeZone?: string; coordinatorChannel?: string };
  people: Array<{
    key: string;
    name: string;
    email: string;
    roles: Role[];
    language?: string;
    timeZone?: string;
    skills?: string[];
    identities?: Array<{ platform: Platform; userId: string; tenantId?: string }>;
  }>;
  /** Pairs by person key: [mentor, mentee]. */
  pairs?: Array<[string, string]>;
}

/** Writes a seed, updating what exists (by programme slug and email); returns participant ids by key. */
export async function applySeed(
  db: Database,
  spec: SeedSpec,
): Promise<{ programmeId: string; ids: Record<string, string> }> {
  return db.transaction(async (tx) => {
    const p = spec.programme;
    const [programme] = await tx
      .insert(programmes)
      .values({
        slug: p.slug,
        name: p.name,
        defaultLanguage: p.defaultLanguage ?? "fr",
        timeZone: p.timeZone ?? "Europe/Paris",
        coordinatorChannel: p.coordinatorChannel ?? null,
      })
      .onConflictDoUpdate({ target: programmes.slug, set: { name: p.name } })
      .returning();
    if (!programme) throw new Error("programme not written");
    const ids: Record<string, string> = {};
    for (const person of spec.people) {
      const values = {
        name: person.name,
        email: person.email.toLowerCase(),
        language: person.language ?? null,
        timeZone: person.timeZone ?? null,
        skills: person.skills ?? [],
      };
      const [row] = await tx
        .insert(participants)
        .values(values)
        .onConflictDoUpdate({ target: participants.email, set: values })
        .returning({ id: participants.id });
      if (!row) throw new Error("participant not written");
      ids[person.key] = row.id;
      for (const role of person.roles) {
        await tx
          .insert(enrolments)
          .values({ programmeId: programme.id, participantId: row.id, role })
          .onConflictDoNothing();
      }
      for (const identity of person.identities ?? []) await linkIdentity(tx as unknown as Database, row.id, identity);
    }
    for (const [mentorKey, menteeKey] of spec.pairs ?? []) {
      const mentorId = ids[mentorKey];
      const menteeId = ids[menteeKey];
      if (!mentorId || !menteeId) throw new Error(`pair ${mentorKey}/${menteeKey} names an unknown person`);
      const existing = await tx
        .select({ id: pairs.id })
        .from(pairs)
        .where(and(eq(pairs.programmeId, programme.id), eq(pairs.menteeId, menteeId), eq(pairs.status, "active")));
      if (existing.length === 0) await tx.insert(pairs).values({ programmeId: programme.id, mentorId, menteeId });
    }
    return { programmeId: programme.id, ids };
  });
}
