import type { Block, Card } from "../../core/card.js";
import { formatDate, type Language, type MessageKey, t } from "../../core/i18n/index.js";
import type { AttentionPair, AttentionReason, Digest, Milestone } from "./digest.build.js";
import type { WeekFigures } from "./digest.repository.js";
import { fitText, linesToBlocks, packCards } from "./split.js";

export const DIGEST_ACTIONS = {
  nudge: "coord.nudge",
  handled: "digest.handled",
  reassign: "digest.reassign",
} as const;

/** Longest name shown: a digest line stays readable whatever was imported. */
const NAME_CHARS = 80;

const numberFormat = (lang: Language, digits: number) =>
  new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: digits });

function signed(lang: Language, value: number, digits: number, unit = ""): string {
  const rounded = Number(value.toFixed(digits));
  if (rounded === 0) return `(=)`;
  const text = numberFormat(lang, digits).format(Math.abs(rounded));
  return `(${rounded > 0 ? "+" : "−"}${text}${unit})`;
}

const percentOf = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);

/** The headline lines: each figure of the week, and its change since the week before. */
export function figureLines(lang: Language, now: WeekFigures, before: WeekFigures): string[] {
  const n0 = numberFormat(lang, 0);
  const n1 = numberFormat(lang, 1);
  const none = t(lang, "digest.none");
  const points = t(lang, "digest.points");
  const rate = percentOf(now.checkinsAnswered, now.checkinsSent);
  const rateBefore = percentOf(before.checkinsAnswered, before.checkinsSent);
  const surveys = percentOf(now.surveysCompleted, now.surveysInvited);
  const surveysBefore = percentOf(before.surveysCompleted, before.surveysInvited);
  const hours = now.minutes / 60;
  return [
    t(lang, "digest.figure.pairs", {
      value: `${n0.format(now.activePairs)} ${signed(lang, now.activePairs - before.activePairs, 0)}`,
    }),
    t(lang, "digest.figure.sessions", {
      value: `${n0.format(now.sessions)} ${signed(lang, now.sessions - before.sessions, 0)}`,
    }),
    t(lang, "digest.figure.hours", {
      value: `${n1.format(hours)} h ${signed(lang, hours - before.minutes / 60, 1, " h")}`,
    }),
    t(lang, "digest.figure.checkins", {
      value:
        rate === null
          ? none
          : `${n0.format(rate)} % (${now.checkinsAnswered}/${now.checkinsSent})${
              rateBefore === null ? "" : ` ${signed(lang, rate - rateBefore, 0, ` ${points}`)}`
            }`,
    }),
    t(lang, "digest.figure.usefulness", {
      value:
        now.usefulness === null
          ? none
          : `${n1.format(now.usefulness)}/5${
              before.usefulness === null ? "" : ` ${signed(lang, now.usefulness - before.usefulness, 1)}`
            }`,
    }),
    t(lang, "digest.figure.surveys", {
      value:
        surveys === null
          ? none
          : `${now.surveysCompleted}/${now.surveysInvited}, ${n0.format(surveys)} %${
              surveysBefore === null ? "" : ` ${signed(lang, surveys - surveysBefore, 0, ` ${points}`)}`
            }`,
    }),
  ].map((line) => `• ${line}`);
}

const short = (name: string) => fitText(name, NAME_CHARS);

const dates = new Map<string, string>();
/** `formatDate`, remembered: it builds an Intl formatter per call, and a digest writes hundreds of dates. */
function dateText(lang: Language, iso: string): string {
  const key = `${lang}:${iso}`;
  let text = dates.get(key);
  if (text === undefined) {
    if (dates.size > 5_000) dates.clear();
    text = formatDate(lang, iso);
    dates.set(key, text);
  }
  return text;
}

