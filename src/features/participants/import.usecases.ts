import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, pairs, participants, programmes } from "../../../db/schema.js";
import type { Clock } from "../../core/clock.js";
import type { Platform } from "../../core/ids.js";
import { type ImportProblem, type PlannedPerson, parseParticipantsCsv } from "./csv.js";
import {
  activePairsWithEmails,
  emailsWithRole,
  findProgrammeBySlug,
  identitiesOf,
  identityOwners,
  linkIdentity,
  type Participant,
  type Programme,
  participantsByEmails,
} from "./participants.repository.js";

const SLACK_LOOKUPS_AT_ONCE = 4;

/** What an import needs; the Slack lookup is absent when Slack is not configured. */
export interface ImportDeps {
  db: Database;
  clock: Clock;
  /** A Slack user id from an email; undefined when Slack knows no one by that email. Throws on any other failure. */
  lookupSlackIdByEmail?: ((email: string) => Promise<string | undefined>) | undefined;
}

/** One file to import into one programme. */
export interface ImportRequest {
  /** The file's bytes (UTF-8, with or without BOM), or its text. */
  csv: Uint8Array | string;
  programmeSlug: string;
  /** Names the programme when it is created, renames it otherwise. Defaults to the slug. */
  programmeName?: string | undefined;
}

/** What an import changed. */
export interface ImportCounts {
  peopleCreated: number;
  peopleUpdated: number;
  peopleUnchanged: number;
  enrolmentsCreated: number;
  pairsCreated: number;
  pairsReplaced: number;
  identitiesLinked: number;
  slackIdsResolved: number;
}

/** An import either wrote everything (ok) or nothing, with every error found. */
export type ImportOutcome =
  | {
      ok: true;
      programme: { slug: string; name: string; created: boolean };
      counts: ImportCounts;
      warnings: ImportProblem[];
    }
  | { ok: false; errors: ImportProblem[]; warnings: ImportProblem[] };

interface Snapshot {
  programme: Programme | undefined;
  byEmail: Map<string, Participant>;
  mentors: Set<string>;
  activePairs: Map<string, { pairId: string; mentorEmail: string }>;
}

async function readSnapshot(db: Database, slug: string, people: PlannedPerson[]): Promise<Snapshot> {
  const programme = await findProgrammeBySlug(db, slug);
  const emails = new Set(people.map((p) => p.email));
  for (const person of people) for (const r of person.roles) if (r.mentorEmail) emails.add(r.mentorEmail);
  const existing = await participantsByEmails(db, [...emails]);
  const mentors = new Set(programme ? await emailsWithRole(db, programme.id, "mentor") : []);
  const pairRows = programme ? await activePairsWithEmails(db, programme.id) : [];
  return {
    programme,
    byEmail: new Map(existing.map((p) => [p.email, p])),
    mentors,
    activePairs: new Map(pairRows.map((p) => [p.menteeEmail, { pairId: p.pairId, mentorEmail: p.mentorEmail }])),
  };
}

/** A mentor_email must name a mentor of this file or of the programme. */
function checkMentorReferences(
  people: PlannedPerson[],
  refused: Set<string>,
  snapshot: Snapshot,
  slug: string,
): ImportProblem[] {
  const inFile = new Map(people.map((p) => [p.email, p]));
  const problems: ImportProblem[] = [];
  for (const person of people) {
    for (const { line, mentorEmail } of person.roles) {
      if (!mentorEmail || refused.has(mentorEmail) || snapshot.mentors.has(mentorEmail)) continue;
      const named = inFile.get(mentorEmail);
      if (named?.roles.some((r) => r.role === "mentor")) continue;
      const known = named ?? snapshot.byEmail.get(mentorEmail);
      problems.push(
        known
          ? { line, code: "mentorEmail.notMentor", params: { value: mentorEmail, name: known.name, programme: slug } }
          : { line, code: "mentorEmail.unknown", params: { value: mentorEmail, programme: slug } },
      );
    }
  }
  return problems;
}

