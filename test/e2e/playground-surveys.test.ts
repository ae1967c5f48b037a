import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  moveClock,
  openPlayground,
  type PlaygroundSession,
  simulatedDate,
  waitForDelivery,
} from "../support/playground-browser.js";
import type { BinomeProcess } from "../support/process.js";

const DAY_MS = 86_400_000;

/** The local date in Paris (the demo programme's zone) of an instant, as `YYYY-MM-DD`. */
const parisDate = (ms: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" })
    .format(ms)
    .slice(0, 10);
/** A date as binome writes it in French: `4 déc. 2026`. */
const frenchDate = (iso: string) =>
  new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
    Date.parse(`${iso}T00:00:00Z`),
  );
const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Issue 6, item 7: the playground shows surveys, the digest and the difficulty route as they
 * happen when its clock moves. The demo programme started a month before the playground opened,
 * runs nine months, sends its weekly digest on Mondays at 09:00 (Paris) and its mid-term survey
 * halfway through.
 */
describe("the difficulty route, the weekly digest and the mid-term survey in the playground, in Chromium", {
  timeout: 120_000,
}, () => {
  let session: PlaygroundSession;
  let binome: BinomeProcess;
  let page: Page;

  beforeAll(async () => {
    session = await openPlayground({ OUTBOX_POLL_MS: "500" }, 900);
    ({ binome, page } = session);
    await page.goto(`${binome.url}/playground`);
  });
  afterAll(() => session?.close());

  const dm = () => page.getByRole("log", { name: "Messages avec binome" });
  const channel = () => page.getByRole("log", { name: "# coordinateurs" });
  /** The message (card) of a conversation that shows this text. */
  const messageWith = (log: Locator, text: string | RegExp) => log.locator(".msg", { has: page.getByText(text) });

  it("takes a mentee's call for help privately to the coordinators, who mark it handled", async () => {
    await session.actAs("Léa Petit");
    await session.type("/binome aide moi Je n'arrive pas à joindre Thomas depuis trois semaines");
    await dm()
      .getByText("Merci, c'est transmis à la coordination, qui reviendra vers vous. Personne d'autre ne le voit.")
      .waitFor();

    await session.actAs("Claire Fontaine");
    const raised =
      /^🔔 Difficulté signalée par Léa Petit \(binôme avec Thomas Lefèvre\), via la commande d'aide :\s+« Je n'arrive pas à joindre Thomas depuis trois semaines »$/;
    await channel().getByText(raised).waitFor();
    const card = messageWith(channel(), raised);
    await card.getByRole("button", { name: "Marquer comme traitée" }).click();
    // The card itself now says who handled it and when; its button is gone.
    await card.getByText(/^✅ Traitée par Claire Fontaine le \d+ \S+ \d{4}\.$/).waitFor();
    expect(await card.getByRole("button", { name: "Marquer comme traitée" }).count()).toBe(0);
    await channel().getByText("Difficulté marquée comme traitée.").waitFor();

    // Her mentor sees none of it.
    await session.actAs("Thomas Lefèvre");
    await dm().getByText("Aucun message pour l'instant. Tapez une commande ci-dessous.").waitFor();
    expect(await page.getByRole("log", { name: "# coordinateurs" }).count()).toBe(0);
  });

  it("posts the weekly digest in the coordinators' channel once the clock passes Monday 09:00", async () => {
    await session.actAs("Claire Fontaine");
    await moveClock(page, "+1 semaine", 7);
    // The digest of a week goes on its Monday at 09:00: a jump that lands on a Monday morning waits a day more.
    const landed = new Date(await simulatedDate(page));
    const parisHour = Number(
      new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", hourCycle: "h23" }).format(landed),
    );
    const today = parisDate(landed.getTime());
    if (new Date(`${today}T00:00:00Z`).getUTCDay() === 1 && parisHour < 9) await moveClock(page, "+1 jour", 1);

    // Its figures cover the seven days before the latest Monday.
    const now = parisDate(await simulatedDate(page));
    const monday = addDays(now, -((new Date(`${now}T00:00:00Z`).getUTCDay() + 6) % 7));
    const period = `Du ${frenchDate(addDays(monday, -7))} au ${frenchDate(addDays(monday, -1))}, comparé aux sept jours d'avant.`;
    await channel().getByText(period).waitFor({ timeout: 15_000 });
    const digest = messageWith(channel(), period);
    await digest.getByRole("heading", { name: /^Digest de la semaine · Tremplin \(démo\)/ }).waitFor();
    // The headline figures of the demo's first week: its four pairs began in it, nothing else happened yet.
    const figures = (await digest.textContent()) ?? "";
    for (const line of [
      "• Binômes actifs : 4 (+4)",
      "• Séances enregistrées : 0 (=)",
      "• Heures de mentorat : 0 h (=)",
      "• Réponses aux points d'étape : —",
      "• Utilité moyenne des échanges : —",
      "• Questionnaires complétés : —",
    ])
      expect(figures).toContain(line);
    // Léa's difficulty was handled: no pair needs attention.
    await digest.getByText("Aucun binôme ne demande d'attention cette semaine.").waitFor();
    await page.screenshot({ path: "/tmp/playground-digest.png" });
  });

  it("asks a mentee the mid-term survey on its date, one question at a time, by click or typed reply", async () => {
    await session.actAs("Léa Petit");
    // The date, as a newcomer reads it in the programme's description.
    await session.type("/binome programme");
    const surveys = dm().getByText(/^mi-parcours le .+, fin le .+$/);
    const shown = /^mi-parcours le (.+), fin le /.exec((await surveys.textContent()) ?? "")?.[1] ?? "";
    const start = parisDate(await simulatedDate(page));
    const midterm = Array.from({ length: 300 }, (_, i) => addDays(start, i)).find((d) => frenchDate(d) === shown);
    expect(midterm, `mid-term date "${shown}"`).toBeDefined();

    const title = dm().getByRole("heading", { name: "Bilan de mi-parcours" });
    const first = "Votre relation de mentorat est-elle bien lancée (premiers échanges faits, rythme trouvé) ?";
    for (;;) {
      const left = Math.round(
        (Date.parse(`${midterm}T00:00:00Z`) - Date.parse(`${parisDate(await simulatedDate(page))}T00:00:00Z`)) / DAY_MS,
      );
      if (left <= 0) break;
      expect(await title.count()).toBe(0);
      if (left >= 7) await moveClock(page, "+1 semaine", 7);
      else await moveClock(page, "+1 jour", 1);
    }
    // The weekly cap (check-ins and reminders count too) may hold it until Monday.
    await waitForDelivery(page, dm().getByText(first), 7);
    const invitation = messageWith(dm(), first);
    await invitation.getByRole("heading", { name: "Bilan de mi-parcours" }).waitFor();
    await invitation.getByText(/^Question 1\/\d$/).waitFor();
    await page.screenshot({ path: "/tmp/playground-survey.png" });

    await invitation.getByRole("button", { name: "Oui", exact: true }).click();
    const rating = "Jusqu'ici, comment jugez-vous vos échanges avec votre mentor ?";
    await dm().getByText(rating).waitFor();
    const second = messageWith(dm(), rating);
    await second.getByText(/^Bilan de mi-parcours · Question 2\/\d$/).waitFor();
    await second.getByText("1 = décevants · 5 = excellents").waitFor();
    await second.getByRole("button", { name: "2", exact: true }).click();

    // A low mark brings the optional question, answered by typing in the conversation.
    const help = "Qu'est-ce qui rendrait ces échanges plus utiles pour vous ? (facultatif)";
    await dm().getByText(help).waitFor();
    await messageWith(dm(), help)
      .getByText(/^Bilan de mi-parcours · Question 3\/\d$/)
      .waitFor();
    await session.type("Des rendez-vous plus réguliers, fixés à l'avance");
    const difficulty = "Rencontrez-vous une difficulté que vous souhaitez signaler à l'équipe du programme ?";
    await dm().getByText(difficulty).waitFor();
    await messageWith(dm(), difficulty)
      .getByText(/^Bilan de mi-parcours · Question 4\/\d$/)
      .waitFor();
  });

  /**
   * Léa's check-in of two weeks ago is still unanswered, but the survey's question is what she read
   * last: a word that answers neither gets the survey's hint, not the check-in's.
   */
  it("answers a typed reply that fits no answer with the survey question's one-line hint", async () => {
    const before = await dm().locator(".msg").count();
    await session.type("peut-être");
    const reply = dm()
      .locator(".msg")
      .nth(before + 1);
    await reply.waitFor();
    expect((await reply.locator(".msg-body").textContent())?.trim()).toBe(
      "Répondez par oui ou par non, ou touchez un bouton.",
    );
  });

  it("thanks the mentee once the last question is answered", async () => {
    await session.type("non");
    await dm().getByText("Merci ! Vos réponses sont enregistrées.").waitFor();
    // Nothing was reported: no survey difficulty reaches the coordinators.
    expect(await dm().getByText("Vous avez signalé une difficulté").count()).toBe(0);
    await page.screenshot({ path: "/tmp/playground-survey-done.png" });
  });
});
