import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPlayground, type PlaygroundSession } from "../support/playground-browser.js";
import type { BinomeProcess } from "../support/process.js";

describe("the playground in Chromium", () => {
  let session: PlaygroundSession;
  let binome: BinomeProcess;
  let page: Page;

  beforeAll(async () => {
    // No Slack or Teams credentials: the program opens the playground and seeds the demo programme.
    session = await openPlayground({}, 820);
    ({ binome, page } = session);
  });
  afterAll(() => session?.close());

  const dm = () => page.getByRole("log", { name: "Messages avec binome" });
  const actAs = (name: string) => session.actAs(name);
  const type = (command: string) => session.type(command);

  it("lets a mentor log a session that the coordinator then sees", async () => {
    // What a newcomer reads in the terminal: where to open the playground.
    expect(binome.output()).toContain(`"url":"${binome.url}/playground"`);
    await page.goto(`${binome.url}/playground`);
    await actAs("Thomas Lefèvre");
    expect(await page.getByRole("textbox", { name: "Commande" }).inputValue()).toBe("/binome ");

    await type("/binome log lea 45m révision du CV; next: simulation d'entretien");
    await dm()
      .getByText(/^Séance notée avec Léa Petit : .+, 45 min\.$/)
      .waitFor();
    await dm().getByText("Prochaines étapes : simulation d'entretien").waitFor();

    await type("/binome log lea abc CV");
    await dm().getByText("« abc » n'est pas une durée. Écrivez par exemple 45m, 1h ou 1h30.").waitFor();

    await actAs("Claire Fontaine");
    await page.getByRole("heading", { name: "# coordinateurs" }).waitFor();
    await type("/binome sessions");
    await dm()
      .getByText(/Thomas Lefèvre → Léa Petit · 45 min$/)
      .waitFor();
    expect(await dm().getByText("Thomas Lefèvre → Léa Petit").count()).toBe(1);
    await page.screenshot({ path: "/tmp/playground.png" });
  });

  it("opens the session form as a dialog and shows a refused field beside its input", async () => {
    await actAs("Nadia Benali");
    await type("/binome log");
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("heading", { name: "Noter une séance" }).waitFor();
    await dialog.getByLabel("Durée").fill("abc");
    await dialog.getByLabel("Sujets abordés").fill("portfolio");
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await dialog.getByText("« abc » n'est pas une durée. Écrivez par exemple 45m, 1h ou 1h30.").waitFor();
    expect(await dialog.getByLabel("Durée").getAttribute("aria-invalid")).toBe("true");
    await page.screenshot({ path: "/tmp/playground-form.png" });

    await dialog.getByLabel("Durée").fill("1h");
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await dialog.waitFor({ state: "hidden" });
    await dm()
      .getByText(/^Séance notée avec Inès Laurent : .+, 1 h\.$/)
      .waitFor();
  });
});
