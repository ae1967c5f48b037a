import { createWriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";
import PDFDocument from "pdfkit";
import { formatDate, formatDuration, type Language, t } from "../../core/i18n/index.js";
import { nameList } from "./closing.cards.js";
import type { MentorContribution } from "./closing.repository.js";

/** What an attestation states. */
export interface AttestationInput {
  lang: Language;
  programme: { name: string; startsOn: string | null; endsOn: string | null };
  mentor: MentorContribution;
  /** Local date the attestation is issued on. */
  issuedOn: string;
  /** Recorded as the PDF's creation date, so that the same input gives the same file. */
  issuedAt: Date;
}

/** A file name for a mentor's attestation: readable, unique, ASCII. */
export function attestationFileName(mentor: Pick<MentorContribution, "id" | "name">): string {
  const readable = mentor.name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `attestation-${readable || "mentor"}-${mentor.id.slice(0, 8)}.pdf`;
}

/**
 * Writes a mentor's attestation as an A4 PDF (pdfkit, its standard Helvetica: Latin-1 text,
 * which French needs). Written to a temporary name, then renamed: a reader never sees half a file.
 */
export async function writeAttestation(path: string, input: AttestationInput): Promise<void> {
  const { lang, programme, mentor } = input;
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const doc = new PDFDocument({
    size: "A4",
    margin: 72,
    info: {
      Title: `${t(lang, "closing.pdf.title")} — ${mentor.name}`,
      Author: programme.name,
      Subject: programme.name,
      Creator: "binome",
      CreationDate: input.issuedAt,
    },
  });
  const done = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(partial);
    out.on("finish", resolve);
    out.on("error", reject);
    doc.on("error", reject);
    doc.pipe(out);
  });
  doc.font("Helvetica-Bold").fontSize(22).text(t(lang, "closing.pdf.title"), { align: "center" });
  doc.moveDown(0.5);
  doc.font("Helvetica").fontSize(13).text(programme.name, { align: "center" });
  if (programme.startsOn && programme.endsOn) {
    doc
      .fontSize(11)
      .fillColor("#555555")
      .text(
        t(lang, "closing.pdf.period", {
          start: formatDate(lang, programme.startsOn),
          end: formatDate(lang, programme.endsOn),
        }),
        { align: "center" },
      )
      .fillColor("black");
  }
  doc.moveDown(2);
  doc.fontSize(12).text(t(lang, "closing.pdf.body", { name: mentor.name, programme: programme.name }));
  doc.moveDown();
  doc.text(t(lang, "closing.pdf.mentees", { mentees: nameList(lang, mentor.mentees), n: mentor.mentees.length }));
  doc.text(t(lang, "closing.pdf.sessions", { sessions: mentor.sessions }));
  doc.text(t(lang, "closing.pdf.hours", { hours: formatDuration(lang, mentor.minutes) }));
  doc.moveDown(2);
  doc.text(t(lang, "closing.pdf.issued", { date: formatDate(lang, input.issuedOn) }));
  doc.moveDown(3);
  doc.text(t(lang, "closing.pdf.signature"), { align: "right" });
  doc.end();
  await done;
  await rename(partial, path);
}
