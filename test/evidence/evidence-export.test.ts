import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { runBinome, useCliDatabase } from "../support/cli.js";
import { type EvidenceSeed, PRIVATE_NOTE, SHARED_NOTE, seedEvidence } from "./seed.js";

// Each test starts node (through tsx) and opens the database more than once: seconds each.
const SLOW = 180_000;

/**
 * The text of a PDF as poppler reads it, in drawing order, without whitespace: what a reader sees,
 * wherever a table cell happened to wrap its lines.
 */
function pdfText(file: string): string {
  return squash(execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }));
}

const squash = (text: string) => text.replace(/\s+/g, "");

function readCsv(file: string): Array<Record<string, string>> {
  return parse(readFileSync(file), { bom: true, delimiter: ";", columns: true }) as Array<Record<string, string>>;
}

describe("binome export evidence", () => {
  const database = useCliDatabase("binome-evidence-");

  it(
    "writes each learner's follow-up sheet as PDF and CSV, without private notes, and the programme summary",
    async () => {
      const seed: EvidenceSeed = await database().read(seedEvidence);
      const out = join(mkdtempSync(join(tmpdir(), "binome-evidence-out-")), "preuves");

      const run = await runBinome(
        [
          "export",
          "evidence",
          "--programme",
          "cohorte-test",
          "--out",
          out,
          "--organisation",
          "Centre de formation Exemple",
        ],
        database().env,
      );

      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Preuves du programme « Cohorte test » écrites dans ${out} : 3 fiche(s) de suivi`);
      const sheets = readdirSync(join(out, "learners")).sort();
      expect(sheets).toEqual([
        expect.stringMatching(/^hugo-moreau-[0-9a-f]{8}\.pdf$/),
        expect.stringMatching(/^ines-laurent-[0-9a-f]{8}\.pdf$/),
        expect.stringMatching(/^lea-petit-[0-9a-f]{8}\.pdf$/),
      ]);

      const lea = pdfText(join(out, "learners", sheets[2] as string));
      for (const expected of [
        "Fiche de suivi individuel — mentorat",
        "Organisme : Centre de formation Exemple",
        "Programme : Cohorte test",
        "Période : du 1 sept. 2026 au 26 févr. 2027",
        "Bénéficiaire : Léa Petit",
        "E-mail : lea@example.org",
        "Marc Dubois marc@example.org 15 sept. 2026",
        // Sessions: date, duration, topics, next steps.
        "5 oct. 2026 1 h Marc Dubois Préparation de l'entretien annuel Relire le CV avant le 12/10",
        "2 nov. 2026 45 min Marc Dubois Prise de parole en réunion",
        "2 séance(s), 1 h 45 au total.",
        // Check-ins: sent on, answer, answered on, usefulness, note.
        "6 oct. 2026 Échange eu 6 oct. 2026 4 note privée",
        `3 nov. 2026 Échange eu 3 nov. 2026 5 ${SHARED_NOTE}`,
        // Reminders sent, with their dates and times in Paris.
        "6 oct. 2026 10:05 Point d'étape",
        "16 nov. 2026 10:00 Relance Léa, cela fait 14 jours sans échange avec Marc",
        // The survey in the programme's language, answers in words.
        "Bilan de mi-parcours (Mi-parcours) — complété le 10 nov. 2026",
        "Votre relation de mentorat est-elle bien lancée ? Oui",
        "Comment jugez-vous vos échanges ? 4/5",
        "Comment vous rencontrez-vous ? En visioconférence",
        "Un mot sur vos échanges ? Des échanges très concrets",
        // The difficulty and how it was handled.
        "20 oct. 2026 commande /binome Mon mentor annule souvent nos rendez-vous traitée Claire Martin 22 oct. 2026",
      ]) {
        expect(lea).toContain(squash(expected));
      }
      expect(lea).not.toContain(squash(PRIVATE_NOTE));
      expect(lea).not.toContain("m'ennuie");
      expect(lea).not.toContain(squash("jamais envoyé"));
      expect(lea).not.toContain(squash("Découverte du métier"));

      const hugo = pdfText(join(out, "learners", sheets[0] as string));
      expect(hugo).toContain(squash("20 oct. 2026 30 min Marc Dubois Découverte du métier de technicien"));
      expect(hugo).toContain(squash("6 oct. 2026 Sans réponse"));
      expect(hugo).toContain(squash("5 nov. 2026 point d'étape Pas de nouvelles de mon mentor ouverte"));
      expect(hugo).not.toContain(squash("Préparation de l'entretien annuel"));
      const ines = pdfText(join(out, "learners", sheets[1] as string));
      expect(ines).toContain(squash("Aucune séance enregistrée."));

      // CSV, read back as a spreadsheet would.
      const sessions = readCsv(join(out, "sessions.csv"));
      expect(
        sessions.map((s) => [s["E-mail du bénéficiaire"], s.Date, s["Durée (minutes)"], s["Thèmes abordés"]]),
      ).toEqual([
        ["hugo@example.org", "2026-10-20", "30", "Découverte du métier de technicien"],
        ["lea@example.org", "2026-10-05", "60", "Préparation de l'entretien annuel"],
        ["lea@example.org", "2026-11-02", "45", "Prise de parole en réunion"],
      ]);
      const checkins = readCsv(join(out, "checkins.csv"));
      expect(
        checkins.filter((c) => c["E-mail du bénéficiaire"] === "lea@example.org").map((c) => [c["Envoyé le"], c.Note]),
      ).toEqual([
        ["2026-10-06", "note privée"],
        ["2026-11-03", SHARED_NOTE],
      ]);
      const messages = readCsv(join(out, "messages.csv"));
      expect(messages.map((m) => [m["E-mail du bénéficiaire"], m["Envoyé le"], m.Type])).toEqual([
        ["hugo@example.org", "2026-10-06 10:05", "Point d'étape"],
        ["lea@example.org", "2026-10-06 10:05", "Point d'étape"],
        ["lea@example.org", "2026-11-03 09:05", "Point d'étape"],
        ["lea@example.org", "2026-11-16 10:00", "Relance"],
      ]);
      const surveys = readCsv(join(out, "surveys.csv"));
      expect(
        surveys.filter((s) => s["E-mail du bénéficiaire"] === "lea@example.org").map((s) => [s.Question, s.Réponse]),
      ).toEqual([
        ["Votre relation de mentorat est-elle bien lancée ?", "Oui"],
        ["Comment jugez-vous vos échanges ?", "4/5"],
        ["Comment vous rencontrez-vous ?", "En visioconférence"],
        ["Un mot sur vos échanges ?", "Des échanges très concrets"],
      ]);
      const difficulties = readCsv(join(out, "difficulties.csv"));
      expect(
        difficulties.map((d) => [d["E-mail du bénéficiaire"], d.Statut, d["Traitée par"], d["Traitée le"]]),
      ).toEqual([
        ["hugo@example.org", "ouverte", "", ""],
        ["lea@example.org", "traitée", "Claire Martin", "2026-10-22"],
      ]);
      for (const file of readdirSync(out).filter((f) => f.endsWith(".csv"))) {
        expect(readFileSync(join(out, file), "utf8")).not.toContain("m'ennuie");
      }

      // The summary, against figures computed here from what was seeded.
      const minutes = seed.sessions.reduce((sum, s) => sum + s.durationMinutes, 0);
      const summary = Object.fromEntries(readCsv(join(out, "summary.csv")).map((r) => [r.Indicateur, r.Valeur]));
      expect(summary).toMatchObject({
        "Bénéficiaires (mentorés)": "3",
        Mentors: "2",
        Binômes: "3",
        "Séances enregistrées": String(seed.sessions.length),
        "Heures de mentorat": (minutes / 60).toFixed(1).replace(".", ","),
        "Bénéficiaires ayant eu au moins une séance": "2",
        "Points d'étape envoyés": "3",
        "Points d'étape répondus": "2",
        "Taux de réponse aux points d'étape": "67 %",
        "Utilité moyenne des échanges (1-5)": "4,5",
        "Relances et messages envoyés aux participants": "4",
        "Questionnaires envoyés": "2",
        "Questionnaires complétés": "1",
        "Taux de complétion des questionnaires": "50 %",
        "Difficultés ouvertes": "1",
        "Difficultés traitées": "1",
      });
      const learners = readCsv(join(out, "learners.csv"));
      expect(learners.map((l) => [l.Bénéficiaire, l["Minutes de mentorat"], l["Fiche PDF"]])).toEqual([
        ["Hugo Moreau", "30", `learners/${sheets[0]}`],
        ["Inès Laurent", "0", `learners/${sheets[1]}`],
        ["Léa Petit", String(minutes - 30), `learners/${sheets[2]}`],
      ]);
      const summaryPdf = pdfText(join(out, "summary.pdf"));
      expect(summaryPdf).toContain(squash("Synthèse du programme de mentorat"));
      expect(summaryPdf).toContain(squash("Taux de réponse aux points d'étape 67 %"));
      expect(summaryPdf).toContain(squash("Léa Petit Marc Dubois 2 1 h 45 2/2 1/1 1"));
    },
    SLOW,
  );

  it(
    "refuses an unknown programme and a command line without one",
    async () => {
      const missing = await runBinome(["export", "evidence"], database().env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("Indiquez le programme : binome export evidence --programme <slug>.");

      const unknown = await runBinome(["export", "evidence", "--programme", "nulle-part"], {
        ...database().env,
        LANG: "en_GB.UTF-8",
      });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim()).toBe('No programme has the slug "nulle-part".');
    },
    SLOW,
  );
});
