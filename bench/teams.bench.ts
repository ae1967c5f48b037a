// Teams adapter figures (issue 3): acknowledgement latency of a one-line `log` POSTed to /api/messages,
// 50 at a time, with and without token validation; and the install size the Agents SDK adds.
// Run: npx tsx bench/teams.bench.ts   (PGlite unless DATABASE_URL is set)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { teamsMessage } from "../test/support/teams-activities.js";
import { startTestAuthority, TEST_APP_ID, TEST_TENANT_ID } from "../test/support/teams-auth.js";
import { people, startTeamsHarness } from "../test/teams/harness.js";

const ROUNDS = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function latency(withAuth: boolean, concurrency: number): Promise<{ p50: number; p99: number; samples: number }> {
  const authority = withAuth ? await startTestAuthority() : undefined;
  const h = await startTeamsHarness(
    authority
      ? {
          env: {
            NODE_ENV: "test",
            TEAMS_APP_ID: TEST_APP_ID,
            TEAMS_APP_PASSWORD: "bench",
            TEAMS_TENANT_ID: TEST_TENANT_ID,
          },
          authorityEndpoint: authority.authority,
          outboundTokens: { getAccessToken: async () => "bench-token" },
        }
      : {},
  );
  const token = authority?.token(h.connector.serviceUrl);
  const durations: number[] = [];
  let n = 0;
  const one = async () => {
    const activity = teamsMessage(people.marc, "log lea 45m CV", h.place(people.marc), `bench-${withAuth}-${++n}`);
    const start = performance.now();
    const { status } = await h.post(activity, token);
    if (status !== 200) throw new Error(`status ${status}`);
    return performance.now() - start;
  };
  await Promise.all(Array.from({ length: 5 }, one)); // warm-up: JIT, JWKS fetch, connections
  for (let round = 0; round < ROUNDS; round++)
    durations.push(...(await Promise.all(Array.from({ length: concurrency }, one))));
  await h.close();
  await authority?.close();
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 50), p99: percentile(durations, 99), samples: durations.length };
}

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  dev?: boolean;
}

/** Lock-file paths of the packages a root dependency pulls in, resolved the way node does. */
function closure(packages: Record<string, LockPackage>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const resolve = (from: string, name: string): string | undefined => {
    let dir = from;
    for (;;) {
      const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!dir) return undefined;
      const cut = dir.lastIndexOf("/node_modules/");
      dir = cut < 0 ? "" : dir.slice(0, cut);
    }
  };
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const pkg = packages[path] ?? {};
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies })) {
      const found = resolve(path, name);
      if (found) visit(found);
    }
  };
  for (const root of roots) visit(`node_modules/${root}`);
  return seen;
}

function installSize(): { packages: number; kib: number } {
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, LockPackage> };
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };
  const others = Object.keys(manifest.dependencies).filter((d) => d !== "@microsoft/agents-hosting");
  const needed = closure(lock.packages, others);
  const teamsOnly = [...closure(lock.packages, ["@microsoft/agents-hosting"])].filter((p) => !needed.has(p));
  const out = execFileSync(
    "du",
    ["-sk", "--apparent-size", ...teamsOnly.filter((p) => !teamsOnly.some((q) => q !== p && p.startsWith(`${q}/`)))],
    { encoding: "utf8" },
  );
  const kib = out
    .trim()
    .split("\n")
    .reduce((sum, line) => sum + Number(line.split(/\s+/)[0]), 0);
  return { packages: teamsOnly.length, kib };
}

const size = installSize();
console.log(
  `install size added by the Teams adapter: ${size.packages} packages, ${(size.kib / 1024).toFixed(1)} MiB (du --apparent-size)`,
);
console.log(`database: ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`);
for (const concurrency of [1, 50]) {
  for (const withAuth of [false, true]) {
    const r = await latency(withAuth, concurrency);
    console.log(
      `ack latency, one-line log, ${concurrency} concurrent x ${ROUNDS} rounds (${r.samples}), ${withAuth ? "JWT validated" : "TEAMS_DEV_NO_AUTH"}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
    );
  }
}
