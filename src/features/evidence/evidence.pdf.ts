import { formatDuration, type Language } from "../../core/i18n/index.js";
import type { ProgrammeFigures } from "./evidence.repository.js";
import { type EvidenceTextKey, evidenceText } from "./evidence.texts.js";
import type { EvidenceContext, LearnerSheet } from "./follow-up.js";
import { type PdfFonts, PdfSheet } from "./pdf-layout.js";

const colonOf = (lang: Language) => (lang === "fr" ? " : " : ": ");
// Why our own cached formatter rather than `formatDate`: each `new Intl.DateTimeFormat` holds ICU
// memory that V8 frees late; forty dates per sheet times a thousand learners grew RSS by gigabytes.
const dayFormats: Partial<Record<Language, Intl.DateTimeFormat>> = {};

/** A date as `formatDate` writes it (`5 oct. 2026`), from one formatter per language; empty for none. */
function day(lang: Language, iso: string): string {
  if (!iso) return "";
  dayFormats[lang] ??= new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  const [y, m, d] = iso.split("-").map(Number);
  return dayFormats[lang].format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

/** The attestation-style block at the top of every document: organisation, programme, period, issue date. */
function header(pdf: PdfSheet, context: EvidenceContext, title: EvidenceTextKey): void {
  const { lang, programme } = context;
  const colon = colonOf(lang);
  const text = (key: EvidenceTextKey, params?: Record<string, string>) => evidenceText(lang, key, params);
  pdf.title(text(title));
  if (context.organisation) pdf.field(text("header.organisation"), context.organisation, colon);
  pdf.field(text("header.programme"), programme.name, colon);
  pdf.field(
    text("header.period"),
    programme.startsOn && programme.endsOn
      ? text("header.periodRange", { start: day(lang, programme.startsOn), end: day(lang, programme.endsOn) })
      : text("header.periodUnknown"),
    colon,
  );
  pdf.field(text("header.generated"), day(lang, context.generatedOn), colon);
  pdf.rule();
}

/** Writes one learner's follow-up sheet as an A4 PDF at `path`, and waits until it is on disk. */
export async function writeLearnerPdf(
  path: string,
  sheet: LearnerSheet,
  context: EvidenceContext,
  fonts?: PdfFonts,
): Promise<void> {
  const { lang } = context;
  const text = (key: EvidenceTextKey, params?: Record<string, string | number>) => evidenceText(lang, key, params);
  const pdf = new PdfSheet(
    path,
    {
      title: `${text("sheet.title")} · ${sheet.learner.name}`,
      author: context.organisation,
      footer: (page) => text("footer.sheet", { programme: context.programme.name, name: sheet.learner.name, page }),
    },
    fonts,
  );
  header(pdf, context, "sheet.title");
  pdf.field(text("learner.name"), sheet.learner.name, colonOf(lang));
  pdf.field(text("learner.email"), sheet.learner.email, colonOf(lang));

  pdf.heading(text("section.pairs"));
  if (sheet.pairs.length === 0) pdf.paragraph(text("empty.pairs"), { muted: true });
  else {
    const table = pdf.table([
      { header: text("col.mentor"), width: 3 },
      { header: text("col.mentorEmail"), width: 4 },
      { header: text("col.start"), width: 2 },
      { header: text("col.end"), width: 2 },
      { header: text("col.status"), width: 1.6 },
    ]);
    for (const p of sheet.pairs)
      table.row([p.mentorName, p.mentorEmail, day(lang, p.startedOn), day(lang, p.endedOn), p.status]);
    table.end();
  }

  pdf.heading(text("section.sessions"));
  if (sheet.sessions.length === 0) pdf.paragraph(text("empty.sessions"), { muted: true });
  else {
    const table = pdf.table([
      { header: text("col.date"), width: 1.7 },
      { header: text("col.duration"), width: 1.3 },
      { header: text("col.mentor"), width: 2 },
      { header: text("col.topics"), width: 4 },
      { header: text("col.nextSteps"), width: 3.5 },
    ]);
    for (const s of sheet.sessions)
      table.row([day(lang, s.heldOn), formatDuration(lang, s.durationMinutes), s.mentorName, s.topics, s.nextSteps]);
    table.end();
    pdf.paragraph(
      text("totals.sessions", {
        count: sheet.totals.sessions,
        duration: formatDuration(lang, sheet.totals.minutes),
      }),
    );
  }

  pdf.heading(text("section.checkins"));
  if (sheet.checkins.length === 0) pdf.paragraph(text("empty.checkins"), { muted: true });
  else {
    const table = pdf.table([
      { header: text("col.sentOn"), width: 1.8 },
      { header: text("col.answer"), width: 1.8 },
      { header: text("col.answeredOn"), width: 1.8 },
      { header: text("col.usefulness"), width: 1.3 },
      { header: text("col.note"), width: 3.5 },
      { header: text("col.help"), width: 2 },
    ]);
    for (const c of sheet.checkins)
      table.row([day(lang, c.sentOn), c.answer, day(lang, c.answeredOn), c.usefulness, c.note, c.help]);
    table.end();
  }

  pdf.heading(text("section.messages"));
  if (sheet.messages.length === 0) pdf.paragraph(text("empty.messages"), { muted: true });
  else {
    const table = pdf.table([
      { header: text("col.sentAt"), width: 2.3 },
      { header: text("col.kind"), width: 1.7 },
      { header: text("col.subject"), width: 7 },
    ]);
    for (const m of sheet.messages) table.row([`${day(lang, m.sentOn)} ${m.sentTime}`, m.kind, m.subject]);
    table.end();
  }

  pdf.heading(text("section.surveys"));
  if (sheet.surveys.length === 0) pdf.paragraph(text("empty.surveys"), { muted: true });
  for (const s of sheet.surveys) {
    const status = s.completedOn ? text("survey.completedOn", { date: day(lang, s.completedOn) }) : s.status;
    pdf.subheading(text("survey.heading", { title: s.title, moment: s.moment, status }));
    if (s.answers.length === 0) {
      pdf.paragraph(text("survey.noAnswer"), { muted: true });
      continue;
    }
    const table = pdf.table([
      { header: text("col.question"), width: 6 },
      { header: text("col.answer"), width: 5 },
    ]);
    for (const a of s.answers) table.row([a.question, a.answer]);
    table.end();
  }

  pdf.heading(text("section.difficulties"));
  if (sheet.difficulties.length === 0) pdf.paragraph(text("empty.difficulties"), { muted: true });
  else {
    const table = pdf.table([
      { header: text("col.raisedOn"), width: 1.8 },
      { header: text("col.source"), width: 1.6 },
      { header: text("col.text"), width: 4 },
      { header: text("col.status"), width: 1.3 },
      { header: text("col.handledBy"), width: 2 },
      { header: text("col.handledOn"), width: 1.8 },
    ]);
    for (const d of sheet.difficulties)
      table.row([day(lang, d.raisedOn), d.source, d.text, d.status, d.handledBy, day(lang, d.handledOn)]);
    table.end();
  }
  pdf.paragraph(text("generatedBy"), { muted: true });
  await pdf.close();
}

/** One line of the per-learner recap of the programme summary. */
export interface LearnerRecap {
  name: string;
  mentors: string;
  sessions: number;
  minutes: number;
  checkins: string;
  surveys: string;
  difficulties: number;
}

/** A percentage for people, or "—" when nothing was asked. */
export function rate(part: number, whole: number): string {
  return whole === 0 ? "—" : `${Math.round((part / whole) * 100)} %`;
}

/** The figures of the summary as label/value lines, in the order both the PDF and the CSV show them. */
export function figureLines(figures: ProgrammeFigures, lang: Language): Array<{ label: string; value: string }> {
  const hours = (figures.minutes / 60).toFixed(1);
  const line = (key: EvidenceTextKey, value: string | number) => ({
    label: evidenceText(lang, key),
    value: String(value),
  });
  return [
    line("figure.learners", figures.learners),
    line("figure.mentors", figures.mentors),
    line("figure.pairs", figures.pairs),
    line("figure.pairsActive", figures.pairsActive),
    line("figure.pairsEnded", figures.pairsEnded),
    line("figure.sessions", figures.sessions),
    line("figure.hours", lang === "fr" ? hours.replace(".", ",") : hours),
    line("figure.learnersWithSession", figures.learnersWithSession),
    line("figure.checkinsSent", figures.checkinsSent),
    line("figure.checkinsAnswered", figures.checkinsAnswered),
    line("figure.checkinRate", rate(figures.checkinsAnswered, figures.checkinsSent)),
    line(
      "figure.usefulness",
      figures.usefulness === null
        ? "—"
        : lang === "fr"
          ? figures.usefulness.toFixed(1).replace(".", ",")
          : figures.usefulness.toFixed(1),
    ),
    line("figure.messagesSent", figures.messagesSent),
    line("figure.surveysSent", figures.surveysSent),
    line("figure.surveysCompleted", figures.surveysCompleted),
    line("figure.surveyRate", rate(figures.surveysCompleted, figures.surveysSent)),
    line("figure.difficulties", figures.difficulties),
    line("figure.difficultiesOpen", figures.difficultiesOpen),
    line("figure.difficultiesHandled", figures.difficultiesHandled),
  ];
}

/** The programme summary PDF: the figures first, then a recap line per learner, added as the export goes. */
export function openSummaryPdf(
  path: string,
  context: EvidenceContext,
  figures: ProgrammeFigures,
  fonts?: PdfFonts,
): { add(recap: LearnerRecap): void; close(): Promise<void> } {
  const { lang } = context;
  const text = (key: EvidenceTextKey, params?: Record<string, string | number>) => evidenceText(lang, key, params);
  const pdf = new PdfSheet(
    path,
    {
      title: `${text("summary.title")} · ${context.programme.name}`,
      author: context.organisation,
      footer: (page) => text("footer.summary", { programme: context.programme.name, page }),
    },
    fonts,
  );
  header(pdf, context, "summary.title");
  pdf.heading(text("section.figures"));
  const figuresTable = pdf.table([
    { header: text("col.indicator"), width: 7 },
    { header: text("col.value"), width: 3 },
  ]);
  for (const { label, value } of figureLines(figures, lang)) figuresTable.row([label, value]);
  figuresTable.end();

  pdf.heading(text("section.learners"));
  let learners = 0;
  const recap = pdf.table([
    { header: text("col.learner"), width: 2.6 },
    { header: text("col.mentor"), width: 2.6 },
    { header: text("col.sessions"), width: 1.2 },
    { header: text("col.duration"), width: 1.3 },
    { header: text("col.checkinsAnswered"), width: 1.7 },
    { header: text("col.surveysCompleted"), width: 2.2 },
    { header: text("col.difficulties"), width: 1.7 },
  ]);
  return {
    add(line) {
      learners += 1;
      recap.row([
        line.name,
        line.mentors,
        String(line.sessions),
        formatDuration(lang, line.minutes),
        line.checkins,
        line.surveys,
        String(line.difficulties),
      ]);
    },
    async close() {
      recap.end();
      if (learners === 0) pdf.paragraph(text("empty.learners"), { muted: true });
      pdf.paragraph(text("generatedBy"), { muted: true });
      await pdf.close();
    },
  };
}
