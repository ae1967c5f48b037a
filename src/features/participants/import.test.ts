import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../db/client.js";
import { enrolments, identities, pairs, participants, programmes } from "../../../db/schema.js";
import { createTestDatabase } from "../../../test/support/db.js";
import { programmeFixture } from "../../../test/support/fixtures.js";
import { tableCounts } from "../../../test/support/table-counts.js";
import { ManualClock } from "../../core/clock.js";
import { type ImportDeps, importParticipants } from "./import.usecases.js";
import { applySeed } from "./seed.js";

const sample = readFileSync(new URL("../../../examples/participants.csv", import.meta.url));
const HEADER = "name;email;role;language;timezone;skills;slack_user_id;teams_aad_id;mentor_email";
const csv = (...rows: string[]) => [HEADER, ...rows].join("\n");

describe("importing participants from a CSV", () => {
  let handle: DatabaseHandle;
  let deps: ImportDeps;
  const clock = new ManualClock("2026-09-01T08:00:00Z");

  beforeEach(async () => {
    handle = await createTestDatabase();
    deps = { db: handle.db, clock };
  });
  afterEach(() => handle.close());

  const person = async (email: string) => {
    const [row] = await handle.db.select().from(participants).where(eq(participants.email, email));
    return row;
  };
  const mentorOf = async (menteeEmail: string) => {
    const mentee = await person(menteeEmail);
    const rows = await handle.db
      .select({ email: participants.email })
      .from(pairs)
      .innerJoin(participants, eq(pairs.mentorId, participants.id))
      .where(and(eq(pairs.menteeId, mentee?.id ?? ""), eq(pairs.status, "active")));
    return rows.map((r) => r.email);
  };

  it("loads the sample file: people, roles, pairs and platform accounts", async () => {
    const outcome = await importParticipants(deps, {
      csv: sample,
      programmeSlug: "cohorte-2026",
      programmeName: "Cohorte 2026",
    });

    expect(outcome).toMatchObject({
      ok: true,
      programme: { slug: "cohorte-2026", name: "Cohorte 2026", created: true },
      counts: {
        peopleCreated: 12,
        peopleUpdated: 0,
        enrolmentsCreated: 12,
        pairsCreated: 5,
        identitiesLinked: 4,
        slackIdsResolved: 0,
      },
      warnings: [],
    });
    expect(await person("ines.bouchard@apprenant-exemple.fr")).toMatchObject({
      name: "Inès Bouchard",
      language: "fr",
      timeZone: "Europe/Paris",
      skills: ["Node.js", "CV"],
    });
    expect(await person("benoit.garnier@apprenant-exemple.fr")).toMatchObject({ language: null, timeZone: null });
    expect(await mentorOf("ines.bouchard@apprenant-exemple.fr")).toEqual(["francois.lefevre@partenaire-exemple.fr"]);
    expect(await mentorOf("zoe.perrin@apprenant-exemple.fr")).toEqual([]);
    const roles = await handle.db.select({ role: enrolments.role }).from(enrolments);
    expect(roles.filter((r) => r.role === "mentor")).toHaveLength(4);
    expect(roles.filter((r) => r.role === "mentee")).toHaveLength(7);
    const accounts = await handle.db
      .select({ platform: identities.platform, userId: identities.userId })
      .from(identities);
    expect(accounts).toContainEqual({ platform: "teams", userId: "9f1c2e7a-4b3d-4e8f-a6c5-2d1b0e9f8a71" });
    expect(accounts).toContainEqual({ platform: "slack", userId: "U07INES001" });
  });

  it("updates on a re-import and never duplicates", async () => {
    await importParticipants(deps, { csv: sample, programmeSlug: "cohorte-2026" });
    const before = await tableCounts(handle.db);

    const changed = sample
      .toString("utf8")
      .replace(
        "Théo Lambert;theo.lambert@apprenant-exemple.fr;mentee;fr;Europe/Paris",
        "Théo Lambert;theo.lambert@apprenant-exemple.fr;mentee;en;America/Montreal",
      );
    const outcome = await importParticipants(deps, { csv: changed, programmeSlug: "cohorte-2026" });

    expect(outcome).toMatchObject({
      ok: true,
      programme: { created: false },
      counts: {
        peopleCreated: 0,
        peopleUpdated: 1,
        peopleUnchanged: 11,
        enrolmentsCreated: 0,
        pairsCreated: 0,
        identitiesLinked: 0,
      },
    });
    expect(await person("theo.lambert@apprenant-exemple.fr")).toMatchObject({
      language: "en",
      timeZone: "America/Montreal",
    });
    expect(await tableCounts(handle.db)).toEqual(before);
  });

  it("reports every bad row with its line and writes nothing", async () => {
    await applySeed(handle.db, programmeFixture);
    const before = await tableCounts(handle.db);
    const file = csv(
      "Marc Dubois;marc@example.org;mentor;;;;;;",
      "Léa Petit;lea@@example.org;mentee;;;;;;marc@example.org",
      "Hugo Moreau;hugo@example.org;mentee;;;;;;marc@example.org",
      "Inès Laurent;ines@example.org;stagiaire;;;;;;",
      "Nina Roux;nina@example.org;mentee;;;;;;",
      "Paul Simon;paul@example.org;mentee;;;;;;personne@example.org",
    );

    const outcome = await importParticipants(deps, { csv: file, programmeSlug: "cohorte-test" });

    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.errors).toEqual([
      { line: 3, code: "email.invalid", params: { column: "email", value: "lea@@example.org" } },
      { line: 5, code: "role.unknown", params: { column: "role", value: "stagiaire" } },
      { line: 7, code: "mentorEmail.unknown", params: { value: "personne@example.org", programme: "cohorte-test" } },
    ]);
    expect(await tableCounts(handle.db)).toEqual(before);
  });

  it("pairs with a mentor already enrolled in the programme, and refuses to pair with a non-mentor", async () => {
    await applySeed(handle.db, programmeFixture);
    const ok = await importParticipants(deps, {
      csv: csv("Nina Roux;nina@example.org;mentee;;;;;;sophie@example.org"),
      programmeSlug: "cohorte-test",
    });
    expect(ok).toMatchObject({ ok: true, counts: { peopleCreated: 1, pairsCreated: 1 } });
    expect(await mentorOf("nina@example.org")).toEqual(["sophie@example.org"]);

    const refused = await importParticipants(deps, {
      csv: csv("Paul Simon;paul@example.org;mentee;;;;;;hugo@example.org"),
      programmeSlug: "cohorte-test",
    });
    expect(refused).toMatchObject({
      ok: false,
      errors: [{ line: 2, code: "mentorEmail.notMentor", params: { name: "Hugo Moreau" } }],
    });
  });

  it("accepts a person on two rows, refuses contradictions and a mentee with two mentors", async () => {
    const twoRoles = csv(
      "Marc Dubois;marc@example.org;coordinateur;fr;;;;;",
      "Marc Dubois;MARC@example.org;mentor;;;;;;",
    );
    expect(await importParticipants(deps, { csv: twoRoles, programmeSlug: "default" })).toMatchObject({
      ok: true,
      counts: { peopleCreated: 1, enrolmentsCreated: 2 },
    });

    const contradictions = csv(
      "Marc Dubois;marc@example.org;mentor;fr;;;;;",
      "Sophie Bernard;sophie@example.org;mentor;;;;;;",
      "Marc Dupont;marc@example.org;coordinator;en;;;;;",
      "Léa Petit;lea@example.org;mentee;;;;;;marc@example.org",
      "Léa Petit;lea@example.org;mentee;;;;;;sophie@example.org",
    );
    const outcome = await importParticipants(deps, { csv: contradictions, programmeSlug: "default" });
    expect(outcome.ok === false && outcome.errors.map((e) => [e.line, e.code, e.params.column])).toEqual([
      [4, "person.conflict", "name"],
      [4, "person.conflict", "language"],
      [6, "mentee.twoMentors", undefined],
    ]);
  });

  it("changes a mentee's mentor on re-import, ending the old pair", async () => {
    await importParticipants(deps, { csv: sample, programmeSlug: "default" });
    const changed = sample
      .toString("utf8")
      .replace(
        /(theo\.lambert@apprenant-exemple\.fr;.*;)francois\.lefevre@partenaire-exemple\.fr/,
        "$1anais.girard@partenaire-exemple.fr",
      );

    const outcome = await importParticipants(deps, { csv: changed, programmeSlug: "default" });

    expect(outcome).toMatchObject({
      ok: true,
      counts: { pairsCreated: 1, pairsReplaced: 1 },
      warnings: [{ line: 8, code: "pair.replaced" }],
    });
    expect(await mentorOf("theo.lambert@apprenant-exemple.fr")).toEqual(["anais.girard@partenaire-exemple.fr"]);
    const ended = await handle.db.select().from(pairs).where(eq(pairs.status, "ended"));
    expect(ended).toHaveLength(1);
    expect(ended[0]?.endedAt).toEqual(clock.now());
  });

  it("reads comma files with a BOM, quotes and Windows line ends", async () => {
    const file = '\uFEFFemail,name,role,skills\r\nlea@example.org,"Petit, Léa",Mentorée,CV|Entretiens\r\n';
    const outcome = await importParticipants(deps, { csv: Buffer.from(file, "utf8"), programmeSlug: "default" });
    expect(outcome).toMatchObject({ ok: true, counts: { peopleCreated: 1 } });
    expect(await person("lea@example.org")).toMatchObject({ name: "Petit, Léa", skills: ["CV", "Entretiens"] });
  });

  it("refuses a file that is not UTF-8", async () => {
    const latin1 = Buffer.from(`${HEADER}\nLéa Petit;lea@example.org;mentee;;;;;;\n`, "latin1");
    expect(await importParticipants(deps, { csv: latin1, programmeSlug: "default" })).toMatchObject({
      ok: false,
      errors: [{ code: "file.notUtf8" }],
    });
  });

  describe("finding Slack accounts by email", () => {
    const file = csv(
      "Marc Dubois;marc@example.org;mentor;;;;U0MARC0001;;",
      "Léa Petit;lea@example.org;mentee;;;;;;marc@example.org",
      "Hugo Moreau;hugo@example.org;mentee;;;;;;",
    );
    const slackDirectory: Record<string, string> = { "lea@example.org": "U0LEA00001" };
    let asked: string[];
    beforeEach(() => {
      asked = [];
      deps.lookupSlackIdByEmail = async (email) => {
        asked.push(email);
        return slackDirectory[email];
      };
    });

    it("looks up people without a Slack id, links those found and warns about the others", async () => {
      const outcome = await importParticipants(deps, { csv: file, programmeSlug: "default" });

      expect(asked.sort()).toEqual(["hugo@example.org", "lea@example.org"]);
      expect(outcome).toMatchObject({
        ok: true,
        counts: { slackIdsResolved: 1, identitiesLinked: 2 },
        warnings: [{ line: 4, code: "slack.notFound", params: { value: "hugo@example.org" } }],
      });
      const [lea] = await handle.db
        .select({ email: participants.email })
        .from(identities)
        .innerJoin(participants, eq(identities.participantId, participants.id))
        .where(eq(identities.userId, "U0LEA00001"));
      expect(lea?.email).toBe("lea@example.org");

      asked = [];
      await importParticipants(deps, { csv: file, programmeSlug: "default" });
      expect(asked).toEqual(["hugo@example.org"]);
    });

    it("writes nothing when Slack fails for another reason", async () => {
      deps.lookupSlackIdByEmail = async () => {
        throw new Error("invalid_auth");
      };
      const outcome = await importParticipants(deps, { csv: file, programmeSlug: "default" });
      expect(outcome).toMatchObject({
        ok: false,
        errors: [{ code: "slack.lookupFailed", params: { reason: "invalid_auth" } }],
      });
      expect((await handle.db.select().from(programmes)).length).toBe(0);
    });
  });
});
