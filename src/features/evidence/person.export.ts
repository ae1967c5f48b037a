import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.js";
import { findPerson, needlesOf, type Person, publicTables, rowMentions } from "./person.scope.js";

/** Everything binome holds about one person: their rows and the rows that mention them, by table. */
export interface PersonExport {
  format: "binome/person-export@1";
  exportedAt: string;
  person: { id: string; name: string; email: string };
  /** Rows exactly as stored (column names as in the database), by table name; tables without a row are left out. */
  tables: Record<string, Array<Record<string, unknown>>>;
}

/**
 * The rows that concern a person without naming them, by table (alias `t`): the sessions of their
 * pairs, for instance. Every table is also searched for any row that mentions them.
 */
function relatedRows(person: Person): Record<string, SQL> {
  const id = person.id;
  const theirPairs = sql`(select id from pairs where mentor_id = ${id}::uuid or mentee_id = ${id}::uuid)`;
  return {
    participants: sql`t.id = ${id}::uuid`,
    identities: sql`t.participant_id = ${id}::uuid`,
    enrolments: sql`t.participant_id = ${id}::uuid`,
    profiles: sql`t.participant_id = ${id}::uuid`,
    programmes: sql`t.id in (select programme_id from enrolments where participant_id = ${id}::uuid)`,
    pairs: sql`(t.mentor_id = ${id}::uuid or t.mentee_id = ${id}::uuid)`,
    sessions: sql`(t.pair_id in ${theirPairs} or t.logged_by = ${id}::uuid)`,
    checkins: sql`t.participant_id = ${id}::uuid`,
    survey_responses: sql`t.participant_id = ${id}::uuid`,
    difficulties: sql`(t.raised_by = ${id}::uuid or t.handled_by = ${id}::uuid)`,
    charter_agreements: sql`t.participant_id = ${id}::uuid`,
    outbox: sql`(t.recipient_id = ${id}::uuid or ${id}::uuid = any(t.group_with))`,
    conversation_references: sql`(t.platform, t.user_id) in
      (select platform, user_id from identities where participant_id = ${id}::uuid)`,
    match_proposals: sql`(t.created_by = ${id}::uuid or t.decided_by = ${id}::uuid)`,
    attention_handled: sql`t.handled_by = ${id}::uuid`,
  };
}

/**
 * `binome export person <email>`: every row of every table that is about the person or mentions
 * them (id, email, name, platform ids), grouped by table. Their private notes are theirs, so included.
 */
export async function exportPerson(
  db: Database,
  email: string,
  now: Date,
): Promise<{ ok: true; export: PersonExport } | { ok: false; reason: "unknownPerson" }> {
  const person = await findPerson(db, email);
  if (!person) return { ok: false, reason: "unknownPerson" };
  const needles = needlesOf(person);
  const related = relatedRows(person);
  const tables: PersonExport["tables"] = {};
  for (const table of await publicTables(db)) {
    const relation = related[table] ?? sql`false`;
    const rows = await queryRows<{ row: string }>(
      db,
      sql`select row_to_json(t)::text as row from ${sql.identifier(table)} t
          where ${relation} or ${rowMentions(table, "t", needles)}
          order by 1`,
    );
    if (rows.length > 0) tables[table] = rows.map((r) => JSON.parse(r.row) as Record<string, unknown>);
  }
  return {
    ok: true,
    export: {
      format: "binome/person-export@1",
      exportedAt: now.toISOString(),
      person: { id: person.id, name: person.name, email: person.email },
      tables,
    },
  };
}
