import type { Block, Card } from "../../core/card.js";
import { formatDate, formatDuration, type Language, t } from "../../core/i18n/index.js";
import { linesToBlocks, packCards } from "../digest/split.js";
import type { MentorContribution } from "./closing.repository.js";
import type { ClosingResults, Share } from "./closing.results.js";

/** Names as a sentence: "Léa, Hugo et Inès" / "Léa, Hugo and Inès". */
export function nameList(lang: Language, names: string[]): string {
  return new Intl.ListFormat(lang === "fr" ? "fr-FR" : "en-GB", { style: "long", type: "conjunction" }).format(names);
}

/** The thanks a mentor receives in their DM: what they gave, and where their attestation is. */
export function thanksCard(lang: Language, programmeName: string, mentor: MentorContribution): Card {
  const text = t(lang, "closing.thanks", {
    name: mentor.name.split(/\s+/)[0] ?? mentor.name,
    programme: programmeName,
    mentees: nameList(lang, mentor.mentees),
    sessions: mentor.sessions,
    hours: formatDuration(lang, mentor.minutes),
  });
  return {
    fallback: text,
    blocks: [
      { type: "text", text },
      { type: "text", text: t(lang, "closing.thanks.attestation"), style: "muted" },
    ],
  };
}

const number = (lang: Language, value: number, digits = 1) =>
  new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: digits }).format(value);

function share(lang: Language, s: Share): string {
  return s.of === 0 ? t(lang, "digest.none") : `${number(lang, (100 * s.n) / s.of, 0)} % (${s.n}/${s.of})`;
}

/** The lines of what binome measured, in the order a quality review reads them. */
export function measuredLines(lang: Language, r: ClosingResults): string[] {
  const perPair = r.pairs === 0 ? 0 : r.sessions / r.pairs;
  const lines = [
    t(lang, "closing.summary.pairs", { pairs: r.pairs, mentors: r.mentors, mentees: r.mentees }),
    t(lang, "closing.summary.sessions", {
      sessions: r.sessions,
      hours: formatDuration(lang, r.minutes),
      perPair: number(lang, perPair),
    }),
    t(lang, "closing.summary.cadence", {
      days: r.cadenceDays,
      expected: Number.isNaN(r.expectedPerPair) ? "—" : r.expectedPerPair,
      share: share(lang, r.onCadence),
    }),
    t(lang, "closing.summary.checkins", {
      rate: share(lang, { n: r.checkins.answered, of: r.checkins.sent }),
      useful: r.checkins.usefulness === null ? t(lang, "digest.none") : `${number(lang, r.checkins.usefulness)}/5`,
    }),
    t(lang, "closing.summary.surveys", { share: share(lang, r.surveys) }),
    t(lang, "closing.summary.objectivesReached", { share: share(lang, r.objectivesReached) }),
    t(lang, "closing.summary.confidence", { share: share(lang, r.moreConfident) }),
    t(lang, "closing.summary.competence", { share: share(lang, r.moreCompetent) }),
    t(lang, "closing.summary.mentorAgain", { share: share(lang, r.mentorAgain) }),
    t(lang, "closing.summary.difficulties", { raised: r.difficulties.raised, handled: r.difficulties.handled }),
  ];
  return lines.map((l) => `• ${l}`);
}

/**
 * The results summary for the coordinators: the programme's objectives as its file states them,
 * then what binome measured, and where the mentors' attestations are. Split like the digest when
 * the objectives are long.
 */
export function resultsCards(
  lang: Language,
  r: ClosingResults,
  attestations: { count: number; where: string },
): Card[] {
  const period =
    r.programme.startsOn && r.programme.endsOn
      ? t(lang, "closing.summary.period", {
          start: formatDate(lang, r.programme.startsOn),
          end: formatDate(lang, r.programme.endsOn),
        })
      : "";
  const groups: Block[][] = [];
  if (period) groups.push([{ type: "text", text: period, style: "muted" }]);
  groups.push([
    { type: "text", text: t(lang, "closing.summary.objectives"), style: "bold" },
    ...(r.objectives.length > 0
      ? linesToBlocks(r.objectives.map((o) => `• ${o}`))
      : [{ type: "text" as const, text: t(lang, "closing.summary.noObjectives"), style: "muted" as const }]),
  ]);
  groups.push([
    { type: "text", text: t(lang, "closing.summary.measured"), style: "bold" },
    ...linesToBlocks(measuredLines(lang, r)),
  ]);
  groups.push([
    {
      type: "text",
      text: t(lang, "closing.summary.attestations", {
        n: attestations.count,
        where: attestations.where,
        slug: r.programme.slug,
      }),
      style: "muted",
    },
  ]);
  const title = t(lang, "closing.summary.title", { programme: r.programme.name });
  return packCards({
    groups,
    head: (part, parts) => [{ type: "header", text: parts > 1 ? `${title} (${part}/${parts})` : title }],
    fallback: (part, parts) => (parts > 1 ? `${title} (${part}/${parts})` : title),
  });
}
