import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.js";
import type { SurveyQuestion } from "../surveys/definition.js";
import {
  type ColumnInfo,
  findPerson,
  mentions,
  type Needle,
  needlePattern,
  needlesOf,
  publicColumns,
  tablesMentioning,
} from "./person.scope.js";

/** The name an erased person's tombstone bears. */
export const ERASED_NAME = "Personne effacée";
/** What replaces a platform id where one was written in a message. */
const ERASED_ID = "[effacé]";
/** Shorter texts they wrote ("ok", "RAS") are not searched for in other messages: they would match everywhere. */
const SHORTEST_QUOTE = 12;
/** The content left in a message that was sent to an erased person: a card with nothing in it. */
const EMPTY_PAYLOAD = { card: { fallback: "", blocks: [] } };

/** What an erasure removes, clears or rewrites, by kind; the same counts whether it was applied or only planned. */
export interface ErasureReport {
  person: { name: string; email: string };
  applied: boolean;
  tombstoneEmail: string;
  deleted: { identities: number; profiles: number; conversationReferences: number };
  /** Emptied in place: messages sent to them keep kind and dates, lose content and where they were posted. */
  cleared: {
    checkinNotes: number;
    messagesToThem: number;
    surveyTextAnswers: number;
    difficultyTexts: number;
    sessionNotes: number;
  };
  /** Rows that now point at the tombstone instead of the person (pairs, enrolments, check-ins…), by table. */
  kept: Record<string, number>;
  /** Rows of other people's data (group and channel messages, proposals…) where their name or ids were blotted out. */
  redacted: Record<string, number>;
  /** Messages to a group they belonged to that were still waiting: cancelled. */
  cancelledGroupMessages: number;
}

/** An erasure that would have left a mention of the person somewhere: nothing was changed. */
export class ErasureIncompleteError extends Error {
  constructor(readonly tables: Record<string, number>) {
    super(`erasure would leave mentions in ${Object.keys(tables).join(", ")}; nothing was changed`);
  }
}

/** Thrown to roll back a planned erasure, carrying what it would have done. */
class PlanOnly extends Error {
  constructor(readonly report: ErasureReport) {
    super("plan only");
  }
}

const count = async (db: Database, query: SQL): Promise<number> => (await queryRows(db, query)).length;

/** The replacement of a needle: the tombstone's id or email, its name, or a blot for a platform id. */
function replacementOf(needle: Needle, tombstone: { id: string; email: string }): string {
  switch (needle.kind) {
    case "id":
      return tombstone.id;
    case "email":
      return tombstone.email;
    case "name":
    case "firstName":
      return ERASED_NAME;
    case "platformId":
    case "freeText":
      return ERASED_ID;
  }
}

