// Survey step latency (issue 6): 50 respondents click the answer (or Back) of their current survey
// question at the same moment, as signed block_actions requests to Slack's real receiver. Timed:
// the HTTP acknowledgement, and the next question's arrival in the person's DM (written to the
// outbox with the step, delivered by the worker to a fake Slack Web API). binome on PGlite (and on
// PostgreSQL when DATABASE_URL is set) beside a bare Bolt app that only acks; each server in its own
// process, rounds interleaved. Run: npm run bench:survey (or bench/with-postgres.sh npm run bench:survey).
import { Agent, request } from "node:http";
import { cpus, loadavg, totalmem } from "node:os";
import { slackSignature } from "../test/support/slack-requests.js";
import {
  baseline,
  baselineLabel,
  benchDeadline,
  fmt,
  ratio,
  root,
  startChild,
  stopChildren,
  summary,
} from "./bench-processes.js";
import { nowMs, SIGNING_SECRET, TEAM_ID } from "./slack-ack-shared.js";
import { type Arrival, type Respondent, STEP_CYCLE } from "./survey-step-shared.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 4);
const PAUSE_MS = 200;
const REQUEST_TIMEOUT_MS = 10_000;
const ARRIVAL_TIMEOUT_MS = 15_000;
const BENCH_TIMEOUT_MS = 10 * 60_000;

type TargetName = "bare" | "pglite" | "postgres" | "baseline";

interface Target {
  name: TargetName;
  label: string;
  url: URL;
  agent: Agent;
  respondents: Respondent[];
  acks: number[];
  nextQuestion: number[];
  failures: number;
  wrong: string[];
}

benchDeadline(BENCH_TIMEOUT_MS);

/** The block_actions payload of a click on a survey card in the person's DM, as Slack sends it. */
function clickBody(respondent: Respondent, round: number, responseUrl: string): string {
  const step = STEP_CYCLE[round % STEP_CYCLE.length] as (typeof STEP_CYCLE)[number];
  const channel = `D${respondent.userId.slice(1)}`;
  const ts = `1700000000.${String(round).padStart(6, "0")}`;
  return new URLSearchParams({
    payload: JSON.stringify({
      type: "block_actions",
      team: { id: TEAM_ID, domain: "bench" },
      user: { id: respondent.userId, team_id: TEAM_ID },
      api_app_id: "A0BINOME",
      trigger_id: `trigger-${respondent.userId}-${round}`,
      response_url: responseUrl,
      container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
      channel: { id: channel, name: "directmessage" },
      message: { type: "message", ts, text: "", blocks: [] },
      actions: [
        {
          type: "button",
          action_id: step.actionId,
          block_id: "survey",
          value: `${respondent.responseId}:${step.questionId}:${step.value}`,
          text: { type: "plain_text", text: step.value || "Retour" },
          action_ts: String(Date.now() / 1000),
        },
      ],
    }),
  }).toString();
}

