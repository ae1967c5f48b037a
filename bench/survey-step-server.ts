// One server under test for the survey-step bench, in a process of its own:
//   bare      a Bolt app (same HTTPReceiver, processBeforeResponse: false) that only acks block_actions
//   pglite    binome as `npm start` composes it (startBinome), PGlite in a fresh temp DATA_DIR
//   postgres  the same on a fresh database of the server that DATABASE_URL names
// binome's programme has 50 pairs and its mid-term survey sent to everyone (the invitations marked
// delivered: the bench times the steps, not 100 invitations). Usage: survey-step-server.ts <target>
// <fake Slack Web API url>. Prints `BENCH_READY {"url","respondents"}`; stops when its stdin
// closes or on SIGTERM, dropping what it created.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { and, eq, inArray, like } from "drizzle-orm";
import postgres from "postgres";
import { identities, outbox, surveyResponses } from "../db/schema.js";
import { startBinome } from "../src/app.js";
import { systemClock } from "../src/core/clock.js";
import { parseEnv } from "../src/env.js";
import { addDays } from "../src/features/engagement/activity.js";
import { applySeed } from "../src/features/participants/seed.js";
import { programmeFileSchema, withDefaults } from "../src/features/programmes/programme-file.js";
import { applyProgramme } from "../src/features/programmes/programmes.usecases.js";
import { surveyTick } from "../src/features/surveys/surveys.task.js";
import { benchSeed, SIGNING_SECRET } from "./slack-ack-shared.js";
import { type Respondent, respondentUserIds } from "./survey-step-shared.js";

const [target, apiUrl] = process.argv.slice(2);
if (!apiUrl || !["bare", "pglite", "postgres"].includes(target ?? "")) {
  console.error("usage: survey-step-server.ts bare|pglite|postgres <fake Slack Web API url>");
  process.exit(2);
}

const cleanups: Array<() => Promise<void> | void> = [];

async function startBare(): Promise<{ url: string; respondents: Respondent[] }> {
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
  app.action({ type: "block_actions" }, async ({ ack }) => {
    await ack();
  });
  const server = await receiver.start({ port: 0, host: "127.0.0.1" });
  cleanups.push(() => receiver.stop());
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  // The bare app reads no value: any response id will do.
  const respondents = respondentUserIds().map((userId) => ({ userId, responseId: "bare" }));
  return { url: `http://127.0.0.1:${address.port}/slack/events`, respondents };
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

async function startReal(kind: "pglite" | "postgres"): Promise<{ url: string; respondents: Respondent[] }> {
  const source: Record<string, string> = {
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    PLAYGROUND: "off",
    SCHEDULER: "off",
    // The worker is woken by each step; no poll should pick the invitations up while they are written.
    OUTBOX_POLL_MS: "600000",
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
  const db = running.db.db;
  await applySeed(db, benchSeed());
  // The mid-term survey goes out today; the programme keeps no public holiday, so any weekday works.
  const today = new Date().toISOString().slice(0, 10);
  const applied = await applyProgramme(
    { db },
    withDefaults(
      programmeFileSchema.parse({
        slug: "bench",
        name: "Cohorte bench",
        start: addDays(today, -30),
        end: addDays(today, 30),
        surveys: { midterm: today },
        attention: { holidays: false },
      }),
    ),
  );
  if (!applied.ok) throw new Error("the bench programme was not applied");
  const now = systemClock.now();
  const report = await surveyTick({ db, clock: systemClock, outboxChanged: () => {} }, now);
  if (report.invited !== 100) throw new Error(`expected 100 invitations, got ${report.invited}`);
  await db.update(outbox).set({ status: "sent", sentAt: now }).where(like(outbox.key, "survey:%"));
  const userIds = respondentUserIds();
  const rows = await db
    .select({ userId: identities.userId, responseId: surveyResponses.id })
    .from(surveyResponses)
    .innerJoin(identities, eq(identities.participantId, surveyResponses.participantId))
    .where(and(eq(identities.platform, "slack"), inArray(identities.userId, userIds)));
  const byUser = new Map(rows.map((r) => [r.userId, r.responseId]));
  const respondents = userIds.map((userId) => ({ userId, responseId: byUser.get(userId) ?? "" }));
  if (respondents.some((r) => !r.responseId)) throw new Error("a respondent has no survey");
  return { url: `${running.url}/slack/events`, respondents };
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
  const ready = target === "bare" ? await startBare() : await startReal(target as "pglite" | "postgres");
  console.log(`BENCH_READY ${JSON.stringify(ready)}`);
} catch (error) {
  console.error(error);
  await stop(1);
}
