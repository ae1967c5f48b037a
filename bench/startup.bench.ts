// Start to /healthz 200 of the built program (`node dist/src/main.js`): first start on a fresh
// PGlite folder (creates and migrates it), then restart on the same folder; resident memory at
// idle; the same on PostgreSQL when DATABASE_URL is set. Ends with where a first start spends
// its time. Run: npx tsx bench/startup.bench.ts (bench/with-postgres.sh … for PostgreSQL).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const IDLE_MS = 3000;
const START_TIMEOUT_MS = 30_000;
const root = fileURLToPath(new URL("..", import.meta.url));
const main = join(root, "dist/src/main.js");

const children = new Set<ChildProcess>();
const deadline = setTimeout(() => {
  console.error("bench: still running after 10 minutes, stopping");
  for (const child of children) child.kill("SIGKILL");
  process.exit(1);
}, 10 * 60_000);
deadline.unref();

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".sql"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds when dist is missing or older than a source file, as `npm start` would. */
function buildIfNeeded(): void {
  const built = existsSync(main) ? statSync(main).mtimeMs : 0;
  const sources = Math.max(...["src", "adapters", "db"].map((d) => newestSource(join(root, d))));
  if (built >= sources) return;
  console.log("building (npx tsc -p tsconfig.build.json) …");
  try {
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch (error) {
    // tsc still writes its output when the types do not check; a missing main.js is the real failure.
    if (!existsSync(main)) throw error;
    console.log("warning: the build reported type errors; timing dist/ as tsc emitted it");
  }
}

interface Start {
  /** Spawn to /healthz 200. */
  healthyMs: number;
  /** Spawn to the "listening" log line (modules loaded, HTTP server up). */
  listeningMs: number;
  /** Spawn to the "binome is ready" log line (database open and migrated, adapters mounted). */
  readyMs: number;
  rssProcMiB: number;
  rssMetricsMiB: number;
  playground: boolean;
  /** SIGTERM to exit. */
  stopMs: number;
  /** CPU time (user + system) the process had used when it was healthy: less sensitive to a busy machine. */
  cpuAtHealthyMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => bytes / 2 ** 20;

function rssFromProc(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : Number.NaN;
}

/** CPU time of a process so far, from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). */
function cpuFromProc(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Starts the program, times it to /healthz 200, idles, reads its memory, stops it. */
async function startOnce(env: Record<string, string>): Promise<Start> {
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "info", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    let url: string | undefined;
    let healthyMs = Number.NaN;
    let cpuAtHealthyMs = Number.NaN;
    while (performance.now() - t0 < START_TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`binome exited with ${child.exitCode}:\n${output}`);
      url ??= /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
      if (url) {
        const health = await fetch(`${url}/healthz`).catch(() => undefined);
        if (health?.status === 200) {
          healthyMs = performance.now() - t0;
          cpuAtHealthyMs = cpuFromProc(child.pid as number);
          break;
        }
      }
      await sleep(5);
    }
    if (!url || Number.isNaN(healthyMs))
      throw new Error(`binome was not healthy in ${START_TIMEOUT_MS} ms:\n${output}`);
    // pino stamps each line with the epoch milliseconds at which it was written.
    const logTime = (msg: string) => {
      const line = output.split("\n").find((l) => l.includes(`"msg":"${msg}`));
      const time = line ? (JSON.parse(line) as { time?: number }).time : undefined;
      return time === undefined ? Number.NaN : time - spawnedAt;
    };
    await sleep(IDLE_MS);
    const rssProc = rssFromProc(child.pid as number);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const rssMetrics = Number(/^binome_process_resident_memory_bytes (\S+)/m.exec(metrics)?.[1]);
    const playground = (await fetch(`${url}/playground`).catch(() => undefined))?.status === 200;
    const stopAt = performance.now();
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null && child.signalCode === null)
      throw new Error(`binome did not stop on SIGTERM:\n${output}`);
    return {
      healthyMs,
      listeningMs: logTime("listening"),
      readyMs: logTime("binome is ready"),
      rssProcMiB: mib(rssProc),
      rssMetricsMiB: mib(rssMetrics),
      playground,
      stopMs: performance.now() - stopAt,
      cpuAtHealthyMs,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    children.delete(child);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");

function row(label: string, starts: Start[], targetMs?: number) {
  const healthy = starts.map((s) => s.healthyMs);
  return {
    case: label,
    n: starts.length,
    "healthy median ms": f0(median(healthy)),
    "healthy max ms": f0(Math.max(...healthy)),
    "CPU to healthy ms": f0(median(starts.map((s) => s.cpuAtHealthyMs))),
    "of which modules+listen ms": f0(median(starts.map((s) => s.listeningMs))),
    "ready log ms": f0(median(starts.map((s) => s.readyMs))),
    "RSS idle MiB (/proc)": median(starts.map((s) => s.rssProcMiB)).toFixed(1),
    "RSS idle MiB (/metrics)": median(starts.map((s) => s.rssMetricsMiB)).toFixed(1),
    "stop ms": f0(median(starts.map((s) => s.stopMs))),
    target:
      targetMs === undefined
        ? ""
        : `${targetMs} ms: ${Math.max(...healthy) <= targetMs ? "met (max)" : median(healthy) <= targetMs ? "met (median), max over" : "MISSED"}`,
  };
}

/** First start then restart on fresh PGlite folders, `REPEATS` times, in one mode. */
async function pgliteCycles(extra: Record<string, string>): Promise<{ first: Start[]; restart: Start[] }> {
  const first: Start[] = [];
  const restart: Start[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const dir = mkdtempSync(join(tmpdir(), "binome-bench-start-"));
    try {
      const env = { DATA_DIR: join(dir, "data"), ...extra };
      first.push(await startOnce(env));
      restart.push(await startOnce(env));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    process.stdout.write(".");
  }
  return { first, restart };
}

/** Where a first start goes, measured in fresh processes: module import, PGlite create, migrations. */
function breakdown(): Record<string, { "wall ms": number; "CPU ms": number }> {
  const script = `
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const marks = [["script start", performance.now(), cpu()]];
    const mark = (name) => marks.push([name, performance.now(), cpu()]);
    const { PGlite } = await import("@electric-sql/pglite");
    mark("import @electric-sql/pglite");
    const { startBinome } = await import("./dist/src/app.js");
    mark("import dist/src/app.js (rest of binome and its libraries)");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const { migrationsFolder } = await import("./dist/db/client.js");
    const dir = process.argv[1];
    mark("(other imports)");
    let pg = await PGlite.create(dir);
    mark("PGlite.create, fresh folder (initdb)");
    await migrate(drizzle(pg), { migrationsFolder: migrationsFolder() });
    mark("migrations, fresh database");
    await pg.close();
    mark("close");
    pg = await PGlite.create(dir);
    mark("PGlite.create, existing folder");
    await migrate(drizzle(pg), { migrationsFolder: migrationsFolder() });
    mark("migrations, nothing to do");
    await pg.close();
    const out = { "node bootstrap (before the script)": { "wall ms": Math.round(marks[0][1]), "CPU ms": Math.round(marks[0][2]) } };
    for (let i = 1; i < marks.length; i++) {
      out[marks[i][0]] = { "wall ms": Math.round(marks[i][1] - marks[i - 1][1]), "CPU ms": Math.round(marks[i][2] - marks[i - 1][2]) };
    }
    console.log(JSON.stringify(out));
  `;
  const dir = mkdtempSync(join(tmpdir(), "binome-bench-breakdown-"));
  try {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script, join(dir, "data")], {
      cwd: root,
      encoding: "utf8",
    });
    return JSON.parse(out.trim().split("\n").pop() as string) as Record<
      string,
      { "wall ms": number; "CPU ms": number }
    >;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresStarts(adminUrl: string): Promise<{ first: Start; restart: Start[] }> {
  const name = `binome_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    const env = { DATABASE_URL: url.toString(), PLAYGROUND: "off" };
    const first = await startOnce(env);
    const restart: Start[] = [];
    for (let i = 0; i < REPEATS; i++) restart.push(await startOnce(env));
    return { first, restart };
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

try {
  buildIfNeeded();
  console.log(
    `node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; ${REPEATS} repeats, idle ${IDLE_MS / 1000} s before reading memory`,
  );
  const off = await pgliteCycles({ PLAYGROUND: "off" });
  const auto = await pgliteCycles({});
  const pg = process.env.DATABASE_URL ? await postgresStarts(process.env.DATABASE_URL) : undefined;
  process.stdout.write("\n");
  const autoLabel = auto.first[0]?.playground ? "playground on (default mode)" : "default mode (playground not served)";
  const rows = [
    row("PGlite first start, PLAYGROUND=off", off.first, 3000),
    row("PGlite restart, PLAYGROUND=off", off.restart, 1500),
    row(`PGlite first start, ${autoLabel}`, auto.first, 3000),
    row(`PGlite restart, ${autoLabel}`, auto.restart, 1500),
  ];
  if (pg) {
    rows.push(row("PostgreSQL, migrating a fresh database", [pg.first]));
    rows.push(row("PostgreSQL, already migrated", pg.restart));
  } else {
    console.log("DATABASE_URL is not set: PGlite only (bench/with-postgres.sh adds PostgreSQL).");
  }
  console.table(rows);
  const parts = breakdown();
  console.log("Where a first start goes (fresh processes, PGlite):");
  console.table(parts);
  console.log(
    `\nJSON ${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, parts, raw: { off, auto, pg } })}`,
  );
} finally {
  for (const child of children) child.kill("SIGKILL");
  clearTimeout(deadline);
}
