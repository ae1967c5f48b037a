// What the servers under test of the latency benches (slack-ack-server, survey-step-server) share:
// a bare Bolt app, binome as `npm start` composes it on a fresh database, and a clean stop. Each
// server is a process of its own; it prints `BENCH_READY <json>` once it listens, and stops
// (dropping what it created) when its stdin closes or on SIGTERM.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type App as BoltApp, HTTPReceiver, LogLevel } from "@slack/bolt";
import postgres from "postgres";
import { type RunningBinome, startBinome } from "../src/app.js";
import { parseEnv } from "../src/env.js";
import { applySeed } from "../src/features/participants/seed.js";
import { benchSeed, SIGNING_SECRET } from "./slack-ack-shared.js";

export type ServerTarget = "bare" | "pglite" | "postgres";

/** The target and the fake Slack Web API's URL from the command line, or the usage and exit 2. */
export function serverArgs(script: string): { target: ServerTarget; apiUrl: string } {
  const [target, apiUrl] = process.argv.slice(2);
  if (!apiUrl || !["bare", "pglite", "postgres"].includes(target ?? "")) {
    console.error(`usage: ${script} bare|pglite|postgres <fake Slack Web API url>`);
    process.exit(2);
  }
  return { target: target as ServerTarget, apiUrl };
}

const cleanups: Array<() => Promise<void> | void> = [];

/**
 * A Bolt app on the same HTTPReceiver as binome's (processBeforeResponse: false) whose listeners,
 * set by `listen`, only ack. Bot ids are given, so Bolt makes no auth.test call, as in binome's
 * adapter. Returns its `/slack/events` URL.
 */
export async function startBareBolt(apiUrl: string, listen: (app: BoltApp) => void): Promise<string> {
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    endpoints: "/slack/events",
    processBeforeResponse: false,
  });
  const app = new App({
    token: "xoxb-bench",
    botId: "BBOT",
    botUserId: "UBOT",
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: apiUrl },
  });
  listen(app);
  const server = await receiver.start({ port: 0, host: "127.0.0.1" });
  cleanups.push(() => receiver.stop());
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}/slack/events`;
}

/** A fresh database on the PostgreSQL server of `adminUrl`, dropped at the end. */
async function freshPostgres(adminUrl: string): Promise<string> {
  const name = `binome_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const drop = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await drop.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * binome as `npm start` composes it, with Slack pointed at the fake Web API: on PGlite in a fresh
 * temp DATA_DIR, or on a fresh database of the server that DATABASE_URL names; seeded with the
 * bench's 50 pairs. `env` adds or overrides variables.
 */
export async function startBenchBinome(
  kind: "pglite" | "postgres",
  apiUrl: string,
  env: Record<string, string> = {},
): Promise<RunningBinome> {
  const source: Record<string, string> = {
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    PLAYGROUND: "off",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    ...env,
  };
  if (kind === "postgres") {
    const adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) throw new Error("the postgres target needs DATABASE_URL");
    source.DATABASE_URL = await freshPostgres(adminUrl);
  } else {
    const dir = mkdtempSync(join(tmpdir(), "binome-bench-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    source.DATA_DIR = join(dir, "data");
  }
  const running = await startBinome(parseEnv(source));
  cleanups.unshift(() => running.close());
  await applySeed(running.db.db, benchSeed());
  return running;
}

let stopping = false;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch((error: unknown) => console.error(error));
  process.exit(code);
}

/** Starts the server, prints `BENCH_READY <json>`, and stops cleanly when told to (or when it fails). */
export async function serve(start: () => Promise<object>): Promise<void> {
  process.once("SIGTERM", () => void stop());
  process.stdin.on("end", () => void stop());
  process.stdin.resume();
  try {
    console.log(`BENCH_READY ${JSON.stringify(await start())}`);
  } catch (error) {
    console.error(error);
    await stop(1);
  }
}
