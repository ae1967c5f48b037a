import { count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { enrolments, programmes } from "../../db/schema.js";
import type { Card } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import type { Actor, Outcome } from "../../src/core/events.js";
import { type Bot, createBot } from "../../src/features/commands/router.js";
import { applySeed } from "../../src/features/participants/seed.js";
import { parseProgrammeFile } from "../../src/features/programmes/programme-file.js";
import { applyProgramme } from "../../src/features/programmes/programmes.usecases.js";
import { createTestDatabase } from "../support/db.js";
import { programmeFixture } from "../support/fixtures.js";

const slack = (userId: string, locale?: string): Actor => ({
  platform: "slack",
  tenantId: "T0TEST",
  userId,
  ...(locale ? { locale } : {}),
});

/** What a person reads on a card, line by line. */
function cardText(outcome: Outcome): string {
  if (outcome.type !== "reply") return JSON.stringify(outcome);
  return (outcome.card as Card).blocks
    .map((b) => {
      if (b.type === "header" || b.type === "text") return b.text;
      if (b.type === "fields") return b.fields.map((f) => `${f.label}: ${f.value}`).join("\n");
      if (b.type === "actions") return b.buttons.map((x) => `[${x.label}]`).join(" ");
      return b.type === "divider" ? "---" : "";
    })
    .join("\n");
}

const file = (overrides: string[] = []) =>
  [
    "slug: cohorte-test",
    "name: Cohorte test 2027",
    "objectives:",
    "  - Un échange par mois au moins",
    "  - Un premier entretien décroché",
    "start: 2026-09-01",
    "end: 2027-06-30",
    "cadence:",
    "  every: 3w",
    "checkIns:",
    "  every: 2w",
    "  audience: both",
    "coordinators:",
    "  - Claire@example.org",
    ...overrides,
  ].join("\n");

function definition(text: string) {
  const parsed = parseProgrammeFile(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed;
}

describe("programmes", () => {
  let handle: DatabaseHandle;
  let bot: Bot;

  beforeEach(async () => {
    handle = await createTestDatabase();
    await applySeed(handle.db, programmeFixture);
    bot = createBot({ db: handle.db, clock: new ManualClock("2026-11-27T10:00:00Z") });
  });
  afterEach(() => handle.close());

  const programmeRows = () => handle.db.select().from(programmes);
  const coordinatorCount = async () =>
    (await handle.db.select({ n: count() }).from(enrolments).where(eq(enrolments.role, "coordinator")))[0]?.n;

  it("applies a file onto the imported programme, then updates it without duplicating", async () => {
    const first = definition(file());
    const applied = await applyProgramme({ db: handle.db }, first.programme, first.lineOf);
    expect(applied).toMatchObject({ ok: true, created: false, coordinatorsAdded: 0, coordinatorsAlready: 1 });
    const [row] = await programmeRows();
    expect(row).toMatchObject({
      slug: "cohorte-test",
      name: "Cohorte test 2027",
      startsOn: "2026-09-01",
      endsOn: "2027-06-30",
      defaultLanguage: "fr",
      timeZone: "Europe/Paris",
    });
    expect(row?.settings).toMatchObject({
      cadence: { every: "3w" },
      surveys: { midterm: "2027-01-30", end: "2027-06-24" },
    });

    const renamed = definition(file(["  - marc@example.org"]).replace("Cohorte test 2027", "Cohorte 2027"));
    expect(await applyProgramme({ db: handle.db }, renamed.programme, renamed.lineOf)).toMatchObject({
      ok: true,
      coordinatorsAdded: 1,
      coordinatorsAlready: 1,
    });
    const again = await applyProgramme({ db: handle.db }, renamed.programme, renamed.lineOf);
    expect(again).toMatchObject({ ok: true, created: false, coordinatorsAdded: 0, coordinatorsAlready: 2 });
    expect((await programmeRows()).map((p) => p.name)).toEqual(["Cohorte 2027"]);
    expect(await coordinatorCount()).toBe(2);
  });

  it("creates a new programme and writes nothing when a coordinator is not a participant", async () => {
    const text = file(["  - inconnu@example.org"]).replace("slug: cohorte-test", "slug: promo-2027");
    const parsed = definition(text);
    expect(await applyProgramme({ db: handle.db }, parsed.programme, parsed.lineOf)).toEqual({
      ok: false,
      unknownCoordinators: [{ email: "inconnu@example.org", path: "coordinators.1", line: 15 }],
    });
    expect((await programmeRows()).map((p) => p.slug)).toEqual(["cohorte-test"]);
    const fixed = definition(file().replace("slug: cohorte-test", "slug: promo-2027"));
    expect(await applyProgramme({ db: handle.db }, fixed.programme, fixed.lineOf)).toMatchObject({
      ok: true,
      created: true,
      coordinatorsAdded: 1,
    });
  });

  it("shows the caller their programme: dates, objectives, rhythm, surveys, coordinators and role", async () => {
    const parsed = definition(file());
    await applyProgramme({ db: handle.db }, parsed.programme, parsed.lineOf);
    const mentor = cardText(
      await bot.handle({ type: "command", actor: slack("UMARC"), origin: {}, text: "programme" }),
    );
    expect(mentor).toBe(
      [
        "Cohorte test 2027",
        "Dates: du 1 sept. 2026 au 30 juin 2027",
        "Votre rôle: mentor",
        "Rythme des échanges: au moins un échange toutes les 3 semaines",
        "Points d'étape: toutes les 2 semaines, pour les mentors et les mentorés",
        "Questionnaires: mi-parcours le 30 janv. 2027, fin le 24 juin 2027",
        "Coordination: Claire Martin",
        "Objectifs",
        "• Un échange par mois au moins\n• Un premier entretien décroché",
      ].join("\n"),
    );
    const english = cardText(
      await bot.handle({ type: "command", actor: slack("USOPHIE", "en-GB"), origin: {}, text: "programme" }),
    );
    expect(english).toContain("Meeting rhythm: at least one exchange every 3 weeks");
    expect(english).toContain("Your role: mentor");
  });

  it("gives one section per programme, and says when a programme has no published details", async () => {
    await applySeed(handle.db, {
      programme: { slug: "autre", name: "Autre programme" },
      people: [{ key: "lea", name: "Léa Petit", email: "lea@example.org", roles: ["mentor"] }],
    });
    const parsed = definition(file());
    await applyProgramme({ db: handle.db }, parsed.programme, parsed.lineOf);
    const lea = cardText(await bot.handle({ type: "command", actor: slack("ULEA"), origin: {}, text: "programme" }));
    expect(lea).toContain(
      "Autre programme\nDates: pas encore fixées\nVotre rôle: mentor\nCoordination: personne pour l'instant",
    );
    expect(lea).toContain(
      "Le détail de ce programme (objectifs, rythme, questionnaires) n'est pas encore publié.\n---\nCohorte test 2027",
    );
    expect(lea).toContain("Votre rôle: mentoré");
  });

  it("refuses someone in no programme with the standard sentence", async () => {
    const reply = cardText(
      await bot.handle({ type: "command", actor: slack("UNOBODY"), origin: {}, text: "programme" }),
    );
    expect(reply).toBe(
      "Vous ne faites partie d'aucun programme binome. Demandez à votre coordinateur ou coordinatrice de vous inscrire.",
    );
  });
});