/** Rewrites every mention of the needles in one column; returns how many rows mentioned the person. */
async function redactColumn(
  db: Database,
  column: ColumnInfo,
  needles: Array<{ needle: Needle; replacement: string }>,
  scope: SQL = sql`true`,
): Promise<number> {
  const table = sql.identifier(column.table);
  const col = sql.identifier(column.column);
  const json = column.type === "jsonb" || column.type === "json";
  const array = column.type === "_text" || column.type === "_varchar";
  const probe = json ? sql`${col}::text` : array ? sql`array_to_string(${col}, chr(31))` : sql`${col}`;
  const [before] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${table}
        where (${sql.join(
          needles.map(({ needle }) => mentions(probe, needle, json)),
          sql` or `,
        )}) and ${scope}`,
  );
  const n = Number(before?.n ?? 0);
  if (n === 0) return 0;
  for (const { needle, replacement } of needles) {
    const flags = needle.caseInsensitive ? "gi" : "g";
    const pattern = needlePattern(needle, json);
    // A backslash or `&` in the replacement would mean a back-reference to regexp_replace.
    const literal = (json ? JSON.stringify(replacement).slice(1, -1) : replacement).replace(/[\\&]/g, "\\$&");
    const value = json
      ? sql`regexp_replace(${col}::text, ${pattern}, ${literal}, ${flags})::${sql.raw(column.type)}`
      : array
        ? sql`array(select regexp_replace(x, ${pattern}, ${literal}, ${flags})
                from unnest(${col}) with ordinality as u(x, n) order by n)`
        : sql`regexp_replace(${col}, ${pattern}, ${literal}, ${flags})`;
    await db.execute(sql`update ${table} set ${col} = ${value} where ${mentions(probe, needle, json)} and ${scope}`);
  }
  return n;
}

/** `value = any(array[...])` for a list of values, false for none. */
const anyOf = (value: SQL, list: string[], type: "uuid" | "text"): SQL =>
  list.length === 0
    ? sql`false`
    : sql`${value} = any(array[${sql.join(
        list.map((item) => sql`${item}`),
        sql`, `,
      )}]::${sql.raw(type)}[])`;

/**
 * `binome erase person <email>`: removes what identifies the person and keeps the anonymous facts
 * that programme figures are made of. In one transaction:
 *
 * - deleted: their platform identities, enrolment profiles and conversation references;
 * - cleared: their check-in notes, the content of every message addressed to them (kind and dates
 *   stay; one still waiting is cancelled), the typed answers of their surveys, the text of the
 *   difficulties they raised, and the topics and next steps of the sessions of their pairs (date
 *   and duration stay);
 * - their participant row is replaced by a tombstone with a new random id ("Personne effacée",
 *   `erased-<uuid>@invalid`) that their pairs, enrolments, check-in answers, survey scores and
 *   difficulties now point to, so that counts of pairs, sessions, hours and answers still add up;
 * - anywhere else (group and channel messages, matching proposals, a programme's coordinator list),
 *   their id, email, name and platform ids are rewritten to the tombstone's or blotted out, as are
 *   their first name in their pairs' messages and, in any message, a quotation of what they wrote.
 *
 * Before committing, every row of every table is scanned; if any still mentions them, nothing is
 * changed and `ErasureIncompleteError` says where. With `apply: false` the same work is done and
 * rolled back, so the plan printed is exactly what `--yes` will do.
 */
export async function erasePerson(
  db: Database,
  email: string,
  options: { apply: boolean; now: Date },
): Promise<{ ok: true; report: ErasureReport } | { ok: false; reason: "unknownPerson" }> {
  let report: ErasureReport | undefined;
  try {
    report = await db.transaction(async (txn): Promise<ErasureReport | undefined> => {
      const tx = txn as unknown as Database;
      const person = await findPerson(tx, email);
      if (!person) return undefined;
      const id = person.id;
      const tombstone = { id: randomUUID(), email: "" };
      tombstone.email = `erased-${tombstone.id}@invalid`;
      const now = options.now.toISOString();
      await tx.execute(
        sql`insert into participants (id, name, email, language, time_zone, skills, created_at, updated_at)
            values (${tombstone.id}::uuid, ${ERASED_NAME}, ${tombstone.email}, null, null, '{}',
                    ${now}::timestamptz, ${now}::timestamptz)`,
      );

      const pairIds = (
        await queryRows<{ id: string }>(
          tx,
          sql`select id::text as id from pairs where mentor_id = ${id}::uuid or mentee_id = ${id}::uuid`,
        )
      ).map((r) => r.id);
      const theirPairs = anyOf(sql`pair_id`, pairIds, "uuid");

      const deleted = {
        conversationReferences: await count(
          tx,
          sql`delete from conversation_references
              where (platform, user_id) in (select platform, user_id from identities where participant_id = ${id}::uuid)
                 or ${anyOf(sql`channel_user_id`, person.platformIds, "text")}
              returning 1`,
        ),
        identities: await count(tx, sql`delete from identities where participant_id = ${id}::uuid returning 1`),
        profiles: await count(tx, sql`delete from profiles where participant_id = ${id}::uuid returning 1`),
      };
      // Kept, emptied: the date a reminder was sent is an anonymous fact the programme's figures count.
      const messagesToThem = await count(
        tx,
        sql`update outbox set payload = ${JSON.stringify(EMPTY_PAYLOAD)}::jsonb, sent = null, last_error = null,
              claimed_until = null,
              status = case when status in ('pending', 'sending') then 'cancelled'::outbox_status else status end
            where recipient_id = ${id}::uuid returning 1`,
      );
      const cancelledGroupMessages = await count(
        tx,
        sql`update outbox set status = 'cancelled'
            where ${id}::uuid = any(group_with) and status in ('pending', 'sending') returning 1`,
      );

      // What they wrote, to blot out of the messages that quoted it (a difficulty in the coordinators' channel).
      const written = await queryRows<{ text: string }>(
        tx,
        sql`select text from difficulties where raised_by = ${id}::uuid
            union select note from checkins where participant_id = ${id}::uuid and note is not null
            union select topics from sessions where ${theirPairs} or logged_by = ${id}::uuid
            union select next_steps from sessions
              where (${theirPairs} or logged_by = ${id}::uuid) and next_steps is not null`,
      );
      const surveyTexts = await clearSurveyText(tx, id);
      const cleared = {
        checkinNotes: await count(
          tx,
          sql`update checkins set note = null, note_shared = false
              where participant_id = ${id}::uuid and note is not null returning 1`,
        ),
        messagesToThem,
        surveyTextAnswers: surveyTexts.length,
        difficultyTexts: await count(
          tx,
          sql`update difficulties set text = '' where raised_by = ${id}::uuid and text <> '' returning 1`,
        ),
        sessionNotes: await count(
          tx,
          sql`update sessions set topics = '', next_steps = null
              where (${theirPairs} or logged_by = ${id}::uuid) and (topics <> '' or next_steps is not null)
              returning 1`,
        ),
      };

      const columns = await publicColumns(tx);
      const kept: Record<string, number> = {};
      for (const column of columns) {
        if (column.table === "participants" && column.column === "id") continue;
        const table = sql.identifier(column.table);
        const col = sql.identifier(column.column);
        let n = 0;
        if (column.type === "uuid") {
          n = await count(
            tx,
            sql`update ${table} set ${col} = ${tombstone.id}::uuid where ${col} = ${id}::uuid returning 1`,
          );
        } else if (column.type === "_uuid") {
          n = await count(
            tx,
            sql`update ${table} set ${col} = array_replace(${col}, ${id}::uuid, ${tombstone.id}::uuid)
                where ${id}::uuid = any(${col}) returning 1`,
          );
        }
        if (n > 0) kept[column.table] = (kept[column.table] ?? 0) + n;
      }

      const replacements = needlesOf(person).map((needle) => ({
        needle,
        replacement: replacementOf(needle, tombstone),
      }));
      const redacted: Record<string, number> = {};
      const textual = new Set(["text", "varchar", "_text", "_varchar", "jsonb", "json"]);
      for (const column of columns) {
        // Other participants are left alone: one of them may bear the same name.
        if (column.table === "participants" || !textual.has(column.type)) continue;
        const n = await redactColumn(tx, column, replacements);
        if (n > 0) redacted[column.table] = (redacted[column.table] ?? 0) + n;
      }
      // Messages about their pairs greet them by first name ("Léa, voici Marc").
      const [firstName] = needlesOf(person, { withFirstName: true }).filter((n) => n.kind === "firstName");
      const payload = columns.find((c) => c.table === "outbox" && c.column === "payload");
      if (firstName) {
        const scope = sql`(${theirPairs} or ${tombstone.id}::uuid = any(group_with))`;
        if (payload) {
          const n = await redactColumn(tx, payload, [{ needle: firstName, replacement: ERASED_NAME }], scope);
          if (n > 0) redacted.outbox = (redacted.outbox ?? 0) + n;
        }
      }

      const quoted = [...new Set([...written.map((w) => w.text), ...surveyTexts])]
        .filter((text) => text.trim().length >= SHORTEST_QUOTE)
        .map((text) => ({
          needle: { kind: "freeText", text, caseInsensitive: false, wholeWord: false } satisfies Needle,
          replacement: ERASED_ID,
        }));
      if (payload && quoted.length > 0) {
        const n = await redactColumn(tx, payload, quoted);
        if (n > 0) redacted.outbox = (redacted.outbox ?? 0) + n;
      }

      await tx.execute(sql`delete from participants where id = ${id}::uuid`);
      const left = await tablesMentioning(tx, needlesOf(person));
      if (Object.keys(left).length > 0) throw new ErasureIncompleteError(left);

      const done: ErasureReport = {
        person: { name: person.name, email: person.email },
        applied: options.apply,
        tombstoneEmail: tombstone.email,
        deleted,
        cleared,
        kept,
        redacted,
        cancelledGroupMessages,
      };
      if (!options.apply) throw new PlanOnly(done);
      return done;
    });
  } catch (error) {
    if (!(error instanceof PlanOnly)) throw error;
    report = error.report;
  }
  if (!report) return { ok: false, reason: "unknownPerson" };
  return { ok: true, report };
}

/** Empties the typed (free text) answers of the person's surveys; scores and choices stay. Returns the texts. */
async function clearSurveyText(db: Database, participantId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string; definition: string; answers: string }>(
    db,
    sql`select id::text as id, definition::text as definition, answers::text as answers
        from survey_responses where participant_id = ${participantId}::uuid`,
  );
  const cleared: string[] = [];
  for (const row of rows) {
    const questions = ((JSON.parse(row.definition) as { questions?: SurveyQuestion[] }).questions ?? []).filter(
      (q) => q.kind === "text",
    );
    const answers = JSON.parse(row.answers) as Record<string, { value?: string; skipped?: boolean }>;
    let changed = false;
    for (const question of questions) {
      const answer = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
      if (answer && typeof answer.value === "string" && answer.value !== "") {
        cleared.push(answer.value);
        answers[question.id] = { value: "" };
        changed = true;
      }
    }
    if (changed)
      await db.execute(
        sql`update survey_responses set answers = ${JSON.stringify(answers)}::jsonb where id = ${row.id}::uuid`,
      );
  }
  return cleared;
}
