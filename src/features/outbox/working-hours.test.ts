import { describe, expect, it } from "vitest";
import { isWorkingTime, localMoment, nextWorkingTime } from "./working-hours.js";

const hours = { days: ["mon", "tue", "wed", "thu", "fri"] as const, start: "09:00", end: "18:00" };
const working = { ...hours, days: [...hours.days] };

describe("working hours", () => {
  it("lets a message go at once inside working hours, in the person's own time zone", () => {
    const friday11Paris = new Date("2026-11-27T10:00:00Z");
    expect(nextWorkingTime(friday11Paris, "Europe/Paris", working)).toEqual(friday11Paris);
    // The same instant is 05:00 in Montréal: it waits for 09:00 there.
    expect(nextWorkingTime(friday11Paris, "America/Montreal", working).toISOString()).toBe("2026-11-27T14:00:00.000Z");
  });

  it("holds an evening message until the next working morning, skipping the weekend", () => {
    const fridayEvening = new Date("2026-11-27T19:30:00Z");
    expect(nextWorkingTime(fridayEvening, "Europe/Paris", working).toISOString()).toBe("2026-11-30T08:00:00.000Z");
  });

  it("follows daylight saving time", () => {
    const saturdayBeforeChange = new Date("2027-03-27T12:00:00Z");
    // Paris moves to UTC+2 on 28 March 2027: 09:00 on Monday is 07:00 UTC.
    expect(nextWorkingTime(saturdayBeforeChange, "Europe/Paris", working).toISOString()).toBe(
      "2027-03-29T07:00:00.000Z",
    );
  });

  it("finds the exact opening minute", () => {
    const start = { ...working, start: "09:07" };
    expect(nextWorkingTime(new Date("2026-11-27T07:00:00Z"), "Europe/Paris", start).toISOString()).toBe(
      "2026-11-27T08:07:00.000Z",
    );
    expect(isWorkingTime(new Date("2026-11-27T17:00:00Z"), "Europe/Paris", working)).toBe(false);
  });
});

describe("closed dates", () => {
  const closed = (dates: string[]) => ({ isClosedDate: (date: string) => dates.includes(date) });

  it("skips closed local dates as well as days outside the week", () => {
    const thursdayEvening = new Date("2027-07-15T17:00:00Z");
    // Friday 16 July closed: Monday 19 July 09:00 Paris.
    expect(nextWorkingTime(thursdayEvening, "Europe/Paris", working, closed(["2027-07-16"])).toISOString()).toBe(
      "2027-07-19T07:00:00.000Z",
    );
    expect(isWorkingTime(new Date("2027-07-16T10:00:00Z"), "Europe/Paris", working, closed(["2027-07-16"]))).toBe(
      false,
    );
  });

  it("reads the closed date in the person's zone and keeps searching past a long closure", () => {
    // 23:30 UTC on 15 July is already Friday 16 July, 01:30, in Paris.
    expect(localMoment(new Date("2027-07-15T23:30:00Z"), "Europe/Paris")).toEqual({
      date: "2027-07-16",
      day: "fri",
      minutes: 90,
    });
    const fortnight = Array.from({ length: 14 }, (_, i) => `2027-08-${String(i + 1).padStart(2, "0")}`);
    expect(
      nextWorkingTime(new Date("2027-07-31T10:00:00Z"), "Europe/Paris", working, closed(fortnight)).toISOString(),
    ).toBe("2027-08-16T07:00:00.000Z");
  });
});
