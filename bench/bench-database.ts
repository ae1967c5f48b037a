import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../db/client.js";

/**
 * A database of the bench's own, migrated: a fresh database on the PostgreSQL of `DATABASE_URL`
 * (dropped by `drop`), or an in-memory PGlite without it.
 */
export async function benchDatabase(poolSize?: number): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const handle = await openDatabase({ pglite: await PGlite.create() });
    return { handle, drop: () => handle.close() };
  }
  const name = `binome_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), ...(poolSize ? { poolSize } : {}) });
  return {
    handle,
    async drop() {
      await handle.close();
      const drop = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await drop.unsafe(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}
