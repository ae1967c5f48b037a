import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../../../db/client.js";
import { pickLanguage } from "../../core/i18n/index.js";
import { localMoment } from "../outbox/working-hours.js";
import { foldName } from "../participants/names.js";
import { CSV_FILES, CsvTable, csvDelimiter, EvidenceCsv } from "./evidence.csv.js";
import { figureLines, type LearnerRecap, openSummaryPdf, writeLearnerPdf } from "./evidence.pdf.js";
import {
  findProgrammeBySlug,
  learnerBatches,
  loadLearnerRecords,
  type ProgrammeFigures,
  programmeFigures,
} from "./evidence.repository.js";
import { evidenceText } from "./evidence.texts.js";
import { buildLearnerSheet, type EvidenceContext } from "./follow-up.js";
import type { PdfFonts } from "./pdf-layout.js";

export interface EvidenceExportOptions {
  programmeSlug: string;
  /** Where to write; `exports/<slug>-<date>` under the working folder by default. */
  outDir?: string | undefined;
  /** The training organisation, printed at the top of each document when known. */
  organisation?: string | undefined;
  now: Date;
  fonts?: PdfFonts | undefined;
  /** Learners loaded per round trip; memory grows with it, not with the programme. */
  batchSize?: number;
  /** Called after each learner's sheet is written (progress, benchmarks). */
  onLearner?: (done: number) => void;
}

export type EvidenceExportResult =
  | { ok: false; reason: "unknownProgramme" }
  | {
      ok: true;
      outDir: string;
      programme: { name: string; slug: string };
      learners: number;
      figures: ProgrammeFigures;
      /** Paths of the files written, relative to `outDir`. */
      files: string[];
    };

export const SUMMARY_FILES = { pdf: "summary.pdf", csv: "summary.csv" } as const;
export const LEARNER_DIR = "learners";

/** The default folder of an export: `exports/<slug>-<YYYY-MM-DD>`. */
export function defaultEvidenceDir(slug: string, generatedOn: string): string {
  return join("exports", `${slug}-${generatedOn}`);
}

/** A file name for a learner's sheet: their name without accents or spaces, and the start of their id. */
export function learnerFileName(learner: { id: string; name: string }): string {
  const base = foldName(learner.name)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${base || "learner"}-${learner.id.slice(0, 8)}.pdf`;
}

/**
 * `binome export evidence`: per learner a follow-up sheet as PDF (written one at a time), the rows of
 * every learner in one CSV per kind, and the programme summary as PDF and CSV. Learners are read in
 * batches, so memory stays flat however many there are.
 */
export async function exportEvidence(db: Database, options: EvidenceExportOptions): Promise<EvidenceExportResult> {
  const programme = await findProgrammeBySlug(db, options.programmeSlug);
  if (!programme) return { ok: false, reason: "unknownProgramme" };
  const settings = (programme.settings ?? {}) as { language?: string };
  const context: EvidenceContext = {
    lang: pickLanguage(settings.language, programme.defaultLanguage),
    timeZone: programme.timeZone,
    programme: {
      id: programme.id,
      slug: programme.slug,
      name: programme.name,
      startsOn: programme.startsOn,
      endsOn: programme.endsOn,
    },
    organisation: options.organisation,
    generatedOn: localMoment(options.now, programme.timeZone).date,
  };
  const outDir = options.outDir ?? defaultEvidenceDir(programme.slug, context.generatedOn);
  await mkdir(join(outDir, LEARNER_DIR), { recursive: true });

  const figures = await programmeFigures(db, programme.id);
  const files: string[] = [];
  const csv = new EvidenceCsv(outDir, context.lang);
  const summary = openSummaryPdf(join(outDir, SUMMARY_FILES.pdf), context, figures, options.fonts);
  let learners = 0;
  try {
    for await (const batch of learnerBatches(db, programme.id, options.batchSize ?? 100)) {
      for (const records of await loadLearnerRecords(db, programme.id, batch)) {
        const sheet = buildLearnerSheet(records, context);
        const file = join(LEARNER_DIR, learnerFileName(sheet.learner));
        await writeLearnerPdf(join(outDir, file), sheet, context, options.fonts);
        files.push(file);
        const recap: LearnerRecap = {
          name: sheet.learner.name,
          mentors: [...new Set(sheet.pairs.map((p) => p.mentorName))].join(", "),
          sessions: sheet.totals.sessions,
          minutes: sheet.totals.minutes,
          checkins: `${sheet.totals.checkinsAnswered}/${sheet.totals.checkinsSent}`,
          surveys: `${sheet.surveys.filter((s) => s.completedOn !== "").length}/${sheet.surveys.length}`,
          difficulties: sheet.difficulties.length,
        };
        summary.add(recap);
        await csv.add(sheet, recap, file);
        learners += 1;
        options.onLearner?.(learners);
      }
    }
  } finally {
    await Promise.all([summary.close(), csv.close()]);
  }

  const summaryCsv = new CsvTable(
    join(outDir, SUMMARY_FILES.csv),
    [evidenceText(context.lang, "col.indicator"), evidenceText(context.lang, "col.value")],
    csvDelimiter(context.lang),
  );
  for (const { label, value } of figureLines(figures, context.lang)) await summaryCsv.write([label, value]);
  await summaryCsv.close();

  files.unshift(SUMMARY_FILES.pdf, SUMMARY_FILES.csv, ...Object.values(CSV_FILES));
  return {
    ok: true,
    outDir,
    programme: { name: programme.name, slug: programme.slug },
    learners,
    figures,
    files,
  };
}
