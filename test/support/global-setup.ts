import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Builds the program once per test run, for the tests that start it as a process. A failed
 * build fails those tests (with the compiler's output), not the whole run.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const build = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: root,
    encoding: "utf8",
  });
  const template =
    build.status === 0
      ? spawnSync(process.execPath, ["dist/db/make-pglite-template.js"], { cwd: root, encoding: "utf8" })
      : build;
  if (build.status === 0 && template.status === 0) {
    delete process.env.BINOME_BUILD_ERROR;
  } else {
    process.env.BINOME_BUILD_ERROR =
      `${build.stdout}${build.stderr}${template.stderr}`.slice(0, 4000) || "the build failed";
  }
}
