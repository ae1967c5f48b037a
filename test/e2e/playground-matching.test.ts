import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPlayground, type PlaygroundSession } from "../support/playground-browser.js";
import type { BinomeProcess } from "../support/process.js";

/**
 * Issue 4: a coordinator runs `/binome match` in the playground, approves, and the introduction
 * reaches the demo people. The seeded demo already pairs Thomas with Léa and Hugo, Nadia with Inès
 * and Sophie with Lucas; the one mentee left, Camille, fits Nadia best (see demo-profiles.ts).
 */
describe("matching in the playground, in Chromium", () => {
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
  const pane = (name: string | RegExp) => page.getByRole("log", { name });
  const actAs = (name: string) => session.actAs(name);
  const type = (command: string) => session.type(command);

  /**
   * Introductions wait for the programme's working hours: when the message has not come, move the
   * simulated date a day at a time (a week at most), as a newcomer would with "+1 jour".
   */
  async function waitForDelivery(message: Locator): Promise<number> {
    for (let days = 0; ; days++) {
      try {
        await message.waitFor({ timeout: 3_000 });
        return days;
      } catch (error) {
        if (days === 7) throw error;
        await page.getByRole("button", { name: "+1 jour" }).click();
      }
    }
  }

  it("proposes, approves and introduces the new pair, who accept the charter", async () => {
    await page.goto(`${binome.url}/playground`);
    await actAs("Claire Fontaine");
    await type("/binome match");
    await dm()
      .getByText(/^Proposition de 1 binôme\(s\) publiée dans le canal des coordinateurs\./)
      .waitFor();

    // The proposal card in the coordinators' channel: the pair, its score and its reasons.
    const channel = pane("# coordinateurs");
    await channel.getByRole("heading", { name: "Proposition de binômes : Tremplin (démo)" }).waitFor();
    await channel.getByText(/^Nadia Benali → Camille Roux · compatibilité \d+\/100$/).waitFor();
    await channel.getByText(/Compétences en commun : .*portfolio/).waitFor();
    await channel
      .getByText("1 binôme(s) proposé(s), 0 mentoré(s) sans mentor. Rien n'est envoyé avant votre validation.")
      .waitFor();
    // Already paired by the seed, so not proposed again.
    expect(await channel.getByText(/Léa Petit/).count()).toBe(0);

    await channel.getByRole("button", { name: "Valider tout" }).click();
    await channel
      .getByText(/^C'est validé : 1 binôme\(s\) formé\(s\), .* 0 personne\(s\) en attente prévenue\(s\)\.$/)
      .waitFor();
    await page.screenshot({ path: "/tmp/playground-match-proposal.png" });

    // The new pair meet in a group conversation with the bot.
    await actAs("Camille Roux");
    const group = pane("Groupe · Nadia Benali, Camille Roux");
    const days = await waitForDelivery(
      group.getByText("Bonjour Nadia et Camille ! Vous formez désormais un binôme dans le programme Tremplin (démo)."),
    );
    // The demo programme writes at any hour (demo-profiles.ts): nobody has to move the clock.
    expect(days).toBe(0);
    await group.getByText("Pourquoi vous deux").waitFor();
    await group.getByRole("button", { name: "J'accepte la charte" }).click();
    await group.getByText(/^Merci ! Votre accord avec la charte est enregistré \(.+\)\.$/).waitFor();
    // Nobody is left waiting, so Camille's own messages hold no waiting notice.
    expect(
      await dm()
        .getByText(/liste d'attente/)
        .count(),
    ).toBe(0);
    await page.screenshot({ path: "/tmp/playground-match.png" });

    // Nadia sees the same conversation and agrees in turn; Léa, paired before, is told nothing new.
    await actAs("Nadia Benali");
    const hers = pane("Groupe · Nadia Benali, Camille Roux");
    await hers.getByText(/^Merci ! Votre accord avec la charte est enregistré/).waitFor();
    await hers.getByRole("button", { name: "J'accepte la charte" }).click();
    await expect.poll(() => hers.getByText(/^Merci ! Votre accord avec la charte est enregistré/).count()).toBe(2);
    await actAs("Léa Petit");
    await dm().getByText("Aucun message pour l'instant. Tapez une commande ci-dessous.").waitFor();
    expect(await page.locator("#others .channel").count()).toBe(0);
  });
});
