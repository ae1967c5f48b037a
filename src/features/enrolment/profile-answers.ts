import { z } from "zod";
import type { Language, MessageKey } from "../../core/i18n/index.js";
import { DAY_PARTS, DAYS, type Day, type DayPart, type MatchProfile, normaliseLanguage } from "../matching/profile.js";

/** What `/binome join` stores in `profiles.answers`: a MatchProfile without who and which role. */
export type ProfileAnswers = Omit<MatchProfile, "participantId" | "role" | "managerId" | "previousPartners"> & {
  notWith: string[];
  rankedChoices: string[];
};

/** The stored answers as read back from the database. */
export const profileAnswersSchema = z.object({
  languages: z.array(z.string()).min(1),
  timeZone: z.string(),
  availability: z.object({ days: z.array(z.enum(DAYS)), parts: z.array(z.enum(DAY_PARTS)) }),
  skills: z.array(z.string()),
  domain: z.string().optional(),
  style: z.number().int().min(1).max(5).optional(),
  capacity: z.number().int().min(0).optional(),
  notWith: z.array(z.string()).default([]),
  rankedChoices: z.array(z.string()).default([]),
});

/** Largest capacity a mentor may give: more than ten mentees is a coordinator's decision, not a form's. */
export const MAX_CAPACITY = 10;
export const MAX_ITEMS = 10;
export const MAX_ITEM_LENGTH = 60;
export const MAX_DOMAIN_LENGTH = 100;

/** A refused answer: the catalog key of its sentence and the sentence's parameters. */
export interface AnswerError {
  key: MessageKey;
  params?: Record<string, string | number>;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: AnswerError };

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();

