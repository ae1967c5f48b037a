import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBinome, useCliDatabase } from "../support/cli.js";
import { tableCounts } from "../support/table-counts.js";
import { type FakeSlackLookup, startFakeSlackLookup } from "./fake-slack-lookup.js";

// Each test starts node and opens a database more than once: seconds each on a busy machine.
const SLOW = 180_000;

describe("the binome command line", () => {
  const database = useCliDatabase("binome-cli-");
  const counts = () => database().read(tableCounts);

  describe("with Slack configured", () => {
    let slack: FakeSlackLookup;
    beforeEach(async () => {
      slack = await startFakeSlackLookup({ "anais.girard@partenaire-exemple.fr": "U07ANAIS01" });
    });
    afterEach(() => slack.close());

    it(
      "imports the sample file, finds Slack accounts by email, and re-imports without duplicates",
      async () => {
        const env = {
          ...database().env,
          SLACK_BOT_TOKEN: "xoxb-test",
          SLACK_SIGNING_SECRET: "test",
          SLACK_API_URL: slack.apiUrl,
        };

        const first = await runBinome(
          ["import", "examples/participants.csv", "--programme", "cohorte-2026", "--programme-name", "Cohorte 2026"],
          env,
        );

        expect(first.code).toBe(0);
        expect(first.stdout).toBe(
          [
            "Programme « Cohorte 2026 » (cohorte-2026), créé.",
            "Personnes : 12 créée(s), 0 mise(s) à jour, 0 inchangée(s).",
            "Rôles ajoutés : 12.",
            "Binômes : 5 créé(s), dont 0 en remplacement d'un binôme terminé.",
            "Comptes Slack/Teams liés : 5, dont 1 trouvé(s) sur Slack par e-mail.",
            "",
          ].join("\n"),
        );
        expect(first.stderr).toContain("ligne 11 : aucun compte Slack pour noemie.chevalier@apprenant-exemple.fr");
        expect(slack.asked).toContain("anais.girard@partenaire-exemple.fr");
        expect(slack.asked).not.toContain("francois.lefevre@partenaire-exemple.fr");
        const afterFirst = await counts();
        expect(afterFirst).toMatchObject({ participants: 12, enrolments: 12, pairs: 5, identities: 5, programmes: 1 });

        const again = await runBinome(["import", "examples/participants.csv", "--programme", "cohorte-2026"], {
          ...env,
          LANG: "en_GB.UTF-8",
        });

        expect(again.code).toBe(0);
        expect(again.stdout).toContain("People: 0 created, 0 updated, 12 unchanged.");
        expect(await counts()).toEqual(afterFirst);
      },
      SLOW,
    );
  });

  it(
    "refuses a file with bad rows, prints each line and writes nothing",
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), "binome-csv-")), "bad.csv");
      writeFileSync(
        file,
        [
          "name;email;role;mentor_email",
          "Marc Dubois;marc@example.org;mentor;",
          "Léa Petit;lea@@example.org;mentee;marc@example.org",
          "Hugo Moreau;hugo@example.org;mentee;marc@example.org",
          "Inès Laurent;ines@example.org;stagiaire;",
          "Nina Roux;nina@example.org;mentee;",
          "Paul Simon;paul@example.org;mentee;personne@example.org",
        ].join("\n"),
      );
      const before = await counts();

      const run = await runBinome(["import", file], database().env);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        [
          "bad.csv : 3 erreur(s), rien n'a été importé.",
          "  ligne 3 : « lea@@example.org » n'est pas une adresse e-mail valide.",
          "  ligne 5 : rôle inconnu « stagiaire ». Rôles possibles : coordinator, mentor, mentee (ou coordinateur, coordinatrice, mentoré, mentorée).",
          "  ligne 7 : mentor_email « personne@example.org » ne désigne aucun mentor de ce fichier ni du programme « default ».",
          "",
        ].join("\n"),
      );
      expect(await counts()).toEqual(before);
    },
    SLOW,
  );

  it(
    "answers an unknown command with one sentence and the usage",
    async () => {
      const run = await runBinome(["exporter"], { ...database().env, LANG: "en_US.UTF-8" });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^Unknown command: "exporter"\.\n\nbinome — mentoring programmes in Slack and Teams\n\nUsage:\n {2}binome import <file.csv>/,
      );
    },
    SLOW,
  );
});
