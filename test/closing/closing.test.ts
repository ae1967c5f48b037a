import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMessage as renderSlack } from "../../adapters/slack/render.js";
import { renderMessage as renderTeams } from "../../adapters/teams/renderer.js";
import type { Database, DatabaseHandle } from "../../db/client.js";
import { outbox } from "../../db/schema.js";
import type { Card } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { closeEndedProgrammes, closingTask } from "../../src/features/closing/closing.task.js";
import { createScheduler } from "../../src/scheduler/index.js";
import { cardText, type ProgrammeRow, programmeFile, rowsFor, seedProgramme } from "../digest/seed.js";
import { runBinome, useCliDatabase } from "../support/cli.js";
import { createTestDatabase } from "../support/db.js";

const PRIVATE_COMMENT = "PRIVATE-END-COMMENT-5e1c";
/** The programme ends on Friday 27 November 2026. */
const ENDING = programmeFile()
  .replace("end: 2027-06-30", "end: 2026-11-27")
  .replace("  midterm: 2026-12-15", "  midterm: 2026-10-15");

const pdfText = (path: string) => execFileSync("pdftotext", [path, "-"], { encoding: "utf8" });

/**
 * Marc mentors Léa (3 sessions: 60, 45, 90 min) and Hugo (2: 30, 60), Sophie mentors Inès (1: 90).
 * End surveys: Léa 5/4/3 (objectives/confidence/competence), Hugo 3/5/–, Inès 4/2/4 with a private
 * comment; Marc would mentor again, Sophie would not.
 */
async function seedEndedProgramme(db: Database): Promise<{ programme: ProgrammeRow; ids: Record<string, string> }> {
  const { programme, ids, pairIds } = await seedProgramme(db, { file: ENDING });
  const rows = rowsFor(db, programme.id);
  for (const [pair, heldOn, minutes] of [
    ["lea", "2026-09-20", 60],
    ["lea", "2026-10-18", 45],
    ["lea", "2026-11-15", 90],
    ["hugo", "2026-09-25", 30],
    ["hugo", "2026-11-02", 60],
    ["ines", "2026-10-01", 90],
  ] as const) {
    await rows.session(pairIds[pair] as string, heldOn, minutes);
  }
  const end = (key: string, answers: Record<string, string>, audience: "mentee" | "mentor" = "mentee") =>
    rows.survey(ids[key] as string, {
      moment: "end",
      audience,
      status: "completed",
      createdAt: "2026-11-21T09:00:00Z",
      completedAt: "2026-11-22T09:00:00Z",
      answers: Object.fromEntries(Object.entries(answers).map(([q, value]) => [q, { value }])),
    });
  await end("lea", { objectives: "5", confidence: "4", competence: "3" });
  await end("hugo", { objectives: "3", confidence: "5" });
  await end("ines", { objectives: "4", confidence: "2", competence: "4", comment: PRIVATE_COMMENT });
  await end("marc", { progress: "4", "mentor-again": "yes" }, "mentor");
  await end("sophie", { progress: "3", "mentor-again": "no", comment: PRIVATE_COMMENT }, "mentor");
  return { programme, ids };
}

