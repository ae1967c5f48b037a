import { cpSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { lockDataDir } from "./lock.js";
import { isDataFolder, TEMPLATE_DIR } from "./pglite-template.js";
import * as schema from "./schema.js";

/** The database as features see it: the same type on PGlite and on postgres.js. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

/** The folder of generated SQL migrations, from the sources or from the build output. */
export function migrationsFolder(): string {
  for (const candidate of ["./migrations", "../../db/migrations"]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error("db/migrations not found next to the database client");
}

/** Rows of a raw query: postgres.js returns an array, PGlite `{ rows }`. */
export async function queryRows<T = Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export interface OpenOptions {
  /** A PostgreSQL URL; when absent, PGlite in `dataDir`. */
  url?: string;
  /** PGlite data directory; `memory://` for an in-memory database. */
  dataDir?: string;
  /** An already-open PGlite instance (tests clone a migrated template). */
  pglite?: PGlite;
  /** Apply migrations before returning (default true). */
  migrate?: boolean;
  /** Largest connection pool on PostgreSQL. */
  poolSize?: number;
}

/** Opens and migrates the database: PostgreSQL when a URL is given, embedded PGlite otherwise. */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const shouldMigrate = options.migrate ?? true;
  if (options.url) {
    if (shouldMigrate) {
      // The migrator runs on its own single connection, so that its lock and DDL stay on one session.
      const migrationClient = postgres(options.url, { max: 1, onnotice: () => {} });
      try {
        await migratePostgres(drizzlePostgres(migrationClient), { migrationsFolder: migrationsFolder() });
      } finally {
        await migrationClient.end();
      }
    }
    const client = postgres(options.url, { max: options.poolSize ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema }) as unknown as Database;
    return { db, kind: "postgres", close: () => client.end() };
  }

  const inMemory = !options.pglite && (options.dataDir === undefined || options.dataDir.startsWith("memory://"));
  const unlock = options.pglite || inMemory ? () => {} : lockDataDir(options.dataDir as string);
  try {
    const dataDir = options.dataDir as string;
    if (!options.pglite && !inMemory && !isDataFolder(dataDir) && isDataFolder(TEMPLATE_DIR)) {
      cpSync(TEMPLATE_DIR, dataDir, { recursive: true });
    }
    // Loaded here, not at the top: a PostgreSQL deployment never needs the WebAssembly build.
    const pg =
      options.pglite ?? (await (await import("@electric-sql/pglite")).PGlite.create(inMemory ? undefined : dataDir));
    const db = drizzlePglite(pg, { schema }) as unknown as Database;
    if (shouldMigrate) await migratePglite(drizzlePglite(pg), { migrationsFolder: migrationsFolder() });
    return {
      db,
      kind: "pglite",
      close: async () => {
        try {
          if (!pg.closed) await pg.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export { schema };
