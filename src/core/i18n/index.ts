import { en } from "./en.js";
import { fr } from "./fr.js";

export type MessageKey = keyof typeof fr;
export type Catalog = Record<MessageKey, string>;
export const LANGUAGES = ["fr", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "fr";

const catalogs: Record<Language, Catalog> = { fr, en };

/** Turns a locale (`en-US`, `fr`, `EN_gb`) into a language binome speaks, if it speaks it. */
export function languageOf(locale: string | undefined | null): Language | undefined {
  if (!locale) return undefined;
  const lang = locale.trim().slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : undefined;
}

/** The first language binome speaks among the candidates, in order of preference; French otherwise. */
export function pickLanguage(...candidates: Array<string | undefined | null>): Language {
  for (const candidate of candidates) {
    const lang = languageOf(candidate);
    if (lang) return lang;
  }
  return DEFAULT_LANGUAGE;
}

/** True when the catalog has this key (for keys built at run time, such as `outbox.kind.<kind>`). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}

/** The sentence for `key` in `lang`, with `{name}` placeholders filled. */
export function t(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogs[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const dateFormats = new Map<Language, Intl.DateTimeFormat>();

// Why a cache: an Intl.DateTimeFormat is costly to build and holds memory; exports format thousands of dates.
function dateFormat(lang: Language): Intl.DateTimeFormat {
  let format = dateFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    });
    dateFormats.set(lang, format);
  }
  return format;
}

/** A date as people of that language write it: `20 nov. 2026`, `20 Nov 2026`. */
export function formatDate(lang: Language, isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  return dateFormat(lang).format(date);
}

/** A duration in minutes as `45 min`, `1 h`, `1 h 30`. */
export function formatDuration(lang: Language, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  if (m === 0) return `${h} h`;
  return lang === "fr" ? `${h} h ${String(m).padStart(2, "0")}` : `${h} h ${m} min`;
}
