import Holidays from "date-holidays";

// Why one shared instance: loading the library's data is the costly part; `getStates` needs no country set.
const catalogue = new Holidays();
const calendars = new Map<string, Holidays | null>();
const publicDates = new Map<string, ReadonlySet<string>>();

/**
 * The library's state code for a region written as `FR-57`, `57`, `fr-gp` or `GP`;
 * undefined when the library does not know it for that country.
 */
export function holidayRegionCode(country: string, region: string | undefined): string | undefined {
  if (!region) return undefined;
  const upper = region.trim().toUpperCase();
  const code = upper.startsWith(`${country}-`) ? upper.slice(country.length + 1) : upper;
  const states = catalogue.getStates(country) ?? {};
  return code in states ? code : undefined;
}

/** True when the library has public holidays for this country (and region, if one is given). */
export function isKnownHolidayCalendar(country: string, region?: string): boolean {
  const upper = country.trim().toUpperCase();
  if (!calendarFor(upper, undefined)) return false;
  return region === undefined || holidayRegionCode(upper, region) !== undefined;
}

function calendarFor(country: string, state: string | undefined): Holidays | null {
  const key = `${country}:${state ?? ""}`;
  let calendar = calendars.get(key);
  if (calendar === undefined) {
    const candidate = state ? new Holidays(country, state) : new Holidays(country);
    // The library yields no holidays at all for a country it does not know.
    calendar = candidate.getHolidays(2000).length > 0 ? candidate : null;
    calendars.set(key, calendar);
  }
  return calendar;
}

function publicDatesOf(country: string, state: string | undefined, year: number): ReadonlySet<string> {
  const key = `${country}:${state ?? ""}:${year}`;
  let dates = publicDates.get(key);
  if (!dates) {
    const calendar = calendarFor(country, state);
    const holidays = calendar ? calendar.getHolidays(year) : [];
    // Only days off by law: observances (Fête des Mères, Pentecost Sunday) are ordinary days for binome.
    dates = new Set(holidays.filter((h) => h.type === "public").map((h) => h.date.slice(0, 10)));
    publicDates.set(key, dates);
  }
  return dates;
}

/**
 * True when the local calendar date `YYYY-MM-DD` is a public holiday in `country` (ISO 3166-1, e.g. `FR`),
 * with the region's own holidays when a known region is given (`FR-57` Moselle adds Good Friday and 26 Dec).
 * An unknown country has no holidays; an unknown region falls back to the country's.
 */
export function isPublicHoliday(localDate: string, country: string, region?: string): boolean {
  const upper = country.trim().toUpperCase();
  const year = Number(localDate.slice(0, 4));
  if (!Number.isInteger(year)) return false;
  return publicDatesOf(upper, holidayRegionCode(upper, region), year).has(localDate);
}
