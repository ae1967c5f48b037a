import type { Page } from "playwright-core";
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

/**
 * Issue 5, item 9: a newcomer moves the playground's clock and watches the engagement loop. The demo
 * pairs (Thomas with Léa and Hugo, Nadia with Inès, Sophie with Lucas) are made when the playground
 * starts; the demo programme asks mentees every two weeks and runs the 14/21/28-day ladder.
 */
describe("check-ins and the nudge ladder in the playground, in Chromium", { timeout: 120_000 }, () => {
  let session: PlaygroundSession;
  let binome: BinomeProcess;
  let page: Page;

  beforeAll(async () => {
    // No Slack or Teams credentials: the program opens the playground and seeds the demo programme.
    session = await openPlayground({ OUTBOX_POLL_MS: "500" }, 900);
    ({ binome, page } = session);
  });
  afterAll(() => session?.close());

  const dm = () => page.getByRole("log", { name: "Messages avec binome" });
  it("shows a mentee her check-in after two weeks, updates it as she answers, and flags quiet pairs after four", async () => {
    await page.goto(`${binome.url}/playground`);
    const start = await simulatedDate(page);
    await session.actAs("Léa Petit");
    await dm().getByText("Aucun message pour l'instant. Tapez une commande ci-dessous.").waitFor();

    // One week: nothing is due yet.
    await moveClock(page, "+1 semaine", 7);
    await page.waitForTimeout(1_500);
    expect(await dm().locator(".msg").count()).toBe(0);

    await moveClock(page, "+1 semaine", 7);
    const asked = /^Bonjour ! Avez-vous échangé avec Thomas depuis le \d+ \S+ \d{4} \?$/;
    const question = dm().getByText(asked);
    const heldDays = await waitForDelivery(page, question);
    // The ladder's first step came with it: fourteen quiet days, a friendly reminder with an idea.
    await dm()
      .getByText(/^Cela fait 1\d jours sans échange avec Thomas\. Un petit message suffit pour reprendre le fil !$/)
      .waitFor();
    await dm()
      .getByText(/^Une idée pour démarrer : /)
      .waitFor();
    const messages = await dm().locator(".msg").count();
    expect(messages).toBe(2);

    // One click: the same message now thanks her and asks how useful it was.
    const id = await dm()
      .locator(".msg", { has: page.getByText(asked) })
      .getAttribute("data-id");
    const checkin = dm().locator(`.msg[data-id="${id}"]`);
    await checkin.getByRole("button", { name: "Oui" }).click();
    await checkin.getByText("✅ Vous avez échangé avec Thomas. Merci !").waitFor();
    await checkin.getByText("Cet échange vous a-t-il été utile ?").waitFor();
    expect(await question.count()).toBe(0);
    await page.screenshot({ path: "/tmp/playground-checkin.png" });

    await checkin.getByRole("button", { name: "4", exact: true }).click();
    await checkin.getByText("Utilité : 4/5.").waitFor();
    await checkin.getByRole("button", { name: "Ajouter une note" }).waitFor();
    expect(await checkin.getByRole("button", { name: "4", exact: true }).count()).toBe(0);
    expect(await dm().locator(".msg").count()).toBe(messages);

    // Her home: her mentor, the next check-in in two weeks' time.
    await page.getByRole("button", { name: "Accueil" }).click();
    const home = page.getByRole("dialog");
    await home.getByRole("heading", { name: "Accueil binome" }).waitFor();
    await home.getByText("Thomas Lefèvre").waitFor();
    await home.getByText("Prochain point d'étape").waitFor();
    await home.getByRole("button", { name: "Fermer" }).click();
    await home.waitFor({ state: "hidden" });

    // Two more weeks: the three pairs that never showed activity reach 28 quiet days.
    await moveClock(page, "+1 semaine", 7);
    await moveClock(page, "+1 semaine", 7);
    expect((await simulatedDate(page)) - start).toBeGreaterThanOrEqual((28 + heldDays) * DAY_MS);
    await session.actAs("Claire Fontaine");
    const channel = page.getByRole("log", { name: "# coordinateurs" });
    const flag = (mentor: string, mentee: string) =>
      channel.getByText(
        new RegExp(`^Binôme ${mentor} – ${mentee} : aucune activité depuis 2\\d jours, malgré les relances\\.$`),
      );
    await waitForDelivery(page, flag("Thomas Lefèvre", "Hugo Moreau"));
    for (const [mentor, mentee] of [
      ["Thomas Lefèvre", "Hugo Moreau"],
      ["Nadia Benali", "Inès Laurent"],
      ["Sophie Marchand", "Lucas Girard"],
    ] as const)
      await flag(mentor, mentee).waitFor();
    // Léa said they met: her pair is not flagged.
    expect(await channel.getByText(/Binôme Thomas Lefèvre – Léa Petit/).count()).toBe(0);
    expect(await channel.getByRole("button", { name: "Relancer maintenant" }).count()).toBe(3);
    await page.screenshot({ path: "/tmp/playground-ladder.png" });

    // The clock control speaks English too.
    await page.getByRole("button", { name: "EN", exact: true }).click();
    const controls = page.getByRole("group", { name: "Move the simulated date" });
    await controls.getByRole("button", { name: "+1 day" }).waitFor();
    await controls.getByRole("button", { name: "+1 week" }).waitFor();
    await page.getByRole("button", { name: "FR", exact: true }).click();
  });
});
