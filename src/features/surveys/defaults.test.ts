import { describe, expect, it } from "vitest";
import { DEFAULT_SURVEYS, defaultSurvey } from "./defaults.js";
import { validateSurveyDefinition } from "./definition.js";

const all = Object.values(DEFAULT_SURVEYS).flatMap((byAudience) => Object.values(byAudience));

describe("default surveys", () => {
  it("are four valid surveys with distinct ids, each of at most seven questions", () => {
    expect(all.map((s) => s.id).sort()).toEqual(["end-mentee", "end-mentor", "midterm-mentee", "midterm-mentor"]);
    for (const survey of all) {
      expect(validateSurveyDefinition(survey)).toEqual({ ok: true, survey });
      expect(survey.questions.length).toBeLessThanOrEqual(7);
    }
  });

  it("are sent to the audience they are written for", () => {
    for (const moment of ["midterm", "end"] as const)
      for (const audience of ["mentee", "mentor"] as const)
        expect(defaultSurvey(moment, audience).audience).toBe(audience);
  });

  it("ask the mid-term mentee what would help only after a low satisfaction", () => {
    const help = defaultSurvey("midterm", "mentee").questions.find((q) => q.id === "what-would-help");
    expect(help?.askIf).toEqual({ question: "satisfaction", op: "<=", value: "2" });
  });

  it("let both mid-term audiences report a difficulty that reaches the coordinator", () => {
    for (const audience of ["mentee", "mentor"] as const) {
      const details = defaultSurvey("midterm", audience).questions.find((q) => q.id === "difficulty-details");
      expect(details).toMatchObject({ kind: "text", raisesDifficulty: true, askIf: { question: "difficulty" } });
    }
  });

  it("offer the end-of-programme mentee the five kinds of concrete impact", () => {
    const impact = defaultSurvey("end", "mentee").questions.find((q) => q.id === "impact");
    expect(impact?.kind === "choice" && impact.options.map((o) => o.id)).toEqual([
      "new-job",
      "certification",
      "performance",
      "none-yet",
      "other",
    ]);
  });
});
