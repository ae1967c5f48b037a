import type { Database } from "../../../db/client.js";
import type { Outcome } from "../../core/events.js";
import type { Caller } from "../commands/caller.js";
import { findProgrammeBySlug, participantsByEmails, programmesByIds } from "../participants/participants.repository.js";
import type { LineOf, ProgrammeDefinition } from "./programme-file.js";
import { programmesCard } from "./programmes.cards.js";
import { coordinatorNamesByProgramme, enrolCoordinators, upsertProgramme } from "./programmes.repository.js";

/** A coordinator email of the file that names nobody binome knows. */
export interface UnknownCoordinator {
  email: string;
  path: string;
  line: number | undefined;
}

/** What applying a programme file did, or why it did nothing. */
export type ApplyOutcome =
  | {
      ok: true;
      programme: { id: string; slug: string; name: string; startsOn: string; endsOn: string };
      created: boolean;
      coordinatorsAdded: number;
      coordinatorsAlready: number;
    }
  | { ok: false; unknownCoordinators: UnknownCoordinator[] };

/**
 * Creates or updates a programme from its definition and enrols the listed coordinators, in one
 * transaction. Coordinators must already be participants (imported with their name): nothing is
 * written when one is not.
 */
export async function applyProgramme(
  deps: { db: Database },
  definition: ProgrammeDefinition,
  lineOf: LineOf = () => undefined,
): Promise<ApplyOutcome> {
  const emails = definition.coordinators.map((email) => email.trim().toLowerCase());
  const known = await participantsByEmails(deps.db, [...new Set(emails)]);
  const idByEmail = new Map(known.map((p) => [p.email, p.id]));
  const unknownCoordinators = emails.flatMap((email, index) =>
    idByEmail.has(email) ? [] : [{ email, path: `coordinators.${index}`, line: lineOf(["coordinators", index]) }],
  );
  if (unknownCoordinators.length > 0) return { ok: false, unknownCoordinators };
  const existed = (await findProgrammeBySlug(deps.db, definition.slug)) !== undefined;
  const coordinatorIds = [...new Set(emails.map((email) => idByEmail.get(email) as string))];
  return deps.db.transaction(async (tx) => {
    const db = tx as unknown as Database;
    const programme = await upsertProgramme(db, definition);
    const coordinatorsAdded = await enrolCoordinators(db, programme.id, coordinatorIds);
    return {
      ok: true,
      programme: {
        id: programme.id,
        slug: programme.slug,
        name: programme.name,
        startsOn: definition.start,
        endsOn: definition.end,
      },
      created: !existed,
      coordinatorsAdded,
      coordinatorsAlready: coordinatorIds.length - coordinatorsAdded,
    };
  });
}

/** `/binome programme`: each of the caller's programmes, with their role in it. */
export async function showProgrammes(deps: { db: Database }, caller: Caller): Promise<Outcome> {
  const ids = [...new Set(caller.enrolments.map((e) => e.programmeId))];
  const programmes = await programmesByIds(deps.db, ids);
  const coordinators = await coordinatorNamesByProgramme(deps.db, ids);
  const entries = programmes
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((programme) => ({
      programme,
      coordinators: coordinators.get(programme.id) ?? [],
      roles: caller.enrolments.filter((e) => e.programmeId === programme.id).map((e) => e.role),
    }));
  return { type: "reply", card: programmesCard(caller.language, entries) };
}
