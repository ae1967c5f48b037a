import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { type Database, openDatabase } from "../../db/client.js";
import { createTestDatabase } from "./db.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Whether the suite runs on PostgreSQL (DATABASE_URL) rather than PGlite. */
export const usesPostgres = Boolean(process.env.DATABASE_URL);

/** What one run of the command printed, and its exit code. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/binome.js …` from the sources, as an operator would from a clone (French by default). */
export function runBinome(args: string[], env: Record<string, string>): Promise<Run> {
  const childEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BINOME_FROM_SOURCE: "1",
    LANG: "fr_FR.UTF-8",
    ...env,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/binome.js", ...args],
      { cwd: root, env: childEnv, timeout: 90_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** A database one test hands to the command: the environment to pass, and a way to read it. */
export interface CliDatabase {
  env: Record<string, string>;
  /** Reads the database while the command is not running (PGlite allows one process at a time). */
  read<T>(query: (db: Database) => Promise<T>): Promise<T>;
}

/**
 * Gives each test of the calling suite a fresh, migrated database for the command: on PostgreSQL a
 * new database, on PGlite a copy of a folder `binome migrate` made once for the suite.
 */
export function useCliDatabase(prefix: string): () => CliDatabase {
  let workDir: string;
  let template: string;
  let current: CliDatabase & { drop(): Promise<void> };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), prefix));
    template = join(workDir, "template");
    if (!usesPostgres) expect((await runBinome(["migrate"], { DATA_DIR: template })).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  beforeEach(async (context) => {
    if (usesPostgres) {
      const handle = await createTestDatabase();
      current = {
        env: { DATABASE_URL: handle.url as string },
        read: (query) => query(handle.db),
        drop: () => handle.close(),
      };
      return;
    }
    const dataDir = join(workDir, context.task.id);
    cpSync(template, dataDir, { recursive: true });
    current = {
      env: { DATA_DIR: dataDir },
      async read(query) {
        const handle = await openDatabase({ dataDir });
        try {
          return await query(handle.db);
        } finally {
          await handle.close();
        }
      },
      drop: async () => {},
    };
  });
  afterEach(() => current.drop());

  return () => current;
}
