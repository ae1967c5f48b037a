import { describe, expect, it } from "vitest";
import { DEFAULT_WORKING_HOURS } from "../outbox/working-hours.js";
import {
  type AttentionRules,
  attentionHold,
  CAPPED_KINDS,
  capDecision,
  holidayCalendarFor,
  nextAllowedTime,
} from "./attention.rules.js";

const french: AttentionRules = { workingHours: DEFAULT_WORKING_HOURS, skipHolidays: true, holidaysCountry: "FR" };
const noCountry: AttentionRules = { workingHours: DEFAULT_WORKING_HOURS, skipHolidays: true };
const paris = { timeZone: "Europe/Paris", holidaysCountry: "FR" };
const iso = (at: Date) => at.toISOString();

describe("next allowed time", () => {
  it("moves a message due on 14 July 2027 at 10:00 in Paris to 15 July at 09:00", () => {
    expect(iso(nextAllowedTime(new Date("2027-07-14T08:00:00Z"), paris, french))).toBe("2027-07-15T07:00:00.000Z");
  });

  it("lets it go on 14 July when the programme does not skip holidays", () => {
    const off = { ...french, skipHolidays: false };
    expect(iso(nextAllowedTime(new Date("2027-07-14T08:00:00Z"), paris, off))).toBe("2027-07-14T08:00:00.000Z");
  });

  it("pushes a Friday holiday past the weekend to Monday", () => {
    // 1 May 2026 is a Friday.
    expect(iso(nextAllowedTime(new Date("2026-05-01T08:00:00Z"), paris, french))).toBe("2026-05-04T07:00:00.000Z");
  });

  it("in Moselle, skips Good Friday to Easter Monday and follows the change to summer time", () => {
    const metz = { timeZone: "Europe/Paris", holidaysCountry: "FR", holidaysRegion: "FR-57" };
    // Thursday 25 March 2027, 19:00 (UTC+1); Tuesday 30 March 09:00 is UTC+2.
    expect(iso(nextAllowedTime(new Date("2027-03-25T18:00:00Z"), metz, french))).toBe("2027-03-30T07:00:00.000Z");
    // Elsewhere in France Good Friday is a working day.
    expect(iso(nextAllowedTime(new Date("2027-03-25T18:00:00Z"), paris, french))).toBe("2027-03-26T08:00:00.000Z");
  });

  it("goes at once on an ordinary working moment", () => {
    const at = new Date("2027-07-15T12:34:00Z");
    expect(nextAllowedTime(at, paris, french)).toEqual(at);
  });
});

describe("whose holidays apply", () => {
  const tenAmMontreal14July = new Date("2027-07-14T14:00:00Z");

  it("a Montréal person keeps their own country's holidays when known, not the programme's", () => {
    const montreal = { timeZone: "America/Montreal", holidaysCountry: "CA", holidaysRegion: "CA-QC" };
    expect(nextAllowedTime(tenAmMontreal14July, montreal, french)).toEqual(tenAmMontreal14July);
    expect(holidayCalendarFor(montreal, french)).toEqual({ country: "CA", region: "CA-QC" });
    // Fête nationale du Québec, Thursday 24 June 2027: Friday 09:00 in Montréal.
    expect(iso(nextAllowedTime(new Date("2027-06-24T14:00:00Z"), montreal, french))).toBe("2027-06-25T13:00:00.000Z");
  });

  it("a Montréal person of unknown country keeps the French programme's holidays, dated in Montréal", () => {
    const montreal = { timeZone: "America/Montreal" };
    expect(iso(nextAllowedTime(tenAmMontreal14July, montreal, french))).toBe("2027-07-15T13:00:00.000Z");
    // 22:00 on 13 July in Montréal is already 14 July in Paris: the Montréal calendar decides.
    expect(iso(nextAllowedTime(new Date("2027-07-14T02:00:00Z"), montreal, french))).toBe("2027-07-15T13:00:00.000Z");
  });

  it("without a country on either side, only working hours apply", () => {
    const montreal = { timeZone: "America/Montreal" };
    expect(nextAllowedTime(tenAmMontreal14July, montreal, noCountry)).toEqual(tenAmMontreal14July);
    expect(holidayCalendarFor(montreal, noCountry)).toBeUndefined();
  });
});

describe("weekly cap", () => {
  const base = { cap: 2, person: paris, rules: french };
  const thursday = new Date("2026-11-26T10:00:00Z");

  it("counts check-ins, nudges, reminders and surveys, and nothing else", () => {
    expect([...CAPPED_KINDS].sort()).toEqual(["checkin", "nudge", "reminder", "survey"]);
  });

  it("sends while the person is under the cap", () => {
    expect(capDecision({ ...base, sentThisWeek: 1, kind: "checkin", at: thursday })).toEqual({ action: "send" });
  });

  it("defers a capped message to next Monday at the start of working hours, in the person's zone", () => {
    expect(capDecision({ ...base, sentThisWeek: 2, kind: "nudge", at: thursday })).toEqual({
      action: "defer-to-next-week",
      until: new Date("2026-11-30T08:00:00Z"),
    });
    const montreal = { timeZone: "America/Montreal" };
    // Sunday 29 November 21:00 in Montréal is Monday in Paris, but still Montréal's week 48.
    expect(
      capDecision({
        ...base,
        person: montreal,
        sentThisWeek: 3,
        kind: "reminder",
        at: new Date("2026-11-30T02:00:00Z"),
      }),
    ).toEqual({ action: "defer-to-next-week", until: new Date("2026-11-30T14:00:00Z") });
  });

  it("when next Monday is Easter Monday, defers to Tuesday", () => {
    expect(capDecision({ ...base, sentThisWeek: 2, kind: "survey", at: new Date("2027-03-25T10:00:00Z") })).toEqual({
      action: "defer-to-next-week",
      until: new Date("2027-03-30T07:00:00Z"),
    });
  });

  it("never holds introductions, replies or coordinator notices", () => {
    for (const kind of ["introduction", "reply", "coordinator-notice"] as const)
      expect(capDecision({ ...base, sentThisWeek: 9, kind, at: thursday })).toEqual({ action: "send" });
  });
});

describe("pause and opt-out", () => {
  const now = new Date("2026-11-26T10:00:00Z");
  const until = new Date("2026-12-10T10:00:00Z");

  it("holds unsolicited messages during a pause and after an opt-out, never replies", () => {
    expect(attentionHold("checkin", { pausedUntil: until }, now)).toEqual({ reason: "paused", until });
    expect(attentionHold("introduction", { pausedUntil: until }, now)).toEqual({ reason: "paused", until });
    expect(attentionHold("nudge", { optedOut: true }, now)).toEqual({ reason: "opted-out" });
    expect(attentionHold("reply", { optedOut: true, pausedUntil: until }, now)).toBeUndefined();
  });

  it("lets messages go again once the pause is over or resumed", () => {
    expect(attentionHold("checkin", { pausedUntil: until }, until)).toBeUndefined();
    expect(attentionHold("checkin", { pausedUntil: null }, now)).toBeUndefined();
  });
});
