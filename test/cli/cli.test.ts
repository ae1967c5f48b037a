import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/client.js";
import { createTestDatabase } from "../support/db.js";
import { tableCounts } from "../support/table-counts.js";
import { type FakeSlackLookup, startFakeSlackLookup } from "./fake-slack-lookup.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const usesPostgres = Boolean(process.env.DATABASE_URL);
// Each test starts node and opens a database more than once: seconds each on a busy machine.
const SLOW = 180_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/binome.js …` from the sources, as an operator would from a clone. */
function binome(args: string[], env: Record<string, string>): Promise<Run> {
  const childEnv: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BINOME_FROM_SOURCE: "1",
    LANG: "fr_FR.UTF-8",
    ...env,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/binome.js", ...args],
      { cwd: root, env: childEnv, timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("the binome command line", () => {
  let workDir: string;
  let template: string;
  let database: {
    env: Record<string, string>;
    open(): Promise<{ db: Database; close(): Promise<void> }>;
    drop(): Promise<void>;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), "binome-cli-"));
    template = join(workDir, "template");
    if (!usesPostgres) {
      // Creating a PGlite folder is the slow part: `binome migrate` makes one, each test copies it.
      const migrated = await binome(["migrate"], { DATA_DIR: template });
      expect(migrated).toMatchObject({ code: 0, stdout: expect.stringContaining("Base de données à jour") });
    }
  }, 120_000);
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  beforeEach(async (context) => {
    if (usesPostgres) {
      const handle = await createTestDatabase();
      database = {
        env: { DATABASE_URL: handle.url as string },
        open: async () => ({ db: handle.db, close: async () => {} }),
        drop: () => handle.close(),
      };
    } else {
      const dataDir = join(workDir, context.task.id);
      cpSync(template, dataDir, { recursive: true });
      database = { env: { DATA_DIR: dataDir }, open: () => openDatabase({ dataDir }), drop: async () => {} };
    }
  });
  afterEach(() => database.drop());

  const counts = async () => {
    const handle = await database.open();
    try {
      return await tableCounts(handle.db);
    } finally {
      await handle.close();
    }
  };

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
          ...database.env,
          SLACK_BOT_TOKEN: "xoxb-test",
          SLACK_SIGNING_SECRET: "test",
          SLACK_API_URL: slack.apiUrl,
        };

        const first = await binome(
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

        const again = await binome(["import", "examples/participants.csv", "--programme", "cohorte-2026"], {
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
      const file = join(workDir, "bad.csv");
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

      const run = await binome(["import", file], database.env);

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
      const run = await binome(["exporter"], { ...database.env, LANG: "en_US.UTF-8" });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^Unknown command: "exporter"\.\n\nbinome — mentoring programmes in Slack and Teams\n\nUsage:\n {2}binome import <file.csv>/,
      );
    },
    SLOW,
  );
});