async function mapWithConcurrency<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Fills in Slack ids by email for people who have none, in the file or in the database. */
async function resolveSlackIds(deps: ImportDeps, people: PlannedPerson[], snapshot: Snapshot) {
  const warnings: ImportProblem[] = [];
  const errors: ImportProblem[] = [];
  let resolved = 0;
  const lookup = deps.lookupSlackIdByEmail;
  if (!lookup) return { warnings, errors, resolved };
  const knownIds = [...snapshot.byEmail.values()].map((p) => p.id);
  const linked = new Set(
    (await identitiesOf(deps.db, knownIds)).filter((i) => i.platform === "slack").map((i) => i.participantId),
  );
  const wanted = people.filter((p) => !p.slackUserId && !linked.has(snapshot.byEmail.get(p.email)?.id ?? ""));
  await mapWithConcurrency(wanted, SLACK_LOOKUPS_AT_ONCE, async (person) => {
    if (errors.length > 0) return;
    try {
      const userId = await lookup(person.email);
      if (userId) {
        person.slackUserId = userId;
        resolved++;
      } else warnings.push({ line: person.firstLine, code: "slack.notFound", params: { value: person.email } });
    } catch (error) {
      errors.push({
        line: person.firstLine,
        code: "slack.lookupFailed",
        params: { value: person.email, reason: (error as Error).message },
      });
    }
  });
  return { warnings, errors, resolved };
}

/** Platform ids of the file that another person holds today: the import moves them, and says so. */
async function identityMoves(db: Database, people: PlannedPerson[]) {
  const warnings: ImportProblem[] = [];
  const alreadyLinked = new Set<string>();
  for (const [platform, field] of [
    ["slack", "slackUserId"],
    ["teams", "teamsAadId"],
  ] as const) {
    const holders = people.filter((p) => p[field]);
    const owners = new Map(
      (
        await identityOwners(
          db,
          platform,
          holders.map((p) => p[field] as string),
        )
      ).map((o) => [o.userId, o.email]),
    );
    for (const person of holders) {
      const userId = person[field] as string;
      const owner = owners.get(userId);
      if (owner === person.email) alreadyLinked.add(`${platform}:${userId}`);
      else if (owner)
        warnings.push({
          line: person.firstLine,
          code: "identity.moved",
          params: { value: userId, from: owner, to: person.email },
        });
    }
  }
  return { warnings, alreadyLinked };
}

function changedFields(existing: Participant, person: PlannedPerson) {
  const changes: Partial<Pick<Participant, "name" | "language" | "timeZone" | "skills">> = {};
  if (person.name !== existing.name) changes.name = person.name;
  // An empty cell means "not given": it never erases what binome already knows.
  if (person.language !== undefined && person.language !== existing.language) changes.language = person.language;
  if (person.timeZone !== undefined && person.timeZone !== existing.timeZone) changes.timeZone = person.timeZone;
  if (person.skills !== undefined && person.skills.join("|") !== existing.skills.join("|"))
    changes.skills = person.skills;
  return changes;
}

