import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.js";
import { checkins, difficulties, pairs, participants, sessions, surveyResponses } from "../../db/schema.js";
import { exportEvidence } from "../../src/features/evidence/evidence.export.js";
import { runBinome, useCliDatabase } from "../support/cli.js";
import { tableCounts } from "../support/table-counts.js";
import {
  everyRow,
  type Identifiers,
  LEA_AAD_ID,
  LEA_TEAMS_CHAT_ID,
  mentioning,
  PRIVATE_NOTE,
  seedEvidence,
  storedMinutes,
} from "./seed.js";

const SLOW = 240_000;

/** Everything that identifies Léa in stored rows: her id, platform ids, email and name. */
const leaIdentifiers = (id: string): Identifiers => ({
  exact: [id, "ULEA", LEA_AAD_ID, LEA_TEAMS_CHAT_ID],
  anyCase: ["lea@example.org", "Léa Petit"],
});

describe("binome export person and erase person", () => {
  const database = useCliDatabase("binome-person-");

  it(
    "exports every row that mentions the person, and the rows about them that do not name them",
    async () => {
      const seed = await database().read(seedEvidence);
      const lea = seed.ids.lea as string;
      const file = join(mkdtempSync(join(tmpdir(), "binome-person-")), "lea.json");

      const run = await runBinome(["export", "person", "Lea@Example.org", "--out", file], database().env);

      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^Données de Léa Petit écrites dans .*lea\.json : \d+ ligne\(s\) dans \d+ table\(s\)\.\n$/,
      );
      const exported = JSON.parse(readFileSync(file, "utf8")) as {
        person: { id: string; email: string };
        tables: Record<string, Array<Record<string, unknown>>>;
      };
      expect(exported.person).toMatchObject({ id: lea, email: "lea@example.org" });

      // A scan of every row of every table, independent of the command: each row that mentions her is exported.
      const rows = await database().read(everyRow);
      const about = mentioning(rows, leaIdentifiers(lea));
      expect(new Set(about.map((r) => r.table))).toEqual(
        new Set([
          "participants",
          "identities",
          "enrolments",
          "profiles",
          "pairs",
          "checkins",
          "survey_responses",
          "difficulties",
          "charter_agreements",
          "outbox",
          "conversation_references",
          "match_proposals",
        ]),
      );
      for (const { table, row } of about) {
        expect(
          (exported.tables[table] ?? []).map((r) => JSON.stringify(r)),
          `${table} row ${row}`,
        ).toContain(JSON.stringify(JSON.parse(row)));
      }
      // Rows about her that do not name her: her pair's sessions, the group introduction, her programme.
      expect(exported.tables.sessions?.map((s) => s.topics).sort()).toEqual([
        "Prise de parole en réunion",
        "Préparation de l'entretien annuel",
      ]);
      expect(exported.tables.programmes?.map((p) => p.slug)).toEqual(["cohorte-test"]);
      // Her own private note is hers to see.
      expect(exported.tables.checkins?.map((c) => c.note)).toContain(PRIVATE_NOTE);
      // Nobody else's rows come along.
      const json = JSON.stringify(exported);
      for (const other of [seed.ids.hugo, seed.ids.ines, "hugo@example.org", "Découverte du métier"])
        expect(json).not.toContain(other);

      const unknown = await runBinome(["export", "person", "personne@example.org"], database().env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim()).toBe("Aucune personne n'a l'e-mail personne@example.org.");
    },
    SLOW,
  );

  it(
    "erases the person everywhere after a dry run, and keeps the programme's figures whole",
    async () => {
      const seed = await database().read(seedEvidence);
      const lea = seed.ids.lea as string;
      const before = await database().read(async (db) => ({
        counts: await tableCounts(db),
        minutes: await storedMinutes(db, seed.programmeId),
      }));
      const work = mkdtempSync(join(tmpdir(), "binome-erase-"));
      // The summary through the export's own function, in this process: the command is tested elsewhere.
      const summary = (dir: string) =>
        database().read(async (db) => {
          const result = await exportEvidence(db, {
            programmeSlug: "cohorte-test",
            outDir: join(work, dir),
            now: new Date("2026-11-27T10:00:00Z"),
          });
          expect(result.ok).toBe(true);
          return parse(readFileSync(join(work, dir, "summary.csv")), { bom: true, delimiter: ";" }) as string[][];
        });
      const summaryBefore = await summary("before");

      // Without --yes: the plan, a one-sentence instruction, exit code 1, and nothing changed.
      const dry = await runBinome(["erase", "person", "lea@example.org"], database().env);
      expect(dry.code).toBe(1);
      expect(dry.stdout).toBe("");
      expect(dry.stderr).toContain("Effacement de Léa Petit <lea@example.org> ; voici ce qui serait fait :");
      expect(dry.stderr).toContain("supprimé : 2 compte(s) Slack/Teams, 1 profil(s), 1 référence(s) de conversation ;");
      expect(dry.stderr).toContain(
        "vidé (dates et durées gardées) : 2 note(s) de point d'étape, 4 message(s) qui lui étaient adressés, 1 réponse(s) libre(s) de questionnaire, 1 texte(s) de difficulté, 2 séance(s)",
      );
      expect(dry.stderr.trim().split("\n").at(-1)).toBe(
        "Rien n'a été effacé : relancez la commande avec --yes pour effacer ces données.",
      );
      expect(await database().read(tableCounts)).toEqual(before.counts);
      expect(mentioning(await database().read(everyRow), leaIdentifiers(lea)).length).toBeGreaterThan(10);

      const done = await runBinome(["erase", "person", "lea@example.org", "--yes"], database().env);
      expect(done.stderr).toBe("");
      expect(done.code).toBe(0);
      expect(done.stdout).toContain("Léa Petit <lea@example.org> est effacé(e) :");

      // A scan of every row of every table finds nothing that names her.
      const rows = await database().read(everyRow);
      expect(mentioning(rows, leaIdentifiers(lea))).toEqual([]);
      // Nor her first name in the messages of her pair ("Léa, voici Marc"), nor what she wrote, quoted in one.
      expect(rows.filter((r) => r.table === "outbox" && r.row.includes("Léa"))).toEqual([]);
      for (const text of [PRIVATE_NOTE, "Mon mentor annule souvent", "Des échanges très concrets"])
        expect(rows.filter((r) => r.row.includes(text))).toEqual([]);

      // What the programme's figures are made of is all still there.
      const after = await database().read(async (db) => ({
        counts: await tableCounts(db),
        minutes: await storedMinutes(db, seed.programmeId),
      }));
      expect(after.minutes).toBe(before.minutes);
      expect(after.counts).toEqual({
        ...before.counts,
        identities: (before.counts.identities ?? 0) - 2,
        profiles: (before.counts.profiles ?? 0) - 1,
        conversation_references: (before.counts.conversation_references ?? 0) - 1,
      });
      expect(await summary("after")).toEqual(summaryBefore);

      await database().read(async (db) => {
        const [tombstone] = await db.select().from(participants).where(eq(participants.name, "Personne effacée"));
        expect(tombstone?.email).toMatch(/^erased-[0-9a-f-]{36}@invalid$/);
        const id = tombstone?.id as string;
        const [pair] = await db.select().from(pairs).where(eq(pairs.menteeId, id));
        expect(pair?.mentorId).toBe(seed.ids.marc);
        const pairSessions = await db
          .select()
          .from(sessions)
          .where(eq(sessions.pairId, pair?.id as string));
        expect(pairSessions.map((s) => [s.heldOn, s.durationMinutes, s.topics, s.nextSteps]).sort()).toEqual([
          ["2026-10-05", 60, "", null],
          ["2026-11-02", 45, "", null],
        ]);
        const hugoSessions = await db.select().from(sessions).where(eq(sessions.pairId, seed.pairIds.hugo));
        expect(hugoSessions.map((s) => s.topics)).toEqual(["Découverte du métier de technicien"]);
        const answers = await db.select().from(checkins).where(eq(checkins.participantId, id));
        expect(answers.map((c) => [c.answer, c.usefulness, c.note]).sort()).toEqual([
          ["met", 4, null],
          ["met", 5, null],
        ]);
        const [survey] = await db.select().from(surveyResponses).where(eq(surveyResponses.participantId, id));
        expect(survey?.answers).toEqual({
          relationship: { value: "yes" },
          satisfaction: { value: "4" },
          format: { value: "video" },
          comment: { value: "" },
        });
        const raised = await db.select().from(difficulties).orderBy(difficulties.createdAt);
        expect(raised.map((d) => [d.raisedBy, d.text, d.status, d.handledBy])).toEqual([
          [id, "", "handled", seed.ids.claire],
          [seed.ids.hugo, "Pas de nouvelles de mon mentor", "open", null],
        ]);
        const [intro] = await queryRows<{ payload: string }>(
          db,
          sql`select payload::text as payload from outbox where kind = 'introduction'`,
        );
        expect(intro?.payload).toContain("Marc, voici Personne effacée, votre mentorée.");
      });
    },
    SLOW,
  );
});
