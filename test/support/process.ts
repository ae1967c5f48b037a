import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface BinomeProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built program (`node dist/src/main.js`, as `npm start` does) on a free loopback port
 * and waits until `/healthz` answers 200. The build is made once by the test run's global setup.
 */
export async function startBinome(env: Record<string, string>, timeoutMs = 30_000): Promise<BinomeProcess> {
  if (process.env.BINOME_BUILD_ERROR) throw new Error(`the build failed:\n${process.env.BINOME_BUILD_ERROR}`);
  const child = spawn(process.execPath, ["dist/src/main.js"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", LOG_LEVEL: "info", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`binome exited with ${child.exitCode}:\n${output}`);
    url ??= /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
    if (url) {
      const health = await fetch(`${url}/healthz`).catch(() => undefined);
      if (health?.status === 200) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!url || Date.now() >= deadline) {
    child.kill("SIGKILL");
    throw new Error(`binome did not become healthy in ${timeoutMs} ms:\n${output}`);
  }
  const base = url;
  return {
    url: base,
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
