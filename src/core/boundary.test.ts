import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const FORBIDDEN = /from\s+["'](@slack\/|@microsoft\/|botbuilder|postgres["']|@electric-sql\/|drizzle-orm|node:http)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the core", () => {
  it("imports no platform SDK, database driver or HTTP module", () => {
    const root = fileURLToPath(new URL(".", import.meta.url));
    const files = sources(root);
    expect(files.length).toBeGreaterThan(5);
    const leaks = files.filter((file) => FORBIDDEN.test(readFileSync(file, "utf8")));
    expect(leaks).toEqual([]);
  });

  it("is imported by features but does not import them or the adapters", () => {
    const root = fileURLToPath(new URL(".", import.meta.url));
    const outward = sources(root).filter((file) =>
      /from\s+["']\.\.\/(\.\.\/)?(features|adapters|db)\//.test(readFileSync(file, "utf8")),
    );
    expect(outward).toEqual([]);
  });
});