describe("closing a programme at its end", () => {
  let handle: DatabaseHandle;
  let ids: Record<string, string>;
  let dataDir: string;
  let written: string[];

  beforeAll(async () => {
    handle = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), "binome-closing-"));
    ({ ids } = await seedEndedProgramme(handle.db));
    expect(await closeEndedProgrammes(handle.db, new Date("2026-11-26T10:00:00Z"), dataDir)).toEqual([]);
    // The daily task on its end date (07:40 in Paris).
    const clock = new ManualClock("2026-11-27T06:40:30Z");
    const scheduler = createScheduler({
      db: handle.db,
      clock,
      log: silentLogger,
      replicaId: "test",
      tasks: [closingTask(dataDir)],
    });
    const report = await scheduler.catchUp("closing:daily", new Date("2026-11-26T00:00:00Z"), clock.now());
    expect(report).toMatchObject({ ran: 1, failed: 0 });
    await scheduler.stop();
    written = (await handle.db.select({ key: outbox.key }).from(outbox).orderBy(outbox.id)).map((r) => r.key);
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cardOf = async (key: string): Promise<Card> => {
    const [row] = await handle.db.select().from(outbox).where(eq(outbox.key, key));
    return (row?.payload as { card: Card } | undefined)?.card as Card;
  };

  it("thanks each mentor once, in their DM and language, with their mentees, sessions and hours", async () => {
    expect(written.sort()).toEqual(
      [
        "closing:cohorte-test",
        `closing:cohorte-test:thanks:${ids.marc}`,
        `closing:cohorte-test:thanks:${ids.sophie}`,
      ].sort(),
    );
    const rows = await handle.db.select().from(outbox).where(eq(outbox.kind, "closing"));
    expect(rows.map((r) => r.recipientId).sort()).toEqual([ids.marc, ids.sophie].sort());
    const marc = cardText(await cardOf(`closing:cohorte-test:thanks:${ids.marc}`));
    expect(marc).toContain(
      "Merci Marc ! Le programme « Cohorte test » est terminé. Vous avez accompagné Hugo Moreau et Léa Petit : 5 séance(s) enregistrée(s), 4 h 45 au total.",
    );
    expect(marc).toContain("l'équipe de coordination du programme la détient");
    const sophie = cardText(await cardOf(`closing:cohorte-test:thanks:${ids.sophie}`));
    expect(sophie).toContain("Thank you, Sophie! The programme “Cohorte test” has ended. You mentored Inès Laurent:");
    expect(sophie).toContain("1 session(s) logged, 1 h 30 min in all");

    // Again the same day, the next day, a week later: nothing new.
    for (const at of ["2026-11-27T12:00:00Z", "2026-11-28T06:40:00Z", "2026-12-04T06:40:00Z"]) {
      expect(await closeEndedProgrammes(handle.db, new Date(at), dataDir)).toEqual([]);
    }
    const [count] = await handle.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(outbox)
      .where(sql`${outbox.key} like 'closing:%'`);
    expect(count?.n).toBe(3);
  });

  it("writes one attestation per mentor that opens and states their name and numbers", () => {
    const dir = join(dataDir, "attestations", "cohorte-test");
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith(".pdf"))).toBe(true);
    const marc = pdfText(join(dir, files.find((f) => f.startsWith("attestation-marc-dubois-")) as string));
    expect(marc).toContain("Attestation de mentorat");
    expect(marc).toContain("Marc Dubois");
    expect(marc).toContain("Cohorte test");
    expect(marc).toContain("Hugo Moreau et Léa Petit");
    expect(marc).toContain("Séances de mentorat enregistrées : 5");
    expect(marc).toContain("Durée totale des séances : 4 h 45");
    expect(marc).toContain("Programme du 1 sept. 2026 au 27 nov. 2026");
    expect(marc).toContain("Fait le 27 nov. 2026.");
    const sophie = pdfText(join(dir, files.find((f) => f.startsWith("attestation-sophie-bernard-")) as string));
    expect(sophie).toContain("Mentoring attestation");
    expect(sophie).toContain("Sophie Bernard");
    expect(sophie).toContain("Mentoring sessions logged: 1");
    expect(sophie).toContain("Total duration of the sessions: 1 h 30");
  });

  it("sends the coordinators the results against the programme's objectives, without private text", async () => {
    const [row] = await handle.db.select().from(outbox).where(eq(outbox.key, "closing:cohorte-test"));
    expect(row?.channel).toBe("slack:C0COORD");
    const card = (row?.payload as { card: Card } | undefined)?.card as Card;
    const text = cardText(card);
    expect(text).toContain("Bilan du programme Cohorte test");
    expect(text).toContain("Objectifs du programme\n• Un échange par mois au moins\n• Un premier entretien décroché");
    expect(text).toContain("Binômes : 3 (2 mentor(s), 3 mentoré(s))");
    expect(text).toContain("Séances enregistrées : 6, 6 h 15 au total, soit 2 par binôme en moyenne");
    // Every 28 days from 1 September to 27 November (88 days): 3 sessions. The pairs, made on
    // 7 September, had 82 days: 2 sessions each, which Léa's (3) and Hugo's (2) held, Inès's (1) not.
    expect(text).toContain("un échange tous les 28 jours, soit 3 séance(s) sur tout le programme");
    expect(text).toContain("binômes qui l'ont tenu : 67 % (2/3)");
    expect(text).toContain("Questionnaires complétés : 100 % (5/5)");
    expect(text).toContain("Mentorés ayant atteint leurs objectifs (4 ou 5 sur 5) : 67 % (2/3)");
    expect(text).toContain("Mentorés plus confiants (4 ou 5 sur 5) : 67 % (2/3)");
    expect(text).toContain("Mentorés plus compétents (4 ou 5 sur 5) : 50 % (1/2)");
    expect(text).toContain("Mentors prêts à recommencer : 50 % (1/2)");
    expect(text).toContain("Difficultés signalées : 0, dont 0 traitée(s)");
    expect(text).toContain("2 attestation(s) de mentorat écrite(s) dans");
    const all = [JSON.stringify(card), JSON.stringify(renderSlack(card)), JSON.stringify(renderTeams(card))];
    for (const rendered of all) expect(rendered).not.toContain(PRIVATE_COMMENT);
    expect(renderSlack(card).blocks).toHaveLength(card.blocks.length);
  });

  it("leaves alone a programme that ended long before binome looked", async () => {
    const other = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), "binome-closing-old-"));
    try {
      await seedEndedProgramme(other.db);
      expect(await closeEndedProgrammes(other.db, new Date("2027-02-15T10:00:00Z"), dir)).toEqual([]);
      expect(existsSync(join(dir, "attestations"))).toBe(false);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Each run starts node and opens the database: seconds on a busy machine.
const SLOW = 180_000;

describe("binome export attestations", () => {
  const database = useCliDatabase("binome-attestations-");

  it(
    "writes every mentor's attestation into the folder given",
    async () => {
      const out = mkdtempSync(join(tmpdir(), "binome-attestations-out-"));
      try {
        await database().read((db) => seedEndedProgramme(db));
        const run = await runBinome(
          ["export", "attestations", "--programme", "cohorte-test", "--out", out],
          database().env,
        );
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(`2 attestation(s) de mentorat écrite(s) dans ${out} :`);
        const files = readdirSync(out).sort();
        expect(files).toHaveLength(2);
        expect(pdfText(join(out, files[0] as string))).toContain("Marc Dubois");
        const unknown = await runBinome(["export", "attestations", "--programme", "nope"], database().env);
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain("Aucun programme « nope ».");
        const usage = await runBinome(["export", "attestations"], database().env);
        expect(usage.code).toBe(2);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
