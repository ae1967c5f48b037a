import { count } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { enrolments, profiles, programmes } from "../../db/schema.js";
import type { Card, Form, Input } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import type { Actor, Outcome } from "../../src/core/events.js";
import { type Bot, createBot } from "../../src/features/commands/router.js";
import { profilesForProgramme } from "../../src/features/enrolment/enrolment.repository.js";
import { applySeed } from "../../src/features/participants/seed.js";
import { createTestDatabase } from "../support/db.js";
import { programmeFixture } from "../support/fixtures.js";

const slack = (userId: string, extra: Partial<Actor> = {}): Actor => ({
  platform: "slack",
  tenantId: "T0TEST",
  userId,
  ...extra,
});

function formOf(outcome: Outcome): Form {
  if (outcome.type !== "form") throw new Error(`expected a form, got ${JSON.stringify(outcome)}`);
  return outcome.form;
}
const inputs = (form: Form) => form.blocks.filter((b): b is Input => b.type === "input");
const cardOf = (outcome: Outcome): Card => {
  if (outcome.type !== "reply") throw new Error(`expected a reply, got ${JSON.stringify(outcome)}`);
  return outcome.card;
};
const cardText = (outcome: Outcome) =>
  cardOf(outcome)
    .blocks.map((b) =>
      b.type === "fields"
        ? b.fields.map((f) => `${f.label}: ${f.value}`).join("\n")
        : b.type === "actions"
          ? b.buttons.map((x) => `[${x.label}]`).join(" ")
          : "text" in b
            ? b.text
            : "",
    )
    .join("\n");

const mentorAnswers = {
  skills: "CV, entretien",
  domain: "Développement web",
  days: "lun, jeu",
  parts: "soir",
  timeZone: "Europe/Paris",
  languages: "fr, anglais",
  style: "2",
  capacity: "2",
};

