import { CsvError, parse } from "csv-parse/sync";
import { z } from "zod";
import type { Role } from "./participants.repository.js";

/** The columns of a participants file, in the order the sample uses. */
export const CSV_COLUMNS = [
  "name",
  "email",
  "role",
  "language",
  "timezone",
  "skills",
  "slack_user_id",
  "teams_aad_id",
  "mentor_email",
] as const;
/** One column name of a participants file. */
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: CsvColumn[] = ["name", "email", "role"];

/** Every reason an import can refuse a file or warn about it; the CLI has a sentence for each. */
export type ImportProblemCode =
  | "file.notUtf8"
  | "file.empty"
  | "file.malformed"
  | "header.missingColumn"
  | "header.unknownColumn"
  | "header.duplicateColumn"
  | "row.columnCount"
  | "name.required"
  | "name.tooLong"
  | "email.required"
  | "email.invalid"
  | "role.required"
  | "role.unknown"
  | "language.unknown"
  | "timezone.unknown"
  | "skills.tooLong"
  | "slackUserId.invalid"
  | "teamsAadId.invalid"
  | "mentorEmail.invalid"
  | "mentorEmail.notMentee"
  | "mentorEmail.self"
  | "mentorEmail.unknown"
  | "mentorEmail.notMentor"
  | "person.conflict"
  | "role.duplicate"
  | "mentee.twoMentors"
  | "platformId.shared"
  | "slack.lookupFailed"
  | "slack.notFound"
  | "identity.moved"
  | "pair.replaced";

/** One thing wrong (or worth knowing) about a file; `line` counts the header as line 1. */
export interface ImportProblem {
  line?: number;
  code: ImportProblemCode;
  params: Record<string, string | number>;
}

/** A valid data row: one role of one person. */
export interface ParsedRow {
  line: number;
  name: string;
  email: string;
  role: Role;
  language?: "fr" | "en" | undefined;
  timeZone?: string | undefined;
  skills: string[];
  slackUserId?: string | undefined;
  teamsAadId?: string | undefined;
  mentorEmail?: string | undefined;
}

/** A person as the file describes them, merged from their rows. Absent values mean "not given". */
export interface PlannedPerson {
  email: string;
  name: string;
  language?: "fr" | "en" | undefined;
  timeZone?: string | undefined;
  skills?: string[] | undefined;
  slackUserId?: string | undefined;
  teamsAadId?: string | undefined;
  firstLine: number;
  roles: Array<{ line: number; role: Role; mentorEmail?: string | undefined }>;
}

/** What a file holds once read and checked on its own (without the database). */
export interface ParsedParticipants {
  people: PlannedPerson[];
  /** Emails of rows that were refused: a mentor_email naming one of them is not reported twice. */
  refusedEmails: Set<string>;
  problems: ImportProblem[];
}

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").trim().toLowerCase();

const ROLE_NAMES: Record<string, Role> = {
  coordinator: "coordinator",
  coordinateur: "coordinator",
  coordinatrice: "coordinator",
  mentor: "mentor",
  mentee: "mentee",
  // "mentoré(e)" folded; the unaccented "mentore" is read as a mentee too.
  mentore: "mentee",
  mentoree: "mentee",
};

function canonicalTimeZone(value: string): string | undefined {
  // Intl also accepts offsets such as "+01:00"; binome stores IANA names only.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
    // Fix the case ("europe/paris") but keep a link as written: ICU turns America/Montreal into America/Toronto.
    return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
  } catch {
    return undefined;
  }
}

const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());
const emailSchema = (code: ImportProblemCode) =>
  z
    .string()
    .toLowerCase()
    .pipe(z.email({ error: code }));

