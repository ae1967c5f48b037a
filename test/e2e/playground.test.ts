import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BinomeProcess, startBinome } from "../support/process.js";

const chromiumPath = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-gpu",
];

describe("the playground in Chromium", () => {
  let binome: BinomeProcess;
  let dataDir: string;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // No Slack or Teams credentials: the program opens the playground and seeds the demo programme.
    dataDir = mkdtempSync(join(tmpdir(), "binome-data-"));
    binome = await startBinome({ DATA_DIR: dataDir });
    profile = mkdtempSync(join(tmpdir(), "binome-chromium-"));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1360, height: 820 },
      locale: "fr-FR",
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await binome?.stop();
    for (const dir of [profile, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const dm = () => page.getByRole("log", { name: "Messages avec binome" });
  const actAs = (name: string) => page.getByRole("navigation").getByRole("button", { name }).click();
  async function type(command: string): Promise<void> {
    const box = page.getByRole("textbox", { name: "Commande" });
    await box.fill(command);
    await box.press("Enter");
  }

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
