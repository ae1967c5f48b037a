import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import postgres from "postgres";
import { type DatabaseHandle, migrationsFolder, openDatabase } from "../../db/client.js";

let shared: Promise<PGlite> | undefined;

/** A migrated PGlite, made once per test worker (tests in a worker run one after another). */
function sharedPglite(): Promise<PGlite> {
  shared ??= (async () => {
    const pg = await PGlite.create();
    await migrate(drizzle(pg), { migrationsFolder: migrationsFolder() });
    return pg;
  })();
  return shared;
}

/** Empties every table of binome's schema, keeping the migrations journal. */
async function truncateAll(pg: PGlite): Promise<void> {
  const { rows } = await pg.query<{ name: string }>(
    "select quote_ident(tablename) as name from pg_tables where schemaname = 'public'",
  );
  if (rows.length > 0) await pg.exec(`truncate ${rows.map((r) => r.name).join(", ")} cascade`);
}

/** Where a test database lives: PostgreSQL when DATABASE_URL is set, PGlite otherwise. */
export const testDatabaseKind: "postgres" | "pglite" = process.env.DATABASE_URL ? "postgres" : "pglite";

/**
 * A fresh, migrated, empty database for one test: the worker's PGlite emptied, or on PostgreSQL
 * a new database that is dropped on close. The URL is given for tests that start another process.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const pg = await sharedPglite();
    await truncateAll(pg);
    const handle = await openDatabase({ pglite: pg, migrate: false });
    // The worker's PGlite outlives each test; closing a test's handle leaves it open.
    return { ...handle, close: async () => {} };
  }
  const name = `binome_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 4 });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const drop = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await drop.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}
