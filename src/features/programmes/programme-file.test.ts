import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseProgrammeFile } from "./programme-file.js";

describe("programme files", () => {
  it("reads the shipped example and fills the defaults", () => {
    const result = parseProgrammeFile(
      readFileSync(new URL("../../../examples/programme.yaml", import.meta.url), "utf8"),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.programme).toMatchObject({
      slug: "promo-2027",
      checkIns: { every: "2w", audience: "mentee" },
      surveys: { midterm: "2027-01-15", end: "2027-06-24" },
      matching: { weights: { skills: 40, availability: 20, timeZone: 10, minScore: 25 } },
    });
  });

  it("puts the mid-term survey at the midpoint by default", () => {
    const result = parseProgrammeFile("slug: p1\nname: P\nstart: 2027-01-01\nend: 2027-03-02\n");
    expect(result.ok && result.programme.surveys).toEqual({ midterm: "2027-01-31", end: "2027-02-24" });
  });

  it("names the field and the line of each problem", () => {
    const text = [
      "slug: Promo 2027",
      "name: Promo",
      "start: 2027-01-01",
      "end: 2026-12-01",
      "timeZone: Paris",
      "checkIns:",
      "  every: often",
      "colour: blue",
    ].join("\n");
    const result = parseProgrammeFile(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.path, e.line])).toEqual(
      expect.arrayContaining([
        ["slug", 1],
        ["timeZone", 5],
        ["checkIns.every", 7],
        ["", 1],
        ["end", 4],
      ]),
    );
    expect(result.errors.find((e) => e.path === "")?.message).toContain("colour");
  });

  it("reports YAML syntax errors with their line", () => {
    const result = parseProgrammeFile("slug: p1\nname: [unclosed\nstart: 2027-01-01\n");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.line).toBeGreaterThan(1);
  });
});
