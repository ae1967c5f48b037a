import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Builds the program once per test run, for the tests that start it as a process. */
export default function setup(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