const rowSchema = z.object({
  name: z
    .string()
    .transform((v) => v.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, { error: "name.required" }).max(200, { error: "name.tooLong" })),
  email: z.string().trim().min(1, { error: "email.required" }).pipe(emailSchema("email.invalid")),
  role: z
    .string()
    .trim()
    .min(1, { error: "role.required" })
    .transform((v) => ROLE_NAMES[fold(v)])
    .pipe(z.enum(["coordinator", "mentor", "mentee"], { error: "role.unknown" })),
  language: z
    .string()
    .transform((v) => optional(v)?.toLowerCase())
    .pipe(z.enum(["fr", "en"], { error: "language.unknown" }).optional()),
  timezone: z
    .string()
    .transform(optional)
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const zone = canonicalTimeZone(v);
      if (!zone) ctx.addIssue({ code: "custom", message: "timezone.unknown" });
      return zone;
    }),
  skills: z
    .string()
    .transform((v) => {
      const seen = new Set<string>();
      return v
        .split("|")
        .map((s) => s.trim())
        .filter((s) => s !== "" && !seen.has(fold(s)) && seen.add(fold(s)));
    })
    .pipe(z.array(z.string().max(100, { error: "skills.tooLong" }))),
  slack_user_id: z
    .string()
    .transform((v) => optional(v)?.toUpperCase())
    .pipe(
      z
        .string()
        .regex(/^[UW][A-Z0-9]{6,20}$/, { error: "slackUserId.invalid" })
        .optional(),
    ),
  teams_aad_id: z
    .string()
    .transform((v) => optional(v)?.toLowerCase())
    .pipe(z.guid({ error: "teamsAadId.invalid" }).optional()),
  mentor_email: z.string().transform(optional).pipe(emailSchema("mentorEmail.invalid").optional()),
});

/** Reads the bytes as UTF-8 (with or without BOM); undefined when they are not UTF-8. */
function decode(input: Uint8Array | string): string | undefined {
  if (typeof input === "string") return input.replace(/^\uFEFF/, "");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    return undefined;
  }
}

