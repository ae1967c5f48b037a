import { createTask } from "node-cron";
import { afterAll, describe, expect, it } from "vitest";
import { cronMatcher, fireTimes, previousFire } from "./cron.js";

const made: { destroy(): unknown }[] = [];
function cron(expression: string) {
  const task = createTask(expression, () => {}, { timezone: "UTC" });
  made.push(task);
  return cronMatcher(expression, (d) => task.match(d));
}
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("cron fire times", () => {
  afterAll(async () => {
    for (const task of made) await task.destroy();
  });

  it("lists every fire of */N in an interval, both ends included, oldest first", () => {
    const fires = fireTimes(
      cron("*/20 * * * *"),
      new Date("2026-03-02T10:00:00Z"),
      new Date("2026-03-02T11:00:00Z"),
      10,
    );
    expect(iso(fires)).toEqual([
      "2026-03-02T10:00:00.000Z",
      "2026-03-02T10:20:00.000Z",
      "2026-03-02T10:40:00.000Z",
      "2026-03-02T11:00:00.000Z",
    ]);
  });

  it("finds weekly fires (Monday 09:30 UTC) across weeks and months", () => {
    const fires = fireTimes(cron("30 9 * * 1"), new Date("2026-03-20T00:00:00Z"), new Date("2026-04-14T00:00:00Z"), 10);
    expect(iso(fires)).toEqual([
      "2026-03-23T09:30:00.000Z",
      "2026-03-30T09:30:00.000Z",
      "2026-04-06T09:30:00.000Z",
      "2026-04-13T09:30:00.000Z",
    ]);
  });

  it("keeps the latest fires when there are more than the limit", () => {
    const fires = fireTimes(cron("0 * * * *"), new Date("2026-03-01T00:00:00Z"), new Date("2026-03-31T00:00:00Z"), 3);
    expect(iso(fires)).toEqual(["2026-03-30T22:00:00.000Z", "2026-03-30T23:00:00.000Z", "2026-03-31T00:00:00.000Z"]);
  });

  it("rounds an instant down to the expression's latest fire", () => {
    const daily = cron("17 3 * * *");
    expect(previousFire(daily, new Date("2026-03-02T03:17:59.999Z"))?.toISOString()).toBe("2026-03-02T03:17:00.000Z");
    expect(previousFire(daily, new Date("2026-03-02T03:16:59Z"))?.toISOString()).toBe("2026-03-01T03:17:00.000Z");
  });

  it("refuses an expression with a seconds field", () => {
    expect(() => cron("*/10 * * * * *")).toThrow(/whole minutes/);
  });
});
