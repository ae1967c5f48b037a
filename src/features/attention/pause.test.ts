import { describe, expect, it } from "vitest";
import { PauseDurationError, parsePause } from "./pause.js";

const now = new Date("2026-01-31T10:00:00Z");
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

function refusal(input: string): string | undefined {
  try {
    parsePause(input, now);
    return undefined;
  } catch (error) {
    return error instanceof PauseDurationError ? error.code : "other";
  }
}

describe("pause durations", () => {
  it("reads short forms and French or English words", () => {
    expect(parsePause("2w", now)).toEqual(days(14));
    expect(parsePause("10d", now)).toEqual(days(10));
    expect(parsePause("10j", now)).toEqual(days(10));
    expect(parsePause("2 semaines", now)).toEqual(days(14));
    expect(parsePause(" 3 Jours ", now)).toEqual(days(3));
    expect(parsePause("une semaine", now)).toEqual(days(7));
    expect(parsePause("2 weeks", now)).toEqual(days(14));
  });

  it("counts months on the calendar", () => {
    expect(parsePause("1 mois", now).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(parsePause("1 month", now).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(parsePause("6 mois", new Date("2026-07-01T10:00:00Z")).toISOString()).toBe("2027-01-01T10:00:00.000Z");
  });

  it("refuses what it cannot read, zero, and more than six months", () => {
    expect(refusal("abc")).toBe("pause.error.unreadable");
    expect(refusal("")).toBe("pause.error.unreadable");
    expect(refusal("2")).toBe("pause.error.unreadable");
    expect(refusal("-2d")).toBe("pause.error.unreadable");
    expect(refusal("2 minutes")).toBe("pause.error.unreadable");
    expect(refusal("0d")).toBe("pause.error.zero");
    expect(refusal("7 mois")).toBe("pause.error.tooLong");
    expect(refusal("27w")).toBe("pause.error.tooLong");
    expect(refusal("185d")).toBe("pause.error.tooLong");
    expect(refusal("184d")).toBeUndefined();
    expect(refusal("26 semaines")).toBeUndefined();
  });

  it("carries what the person typed, for the message", () => {
    expect(() => parsePause("abc", now)).toThrow(PauseDurationError);
    expect(() => parsePause("abc", now)).toThrow(
      expect.objectContaining({ code: "pause.error.unreadable", params: { value: "abc" } }),
    );
  });
});