/** French Excel writes `;`, others `,`: the header line decides. */
function detectDelimiter(text: string): ";" | "," {
  const header = text.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  const count = (char: string) => header.split(char).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

type Record_ = { record: string[]; info: { lines: number } };

function readRecords(text: string): Record_[] | ImportProblem {
  try {
    return parse(text, {
      delimiter: detectDelimiter(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Record_[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      return { ...(line ? { line } : {}), code: "file.malformed", params: { reason: error.message } };
    }
    throw error;
  }
}

function readHeader(cells: string[], problems: ImportProblem[]): Array<CsvColumn | undefined> {
  const columns = cells.map((cell) => fold(cell).replace(/[\s-]+/g, "_"));
  const known = columns.map((c) => ((CSV_COLUMNS as readonly string[]).includes(c) ? (c as CsvColumn) : undefined));
  columns.forEach((column, index) => {
    if (!known[index] && column !== "") {
      problems.push({
        line: 1,
        code: "header.unknownColumn",
        params: { column: cells[index] ?? "", expected: CSV_COLUMNS.join(", ") },
      });
    } else if (known[index] && columns.indexOf(column) !== index) {
      problems.push({ line: 1, code: "header.duplicateColumn", params: { column } });
    }
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!known.includes(column)) problems.push({ line: 1, code: "header.missingColumn", params: { column } });
  }
  return known;
}

function readRow(line: number, raw: Record<CsvColumn, string>, problems: ImportProblem[]): ParsedRow | undefined {
  const result = rowSchema.safeParse(raw);
  if (!result.success) {
    const reported = new Set<string>();
    for (const issue of result.error.issues) {
      const column = String(issue.path[0]) as CsvColumn;
      if (reported.has(column)) continue;
      reported.add(column);
      problems.push({ line, code: issue.message as ImportProblemCode, params: { column, value: raw[column].trim() } });
    }
    return undefined;
  }
  const v = result.data;
  const row: ParsedRow = {
    line,
    name: v.name,
    email: v.email,
    role: v.role,
    language: v.language,
    timeZone: v.timezone,
    skills: v.skills,
    slackUserId: v.slack_user_id,
    teamsAadId: v.teams_aad_id,
    mentorEmail: v.mentor_email,
  };
  if (row.mentorEmail && row.role !== "mentee") {
    problems.push({ line, code: "mentorEmail.notMentee", params: { value: row.mentorEmail, role: row.role } });
    return undefined;
  }
  if (row.mentorEmail === row.email) {
    problems.push({ line, code: "mentorEmail.self", params: { value: row.mentorEmail } });
    return undefined;
  }
  return row;
}

const PERSON_FIELDS = [
  ["name", "name"],
  ["language", "language"],
  ["timeZone", "timezone"],
  ["slackUserId", "slack_user_id"],
  ["teamsAadId", "teams_aad_id"],
] as const;

/** Merges the rows of one email into a person; a person's columns must agree or be empty on all but one row. */
function mergeRow(person: PlannedPerson, row: ParsedRow, problems: ImportProblem[]): void {
  for (const [field, column] of PERSON_FIELDS) {
    const mine = row[field];
    const theirs = person[field];
    if (mine === undefined) continue;
    if (theirs === undefined) person[field] = mine as never;
    else if (theirs !== mine) {
      problems.push({
        line: row.line,
        code: "person.conflict",
        params: { column, value: mine, otherLine: person.firstLine, otherValue: theirs },
      });
    }
  }
  if (row.skills.length > 0) {
    if (!person.skills) person.skills = row.skills;
    else if (person.skills.join("|") !== row.skills.join("|")) {
      problems.push({
        line: row.line,
        code: "person.conflict",
        params: {
          column: "skills",
          value: row.skills.join("|"),
          otherLine: person.firstLine,
          otherValue: person.skills.join("|"),
        },
      });
    }
  }
  const same = person.roles.find((r) => r.role === row.role);
  if (!same) person.roles.push({ line: row.line, role: row.role, mentorEmail: row.mentorEmail });
  else if (row.role === "mentee" && same.mentorEmail && row.mentorEmail && same.mentorEmail !== row.mentorEmail) {
    problems.push({
      line: row.line,
      code: "mentee.twoMentors",
      params: { value: row.mentorEmail, otherLine: same.line, otherValue: same.mentorEmail },
    });
  } else {
    problems.push({ line: row.line, code: "role.duplicate", params: { role: row.role, otherLine: same.line } });
  }
}

function checkSharedPlatformIds(people: PlannedPerson[], problems: ImportProblem[]): void {
  for (const [field, column] of [
    ["slackUserId", "slack_user_id"],
    ["teamsAadId", "teams_aad_id"],
  ] as const) {
    const owners = new Map<string, PlannedPerson>();
    for (const person of people) {
      const id = person[field];
      if (!id) continue;
      const owner = owners.get(id);
      if (owner)
        problems.push({
          line: person.firstLine,
          code: "platformId.shared",
          params: { column, value: id, otherLine: owner.firstLine, otherEmail: owner.email },
        });
      else owners.set(id, person);
    }
  }
}

/** Reads a participants CSV and checks everything that can be checked without the database. */
export function parseParticipantsCsv(input: Uint8Array | string): ParsedParticipants {
  const problems: ImportProblem[] = [];
  const refusedEmails = new Set<string>();
  const empty = { people: [], refusedEmails, problems };
  const text = decode(input);
  if (text === undefined) return { ...empty, problems: [{ code: "file.notUtf8", params: {} }] };
  const records = readRecords(text);
  if (!Array.isArray(records)) return { ...empty, problems: [records] };
  const [header, ...rows] = records;
  if (!header) return { ...empty, problems: [{ code: "file.empty", params: {} }] };
  const columns = readHeader(header.record, problems);
  if (problems.length > 0) return { ...empty, problems };
  if (rows.length === 0) return { ...empty, problems: [{ code: "file.empty", params: {} }] };

  const byEmail = new Map<string, PlannedPerson>();
  for (const { record, info } of rows) {
    // info.lines is where the record ends; quoted fields may hold line breaks.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.every((cell) => cell.trim() === "")) continue;
    if (record.length !== columns.length) {
      problems.push({ line, code: "row.columnCount", params: { count: record.length, expected: columns.length } });
      continue;
    }
    const raw = Object.fromEntries(CSV_COLUMNS.map((c) => [c, ""])) as Record<CsvColumn, string>;
    columns.forEach((column, index) => {
      if (column) raw[column] = record[index] ?? "";
    });
    const row = readRow(line, raw, problems);
    if (!row) {
      const email = raw.email.trim().toLowerCase();
      if (email) refusedEmails.add(email);
      continue;
    }
    const person = byEmail.get(row.email);
    if (person) mergeRow(person, row, problems);
    else {
      byEmail.set(row.email, {
        email: row.email,
        name: row.name,
        language: row.language,
        timeZone: row.timeZone,
        skills: row.skills.length > 0 ? row.skills : undefined,
        slackUserId: row.slackUserId,
        teamsAadId: row.teamsAadId,
        firstLine: row.line,
        roles: [{ line: row.line, role: row.role, mentorEmail: row.mentorEmail }],
      });
    }
  }
  const people = [...byEmail.values()];
  checkSharedPlatformIds(people, problems);
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { people, refusedEmails, problems };
}