async function writeAll(
  tx: Database,
  request: ImportRequest,
  people: PlannedPerson[],
  snapshot: Snapshot,
  alreadyLinked: Set<string>,
  now: Date,
): Promise<{ programme: Programme; counts: Omit<ImportCounts, "slackIdsResolved"> }> {
  const counts = {
    peopleCreated: 0,
    peopleUpdated: 0,
    peopleUnchanged: 0,
    enrolmentsCreated: 0,
    pairsCreated: 0,
    pairsReplaced: 0,
    identitiesLinked: 0,
  };
  let programme = snapshot.programme;
  if (!programme) {
    [programme] = await tx
      .insert(programmes)
      .values({ slug: request.programmeSlug, name: request.programmeName ?? request.programmeSlug, createdAt: now })
      .returning();
  } else if (request.programmeName && request.programmeName !== programme.name) {
    [programme] = await tx
      .update(programmes)
      .set({ name: request.programmeName })
      .where(eq(programmes.id, programme.id))
      .returning();
  }
  if (!programme) throw new Error("programme not written");
  const programmeId = programme.id;

  const idByEmail = new Map([...snapshot.byEmail].map(([email, p]) => [email, p.id]));
  for (const person of people) {
    const existing = snapshot.byEmail.get(person.email);
    if (!existing) {
      const [row] = await tx
        .insert(participants)
        .values({
          name: person.name,
          email: person.email,
          language: person.language ?? null,
          timeZone: person.timeZone ?? null,
          skills: person.skills ?? [],
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: participants.id });
      if (!row) throw new Error("participant not written");
      idByEmail.set(person.email, row.id);
      counts.peopleCreated++;
    } else {
      const changes = changedFields(existing, person);
      if (Object.keys(changes).length === 0) counts.peopleUnchanged++;
      else {
        await tx
          .update(participants)
          .set({ ...changes, updatedAt: now })
          .where(eq(participants.id, existing.id));
        counts.peopleUpdated++;
      }
    }
    const participantId = idByEmail.get(person.email) as string;
    for (const { role } of person.roles) {
      const added = await tx
        .insert(enrolments)
        .values({ programmeId, participantId, role, createdAt: now })
        .onConflictDoNothing()
        .returning();
      counts.enrolmentsCreated += added.length;
    }
    const platformIds: Array<[Platform, string | undefined]> = [
      ["slack", person.slackUserId],
      ["teams", person.teamsAadId],
    ];
    for (const [platform, userId] of platformIds) {
      if (!userId || alreadyLinked.has(`${platform}:${userId}`)) continue;
      await linkIdentity(tx, participantId, { platform, userId });
      counts.identitiesLinked++;
    }
  }

  for (const person of people) {
    for (const { mentorEmail } of person.roles) {
      if (!mentorEmail) continue;
      const current = snapshot.activePairs.get(person.email);
      if (current?.mentorEmail === mentorEmail) continue;
      if (current) {
        await tx.update(pairs).set({ status: "ended", endedAt: now }).where(eq(pairs.id, current.pairId));
        counts.pairsReplaced++;
      }
      const mentorId = idByEmail.get(mentorEmail) as string;
      const menteeId = idByEmail.get(person.email) as string;
      await tx.insert(pairs).values({ programmeId, mentorId, menteeId, createdAt: now });
      counts.pairsCreated++;
    }
  }
  return { programme, counts };
}

/**
 * Imports coordinators, mentors, mentees and pairs from a CSV into a programme (created if missing).
 * Every problem is reported with its line; a file with any error writes nothing. Re-importing updates.
 */
export async function importParticipants(deps: ImportDeps, request: ImportRequest): Promise<ImportOutcome> {
  const parsed = parseParticipantsCsv(request.csv);
  const { people } = parsed;
  const snapshot = await readSnapshot(deps.db, request.programmeSlug, people);
  const errors = [
    ...parsed.problems,
    ...checkMentorReferences(people, parsed.refusedEmails, snapshot, request.programmeSlug),
  ];
  if (errors.length > 0)
    return { ok: false, errors: errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), warnings: [] };

  const slack = await resolveSlackIds(deps, people, snapshot);
  // Lookups run a few at a time: a bad token fails them all, and one sentence says it.
  const [firstFailure] = slack.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (firstFailure) return { ok: false, errors: [firstFailure], warnings: slack.warnings };
  const moves = await identityMoves(deps.db, people);
  const warnings = [...slack.warnings, ...moves.warnings];
  for (const person of people) {
    const current = snapshot.activePairs.get(person.email);
    const wanted = person.roles.find((r) => r.mentorEmail)?.mentorEmail;
    if (current && wanted && current.mentorEmail !== wanted) {
      warnings.push({
        line: person.firstLine,
        code: "pair.replaced",
        params: { value: person.email, from: current.mentorEmail, to: wanted },
      });
    }
  }

  const now = deps.clock.now();
  const written = await deps.db.transaction((tx) =>
    writeAll(tx as unknown as Database, request, people, snapshot, moves.alreadyLinked, now),
  );
  return {
    ok: true,
    programme: { slug: written.programme.slug, name: written.programme.name, created: !snapshot.programme },
    counts: { ...written.counts, slackIdsResolved: slack.resolved },
    warnings: warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  };
}
