#!/usr/bin/env node
// The `binome` command. Runs the build in dist/ when there is one; from a clone that has not been
// built (or with BINOME_FROM_SOURCE=1, as the tests do) it runs the TypeScript sources through tsx.
import { existsSync } from "node:fs";

const built = new URL("../dist/src/cli/main.js", import.meta.url);
const source = new URL("../src/cli/main.ts", import.meta.url);

async function loadCli() {
  if (existsSync(built) && process.env.BINOME_FROM_SOURCE !== "1") return import(built.href);
  if (!existsSync(source)) return undefined;
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    return undefined;
  }
  return import(source.href);
}

const cli = await loadCli();
if (!cli) {
  console.error("binome is not built: run npm run build first.");
  process.exitCode = 1;
} else {
  process.exitCode = await cli.runCli(process.argv.slice(2), {
    env: process.env,
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  });
}
