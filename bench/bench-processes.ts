// What the latency benches (slack-ack, survey-step) share: their child processes (servers and a
// fake Slack, each in its own process), a deadline, the baseline checkout, and percentiles.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The checkout the benches run from. */
export const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * `BENCH_BASELINE=<folder>`: another checkout of binome (a git worktree of an earlier commit, with
 * node_modules) whose server runs on PGlite beside this one's, to compare two versions in one run.
 */
export const baseline = process.env.BENCH_BASELINE;
export const baselineLabel = `binome + PGlite at ${process.env.BENCH_BASELINE_LABEL ?? "baseline"}`;

const children: ChildProcess[] = [];

export function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}

/**
 * Stops the children and waits (10 s at most) until each has exited: each drops what it made (temp
 * folder, database) before the PostgreSQL server of bench/with-postgres.sh goes.
 */
export async function stopChildren(): Promise<void> {
  const exits = children.map((child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once("exit", resolve)),
  );
  killChildren();
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  clearTimeout(deadline);
}

let deadline: NodeJS.Timeout | undefined;

/** Stops the bench and its children if it runs longer than `ms`. */
export function benchDeadline(ms: number): void {
  deadline = setTimeout(() => {
    console.error(`bench: still running after ${ms / 1000} s, stopping`);
    killChildren();
    process.exit(1);
  }, ms);
  deadline.unref();
}

/**
 * Starts a bench process (`tsx script args…` in `cwd`) and resolves with the JSON of its
 * `BENCH_READY` line. Everything else it prints (binome's JSON log) is dropped, unless
 * BENCH_VERBOSE is set.
 */
export function startChild<T>(
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ child: ChildProcess; ready: T }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: options.cwd ?? root,
    env: options.env ?? { ...process.env, NODE_ENV: "production" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let done = false;
    lines.on("line", (line) => {
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${args[0] ?? script}] ${line}\n`);
      if (!done && line.startsWith("BENCH_READY ")) {
        done = true;
        resolve({ child, ready: JSON.parse(line.slice("BENCH_READY ".length)) as T });
      }
    });
    child.once("exit", (code) => {
      if (!done) reject(new Error(`${script} ${args[0] ?? ""} exited with ${code} before it was ready`));
    });
  });
}

/** The value at quantile `q` of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export function median(values: number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Milliseconds with one decimal, or a dash. */
export const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : "–");
/** `a` as a multiple of `b`: "2.13×". */
export const ratio = (a: number, b: number) => (Number.isFinite(a) && b > 0 ? `${(a / b).toFixed(2)}×` : "–");
