import { type Language, t } from "../../core/i18n/index.js";
import type { UnmatchedWhy } from "./matching.js";
import type { Reason } from "./scoring.js";

const DAY_NAMES: Record<Language, Record<string, string>> = {
  fr: { mon: "lundi", tue: "mardi", wed: "mercredi", thu: "jeudi", fri: "vendredi", sat: "samedi", sun: "dimanche" },
  en: {
    mon: "Monday",
    tue: "Tuesday",
    wed: "Wednesday",
    thu: "Thursday",
    fri: "Friday",
    sat: "Saturday",
    sun: "Sunday",
  },
};
const PART_NAMES: Record<Language, Record<string, string>> = {
  fr: { morning: "matin", afternoon: "après-midi", evening: "soir" },
  en: { morning: "morning", afternoon: "afternoon", evening: "evening" },
};

/** `lundi, mardi` / `Monday, Tuesday`. */
export function dayList(lang: Language, days: string[]): string {
  return days.map((d) => DAY_NAMES[lang][d] ?? d).join(", ");
}

export function partList(lang: Language, parts: string[]): string {
  return parts.map((p) => PART_NAMES[lang][p] ?? p).join(", ");
}

/** One sentence for one reason a pair was matched. */
export function reasonText(lang: Language, reason: Reason): string {
  switch (reason.kind) {
    case "skills":
      return t(lang, "match.reason.skills", { shared: reason.values.shared.join(", ") });
    case "availability":
      return t(lang, "match.reason.availability", {
        days: dayList(lang, reason.values.days),
        parts: partList(lang, reason.values.parts),
      });
    case "timeZone":
      return reason.values.hoursApart === 0
        ? t(lang, "match.reason.sameTimeZone")
        : t(lang, "match.reason.timeZone", { hours: reason.values.hoursApart });
    case "style":
      return t(lang, "match.reason.style", { mentor: reason.values.mentorStyle, mentee: reason.values.menteeStyle });
    case "choice":
      return t(lang, "match.reason.choice", { rank: reason.values.rank });
    case "domain":
      return t(lang, "match.reason.domain", { domain: reason.values.domain });
  }
}

/** Why a person is left without a partner, as a sentence. */
export function unmatchedText(lang: Language, why: UnmatchedWhy, spare?: number): string {
  switch (why.kind) {
    case "noCandidates":
      return t(lang, "match.why.noCandidates");
    case "noSharedLanguage":
      return t(lang, "match.why.noSharedLanguage", { languages: why.values.languages.join(", ") });
    case "allExcluded":
      return t(lang, "match.why.allExcluded");
    case "belowMinScore":
      return t(lang, "match.why.belowMinScore", { best: why.values.bestScore, min: why.values.minScore });
    case "compatibleMentorsFull":
      return t(lang, "match.why.mentorsFull", { count: why.values.compatibleMentors });
    case "compatibleMenteesTaken":
      return t(lang, "match.why.menteesTaken", { spare: spare ?? 0 });
  }
}
