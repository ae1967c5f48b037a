import { loadavg } from "node:os";
import { webApi } from "@slack/bolt";
import { sql } from "drizzle-orm";
import { SlackChatPort } from "../adapters/slack/chat-port.js";
import { createSlackAdapter } from "../adapters/slack/index.js";
import { createTeamsAdapter } from "../adapters/teams/index.js";
import { type DatabaseHandle, queryRows } from "../db/client.js";
import { conversationReferences } from "../db/schema.js";
import type { ChatPort } from "../src/core/chat-port.js";
import { OffsetClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { attentionGate } from "../src/features/attention/gate.js";
import { createBot } from "../src/features/commands/router.js";
import { findDueWork } from "../src/features/engagement/due-work.js";
import { outboxCounts } from "../src/features/outbox/outbox.repository.js";
import { OutboxWorker } from "../src/features/outbox/outbox.worker.js";
import { startFakeBotConnector, TEAMS_LIMITS } from "../test/support/fake-bot-connector.js";
import { FakeSlack } from "../test/support/fake-slack.js";
import { benchDatabase } from "./bench-database.js";

/** `slack`: the ChatPort as `createSlackAdapter` makes it; `slack-paced`: also paced to the workspace limit. */
type Run = "slack" | "slack-paced" | "teams";
const RUNS = (process.env.RUNS ?? "slack,slack-paced,teams").split(",") as Run[];
const CHECKINS = Number(process.env.CHECKINS ?? 2000);
const SCALE = Number(process.env.TIME_SCALE ?? 1);
/** chat.postMessage: "1 message per second to a specific channel"; "several hundred messages per minute" per workspace. */
const SLACK_PER_CHANNEL = { limit: 1, windowMs: 1_000 / SCALE };
const SLACK_WORKSPACE = { limit: Number(process.env.SLACK_POSTS_PER_MINUTE ?? 300), windowMs: 60_000 / SCALE };
const TENANT = "0c1a0000-0000-4000-8000-00000000beef";
const BOT_ID = "28:bench-bot";
/** Friday 27 November 2026, 10:00 in Paris: inside working hours, not a public holiday. */
const START = Date.parse("2026-11-27T09:00:00Z");
const TODAY = "2026-11-27";

const menteeUser = (platform: "slack" | "teams", i: number) =>
  platform === "slack" ? `UMENTEE${i}` : `0c1a0000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/**
 * One programme with the default attention rules (weekly cap 2, 09:00–18:00 on weekdays, French
 * holidays), `CHECKINS` mentees with one mentor each (a mentor has two), every pair's check-in due
 * today and its last activity today (so no nudge). Teams people have a stored 1:1 conversation.
 */
async function seed(db: DatabaseHandle["db"], platform: "slack" | "teams", serviceUrl: string): Promise<void> {
  const mentors = Math.ceil(CHECKINS / 2);
  const [programme] = await queryRows<{ id: string }>(
    db,
    sql`insert into programmes (slug, name, time_zone) values ('bench', 'Bench', 'Europe/Paris') returning id`,
  );
  await db.execute(sql`
    insert into participants (name, email, language, time_zone)
    select 'Mentor ' || i, 'mentor' || i || '@bench.example', 'fr', 'Europe/Paris' from generate_series(1, ${mentors}) i`);
  await db.execute(sql`
    insert into participants (name, email, language, time_zone)
    select 'Mentee ' || i, 'mentee' || i || '@bench.example', case when i % 10 = 0 then 'en' else 'fr' end, 'Europe/Paris'
    from generate_series(1, ${CHECKINS}) i`);
  await db.execute(sql`
    insert into pairs (programme_id, mentor_id, mentee_id, created_at, last_activity_on, next_checkin_on, ladder_next_on)
    select ${programme?.id}, m.id, e.id, ${new Date(START).toISOString()}::timestamptz - interval '14 days',
           ${TODAY}::date, ${TODAY}::date, ${TODAY}::date + 14
    from generate_series(1, ${CHECKINS}) i
    join participants e on e.email = 'mentee' || i || '@bench.example'
    join participants m on m.email = 'mentor' || ((i - 1) % ${mentors} + 1) || '@bench.example'`);
  const userIds = Array.from({ length: CHECKINS }, (_, i) => menteeUser(platform, i + 1));
  await db.execute(sql`
    insert into identities (participant_id, platform, tenant_id, user_id)
    select p.id, ${platform}, ${platform === "slack" ? "T0TEST" : TENANT}, u.user_id
    from unnest(${`{${userIds.join(",")}}`}::text[]) with ordinality as u(user_id, i)
    join participants p on p.email = 'mentee' || u.i || '@bench.example'`);
  if (platform === "teams") {
    const now = new Date(START);
    for (let i = 0; i < userIds.length; i += 500) {
      await db.insert(conversationReferences).values(
        userIds.slice(i, i + 500).map((userId) => ({
          platform: "teams",
          conversationId: `a:personal-${userId}`,
          conversationType: "personal",
          userId,
          channelUserId: `29:${userId}`,
          tenantId: TENANT,
          serviceUrl,
          botId: BOT_ID,
          updatedAt: now,
        })),
      );
    }
  }
}

/**
 * The fake Slack's chat.postMessage limits: per channel on top of the workspace-wide one that
 * `enforceLimit` keeps. Why this reaches into the fake: `enforceLimit` counts per method only, and
 * the per-channel rule needs the call's channel; the call being judged is the last one recorded.
 */
function enforcePerChannel(fake: FakeSlack): { refused: () => number } {
  const inner = fake as unknown as { overLimit(method: string): number | undefined };
  if (typeof inner.overLimit !== "function") throw new Error("FakeSlack changed: no overLimit to extend");
  const workspace = inner.overLimit.bind(fake);
  const byChannel = new Map<string, number[]>();
  let refused = 0;
  inner.overLimit = (method: string) => {
    const channel = String(fake.calls.at(-1)?.args.channel ?? "");
    if (method !== "chat.postMessage" || !channel) return workspace(method);
    const now = Date.now();
    const times = (byChannel.get(channel) ?? []).filter((at) => at > now - SLACK_PER_CHANNEL.windowMs);
    if (times.length >= SLACK_PER_CHANNEL.limit) {
      refused += 1;
      return Math.max(1, Math.ceil(((times[0] as number) + SLACK_PER_CHANNEL.windowMs - now) / 1000));
    }
    const wait = workspace(method);
    if (wait === undefined) byChannel.set(channel, [...times, now]);
    return wait;
  };
  return { refused: () => refused };
}

interface Outcome {
  platform: string;
  database: string;
  written: number;
  elapsedMs: number;
  minimumMs: number;
  ratio: number;
  lost: number;
  sentTwice: number;
  recipients: number;
  refusedWith429: number;
  outbox: Record<string, number>;
  /** binome's process only (the worker, the adapter, PGlite); the fake's share is in it too. */
  cpuMsPerMessage: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  heapPeakMiB: number;
  limits: string;
  load: string;
}

async function run(variant: Run): Promise<Outcome> {
  const platform = variant === "teams" ? "teams" : "slack";
  const { handle, drop } = await benchDatabase();
  const { db } = handle;
  const clock = new OffsetClock();
  clock.advance(START - Date.now());
  let port: ChatPort;
  let stopFake: () => Promise<void>;
  let delivered: () => Map<string, number>;
  let refused: () => number;
  let minimumMs: number;
  let limits: () => string;
  if (platform === "slack") {
    const fake = await new FakeSlack().start();
    fake.enforceLimit("chat.postMessage", SLACK_WORKSPACE.limit, SLACK_WORKSPACE.windowMs);
    const perChannel = enforcePerChannel(fake);
    const adapter = createSlackAdapter({
      bot: createBot({ db, clock }),
      clock,
      log: silentLogger,
      botToken: "xoxb-bench",
      signingSecret: "bench",
      apiUrl: fake.apiUrl,
      pacingWindowMs: 60_000 / SCALE,
    });
    await adapter.start?.();
    port = adapter.chatPort;
    if (variant === "slack-paced") {
      // The same Web API client as createSlackAdapter's (bounded retries, 429s surfaced), and the
      // port told the workspace-wide number, which createSlackAdapter does not pass on.
      const client = new webApi.WebClient("xoxb-bench", {
        slackApiUrl: fake.apiUrl,
        retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
        rejectRateLimitedCalls: true,
        timeout: 15_000,
        logLevel: webApi.LogLevel.ERROR,
      });
      port = new SlackChatPort(client, { postMessagePerMinute: SLACK_WORKSPACE.limit, windowMs: 60_000 / SCALE });
    }
    stopFake = () => fake.stop();
    refused = () => fake.rateLimited;
    delivered = () => {
      const posts = new Map<string, number>();
      for (const c of fake.callsOf("chat.postMessage"))
        if (c.status === 200) posts.set(String(c.args.channel), (posts.get(String(c.args.channel)) ?? 0) + 1);
      return posts;
    };
    // The first `limit` go at once, then `limit` more each time the window has slid past a batch.
    minimumMs = Math.floor((CHECKINS - 1) / SLACK_WORKSPACE.limit) * SLACK_WORKSPACE.windowMs;
    limits = () =>
      `chat.postMessage: ${SLACK_WORKSPACE.limit} per ${SLACK_WORKSPACE.windowMs} ms per workspace, ${SLACK_PER_CHANNEL.limit} per ${SLACK_PER_CHANNEL.windowMs} ms per channel (429s for a channel: ${perChannel.refused()})`;
  } else {
    const connector = await startFakeBotConnector();
    connector.enforceLimits(TEAMS_LIMITS, SCALE);
    const adapter = createTeamsAdapter({
      bot: createBot({ db, clock }),
      db,
      clock,
      log: silentLogger,
      env: { NODE_ENV: "test", TEAMS_DEV_NO_AUTH: true },
    });
    port = adapter.chatPort;
    stopFake = () => connector.close();
    refused = () => connector.rateLimited;
    delivered = () => {
      const posts = new Map<string, number>();
      for (const c of connector.calls)
        if (c.method === "POST" && c.status === 200 && c.path.endsWith("/activities"))
          posts.set(c.path, (posts.get(c.path) ?? 0) + 1);
      return posts;
    };
    const tenant = TEAMS_LIMITS.perTenant[0] as { limit: number; windowMs: number };
    minimumMs = Math.floor((CHECKINS - 1) / tenant.limit) * (tenant.windowMs / SCALE);
    limits = () =>
      `Teams: ${TEAMS_LIMITS.perConversation.map((r) => `${r.limit}/${r.windowMs / SCALE} ms`).join(", ")} per conversation; ${tenant.limit}/${tenant.windowMs / SCALE} ms per tenant`;
    await seed(db, platform, connector.serviceUrl);
  }
  if (platform === "slack") await seed(db, platform, "");

  const written = (await findDueWork(db, clock.now())).checkins;
  if (written !== CHECKINS) throw new Error(`expected ${CHECKINS} check-ins due, the tick wrote ${written}`);
  const worker = new OutboxWorker({ db, clock, log: silentLogger, ports: [port], gate: attentionGate(db) });

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 100);
  const cpu = process.cpuUsage();
  const started = performance.now();
  // As in production: polling, kicked at once, woken when a delayed row falls due.
  worker.start(5_000);
  for (;;) {
    const counts = await outboxCounts(db);
    if ((counts.pending ?? 0) + (counts.sending ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await worker.stop();
  clearInterval(sampler);

  const posts = delivered();
  const sentTwice = [...posts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  const counts = await outboxCounts(db);
  const outcome: Outcome = {
    platform: variant,
    database: handle.kind,
    written,
    elapsedMs: Math.round(elapsedMs),
    minimumMs: Math.round(minimumMs),
    ratio: Number((elapsedMs / minimumMs).toFixed(3)),
    lost: CHECKINS - (counts.sent ?? 0),
    sentTwice,
    recipients: posts.size,
    refusedWith429: refused(),
    cpuMsPerMessage: Number(((used.user + used.system) / 1000 / CHECKINS).toFixed(2)),
    outbox: counts,
    rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
    rssPeakMiB: Math.round(rssPeak / 2 ** 20),
    heapPeakMiB: Math.round(heapPeak / 2 ** 20),
    limits: limits(),
    load: loadavg()
      .map((l) => l.toFixed(1))
      .join(" "),
  };
  await stopFake();
  await drop();
  return outcome;
}

if (!process.env.DATABASE_URL) console.error("No DATABASE_URL: running on PGlite.");
const outcomes: Outcome[] = [];
for (const variant of RUNS) {
  const outcome = await run(variant);
  outcomes.push(outcome);
  console.error(JSON.stringify(outcome));
}
console.log(`\n${CHECKINS} check-ins, TIME_SCALE=${SCALE}`);
console.log(
  "| run | database | elapsed | least allowed | ratio | lost | sent twice | 429s | CPU per message | RSS before → peak |",
);
console.log(
  "| --- | -------- | ------- | ------------- | ----- | ---- | ---------- | ---- | --------------- | ----------------- |",
);
for (const o of outcomes)
  console.log(
    `| ${o.platform} | ${o.database} | ${(o.elapsedMs / 1000).toFixed(1)} s | ${(o.minimumMs / 1000).toFixed(1)} s | ${o.ratio.toFixed(3)} | ${o.lost} | ${o.sentTwice} | ${o.refusedWith429} | ${o.cpuMsPerMessage} ms | ${o.rssBeforeMiB} → ${o.rssPeakMiB} MiB |`,
  );
for (const o of outcomes) console.log(`${o.platform}: ${o.limits}; load ${o.load}`);
console.log(`JSON ${JSON.stringify({ checkins: CHECKINS, timeScale: SCALE, outcomes })}`);
