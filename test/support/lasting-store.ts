import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DatabaseHandle, openDatabase } from "../../db/client.js";
import { createTestDatabase } from "./db.js";

/**
 * A database that outlives binome: a PGlite folder (one process at a time opens it), or a fresh
 * PostgreSQL database when DATABASE_URL is set. `env` is what a binome process needs to open it.
 */
export interface LastingStore {
  env: Record<string, string>;
  open(): Promise<DatabaseHandle>;
  cleanup(): Promise<void>;
}

/** A new, empty, migrated store. */
export async function lastingStore(): Promise<LastingStore> {
  if (process.env.DATABASE_URL) {
    const base = await createTestDatabase();
    const url = base.url as string;
    return {
      env: { DATABASE_URL: url },
      open: () => openDatabase({ url, migrate: false, poolSize: 4 }),
      cleanup: () => base.close(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "binome-survey-"));
  return {
    env: { DATA_DIR: dir },
    open: () => openDatabase({ dataDir: dir }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
