import { describe, expect, it } from "vitest";
import { startOfLocalDay, startOfNextWeek, weekKey } from "./calendar.js";

describe("ISO weeks in the person's time zone", () => {
  it("names weeks around the turn of the year", () => {
    expect(weekKey(new Date("2026-11-27T10:00:00Z"), "Europe/Paris")).toBe("2026-W48");
    expect(weekKey(new Date("2026-12-31T10:00:00Z"), "Europe/Paris")).toBe("2026-W53");
    expect(weekKey(new Date("2027-01-01T10:00:00Z"), "Europe/Paris")).toBe("2026-W53");
    expect(weekKey(new Date("2027-01-04T10:00:00Z"), "Europe/Paris")).toBe("2027-W01");
    expect(weekKey(new Date("2025-12-29T10:00:00Z"), "Europe/Paris")).toBe("2026-W01");
  });

  it("reads the week where the person is", () => {
    // Monday 00:30 in Paris, still Sunday evening in Montréal.
    const at = new Date("2027-01-03T23:30:00Z");
    expect(weekKey(at, "Europe/Paris")).toBe("2027-W01");
    expect(weekKey(at, "America/Montreal")).toBe("2026-W53");
  });

  it("finds local midnight across daylight-saving changes", () => {
    expect(startOfLocalDay("2027-03-28", "Europe/Paris").toISOString()).toBe("2027-03-27T23:00:00.000Z");
    expect(startOfLocalDay("2027-03-29", "Europe/Paris").toISOString()).toBe("2027-03-28T22:00:00.000Z");
    expect(startOfLocalDay("2026-11-01", "America/Montreal").toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(startOfLocalDay("2026-11-02", "America/Montreal").toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });

  it("finds the start of next week", () => {
    // Sunday 23:30 in Paris: next week starts in half an hour; Monday 00:30: in a week.
    expect(startOfNextWeek(new Date("2026-11-29T22:30:00Z"), "Europe/Paris").toISOString()).toBe(
      "2026-11-29T23:00:00.000Z",
    );
    expect(startOfNextWeek(new Date("2026-11-29T23:30:00Z"), "Europe/Paris").toISOString()).toBe(
      "2026-12-06T23:00:00.000Z",
    );
    expect(startOfNextWeek(new Date("2027-03-25T10:00:00Z"), "Europe/Paris").toISOString()).toBe(
      "2027-03-28T22:00:00.000Z",
    );
  });
});
