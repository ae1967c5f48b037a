// One server under test for the acknowledgement bench, in a process of its own so that the load
// generator does not share its event loop:
//   bare      a Bolt app (same HTTPReceiver, processBeforeResponse: false) whose /binome only acks
//   pglite    binome as `npm start` composes it (startBinome), PGlite in a fresh temp DATA_DIR
//   postgres  the same on a fresh database of the server that DATABASE_URL names
// Usage: slack-ack-server.ts <target> <fake Slack Web API url>. Prints `BENCH_READY {"url"}`;
// stops (and drops what it created) when its stdin closes or on SIGTERM.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import postgres from "postgres";
import { startBinome } from "../src/app.js";
import { parseEnv } from "../src/env.js";
import { applySeed } from "../src/features/participants/seed.js";
import { benchSeed, SIGNING_SECRET } from "./slack-ack-shared.js";

const [target, apiUrl] = process.argv.slice(2);
if (!apiUrl || !["bare", "pglite", "postgres"].includes(target ?? "")) {
  console.error("usage: slack-ack-server.ts bare|pglite|postgres <fake Slack Web API url>");
  process.exit(2);
}

const cleanups: Array<() => Promise<void> | void> = [];

async function startBare(): Promise<string> {
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    endpoints: "/slack/events",
    processBeforeResponse: false,
  });
  // Bot ids given, so Bolt makes no auth.test call, as in binome's adapter.
  const app = new App({
    token: "xoxb-bench",
    botId: "BBOT",
    botUserId: "UBOT",
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: apiUrl },
  });
  app.command("/binome", async ({ ack }) => {
    await ack();
  });
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

async function startReal(kind: "pglite" | "postgres"): Promise<string> {
  const source: Record<string, string> = {
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    PLAYGROUND: "off",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl as string,
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
  return `${running.url}/slack/events`;
}

let stopping = false;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch((error: unknown) => console.error(error));
  process.exit(code);
}
process.once("SIGTERM", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();

try {
  const url = target === "bare" ? await startBare() : await startReal(target as "pglite" | "postgres");
  console.log(`BENCH_READY ${JSON.stringify({ url })}`);
} catch (error) {
  console.error(error);
  await stop(1);
}