/** Splits a free list on commas, semicolons, slashes, new lines, "et" and "and". */
function tokens(text: string): string[] {
  return text
    .split(/[,;/\n+&]|\s+(?:et|and)\s+/i)
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

const DAY_NAMES: Record<Day, string[]> = {
  mon: ["lundi", "monday"],
  tue: ["mardi", "tuesday"],
  wed: ["mercredi", "wednesday"],
  thu: ["jeudi", "thursday"],
  fri: ["vendredi", "friday"],
  sat: ["samedi", "saturday"],
  sun: ["dimanche", "sunday"],
};

/** Short day names as the form shows and prefills them; the parser reads them back. */
export const DAY_LABELS: Record<Language, Record<Day, string>> = {
  fr: { mon: "lun", tue: "mar", wed: "mer", thu: "jeu", fri: "ven", sat: "sam", sun: "dim" },
  en: { mon: "mon", tue: "tue", wed: "wed", thu: "thu", fri: "fri", sat: "sat", sun: "sun" },
};

function dayOf(word: string): Day | undefined {
  const w = word.replace(/\.$/, "");
  if (w.length < 2) return undefined;
  const found = DAYS.filter((day) => DAY_NAMES[day].some((name) => name.startsWith(w)));
  return found.length === 1 ? found[0] : undefined;
}

const WEEKDAYS: Day[] = ["mon", "tue", "wed", "thu", "fri"];

/** The days one word names: a day, a range (`lun-ven`, wrapping round the week) or a group (`semaine`). */
function daysOfWord(word: string): Day[] | undefined {
  if (["semaine", "weekdays", "week"].includes(word)) return WEEKDAYS;
  if (word === "weekend") return ["sat", "sun"];
  if (["all", "tous", "toujours"].includes(word)) return [...DAYS];
  const range = /^([^-–]+)[-–]([^-–]+)$/.exec(word);
  const from = range ? dayOf(range[1] as string) : undefined;
  const to = range ? dayOf(range[2] as string) : undefined;
  if (!from || !to) {
    const day = dayOf(word);
    return day ? [day] : undefined;
  }
  const days: Day[] = [];
  for (let i = DAYS.indexOf(from); ; i = (i + 1) % DAYS.length) {
    days.push(DAYS[i] as Day);
    if (DAYS[i] === to) return days;
  }
}

/** Days written freely in French or English: `lun, mar, jeu`, `mon tue`, `lun-ven`, `semaine`, `week-end`. */
export function parseDays(text: string): Parsed<Day[]> {
  const chosen = new Set<Day>();
  const words = tokens(
    fold(text)
      .replace(/week-?end/g, "weekend")
      .replace(/tous les jours|every ?day/g, "all"),
  ).flatMap((t) => t.split(/\s+/));
  for (const word of words) {
    const days = daysOfWord(word);
    if (!days) return { ok: false, error: { key: "profile.error.dayUnknown", params: { value: word } } };
    for (const day of days) chosen.add(day);
  }
  if (chosen.size === 0) return { ok: false, error: { key: "profile.error.daysMissing" } };
  return { ok: true, value: DAYS.filter((d) => chosen.has(d)) };
}

const PART_WORDS: Array<[string, DayPart[]]> = [
  ["matin", ["morning"]],
  ["morning", ["morning"]],
  ["am", ["morning"]],
  ["aprem", ["afternoon"]],
  ["afternoon", ["afternoon"]],
  ["pm", ["afternoon"]],
  ["soir", ["evening"]],
  ["soiree", ["evening"]],
  ["evening", ["evening"]],
  ["journee", ["morning", "afternoon"]],
  ["day", ["morning", "afternoon"]],
  ["indifferent", [...DAY_PARTS]],
  ["any", [...DAY_PARTS]],
  ["all", [...DAY_PARTS]],
  ["tous", [...DAY_PARTS]],
];

/** Parts of the day written freely: `matin, soir`, `après-midi`, `morning and evening`. */
export function parseParts(text: string): Parsed<DayPart[]> {
  const chosen = new Set<DayPart>();
  const folded = fold(text)
    .replace(/apres[- ]?midi|after[- ]noon/g, "aprem")
    .replace(/toute la journee|all day/g, "journee");
  for (const word of tokens(folded).flatMap((t) => t.split(/\s+/))) {
    const w = word.replace(/\.$/, "");
    const match = PART_WORDS.find(([name]) => name === w || (w.length >= 3 && name.startsWith(w)));
    if (!match) return { ok: false, error: { key: "profile.error.partUnknown", params: { value: word } } };
    for (const part of match[1]) chosen.add(part);
  }
  if (chosen.size === 0) return { ok: false, error: { key: "profile.error.partsMissing" } };
  return { ok: true, value: DAY_PARTS.filter((p) => chosen.has(p)) };
}

// Common languages of French training organisations' mentors and learners; any ISO 639-1 code is accepted too.
const NAMED_LANGUAGES = [
  "fr",
  "en",
  "es",
  "de",
  "it",
  "pt",
  "ar",
  "nl",
  "zh",
  "ja",
  "ru",
  "pl",
  "ro",
  "tr",
  "wo",
  "ln",
  "vi",
  "uk",
  "he",
  "hi",
];
let languageByName: Map<string, string> | undefined;

function languageCode(word: string): string | undefined {
  if (!languageByName) {
    languageByName = new Map();
    for (const display of ["fr", "en"]) {
      const names = new Intl.DisplayNames([display], { type: "language" });
      for (const code of NAMED_LANGUAGES) languageByName.set(fold(names.of(code) ?? code), code);
    }
  }
  const w = fold(word);
  const named = languageByName.get(w);
  if (named) return named;
  const code = normaliseLanguage(w);
  if (!/^[a-z]{2}$/.test(code)) return undefined;
  // Intl names every ISO 639-1 code it knows and echoes the others back.
  return new Intl.DisplayNames(["en"], { type: "language", fallback: "code" }).of(code) === code ? undefined : code;
}

/** Languages as codes or names in French or English: `fr, en`, `français et anglais`. */
export function parseLanguages(text: string): Parsed<string[]> {
  const codes: string[] = [];
  for (const word of tokens(text)) {
    const code = languageCode(word);
    if (!code) return { ok: false, error: { key: "profile.error.languageUnknown", params: { value: word } } };
    if (!codes.includes(code)) codes.push(code);
  }
  if (codes.length === 0) return { ok: false, error: { key: "profile.error.languagesMissing" } };
  return { ok: true, value: codes };
}

/** An IANA time zone, in the spelling Intl gives it (`europe/paris` → `Europe/Paris`). */
export function parseTimeZone(text: string): Parsed<string> {
  const value = text.trim();
  try {
    if (!value.includes("/") && value.toUpperCase() !== "UTC") throw new RangeError(value);
    return { ok: true, value: new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone };
  } catch {
    return { ok: false, error: { key: "profile.error.timeZone", params: { value } } };
  }
}

/** Skills or goals: a list of short items, at least one, duplicates folded. */
export function parseItems(text: string, missing: MessageKey): Parsed<string[]> {
  const items: string[] = [];
  for (const item of tokens(text)) {
    if (item.length > MAX_ITEM_LENGTH) {
      return {
        ok: false,
        error: { key: "profile.error.itemTooLong", params: { value: `${item.slice(0, 30)}…`, max: MAX_ITEM_LENGTH } },
      };
    }
    if (!items.some((i) => fold(i) === fold(item))) items.push(item);
  }
  if (items.length === 0) return { ok: false, error: { key: missing } };
  if (items.length > MAX_ITEMS)
    return { ok: false, error: { key: "profile.error.tooMany", params: { max: MAX_ITEMS } } };
  return { ok: true, value: items };
}

/** A mentor's capacity: a whole number from 0 to 10. */
export function parseCapacity(text: string): Parsed<number> {
  const value = text.trim();
  const n = Number(value);
  if (!/^\d{1,2}$/.test(value) || n > MAX_CAPACITY) {
    return {
      ok: false,
      error: { key: "profile.error.capacity", params: { value: value.slice(0, 20), max: MAX_CAPACITY } },
    };
  }
  return { ok: true, value: n };
}

/** The style, 1 (directive) to 5 (exploratory). */
export function parseStyle(text: string): Parsed<number> {
  const n = Number(text.trim());
  return /^[1-5]$/.test(text.trim()) ? { ok: true, value: n } : { ok: false, error: { key: "profile.error.style" } };
}

/**
 * Reads the profile form: every refused answer is reported by input id, so that each message
 * shows beside its input; answers only when all are valid.
 */
export function parseProfileForm(
  role: "mentor" | "mentee",
  values: Record<string, string>,
): { ok: true; answers: ProfileAnswers } | { ok: false; errors: Record<string, AnswerError> } {
  const errors: Record<string, AnswerError> = {};
  const take = <T>(id: string, parsed: Parsed<T>): T | undefined => {
    if (parsed.ok) return parsed.value;
    errors[id] = parsed.error;
    return undefined;
  };
  const domain = (values.domain ?? "").trim();
  if (domain.length > MAX_DOMAIN_LENGTH)
    errors.domain = { key: "profile.error.domainTooLong", params: { max: MAX_DOMAIN_LENGTH } };
  const skills = take(
    "skills",
    parseItems(values.skills ?? "", role === "mentor" ? "profile.error.skillsMissing" : "profile.error.goalsMissing"),
  );
  const days = take("days", parseDays(values.days ?? ""));
  const parts = take("parts", parseParts(values.parts ?? ""));
  const timeZone = take("timeZone", parseTimeZone(values.timeZone ?? ""));
  const languages = take("languages", parseLanguages(values.languages ?? ""));
  const style = take("style", parseStyle(values.style ?? ""));
  const capacity = role === "mentor" ? take("capacity", parseCapacity(values.capacity ?? "")) : undefined;
  if (Object.keys(errors).length > 0 || !skills || !days || !parts || !timeZone || !languages)
    return { ok: false, errors };
  return {
    ok: true,
    answers: {
      languages,
      timeZone,
      availability: { days, parts },
      skills,
      ...(domain ? { domain } : {}),
      ...(style !== undefined ? { style } : {}),
      ...(capacity !== undefined ? { capacity } : {}),
      notWith: [],
      rankedChoices: [],
    },
  };
}
