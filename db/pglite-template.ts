import { existsSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * A migrated, empty PGlite data folder made at build time. Creating a PGlite folder from nothing
 * runs PostgreSQL's initdb inside WebAssembly (several seconds); copying this one takes a fraction
 * of a second, so a first start is about as fast as a restart. Migrations still run after the copy,
 * so an older template is merely slower, never wrong.
 */
export const TEMPLATE_DIR = fileURLToPath(new URL("../pglite-template", import.meta.url));

/** True when `dir` already holds a PostgreSQL data folder. */
export function isDataFolder(dir: string): boolean {
  return existsSync(`${dir}/PG_VERSION`);
}

/** Builds the template folder from scratch. */
export async function buildTemplate(dir = TEMPLATE_DIR): Promise<void> {
  const [{ PGlite }, { drizzle }, { migrate }, { migrationsFolder }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
    import("./client.js"),
  ]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir);
  await migrate(drizzle(pg), { migrationsFolder: migrationsFolder() });
  await pg.close();
}
