import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
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
