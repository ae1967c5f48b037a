import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, participants, programmes } from "../../../db/schema.js";
import type { Programme } from "../participants/participants.repository.js";
import type { ProgrammeDefinition } from "./programme-file.js";

/** Writes a programme from its definition, by slug: created the first time, updated after. */
export async function upsertProgramme(db: Database, definition: ProgrammeDefinition): Promise<Programme> {
  const values = {
    name: definition.name,
    defaultLanguage: definition.language,
    timeZone: definition.timeZone,
    coordinatorChannel: definition.coordinatorChannel ?? null,
    settings: definition,
    startsOn: definition.start,
    endsOn: definition.end,
  };
  const [row] = await db
    .insert(programmes)
    .values({ slug: definition.slug, ...values })
    .onConflictDoUpdate({ target: programmes.slug, set: values })
    .returning();
  if (!row) throw new Error(`programme ${definition.slug} not written`);
  return row;
}

/** Enrols each participant as a coordinator; returns how many were not coordinators yet. */
export async function enrolCoordinators(db: Database, programmeId: string, participantIds: string[]): Promise<number> {
  if (participantIds.length === 0) return 0;
  const added = await db
    .insert(enrolments)
    .values(participantIds.map((participantId) => ({ programmeId, participantId, role: "coordinator" as const })))
    .onConflictDoNothing()
    .returning({ participantId: enrolments.participantId });
  return added.length;
}

/** The coordinators' names of each programme, alphabetically. */
export async function coordinatorNamesByProgramme(
  db: Database,
  programmeIds: string[],
): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  if (programmeIds.length === 0) return names;
  const rows = await db
    .select({ programmeId: enrolments.programmeId, name: participants.name })
    .from(enrolments)
    .innerJoin(participants, eq(enrolments.participantId, participants.id))
    .where(and(inArray(enrolments.programmeId, programmeIds), eq(enrolments.role, "coordinator")))
    .orderBy(participants.name);
  for (const row of rows) names.set(row.programmeId, [...(names.get(row.programmeId) ?? []), row.name]);
  return names;
}

/** Every programme, oldest first. */
export async function allProgrammes(db: Database): Promise<Programme[]> {
  return db.select().from(programmes).orderBy(programmes.createdAt, programmes.slug);
}