function reasonLine(lang: Language, pair: AttentionPair, reason: AttentionReason): string {
  const who = (id: string) => short(id === pair.mentor.id ? pair.mentor.name : pair.mentee.name);
  const date = (iso: string) => dateText(lang, iso);
  switch (reason.kind) {
    case "unreachable":
      return t(lang, "digest.reason.unreachable", { person: who(reason.personId), date: date(reason.since) });
    case "difficulty":
      return t(lang, "digest.reason.difficulty", { person: who(reason.personId), date: date(reason.on) });
    case "low-usefulness":
      return t(lang, "digest.reason.lowUsefulness", {
        person: who(reason.personId),
        score: reason.score,
        date: date(reason.on),
      });
    case "survey":
      return t(lang, "digest.reason.survey", {
        person: who(reason.personId),
        survey: t(lang, reason.moment === "end" ? "digest.survey.end" : "digest.survey.midterm"),
        reminders: reason.reminders,
      });
    case "quiet":
      return t(lang, "digest.reason.quiet", { days: reason.days, date: date(reason.since) });
  }
}

/** A pair's lines and its three buttons: nudge now, mark these reasons handled, reassign. */
export function pairBlocks(lang: Language, pair: AttentionPair): Block[] {
  const lines = [
    `${short(pair.mentor.name)} ↔ ${short(pair.mentee.name)}`,
    ...pair.reasons.map((r) => `• ${reasonLine(lang, pair, r)}`),
  ];
  return [
    { type: "text", text: fitText(lines.join("\n")) },
    {
      type: "actions",
      buttons: [
        { actionId: DIGEST_ACTIONS.nudge, label: t(lang, "digest.button.nudge"), value: pair.pairId },
        {
          actionId: DIGEST_ACTIONS.handled,
          label: t(lang, "digest.button.handled"),
          value: [pair.pairId, ...pair.reasons.map((r) => r.key)].join(" "),
          style: "primary",
        },
        { actionId: DIGEST_ACTIONS.reassign, label: t(lang, "digest.button.reassign"), value: pair.pairId },
      ],
    },
  ];
}

const MILESTONE_KEYS: Record<Milestone["kind"], MessageKey> = {
  "midterm-survey": "digest.milestone.midterm",
  "end-survey": "digest.milestone.end",
  "programme-end": "digest.milestone.programmeEnd",
};

/**
 * The digest as one card or several: the first holds the figures and milestones, then the pairs
 * needing attention follow, each card within Slack's and Teams' limits (see split.ts). `reserve`
 * keeps room at the end of each card for that many more blocks (the command's page hint).
 */
export function digestCards(digest: Digest, options: { reserve?: number } = {}): Card[] {
  const lang = digest.language;
  const { current, previous } = digest.figures;
  const title = (part: number, parts: number) =>
    parts > 1
      ? t(lang, "digest.titlePart", { programme: digest.programme.name, part, parts })
      : t(lang, "digest.title", { programme: digest.programme.name });
  const groups: Block[][] = [
    [
      {
        type: "text",
        text: t(lang, "digest.period", {
          from: formatDate(lang, digest.week.from),
          to: formatDate(lang, digest.week.to),
        }),
        style: "muted",
      },
      ...linesToBlocks(figureLines(lang, current, previous)),
    ],
  ];
  if (digest.milestones.length > 0) {
    groups.push([
      { type: "text", text: t(lang, "digest.milestones.title"), style: "bold" },
      ...linesToBlocks(
        digest.milestones.map((m) => `• ${t(lang, MILESTONE_KEYS[m.kind], { date: formatDate(lang, m.date) })}`),
      ),
    ]);
  }
  if (digest.attentionTotal === 0) {
    groups.push([{ type: "text", text: t(lang, "digest.attention.none") }]);
  } else {
    groups.push([
      { type: "divider" },
      { type: "text", text: t(lang, "digest.attention.title", { n: digest.attentionTotal }), style: "bold" },
    ]);
    for (const pair of digest.attention) groups.push(pairBlocks(lang, pair));
    const more = digest.attentionTotal - digest.attention.length;
    if (more > 0) groups.push([{ type: "text", text: t(lang, "digest.attention.more", { n: more }), style: "muted" }]);
  }
  const summary = t(lang, "digest.fallback", {
    programme: digest.programme.name,
    pairs: current.activePairs,
    attention: digest.attentionTotal,
  });
  return packCards({
    groups,
    head: (part, parts) => [{ type: "header", text: title(part, parts) }],
    fallback: (part, parts) => (parts > 1 ? `${summary} (${part}/${parts})` : summary),
    ...(options.reserve ? { reserve: options.reserve } : {}),
  });
}
