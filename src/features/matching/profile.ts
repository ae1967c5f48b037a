/** Days of the week in calendar order, as availability stores them. */
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Day = (typeof DAYS)[number];

/** Parts of a day in clock order, as availability stores them. */
export const DAY_PARTS = ["morning", "afternoon", "evening"] as const;
export type DayPart = (typeof DAY_PARTS)[number];

/** What matching knows about one participant; plain data, nothing loaded lazily. */
export interface MatchProfile {
  participantId: string;
  role: "mentor" | "mentee";
  /** ISO 639-1 codes; a region suffix ("fr-CA") is ignored. */
  languages: string[];
  /** IANA time zone, e.g. "Europe/Paris". */
  timeZone: string;
  availability: { days: Day[]; parts: DayPart[] };
  /** Mentors: what they offer. Mentees: what they want (their goals). */
  skills: string[];
  domain?: string;
  /** 1 directive … 5 exploratory. */
  style?: number;
  /** Mentors only: how many mentees they take; integer ≥ 0, 1 when absent. */
  capacity?: number;
  managerId?: string;
  /** Mentees only: mentor participantIds, most wanted first. */
  rankedChoices?: string[];
  notWith?: string[];
  previousPartners?: string[];
}

/** The soft criteria, in the order reasons break ties. */
export const CRITERIA = ["skills", "availability", "timeZone", "style", "choice", "domain"] as const;
export type Criterion = (typeof CRITERIA)[number];

/** Relative weight of each criterion (≥ 0) and the score (0..100) below which a pair is not proposed. */
export type MatchingWeights = Record<Criterion, number> & { minScore: number };

/** Goals first, then availability; choice next because mentees notice when it is ignored. */
export const DEFAULT_WEIGHTS: Readonly<MatchingWeights> = Object.freeze({
  skills: 40,
  availability: 20,
  timeZone: 10,
  style: 10,
  choice: 15,
  domain: 5,
  minScore: 20,
});

/** Throws a RangeError unless every weight is a finite number ≥ 0 and minScore lies in 0..100. */
export function assertValidWeights(weights: MatchingWeights): void {
  for (const criterion of CRITERIA) {
    const weight = weights[criterion];
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`matching weight "${criterion}" must be a finite number ≥ 0 (got ${weight})`);
    }
  }
  if (!Number.isFinite(weights.minScore) || weights.minScore < 0 || weights.minScore > 100) {
    throw new RangeError(`minScore must lie in 0..100 (got ${weights.minScore})`);
  }
}

/** A mentor's capacity (1 when absent); throws a RangeError when it is not an integer ≥ 0. */
export function capacityOf(mentor: MatchProfile): number {
  const capacity = mentor.capacity ?? 1;
  if (!Number.isInteger(capacity) || capacity < 0) {
    throw new RangeError(`capacity of ${mentor.participantId} must be an integer ≥ 0 (got ${capacity})`);
  }
  return capacity;
}

/** Folds a free-text tag so that "Prise de parole", "prise-de-parole" and "PRISE DE PAROLE " compare equal. */
export function normaliseTag(tag: string): string {
  return tag
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .trim();
}

/** Reduces a language tag to its lower-case primary subtag: "fr-CA" → "fr". */
export function normaliseLanguage(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? "";
}

// Why: building an Intl.DateTimeFormat costs about a millisecond; one per zone is kept (null: unknown zone).
const offsetFormats = new Map<string, Intl.DateTimeFormat | null>();

/** UTC offset of a time zone at an instant, in minutes; NaN for a zone Intl does not know. */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  let format = offsetFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    } catch {
      format = null;
    }
    if (offsetFormats.size >= 1024) offsetFormats.clear();
    offsetFormats.set(timeZone, format);
  }
  if (format === null || Number.isNaN(at.getTime())) return Number.NaN;
  const label = format.formatToParts(at).find((part) => part.type === "timeZoneName")?.value;
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(label ?? "");
  if (!match) return Number.NaN;
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}
