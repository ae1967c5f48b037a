import { describe, expect, it } from "vitest";
import { holidayRegionCode, isKnownHolidayCalendar, isPublicHoliday } from "./holidays.js";

const FR_METRO_2026 = [
  "2026-01-01",
  "2026-04-06",
  "2026-05-01",
  "2026-05-08",
  "2026-05-14",
  "2026-05-25",
  "2026-07-14",
  "2026-08-15",
  "2026-11-01",
  "2026-11-11",
  "2026-12-25",
];
const FR_METRO_2027 = [
  "2027-01-01",
  "2027-03-29",
  "2027-05-01",
  "2027-05-06",
  "2027-05-08",
  "2027-05-17",
  "2027-07-14",
  "2027-08-15",
  "2027-11-01",
  "2027-11-11",
  "2027-12-25",
];

function holidaysOfYear(year: number, country: string, region?: string): string[] {
  const found: string[] = [];
  for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    if (isPublicHoliday(date, country, region)) found.push(date);
  }
  return found;
}

describe("French public holidays", () => {
  it("knows exactly the eleven metropolitan holidays of 2026 and 2027", () => {
    expect(holidaysOfYear(2026, "FR")).toEqual(FR_METRO_2026);
    expect(holidaysOfYear(2027, "FR")).toEqual(FR_METRO_2027);
  });

  it("counts Lundi de Pâques, Ascension and the 14 juillet, but not Pentecost Sunday or Mother's Day", () => {
    expect(isPublicHoliday("2027-03-29", "FR")).toBe(true);
    expect(isPublicHoliday("2027-05-06", "FR")).toBe(true);
    expect(isPublicHoliday("2027-07-14", "FR")).toBe(true);
    expect(isPublicHoliday("2027-05-16", "FR")).toBe(false);
    expect(isPublicHoliday("2027-05-30", "FR")).toBe(false);
    expect(isPublicHoliday("2027-07-15", "FR")).toBe(false);
  });

  it("adds Good Friday and 26 December in Alsace-Moselle, however the region is written", () => {
    for (const region of ["FR-57", "57", "fr-67", "68"]) {
      expect(isPublicHoliday("2027-03-26", "FR", region)).toBe(true);
      expect(isPublicHoliday("2027-12-26", "FR", region)).toBe(true);
    }
    expect(isPublicHoliday("2027-03-26", "FR")).toBe(false);
    expect(isPublicHoliday("2027-12-26", "FR")).toBe(false);
  });

  it("knows the overseas departments' own holidays as far as the library does", () => {
    expect(isPublicHoliday("2027-12-20", "FR", "FR-RE")).toBe(true);
    expect(isPublicHoliday("2027-05-27", "FR", "GP")).toBe(true);
    expect(isPublicHoliday("2027-12-20", "FR")).toBe(false);
  });

  it("falls back to the country for an unknown region and has no holidays for an unknown country", () => {
    expect(holidayRegionCode("FR", "FR-99")).toBeUndefined();
    expect(isPublicHoliday("2027-07-14", "FR", "FR-99")).toBe(true);
    expect(isPublicHoliday("2027-01-01", "XX")).toBe(false);
    expect(isKnownHolidayCalendar("fr", "FR-57")).toBe(true);
    expect(isKnownHolidayCalendar("FR", "FR-99")).toBe(false);
    expect(isKnownHolidayCalendar("XX")).toBe(false);
  });

  it("keeps other countries apart: 1 July is Canada Day, not a French holiday", () => {
    expect(isPublicHoliday("2027-07-01", "CA")).toBe(true);
    expect(isPublicHoliday("2027-06-24", "CA", "CA-QC")).toBe(true);
    expect(isPublicHoliday("2027-07-01", "FR")).toBe(false);
  });
});
