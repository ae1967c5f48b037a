import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { type Stringifier, stringify } from "csv-stringify";
import type { Language } from "../../core/i18n/index.js";
import type { LearnerRecap } from "./evidence.pdf.js";
import { type EvidenceTextKey, evidenceText } from "./evidence.texts.js";
import type { LearnerSheet } from "./follow-up.js";

/** The CSV files of an evidence export, one per kind of row, across all learners. */
export const CSV_FILES = {
  learners: "learners.csv",
  pairs: "pairs.csv",
  sessions: "sessions.csv",
  checkins: "checkins.csv",
  messages: "messages.csv",
  surveys: "surveys.csv",
  difficulties: "difficulties.csv",
} as const;

/** French spreadsheets split on `;`, English ones on `,`; the byte-order mark makes Excel read UTF-8. */
export const csvDelimiter = (lang: Language) => (lang === "fr" ? ";" : ",");

/**
 * A cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@` (a formula to Excel and
 * LibreOffice) gets a leading apostrophe, as OWASP advises against CSV injection. Numbers pass as they are.
 */
export function csvCell(value: string | number): string | number {
  if (typeof value === "number") return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV file written row by row, waiting when the disk is slower than the export. */
export class CsvTable {
  readonly #stringifier: Stringifier;
  readonly #done: Promise<void>;

  constructor(path: string, headers: string[], delimiter: string) {
    this.#stringifier = stringify({ delimiter, bom: true, record_delimiter: "windows" });
    const out = createWriteStream(path);
    this.#stringifier.pipe(out);
    this.#done = finished(out);
    this.#stringifier.write(headers);
  }

  async write(row: Array<string | number>): Promise<void> {
    if (!this.#stringifier.write(row.map(csvCell))) await once(this.#stringifier, "drain");
  }

  async close(): Promise<void> {
    this.#stringifier.end();
    await this.#done;
  }
}

/** The table CSV files of an export, open for the whole run: each learner's rows are appended as they come. */
export class EvidenceCsv {
  readonly #tables: Record<keyof typeof CSV_FILES, CsvTable>;

  constructor(dir: string, lang: Language) {
    const headers = (...keys: EvidenceTextKey[]) => keys.map((k) => evidenceText(lang, k));
    const open = (file: string, keys: EvidenceTextKey[]) =>
      new CsvTable(join(dir, file), headers("col.learner", "col.learnerEmail", ...keys), csvDelimiter(lang));
    this.#tables = {
      learners: open(CSV_FILES.learners, [
        "col.mentor",
        "col.sessions",
        "col.minutes",
        "col.checkinsSent",
        "col.checkinsAnswered",
        "col.surveysSent",
        "col.surveysCompleted",
        "col.difficulties",
        "col.sheet",
      ]),
      pairs: open(CSV_FILES.pairs, ["col.mentor", "col.mentorEmail", "col.start", "col.end", "col.status"]),
      sessions: open(CSV_FILES.sessions, [
        "col.date",
        "col.durationMinutes",
        "col.mentor",
        "col.topics",
        "col.nextSteps",
      ]),
      checkins: open(CSV_FILES.checkins, [
        "col.round",
        "col.sentOn",
        "col.answer",
        "col.answeredOn",
        "col.usefulness",
        "col.note",
        "col.help",
      ]),
      messages: open(CSV_FILES.messages, ["col.sentAt", "col.kind", "col.subject"]),
      surveys: open(CSV_FILES.surveys, [
        "col.survey",
        "col.surveyStatus",
        "col.sentOn",
        "col.completedOn",
        "col.question",
        "col.answer",
      ]),
      difficulties: open(CSV_FILES.difficulties, [
        "col.raisedOn",
        "col.source",
        "col.text",
        "col.status",
        "col.handledBy",
        "col.handledOn",
      ]),
    };
  }

  /** Appends one learner's rows to every table, and their line to `learners.csv`. */
  async add(sheet: LearnerSheet, recap: LearnerRecap, pdfFile: string): Promise<void> {
    const who = [sheet.learner.name, sheet.learner.email];
    const t = this.#tables;
    const { totals } = sheet;
    await t.learners.write([
      ...who,
      recap.mentors,
      totals.sessions,
      totals.minutes,
      totals.checkinsSent,
      totals.checkinsAnswered,
      sheet.surveys.length,
      sheet.surveys.filter((s) => s.completedOn !== "").length,
      sheet.difficulties.length,
      pdfFile,
    ]);
    for (const p of sheet.pairs)
      await t.pairs.write([...who, p.mentorName, p.mentorEmail, p.startedOn, p.endedOn, p.status]);
    for (const s of sheet.sessions)
      await t.sessions.write([...who, s.heldOn, s.durationMinutes, s.mentorName, s.topics, s.nextSteps]);
    for (const c of sheet.checkins)
      await t.checkins.write([...who, c.round, c.sentOn, c.answer, c.answeredOn, c.usefulness, c.note, c.help]);
    for (const m of sheet.messages) await t.messages.write([...who, `${m.sentOn} ${m.sentTime}`, m.kind, m.subject]);
    for (const s of sheet.surveys) {
      const survey = [...who, `${s.title} (${s.moment})`, s.status, s.sentOn, s.completedOn];
      if (s.answers.length === 0) await t.surveys.write([...survey, "", ""]);
      for (const a of s.answers) await t.surveys.write([...survey, a.question, a.answer]);
    }
    for (const d of sheet.difficulties)
      await t.difficulties.write([...who, d.raisedOn, d.source, d.text, d.status, d.handledBy, d.handledOn]);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.#tables).map((table) => table.close()));
  }
}
