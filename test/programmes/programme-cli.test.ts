import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/client.js";
import { programmes } from "../../db/schema.js";
import { createTestDatabase } from "../support/db.js";
import { tableCounts } from "../support/table-counts.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const usesPostgres = Boolean(process.env.DATABASE_URL);
// Each test starts node more than once and opens a database each time: seconds on a busy machine.
const SLOW = 180_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/binome.js …` from the sources, as an operator would from a clone. */
function binome(args: string[], env: Record<string, string>): Promise<Run> {
  const childEnv = {
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
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

describe("binome programme apply", () => {
  let workDir: string;
  let template: string;
  let database: {
    env: Record<string, string>;
    open(): Promise<{ db: Database; close(): Promise<void> }>;
    drop(): Promise<void>;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), "binome-programme-"));
    template = join(workDir, "template");
    if (!usesPostgres) expect((await binome(["migrate"], { DATA_DIR: template })).code).toBe(0);
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

  const read = async <T>(query: (db: Database) => Promise<T>): Promise<T> => {
    const handle = await database.open();
    try {
      return await query(handle.db);
    } finally {
      await handle.close();
    }
  };

  it(
    "refuses a malformed file, naming each problem's line and field, and writes nothing",
    async () => {
      const file = join(workDir, "promo.yaml");
      writeFileSync(
        file,
        [
          "slug: promo-2027",
          "name: Promo",
          "start: 2027-01-01",
          "end: 2026-12-01",
          "checkIns:",
          "  every: souvent",
          "",
        ].join("\n"),
      );
      const before = await read(tableCounts);

      const run = await binome(["programme", "apply", file], database.env);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        [
          "promo.yaml : 2 erreur(s), rien n'a été appliqué.",
          "  promo.yaml:6: checkIns.every: a period such as 2w (weeks) or 10d (days)",
          "  promo.yaml:4: end: the end must come after the start",
          "",
        ].join("\n"),
      );
      expect(await read(tableCounts)).toEqual(before);
    },
    SLOW,
  );

  it(
    "applies the example after the import, updates on a second run, and refuses an unknown coordinator in English",
    async () => {
      const imported = await binome(
        ["import", "examples/participants.csv", "--programme", "promo-2027", "--no-slack-lookup"],
        database.env,
      );
      expect(imported.code).toBe(0);

      const first = await binome(["programme", "apply", "examples/programme.yaml"], database.env);
      expect(first).toMatchObject({ code: 0, stderr: "" });
      expect(first.stdout).toBe(
        [
          "Programme « Promo 2027 — Développeur·se web » (promo-2027) mis à jour.",
          "Du 2026-09-01 au 2027-06-30.",
          "Coordination : 0 personne(s) ajoutée(s), 1 déjà inscrite(s).",
          "",
        ].join("\n"),
      );
      const again = await binome(["programme", "apply", "examples/programme.yaml"], database.env);
      expect(again.code).toBe(0);
      const rows = await read((db) => db.select().from(programmes));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        slug: "promo-2027",
        startsOn: "2026-09-01",
        endsOn: "2027-06-30",
        coordinatorChannel: "slack:C0COORDINATION",
      });
      expect(rows[0]?.settings).toMatchObject({
        objectives: expect.arrayContaining([expect.stringContaining("mentor")]),
        surveys: { midterm: "2027-01-15" },
      });

      const file = join(workDir, "new.yaml");
      writeFileSync(
        file,
        [
          "slug: promo-2028",
          "name: Promo 2028",
          "start: 2027-09-01",
          "end: 2028-06-30",
          "coordinators:",
          "  - elodie.rousseau@formation-exemple.fr",
          "  - nobody@example.org",
          "",
        ].join("\n"),
      );
      const before = await read(tableCounts);
      const refused = await binome(["programme", "apply", file], { ...database.env, LANG: "en_GB.UTF-8" });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        [
          "new.yaml: 1 error(s), nothing was applied.",
          "  new.yaml:7: coordinators.1: nobody@example.org is not a participant yet; import them with their name first (binome import <file.csv> --programme promo-2028), then apply again.",
          "",
        ].join("\n"),
      );
      expect(await read(tableCounts)).toEqual(before);
    },
    SLOW,
  );
});
