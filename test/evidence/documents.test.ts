import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvCell } from "../../src/features/evidence/evidence.csv.js";
import { learnerFileName } from "../../src/features/evidence/evidence.export.js";
import { writeLearnerPdf } from "../../src/features/evidence/evidence.pdf.js";
import {
  buildLearnerSheet,
  type EvidenceContext,
  type LearnerRecords,
  surveyAnswers,
} from "../../src/features/evidence/follow-up.js";
import { toWinAnsi } from "../../src/features/evidence/pdf-layout.js";
import { MIDTERM_DEFINITION } from "./seed.js";

const context = (lang: "fr" | "en"): EvidenceContext => ({
  lang,
  timeZone: "Europe/Paris",
  programme: { id: "p", slug: "promo", name: "Promo 2026", startsOn: "2026-09-01", endsOn: "2027-02-26" },
  generatedOn: "2026-11-27",
});

function records(overrides: Partial<LearnerRecords> = {}): LearnerRecords {
  return {
    learner: { id: "0b8f4c2e-0000-4000-8000-000000000001", name: "Łucja Nowak", email: "lucja@example.org" },
    pairs: [],
    sessions: [],
    checkins: [],
    messages: [],
    surveys: [],
    difficulties: [],
    ...overrides,
  };
}

describe("evidence documents", () => {
  it("keep a private note's text out of the sheet and say that there is one", () => {
    const checkin = {
      round: 1,
      createdAt: new Date("2026-10-06T08:00:00Z"),
      sentAt: null,
      answer: "met",
      answeredAt: null,
      usefulness: 3,
      help: null,
    };
    const sheet = buildLearnerSheet(
      records({
        checkins: [
          { ...checkin, hasNote: true, sharedNote: null },
          { ...checkin, round: 2, hasNote: true, sharedNote: "Partagée" },
          { ...checkin, round: 3, hasNote: false, sharedNote: null },
        ],
      }),
      context("fr"),
    );
    expect(sheet.checkins.map((c) => c.note)).toEqual(["note privée", "Partagée", "—"]);
    expect(
      buildLearnerSheet(records({ checkins: [{ ...checkin, hasNote: true, sharedNote: null }] }), context("en")),
    ).toMatchObject({ checkins: [{ note: "private note", answer: "Met" }] });
  });

  it("give survey answers in words, in the programme's language, skipped questions included", () => {
    const answers = {
      relationship: { value: "no" },
      satisfaction: { value: "1" },
      format: { value: "onsite" },
      comment: { skipped: true },
    };
    expect(surveyAnswers(MIDTERM_DEFINITION, answers, "en")).toEqual([
      { question: "Is your mentoring up and running?", answer: "No" },
      { question: "How do you rate your conversations?", answer: "1/5 — disappointing" },
      { question: "How do you meet?", answer: "On site" },
      { question: "A word about your conversations?", answer: "(question skipped)" },
    ]);
    expect(surveyAnswers(MIDTERM_DEFINITION, { satisfaction: { value: "3" } }, "fr")).toEqual([
      { question: "Comment jugez-vous vos échanges ?", answer: "3/5" },
    ]);
  });

  it("draw names outside Windows-1252 with the built-in font, and keep French as it is", () => {
    expect(toWinAnsi("Łucja Wiśniewska · Nguyễn Văn An · « Léa » 1\u202f000 € ✅")).toBe(
      "Lucja Wisniewska · Nguyen Van An · « Léa » 1 000 € ",
    );
    expect(toWinAnsi("日本")).toBe("??");
  });

  it("defuse spreadsheet formulas in CSV cells", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(csvCell("-relire le CV")).toBe("'-relire le CV");
    expect(csvCell("Relire le CV")).toBe("Relire le CV");
    expect(csvCell(45)).toBe(45);
  });

  it("name sheet files after the learner, without accents, unique by id", () => {
    expect(learnerFileName({ id: "bc7691e5-5662-4df5-b002-c09fcf9a46d0", name: "Léa Petit-Dupré" })).toBe(
      "lea-petit-dupre-bc7691e5.pdf",
    );
    expect(learnerFileName({ id: "0b8f4c2e-0000", name: "李" })).toBe("learner-0b8f4c2e.pdf");
  });

  it("repeat a table's header on each page of a long sheet and lose no row", async () => {
    const heldOn = (i: number) =>
      `2026-${String(9 + Math.floor(i / 28)).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
    const sessions = Array.from({ length: 80 }, (_, i) => ({
      pairId: "pair",
      heldOn: heldOn(i),
      durationMinutes: 30 + i,
      topics: `Sujet numéro ${i + 1} : préparation d'un entretien, avec une description assez longue pour tenir sur deux lignes`,
      nextSteps: null,
    }));
    const sheet = buildLearnerSheet(
      records({
        pairs: [
          {
            id: "pair",
            mentorName: "Marc Dubois",
            mentorEmail: "marc@example.org",
            status: "active",
            createdAt: new Date("2026-09-01T08:00:00Z"),
            endedAt: null,
          },
        ],
        sessions,
      }),
      context("en"),
    );
    const file = join(mkdtempSync(join(tmpdir(), "binome-pdf-")), "long.pdf");

    await writeLearnerPdf(file, sheet, context("en"));

    const pages = execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).split("\f");
    const filled = pages.filter((p) => p.trim() !== "");
    expect(filled.length).toBeGreaterThan(2);
    const text = filled.join(" ").replace(/\s+/g, " ");
    expect(text).toContain("Individual follow-up record — mentoring");
    expect(text).toContain("Learner: Lucja Nowak");
    for (let i = 1; i <= 80; i++) expect(text).toContain(`Sujet numéro ${i} :`);
    expect(text).toContain("80 session(s),");
    const withHeader = filled.filter((p) => p.replace(/\s+/g, " ").includes("Date Duration Mentor Topics Next steps"));
    expect(withHeader.length).toBeGreaterThan(1);
    filled.forEach((page, i) => {
      expect(page).toContain(`Promo 2026 · Lucja Nowak · page ${i + 1}`);
    });
  });
});
