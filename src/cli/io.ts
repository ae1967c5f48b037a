import type { CliLanguage } from "./messages.js";

/** What a command may use of the outside world; tests and `bin/binome.js` pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  lang: CliLanguage;
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes: 0 done, 1 refused or failed, 2 the command line itself is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
