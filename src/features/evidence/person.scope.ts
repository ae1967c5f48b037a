import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.js";

/** A participant as the person-level commands find them, with everything that names them in stored rows. */
export interface Person {
  id: string;
  name: string;
  email: string;
  /** Platform user ids (`U0123`, AAD object ids) and per-conversation ids (Teams `29:…`). */
  platformIds: string[];
}

/** A piece of text that identifies a person, and how to recognise it in stored text. */
export interface Needle {
  kind: "id" | "email" | "name" | "firstName" | "platformId" | "freeText";
  text: string;
  caseInsensitive: boolean;
  /** Names match as whole words, so that "Léa Petit" does not match "Léa Petitjean". */
  wholeWord: boolean;
}

/** Finds a participant by email (any case) with their platform ids; undefined when nobody has it. */
export async function findPerson(db: Database, email: string): Promise<Person | undefined> {
  const [row] = await queryRows<{ id: string; name: string; email: string }>(
    db,
    sql`select id::text as id, name, email from participants where lower(email) = lower(${email.trim()})`,
  );
  if (!row) return undefined;
  const ids = await queryRows<{ id: string }>(
    db,
    sql`select user_id as id from identities where participant_id = ${row.id}
        union
        select r.channel_user_id from conversation_references r
          join identities i on i.platform = r.platform and i.user_id = r.user_id
          where i.participant_id = ${row.id} and r.channel_user_id is not null`,
  );
  return { ...row, platformIds: [...new Set(ids.map((r) => r.id).filter((id) => id.trim() !== ""))] };
}

/** Texts shorter than this are not searched for: a two-letter name would match everywhere. */
const SHORTEST_NEEDLE = 3;

/** What identifies the person in stored text; the first name only where `withFirstName` (their pairs' messages). */
export function needlesOf(person: Person, options: { withFirstName?: boolean } = {}): Needle[] {
  const needles: Needle[] = [
    { kind: "id", text: person.id, caseInsensitive: false, wholeWord: false },
    { kind: "email", text: person.email, caseInsensitive: true, wholeWord: false },
    ...person.platformIds.map(
      (id): Needle => ({ kind: "platformId", text: id, caseInsensitive: false, wholeWord: true }),
    ),
    { kind: "name", text: person.name.trim(), caseInsensitive: true, wholeWord: true },
  ];
  const first = person.name.trim().split(/\s+/)[0] ?? "";
  if (options.withFirstName && first !== person.name.trim())
    needles.push({ kind: "firstName", text: first, caseInsensitive: false, wholeWord: true });
  return needles.filter((n) => n.text.length >= SHORTEST_NEEDLE);
}

// Letters, accented ones included (PostgreSQL's classes only know ASCII in the C locale), and digits.
const WORD = "[0-9A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]";

/** A PostgreSQL regular expression (ARE) matching the needle's text, as written in a JSON string when `json`. */
export function needlePattern(needle: Needle, json = false): string {
  const text = json ? JSON.stringify(needle.text).slice(1, -1) : needle.text;
  const escaped = text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
  return needle.wholeWord ? `(?<!${WORD})${escaped}(?!${WORD})` : escaped;
}

/** True in SQL when `text` (any text expression) contains the needle. */
export function mentions(text: SQL, needle: Needle, json = false): SQL {
  const pattern = needlePattern(needle, json);
  return needle.caseInsensitive ? sql`(${text} ~* ${pattern})` : sql`(${text} ~ ${pattern})`;
}

/**
 * True in SQL when row `alias` of `table` mentions the person anywhere. In `participants`, a name
 * is not a mention: another person may bear the same one.
 */
export function rowMentions(table: string, alias: string, needles: Needle[]): SQL {
  const row = sql.raw(`${alias}::text`);
  const relevant = needles.filter((n) => table !== "participants" || (n.kind !== "name" && n.kind !== "firstName"));
  if (relevant.length === 0) return sql`false`;
  return sql`(${sql.join(
    relevant.map((n) => mentions(row, n)),
    sql` or `,
  )})`;
}

/** A column of a table of binome's schema, and what it holds. */
export interface ColumnInfo {
  table: string;
  column: string;
  /** PostgreSQL's type name: `uuid`, `_uuid` (array), `text`, `_text`, `jsonb`… */
  type: string;
}

/** Every table of the public schema, read from the catalog: a table added later is covered without a change here. */
export async function publicTables(db: Database): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.name);
}

export async function publicColumns(db: Database): Promise<ColumnInfo[]> {
  return queryRows<ColumnInfo>(
    db,
    sql`select c.table_name as "table", c.column_name as "column", c.udt_name as "type"
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
        order by c.table_name, c.ordinal_position`,
  );
}

/** The tables (with their number of rows) that still mention the person, by a scan of every row of every table. */
export async function tablesMentioning(db: Database, needles: Needle[]): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const table of await publicTables(db)) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(table)} t where ${rowMentions(table, "t", needles)}`,
    );
    const n = Number(row?.n ?? 0);
    if (n > 0) found[table] = n;
  }
  return found;
}