/** One signed POST; resolves with the time until the whole acknowledgement was received. */
function post(target: Target, body: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    "content-type": "application/x-www-form-urlencoded",
    "content-length": Buffer.byteLength(body),
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
  };
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const req = request(
      target.url,
      { method: "POST", headers, agent: target.agent, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200 ? resolve(nowMs() - started) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

async function takeArrivals(sinkUrl: string, posts: string[], responses: string[]) {
  const response = await fetch(`${sinkUrl}/take`, { method: "POST", body: JSON.stringify({ posts, responses }) });
  return (await response.json()) as { posts: Arrival[]; responses: Arrival[] };
}

/** Every respondent takes the round's step at once; binome's next questions are awaited before the next round. */
async function round(target: Target, index: number, sink: { url: string; respondUrl: string }, record: boolean) {
  const step = STEP_CYCLE[index % STEP_CYCLE.length] as (typeof STEP_CYCLE)[number];
  const sentAt = new Map<string, number>();
  const responseIds = target.respondents.map((r) => `${target.name}-${index}-${r.userId}`);
  const results = await Promise.allSettled(
    target.respondents.map((respondent, i) => {
      sentAt.set(respondent.userId, nowMs());
      return post(target, clickBody(respondent, index, `${sink.respondUrl}${responseIds[i]}`));
    }),
  );
  const acks = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = results.length - acks.length;
  if (target.name === "bare") {
    if (record) {
      target.acks.push(...acks);
      target.failures += failed;
    }
    return;
  }
  const users = target.respondents.map((r) => r.userId);
  const arrived: Arrival[] = [];
  const refused: Arrival[] = [];
  const until = Date.now() + ARRIVAL_TIMEOUT_MS;
  while (arrived.length + refused.length < acks.length && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const taken = await takeArrivals(sink.url, users, responseIds);
    arrived.push(...taken.posts);
    refused.push(...taken.responses);
  }
  if (!record) return;
  target.acks.push(...acks);
  target.failures += failed + (target.respondents.length - failed - arrived.length);
  for (const post of arrived) {
    const sent = sentAt.get(post.to);
    if (sent !== undefined) target.nextQuestion.push(post.at - sent);
    if (!post.text.includes(step.next)) target.wrong.push(post.text);
  }
  for (const answer of refused) target.wrong.push(`refused: ${answer.text}`);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const names: TargetName[] = databaseUrl ? ["bare", "pglite", "postgres"] : ["bare", "pglite"];
  if (baseline) names.push("baseline");
  if (!databaseUrl)
    console.log(
      "DATABASE_URL is not set: bare Bolt vs binome on PGlite only (bench/with-postgres.sh adds PostgreSQL).",
    );
  const { ready: sink } = await startChild<{ apiUrl: string; respondUrl: string; url: string }>(
    "bench/survey-step-sink.ts",
    [],
  );
  const labels: Record<TargetName, string> = {
    bare: "bare Bolt (ack only)",
    pglite: "binome + PGlite",
    postgres: "binome + PostgreSQL",
    baseline: baselineLabel,
  };
  const targets: Target[] = [];
  for (const name of names) {
    const { ready } = await startChild<{ url: string; respondents: Respondent[] }>(
      "bench/survey-step-server.ts",
      [name === "baseline" ? "pglite" : name, sink.apiUrl],
      { cwd: name === "baseline" ? baseline : root },
    );
    targets.push({
      name,
      label: labels[name],
      url: new URL(ready.url),
      // A new connection per request, as Slack makes them (and as the /binome log bench does).
      agent: new Agent({ keepAlive: false, maxSockets: ready.respondents.length }),
      respondents: ready.respondents,
      acks: [],
      nextQuestion: [],
      failures: 0,
      wrong: [],
    });
  }
  const concurrency = targets[0]?.respondents.length ?? 0;
  console.log(
    `node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0]?.toFixed(1)}; ` +
      `${concurrency} concurrent survey steps per round, ${WARMUP} warm-up + ${ROUNDS} measured rounds per target, interleaved`,
  );
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    const order = targets.map((_, i) => targets[(i + r) % targets.length] as Target);
    for (const target of order) {
      await round(target, r, sink, r >= WARMUP);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    process.stdout.write(r < WARMUP ? "w" : ".");
  }
  process.stdout.write("\n\n");

  const bare = summary((targets.find((t) => t.name === "bare") as Target).acks);
  const rows = targets.map((t) => {
    const ack = summary(t.acks);
    const next = summary(t.nextQuestion);
    const real = t.name !== "bare";
    return {
      target: t.label,
      steps: ack.n,
      failures: t.failures,
      "ack p50 ms": fmt(ack.p50),
      "ack p99 ms": fmt(ack.p99),
      "ack max ms": fmt(ack.max),
      "p50 / bare": ratio(ack.p50, bare.p50),
      "p99 / bare": ratio(ack.p99, bare.p99),
      "next question p50 ms": real ? fmt(next.p50) : "",
      "next question p99 ms": real ? fmt(next.p99) : "",
      "next question max ms": real ? fmt(next.max) : "",
    };
  });
  console.table(rows);
  for (const t of targets) {
    if (t.wrong.length > 0)
      console.log(
        `${t.label}: ${t.wrong.length} steps did not bring the expected question, e.g. ${JSON.stringify(t.wrong[0])}`,
      );
  }
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} at the end`,
  );
  console.log(
    `\nJSON ${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, rows })}`,
  );
}

try {
  await main();
} finally {
  await stopChildren();
}
