import { and, eq, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { enrolments, identities, participants, programmes } from "../../db/schema.js";
import type { Role } from "../../src/features/participants/participants.repository.js";

/** A person the playground lets you act as: anyone with a `playground` identity. */
export interface PlaygroundPerson {
  userId: string;
  name: string;
  language: string | null;
  roles: Role[];
  /** Playground channels of the programmes this person coordinates (`coordinateurs`). */
  channels: string[];
}

const CHANNEL_PREFIX = "playground:";
const ROLE_ORDER: Role[] = ["coordinator", "mentor", "mentee"];

async function select(db: Database, where: SQL | undefined): Promise<PlaygroundPerson[]> {
  const rows = await db
    .select({
      userId: identities.userId,
      name: participants.name,
      language: participants.language,
      role: enrolments.role,
      channel: programmes.coordinatorChannel,
    })
    .from(identities)
    .innerJoin(participants, eq(identities.participantId, participants.id))
    .leftJoin(enrolments, eq(enrolments.participantId, participants.id))
    .leftJoin(programmes, eq(enrolments.programmeId, programmes.id))
    .where(and(eq(identities.platform, "playground"), where));
  const people = new Map<string, PlaygroundPerson>();
  for (const row of rows) {
    let person = people.get(row.userId);
    if (!person) {
      person = { userId: row.userId, name: row.name, language: row.language, roles: [], channels: [] };
      people.set(row.userId, person);
    }
    if (row.role && !person.roles.includes(row.role)) person.roles.push(row.role);
    const channel =
      row.role === "coordinator" && row.channel?.startsWith(CHANNEL_PREFIX)
        ? row.channel.slice(CHANNEL_PREFIX.length)
        : undefined;
    if (channel && !person.channels.includes(channel)) person.channels.push(channel);
  }
  for (const person of people.values()) person.roles.sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
  // Sorted here rather than in SQL: the database's collation may put "Léa" after "Lucas".
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

/** Everyone with a playground identity, in alphabetical order, with their roles. */
export function listPlaygroundPeople(db: Database): Promise<PlaygroundPerson[]> {
  return select(db, undefined);
}

export async function findPlaygroundPerson(db: Database, userId: string): Promise<PlaygroundPerson | undefined> {
  return (await select(db, eq(identities.userId, userId)))[0];
}
