import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client.js";
import { programmes } from "../../db/schema.js";
import { runBinome, useCliDatabase } from "../support/cli.js";
import { tableCounts } from "../support/table-counts.js";

// Each test starts node more than once and opens a database each time: seconds on a busy machine.
const SLOW = 180_000;

describe("binome programme apply", () => {
  const database = useCliDatabase("binome-programme-");
  const read = <T>(query: (db: Database) => Promise<T>) => database().read(query);

  it(
    "refuses a malformed file, naming each problem's line and field, and writes nothing",
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), "binome-yaml-")), "promo.yaml");
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

      const run = await runBinome(["programme", "apply", file], database().env);

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
      const imported = await runBinome(
        ["import", "examples/participants.csv", "--programme", "promo-2027", "--no-slack-lookup"],
        database().env,
      );
      expect(imported.code).toBe(0);

      const first = await runBinome(["programme", "apply", "examples/programme.yaml"], database().env);
      expect(first).toMatchObject({ code: 0, stderr: "" });
      expect(first.stdout).toBe(
        [
          "Programme « Promo 2027 — Développeur·se web » (promo-2027) mis à jour.",
          "Du 2026-09-01 au 2027-06-30.",
          "Coordination : 0 personne(s) ajoutée(s), 1 déjà inscrite(s).",
          "",
        ].join("\n"),
      );
      const again = await runBinome(["programme", "apply", "examples/programme.yaml"], database().env);
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

      const file = join(mkdtempSync(join(tmpdir(), "binome-yaml-")), "new.yaml");
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
      const refused = await runBinome(["programme", "apply", file], { ...database().env, LANG: "en_GB.UTF-8" });
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
