import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { type BinomeProcess, startBinome } from "./process.js";

const chromiumPath = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
// Debian's Chromium as root, headless, with nothing reaching outside this machine.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-gpu",
];

/** The built program in playground mode on a fresh data folder, and a Chromium page to drive it. */
export interface PlaygroundSession {
  binome: BinomeProcess;
  page: Page;
  /** Clicks a person in the "who am I" list. */
  actAs(name: string): Promise<void>;
  /** Types a command in the command box and sends it. */
  type(command: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts binome with no chat credentials (so it serves the playground) and opens Chromium on it. */
export async function openPlayground(env: Record<string, string> = {}, height = 820): Promise<PlaygroundSession> {
  const dataDir = mkdtempSync(join(tmpdir(), "binome-data-"));
  const binome = await startBinome({ DATA_DIR: dataDir, ...env });
  const profile = mkdtempSync(join(tmpdir(), "binome-chromium-"));
  const browser: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height },
    locale: "fr-FR",
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  return {
    binome,
    page,
    actAs: (name) => page.getByRole("navigation").getByRole("button", { name }).click(),
    async type(command) {
      const box = page.getByRole("textbox", { name: "Commande" });
      await box.fill(command);
      await box.press("Enter");
    },
    async close() {
      await browser.close();
      await binome.stop();
      for (const dir of [profile, dataDir]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const DAY_MS = 86_400_000;

/** The simulated date that the page shows, as epoch milliseconds. */
export async function simulatedDate(page: Page): Promise<number> {
  // Right after a page load the date is not shown yet: wait for it rather than read nothing.
  await page.locator("#now[datetime]").waitFor();
  return Date.parse((await page.locator("#now").getAttribute("datetime")) ?? "");
}

/** Presses a clock button ("+1 jour", "+1 semaine") and waits until the page shows the date moved by `days`. */
export async function moveClock(page: Page, label: string, days: number): Promise<void> {
  const before = await simulatedDate(page);
  await page.getByRole("group", { name: "Avancer la date simulée" }).getByRole("button", { name: label }).click();
  await expect
    .poll(async () => (await simulatedDate(page)) - before, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(days * DAY_MS);
}

/**
 * Waits for a message that the clock brought. The attention rules may hold it (a public holiday,
 * the weekly cap until next Monday): the page then says a message is waiting, and the newcomer
 * presses "+1 jour" until it goes, as in a real programme. Gives up after `maxDays` such days;
 * returns how many it took (0 when the message came at once).
 */
export async function waitForDelivery(page: Page, message: Locator, maxDays = 3): Promise<number> {
  for (let days = 0; ; days++) {
    try {
      await message.waitFor({ timeout: 4_000 });
      return days;
    } catch (error) {
      if (days === maxDays) throw error;
      await page.getByText(/^Prochain envoi en attente : /).waitFor();
      await moveClock(page, "+1 jour", 1);
    }
  }
}