describe("enrolment in chat: /binome join and /binome profile", () => {
  let handle: DatabaseHandle;
  let bot: Bot;
  let programmeId: string;
  const clock = new ManualClock("2026-11-27T10:00:00Z");
  const profileCount = async () => (await handle.db.select({ n: count() }).from(profiles))[0]?.n;

  beforeEach(async () => {
    handle = await createTestDatabase();
    ({ programmeId } = await applySeed(handle.db, {
      ...programmeFixture,
      people: [
        ...programmeFixture.people,
        {
          key: "nina",
          name: "Nina Roche",
          email: "nina@example.org",
          roles: [],
          skills: ["Python"],
          identities: [{ platform: "slack", tenantId: "T0TEST", userId: "UNINA" }],
        },
      ],
    }));
    bot = createBot({ db: handle.db, clock });
  });
  afterEach(() => handle.close());

  const command = (actor: Actor, text: string) => bot.handle({ type: "command", actor, origin: {}, text });
  const submit = (actor: Actor, form: Form, values: Record<string, string>) =>
    bot.handle({
      type: "form",
      actor,
      origin: {},
      formId: form.formId,
      values,
      ...(form.meta ? { meta: form.meta } : {}),
    });

  it("gives an enrolled mentor the mentor questionnaire, refuses capacity -1 beside its input, then saves", async () => {
    const form = formOf(await command(slack("UMARC", { timeZone: "Europe/Brussels" }), "join"));
    expect(inputs(form).map((i) => [i.id, i.label, i.initial])).toEqual([
      ["skills", "Ce que vous proposez", undefined],
      ["domain", "Domaine (facultatif)", undefined],
      ["days", "Jours disponibles", undefined],
      ["parts", "Moments de la journée", undefined],
      ["timeZone", "Fuseau horaire", "Europe/Brussels"],
      ["languages", "Langues parlées", "fr"],
      ["style", "Style d'accompagnement préféré", "3"],
      ["capacity", "Nombre de mentorés que vous pouvez suivre", "1"],
    ]);

    const refused = await submit(slack("UMARC"), form, { ...mentorAnswers, capacity: "-1", days: "lun, demain" });
    expect(refused).toEqual({
      type: "formErrors",
      errors: {
        capacity: "« -1 » ne convient pas : indiquez un nombre entier de 0 à 10.",
        days: "« demain » n'est pas un jour. Écrivez par exemple `lun, mar, jeu` ou `lun-ven`.",
      },
    });
    expect(await profileCount()).toBe(0);

    const saved = await submit(slack("UMARC"), form, mentorAnswers);
    expect(cardText(saved)).toContain("Profil enregistré pour Cohorte test (mentor).");
    expect(cardText(saved)).toContain("Disponibilités: lun, jeu · soir");
    expect(cardText(saved)).not.toContain("inscrit");
    expect(await profilesForProgramme(handle.db, programmeId)).toEqual([
      expect.objectContaining({
        role: "mentor",
        languages: ["fr", "en"],
        timeZone: "Europe/Paris",
        availability: { days: ["mon", "thu"], parts: ["evening"] },
        skills: ["CV", "entretien"],
        domain: "Développement web",
        style: 2,
        capacity: 2,
        notWith: [],
        rankedChoices: [],
      }),
    ]);
  });

  it("asks a mentee for goals, without capacity, in English when the platform says so", async () => {
    const form = formOf(await command(slack("ULEA", { locale: "en-US" }), "join cohorte-test"));
    expect(inputs(form).map((i) => i.id)).toEqual([
      "skills",
      "domain",
      "days",
      "parts",
      "timeZone",
      "languages",
      "style",
    ]);
    expect(inputs(form)[0]?.label).toBe("Your goals");
    const saved = await submit(slack("ULEA", { locale: "en-US" }), form, {
      ...mentorAnswers,
      capacity: "",
      skills: "",
    });
    expect(saved).toEqual({
      type: "formErrors",
      errors: { skills: "Give at least one goal, for example “prepare my interviews”." },
    });
  });

  it("lets an imported person in no programme choose a role, enrols them and saves their profile at once", async () => {
    expect(cardText(await command(slack("UNINA"), "help"))).toMatch(/aucun programme binome/);
    const choice = cardOf(await command(slack("UNINA"), "join"));
    expect(choice.fallback).toBe("Vous rejoignez le programme Cohorte test. Quel sera votre rôle ?");
    const actions = choice.blocks.find((b) => b.type === "actions");
    const mentee = actions?.type === "actions" ? actions.buttons.find((b) => b.label.startsWith("Mentoré")) : undefined;
    const form = formOf(
      await bot.handle({
        type: "action",
        actor: slack("UNINA"),
        origin: {},
        actionId: "join.role",
        value: mentee?.value ?? "",
      }),
    );
    expect(inputs(form).find((i) => i.id === "skills")).toMatchObject({ label: "Vos objectifs", initial: "Python" });

    const saved = await submit(slack("UNINA"), form, { ...mentorAnswers, skills: "Python, alternance" });
    expect(cardText(saved)).toContain(
      "Vous êtes inscrit·e au programme Cohorte test comme mentoré. La coordination vous proposera un binôme.",
    );
    expect((await profilesForProgramme(handle.db, programmeId)).map((p) => [p.role, p.skills])).toEqual([
      ["mentee", ["Python", "alternance"]],
    ]);
    expect(cardText(await command(slack("UNINA"), "programme"))).toContain("Votre rôle: mentoré");
  });

  it("refuses a role the person does not hold, and self-enrolment once the programme has ended", async () => {
    const enrolmentCount = async () => (await handle.db.select({ n: count() }).from(enrolments))[0]?.n;
    const before = await enrolmentCount();
    const asMentor = await submit(
      slack("ULEA"),
      { formId: "profile", title: "", submitLabel: "", cancelLabel: "", meta: `${programmeId}:mentor`, blocks: [] },
      mentorAnswers,
    );
    expect(cardText(asMentor)).toBe(
      "Dans le programme Cohorte test, votre rôle est : mentoré. Votre profil est celui de ce rôle.",
    );
    clock.set("2027-01-10T10:00:00Z");
    await handle.db.update(programmes).set({ endsOn: "2026-12-31" });
    expect(cardText(await command(slack("UNINA"), "join cohorte-test"))).toBe(
      "Le programme Cohorte test est terminé : on ne peut plus s'y inscrire.",
    );
    expect(cardText(await command(slack("UNINA"), "join autre"))).toBe(
      "Aucun programme n'est ouvert aux inscriptions. Demandez à votre coordinateur ou coordinatrice.",
    );
    expect(await enrolmentCount()).toBe(before);
    expect(await profileCount()).toBe(0);
    clock.set("2026-11-27T10:00:00Z");
  });

  it("shows the profile with an edit button that opens the questionnaire prefilled", async () => {
    expect(cardText(await command(slack("UMARC"), "profil"))).toBe(
      "Vous n'avez pas encore de profil. Tapez `/binome join` pour le remplir.",
    );
    await submit(slack("UMARC"), formOf(await command(slack("UMARC"), "join")), mentorAnswers);
    const shown = await command(slack("UMARC"), "profile");
    expect(cardText(shown)).toBe(
      [
        "Votre profil : Cohorte test",
        "Rôle: mentor",
        "Ce que vous proposez: CV, entretien",
        "Domaine: Développement web",
        "Disponibilités: lun, jeu · soir",
        "Fuseau horaire: Europe/Paris",
        "Langues parlées: fr, en",
        "Style: 2 · plutôt directif",
        "Mentorés au plus: 2",
        "[Modifier]",
      ].join("\n"),
    );
    const edit = cardOf(shown).blocks.find((b) => b.type === "actions");
    const button = edit?.type === "actions" ? edit.buttons[0] : undefined;
    const form = formOf(
      await bot.handle({
        type: "action",
        actor: slack("UMARC"),
        origin: {},
        actionId: button?.actionId ?? "",
        value: button?.value ?? "",
      }),
    );
    expect(Object.fromEntries(inputs(form).map((i) => [i.id, i.initial]))).toEqual({
      skills: "CV, entretien",
      domain: "Développement web",
      days: "lun, jeu",
      parts: "soir",
      timeZone: "Europe/Paris",
      languages: "fr, en",
      style: "2",
      capacity: "2",
    });
    await submit(slack("UMARC"), form, { ...mentorAnswers, capacity: "0" });
    expect((await profilesForProgramme(handle.db, programmeId))[0]?.capacity).toBe(0);
    expect(await profileCount()).toBe(1);
  });
});
