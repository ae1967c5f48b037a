// Acknowledgement latency of `/binome log <mentee> 45m revue du CV` under 50 concurrent signed
// requests, binome (PGlite; PostgreSQL when DATABASE_URL is set) side by side with a bare Bolt app
// that only acks. Each server runs in its own process; rounds are interleaved so that the noise
// of this machine hits all targets alike. Run: npx tsx bench/slack-ack.bench.ts
// (or bench/with-postgres.sh npx tsx bench/slack-ack.bench.ts for the PostgreSQL column).
import type { ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { cpus, totalmem } from "node:os";
import { slackSignature, slashCommandBody } from "../test/support/slack-requests.js";
import {
  baseline,
  baselineLabel,
  benchDeadline,
  fmt,
  median,
  ratio,
  root,
  startChild,
  stopChildren,
  summary,
} from "./bench-processes.js";
import { MENTORS, menteeWord, mentorUserId, nowMs, SIGNING_SECRET, TEAM_ID } from "./slack-ack-shared.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONCURRENCY = MENTORS;
const PAUSE_MS = 200;
const REQUEST_TIMEOUT_MS = 10_000;
const ANSWER_TIMEOUT_MS = 15_000;
const BENCH_TIMEOUT_MS = 10 * 60_000;

type TargetName = "bare" | "pglite" | "postgres" | "baseline";

interface Target {
  name: TargetName;
  label: string;
  url: URL;
  agent: Agent;
  child: ChildProcess;
  acks: number[];
  answers: number[];
  roundP99: number[];
  failures: number;
  wrongAnswers: string[];
}

benchDeadline(BENCH_TIMEOUT_MS);

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
        res.on("end", () => {
          const elapsed = nowMs() - started;
          if (res.statusCode === 200) resolve(elapsed);
          else reject(new Error(`HTTP ${res.statusCode}`));
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

async function fetchAnswers(sinkUrl: string, prefix: string, take: boolean) {
  const response = await fetch(`${sinkUrl}answers?prefix=${encodeURIComponent(prefix)}${take ? "&take=1" : ""}`);
  return (await response.json()) as Array<{ id: string; at: number; ok: boolean; text: string }>;
}

/** 50 concurrent `/binome log`, one per mentor; records ack times and, for binome, answer times. */
async function round(
  target: Target,
  index: number,
  respondUrl: string,
  sinkUrl: string,
  record: boolean,
): Promise<void> {
  const prefix = `${target.name}-${index}-`;
  const sentAt = new Map<string, number>();
  const bodies = Array.from({ length: CONCURRENCY }, (_, i) => {
    const id = `${prefix}${i}`;
    return {
      id,
      body: slashCommandBody({
        teamId: TEAM_ID,
        userId: mentorUserId(i),
        text: `log ${menteeWord(i)} 45m revue du CV`,
        responseUrl: `${respondUrl}${id}`,
      }),
    };
  });
  const results = await Promise.allSettled(
    bodies.map(({ id, body }) => {
      sentAt.set(id, nowMs());
      return post(target, body);
    }),
  );
  const acks: number[] = [];
  for (const result of results) {
    if (result.status === "fulfilled") acks.push(result.value);
    else {
      if (record) target.failures += 1;
      if (process.env.BENCH_VERBOSE) console.error(`${target.name}: ${String(result.reason)}`);
    }
  }
  if (target.name === "bare") {
    if (record) {
      target.acks.push(...acks);
      target.roundP99.push(summary(acks).p99);
    }
    return;
  }
  // Wait for the answers on response_url before the next round, so rounds do not overlap.
  const until = Date.now() + ANSWER_TIMEOUT_MS;
  let answers = await fetchAnswers(sinkUrl, prefix, false);
  while (answers.length < acks.length && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    answers = await fetchAnswers(sinkUrl, prefix, false);
  }
  answers = await fetchAnswers(sinkUrl, prefix, true);
  if (!record) return;
  target.acks.push(...acks);
  target.roundP99.push(summary(acks).p99);
  target.failures += CONCURRENCY - answers.length;
  for (const answer of answers) {
    const sent = sentAt.get(answer.id);
    if (sent !== undefined) target.answers.push(answer.at - sent);
    if (!answer.ok) target.wrongAnswers.push(answer.text);
  }
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const names: TargetName[] = databaseUrl ? ["bare", "pglite", "postgres"] : ["bare", "pglite"];
  if (baseline) names.push("baseline");
  if (!databaseUrl)
    console.log(
      "DATABASE_URL is not set: bare Bolt vs binome on PGlite only (bench/with-postgres.sh adds PostgreSQL).",
    );
  const env = { ...process.env, NODE_ENV: "production" };
  const sink = await startChild<{ apiUrl: string; respondUrl: string }>("bench/slack-ack-sink.ts", [], { env });
  const sinkUrl = sink.ready.respondUrl.replace(/respond\/$/, "");
  const labels: Record<TargetName, string> = {
    bare: "bare Bolt (ack only)",
    pglite: "binome + PGlite",
    postgres: "binome + PostgreSQL",
    baseline: baselineLabel,
  };
  const targets: Target[] = [];
  for (const name of names) {
    const started = await startChild<{ url: string }>(
      "bench/slack-ack-server.ts",
      [name === "baseline" ? "pglite" : name, sink.ready.apiUrl],
      { env, cwd: name === "baseline" ? baseline : root },
    );
    targets.push({
      name,
      label: labels[name],
      url: new URL(started.ready.url),
      // A new connection per request: a kept-alive socket that the server closes after 5 s idle
      // (while other targets run) races with its reuse and fails the request (ECONNRESET).
      agent: new Agent({ keepAlive: false, maxSockets: CONCURRENCY }),
      child: started.child,
      acks: [],
      answers: [],
      roundP99: [],
      failures: 0,
      wrongAnswers: [],
    });
  }
  console.log(
    `node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ${CONCURRENCY} concurrent requests per round, ` +
      `${WARMUP} warm-up + ${ROUNDS} measured rounds per target, interleaved`,
  );

  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    // Rotate the order each round so that no target always follows the same one.
    const order = targets.map((_, i) => targets[(i + r) % targets.length] as Target);
    for (const target of order) {
      await round(target, r, sink.ready.respondUrl, sinkUrl, r >= WARMUP);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    process.stdout.write(r < WARMUP ? "w" : ".");
  }
  process.stdout.write("\n\n");

  const bare = targets.find((t) => t.name === "bare") as Target;
  const bareAck = summary(bare.acks);
  const rows = targets.map((t) => {
    const ack = summary(t.acks);
    const answer = summary(t.answers);
    return {
      target: t.label,
      requests: ack.n,
      failures: t.failures,
      "ack p50 ms": fmt(ack.p50),
      "ack p99 ms": fmt(ack.p99),
      "ack max ms": fmt(ack.max),
      "p50 / bare": ratio(ack.p50, bareAck.p50),
      "p99 / bare": ratio(ack.p99, bareAck.p99),
      "median round p99 / bare": ratio(median(t.roundP99), median(bare.roundP99)),
      "answer p50 ms": t.name === "bare" ? "" : fmt(answer.p50),
      "answer p99 ms": t.name === "bare" ? "" : fmt(answer.p99),
      "answer max ms": t.name === "bare" ? "" : fmt(answer.max),
    };
  });
  console.table(rows);
  for (const t of targets) {
    if (t.name === "bare") continue;
    const p99 = summary(t.acks).p99;
    const met = p99 <= 1.5 * bareAck.p99 && p99 < 3000;
    console.log(
      `${t.label}: ack p99 ${fmt(p99)} ms vs ${fmt(1.5 * bareAck.p99)} ms allowed (1.5× bare) — target ${met ? "met" : "MISSED"}`,
    );
    if (t.wrongAnswers.length > 0)
      console.log(
        `  ${t.wrongAnswers.length} answers were not a saved session, e.g. ${JSON.stringify(t.wrongAnswers[0])}`,
      );
  }
  console.log(
    `\nJSON ${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, rows })}`,
  );
}

try {
  await main();
} finally {
  await stopChildren();
}
