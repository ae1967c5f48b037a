import { describe, expect, it } from "vitest";
import { UserFacingError } from "../../core/errors.js";
import { localDate, parseDuration, parseLogLine, parseSessionDate } from "./log-parser.js";

const TODAY = "2026-11-27";

function keyOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserFacingError) return error.key;
    throw error;
  }
  return "no error";
}

describe("durations", () => {
  it.each([
    ["45m", 45],
    ["45", 45],
    ["45 min", 45],
    ["1h", 60],
    ["1h30", 90],
    ["1h05m", 65],
    ["1,5h", 90],
    ["2 heures", 120],
    ["8h", 480],
  ])("%s is %i minutes", (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });

  it.each([
    ["abc", "log.durationInvalid"],
    ["h", "log.durationInvalid"],
    ["-5m", "log.durationInvalid"],
    ["0", "log.durationZero"],
    ["4m", "log.durationZero"],
    ["20h", "log.durationTooLong"],
    ["481", "log.durationTooLong"],
  ])("%s is refused (%s)", (text, key) => {
    expect(keyOf(() => parseDuration(text))).toBe(key);
  });
});

describe("dates", () => {
  it.each([
    ["", TODAY],
    ["today", TODAY],
    ["hier", "2026-11-26"],
    ["2026-11-20", "2026-11-20"],
    ["20/11", "2026-11-20"],
    ["3/1/26", "2026-01-03"],
  ])("%j is %s", (text, iso) => {
    expect(parseSessionDate(text, TODAY)).toBe(iso);
  });

  it.each([
    ["2026-11-28", "log.dateFuture"],
    ["31/02", "log.dateInvalid"],
    ["2025-01-01", "log.dateTooOld"],
  ])("%s is refused (%s)", (text, key) => {
    expect(keyOf(() => parseSessionDate(text, TODAY))).toBe(key);
  });

  it("takes today in the person's time zone", () => {
    const lateEvening = new Date("2026-11-27T23:30:00Z");
    expect(localDate(lateEvening, "Europe/Paris")).toBe("2026-11-28");
    expect(localDate(lateEvening, "America/Martinique")).toBe("2026-11-27");
  });
});

describe("the one-line log", () => {
  it("reads mentee, optional date, duration, topics and next steps", () => {
    expect(parseLogLine("@lea 20/11 1h30 révision du CV; next: simulation d'entretien", TODAY)).toEqual({
      mentee: "@lea",
      heldOn: "2026-11-20",
      durationMinutes: 90,
      topics: "révision du CV",
      nextSteps: "simulation d'entretien",
    });
    expect(parseLogLine("lea 45m projet pro suite : relancer l'entreprise", TODAY)).toMatchObject({
      topics: "projet pro",
      nextSteps: "relancer l'entreprise",
    });
  });

  it("does not mistake a duration inside the date for the duration", () => {
    expect(parseLogLine("lea 2026-11-20 20 point rapide", TODAY)).toMatchObject({
      heldOn: "2026-11-20",
      durationMinutes: 20,
    });
  });

  it.each([
    ["", "log.missingMentee"],
    ["lea", "log.missingDuration"],
    ["lea 45m", "log.missingTopics"],
    ["lea 45m ; next: x", "log.missingTopics"],
  ])("%j is refused (%s)", (text, key) => {
    expect(keyOf(() => parseLogLine(text, TODAY))).toBe(key);
  });
});
