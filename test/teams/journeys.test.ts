import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../../adapters/teams/renderer.js";
import { identities, sessions } from "../../db/schema.js";
import { teamsClick, teamsMessage } from "../support/teams-activities.js";
import { people, startTeamsHarness, type TeamsHarness, visibleText } from "./harness.js";

describe("Teams: the same journeys as Slack, over /api/messages", () => {
  let h: TeamsHarness;
  beforeEach(async () => {
    h = await startTeamsHarness();
  });
  afterEach(() => h.close());

  /** The session form the bot just sent, and the value of Léa in its mentee list. */
  const sentLogForm = () => {
    const attachments = (h.connector.sent().at(-1)?.attachments ?? []) as Array<{ content: AdaptiveCard }>;
    const form = attachments[0]?.content as AdaptiveCard;
    const choices = (form.body.find((e) => e.id === "pair")?.choices ?? []) as Array<{ title: string; value: string }>;
    return { form, lea: choices.find((c) => c.title === "Léa Petit")?.value ?? "" };
  };

  const say = async (person: keyof typeof people, text: string, id?: string) => {
    const p = people[person];
    const response = await h.post(teamsMessage(p, text, h.place(p), id));
    expect(response.status).toBe(200);
    return h.lastSent();
  };

  it("answers help in the person's 1:1 chat, as a reply to their message", async () => {
    expect(await say("marc", "help")).toContain("binome : ce que vous pouvez faire");
    const [call] = h.connector.calls.filter((c) => c.method === "POST");
    expect(call?.path).toMatch(/^\/v3\/conversations\/a:personal-[^/]+\/activities\/\d+$/);
    expect(call?.body).toMatchObject({
      type: "message",
      conversation: { id: `a:personal-${people.marc.aadObjectId}` },
      recipient: { id: `29:${people.marc.aadObjectId}` },
    });
  });

  it("records a one-line session and shows it to the mentor, the mentee and the coordinator", async () => {
    expect(await say("marc", "binome log lea 45m révision du CV; next: simulation d'entretien")).toContain(
      "Séance notée avec Léa Petit : 27 nov. 2026, 45 min.",
    );
    const [row] = await h.db.select().from(sessions);
    expect(row).toMatchObject({
      durationMinutes: 45,
      heldOn: "2026-11-27",
      topics: "révision du CV",
      nextSteps: "simulation d'entretien",
      source: "teams",
    });
    expect(await say("lea", "sessions")).toContain("Marc Dubois → Léa Petit · 45 min");
    expect(await say("claire", "sessions")).toContain("Séances récentes du programme Cohorte test");
    expect(await say("hugo", "sessions")).toContain("Aucune séance notée");
  });

  it("answers in the language of the Teams client", async () => {
    const p = people.marc;
    await h.post(teamsMessage(p, "log lea yesterday 1h30 mock interview", { ...h.place(p), locale: "en-US" }));
    expect(h.lastSent()).toContain("Session with Léa Petit recorded: 26 Nov 2026, 1 h 30 min.");
  });

  it("records a session through the card: the form comes in the chat, and saving replaces it with the confirmation", async () => {
    await say("marc", "log");
    expect(visibleText(h.connector.sent().at(-1))).toContain("Noter une séance");
    const { form, lea } = sentLogForm();
    const p = people.marc;

    const refused = await h.post(
      teamsClick(form, "Enregistrer", p, h.place(p), {
        inputs: { pair: lea, date: "2026-11-26", duration: "abc", topics: "CV" },
      }),
    );
    expect(refused.body).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value:
        "Rien n'est enregistré : corrigez le formulaire.\n- « abc » n'est pas une durée. Écrivez par exemple `45m`, `1h` ou `1h30`.",
    });
    expect(await h.sessionCount()).toBe(0);

    const saved = await h.post(
      teamsClick(form, "Enregistrer", p, h.place(p), {
        inputs: { pair: lea, date: "2026-11-26", duration: "1h", topics: "CV", next: "" },
      }),
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(JSON.stringify(saved.body)).toContain("Séance notée avec Léa Petit : 26 nov. 2026, 1 h.");
    expect(await h.sessionCount()).toBe(1);
  });

  it("records a session through the card's Action.Submit fallback, answering in the chat", async () => {
    await say("marc", "log");
    const { form, lea } = sentLogForm();
    const p = people.marc;
    await h.post(
      teamsClick(form, "Enregistrer", p, h.place(p), {
        useFallback: true,
        inputs: { pair: lea, date: "2026-11-28", duration: "45m", topics: "CV" },
      }),
    );
    expect(h.lastSent()).toBe(
      "Rien n'est enregistré : corrigez le formulaire.\n- La date est dans le futur. Notez la séance une fois qu'elle a eu lieu.",
    );
    await h.post(
      teamsClick(form, "Enregistrer", p, h.place(p), {
        useFallback: true,
        inputs: { pair: lea, date: "2026-11-27", duration: "45m", topics: "CV" },
      }),
    );
    expect(h.lastSent()).toContain("Séance notée avec Léa Petit : 27 nov. 2026, 45 min.");
    expect(await h.sessionCount()).toBe(1);
  });

  it.each([
    ["log @lea abc CV", "« abc » n'est pas une durée. Écrivez par exemple `45m`, `1h` ou `1h30`."],
    ["log @lea 0 CV", "Une séance dure au moins 5 minutes. Écrivez par exemple `45m`."],
    ["log @lea 20h CV", "Une séance dure au plus 8 heures. Pour une journée entière, notez plusieurs séances."],
    ["log @lea 2026-12-01 45m CV", "La date est dans le futur. Notez la séance une fois qu'elle a eu lieu."],
    ["log @ines 45m CV", "« @ines » n'est pas l'un de vos mentorés. Vos mentorés : Hugo Moreau, Léa Petit."],
    [
      `log @lea 45m ${"x".repeat(5000)}`,
      "Sujets et prochaines étapes : 2000 caractères au plus. Raccourcissez votre texte.",
    ],
    ["dance", "Je ne connais pas « dance ». Tapez `/binome help` pour la liste des commandes."],
    ["", "Tapez `/binome help` pour voir ce que vous pouvez faire."],
  ])("refuses a bad command with one sentence and records nothing (%#)", async (line, expected) => {
    expect(await say("marc", line)).toBe(expected);
    expect(await h.sessionCount()).toBe(0);
  });

  it("refuses a caller who is not a participant, and a mentee who tries to log", async () => {
    h.connector.addMember({
      id: `29:${people.stranger.aadObjectId}`,
      aadObjectId: people.stranger.aadObjectId,
      name: "Paul Inconnu",
      email: "paul@elsewhere.example",
    });
    expect(await say("stranger", "help")).toMatch(/aucun programme binome/);
    expect(await say("lea", "log @hugo 45m CV")).toMatch(/Seuls les mentors/);
    expect(await h.sessionCount()).toBe(0);
  });

  it("keeps each role to its own sessions", async () => {
    await say("marc", "log lea 45m CV");
    await say("sophie", "log ines 1h entretien");
    expect(await say("marc", "log ines 45m CV")).toMatch(/n'est pas l'un de vos mentorés/);
    const leaSees = await say("lea", "sessions");
    expect(leaSees).toContain("Marc Dubois → Léa Petit");
    expect(leaSees).not.toContain("Inès");
    const claireSees = await say("claire", "sessions");
    expect(claireSees).toContain("Marc Dubois → Léa Petit");
    expect(claireSees).toContain("Sophie Bernard → Inès Laurent");
    expect(await h.sessionCount()).toBe(2);
  });

  it("links a person on first contact by the email Teams gives for them", async () => {
    h.connector.addMember({
      id: `29:${people.ines.aadObjectId}`,
      aadObjectId: people.ines.aadObjectId,
      name: "Inès Laurent",
      email: "Ines@Example.org",
    });
    expect(await say("ines", "sessions")).toContain("Séances récentes");
    const linked = await h.db
      .select()
      .from(identities)
      .where(and(eq(identities.platform, "teams"), eq(identities.userId, people.ines.aadObjectId)));
    expect(linked).toHaveLength(1);
    const lookups = h.connector.calls.filter((c) => c.method === "GET");
    await say("ines", "help");
    expect(h.connector.calls.filter((c) => c.method === "GET")).toHaveLength(lookups.length);
  });

  it("has the effect of a duplicate activity once", async () => {
    await say("marc", "log lea 45m CV", "dup-1");
    const replies = h.connector.sent().length;
    const again = await h.post(teamsMessage(people.marc, "log lea 45m CV", h.place(people.marc), "dup-1"));
    expect(again.status).toBe(200);
    expect(h.connector.sent()).toHaveLength(replies);
    expect(await h.sessionCount()).toBe(1);
  });

  it("answers a body that is not an activity with 400 and no effect", async () => {
    expect(await h.postRaw("{not json")).toBe(400);
    expect(await h.postRaw(JSON.stringify({ type: "message", text: "help" }))).toBe(400);
    expect(h.connector.calls).toHaveLength(0);
  });
});
