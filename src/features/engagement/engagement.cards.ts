import type { Block, Button, Card } from "../../core/card.js";
import { formatDate, type Language, t } from "../../core/i18n/index.js";

/** A check-in as its card shows it. */
export interface CheckinView {
  id: string;
  otherName: string;
  /** `YYYY-MM-DD`: "did you meet since …". */
  since: string;
  answer: string | null;
  usefulness: number | null;
  note: string | null;
  noteShared: boolean;
  help: string | null;
}

export const CHECKIN_NOTE_FORM = "checkin.note";

const firstName = (name: string) => name.split(/\s+/)[0] ?? name;

/**
 * The check-in in the person's DM, in the state its answer has reached: the question with three
 * buttons; after "yes", how useful (1–5), then a note; after "not yet", three kinds of help.
 * The same function renders the first message and each update of it.
 */
export function checkinCard(lang: Language, view: CheckinView): Card {
  const other = firstName(view.otherName);
  const question = t(lang, "checkin.question", { other, since: formatDate(lang, view.since) });
  const blocks: Block[] = [];
  const button = (actionId: string, label: string, value: string, style?: Button["style"]): Button => ({
    actionId,
    label,
    value: `${view.id}:${value}`,
    ...(style ? { style } : {}),
  });
  if (view.answer === null) {
    blocks.push({ type: "text", text: question });
    blocks.push({
      type: "actions",
      buttons: [
        button("checkin.answer", t(lang, "checkin.yes"), "met", "primary"),
        button("checkin.answer", t(lang, "checkin.notYet"), "not_yet"),
        button("checkin.answer", t(lang, "checkin.planned"), "planned"),
      ],
    });
    blocks.push({ type: "text", text: t(lang, "checkin.typeHint"), style: "muted" });
    return { fallback: question, blocks };
  }
  if (view.answer === "met") {
    blocks.push({ type: "text", text: t(lang, "checkin.answered.met", { other }) });
    if (view.usefulness === null) {
      blocks.push({ type: "text", text: t(lang, "checkin.usefulness.question"), style: "bold" });
      blocks.push({
        type: "actions",
        buttons: [1, 2, 3, 4, 5].map((n) => button("checkin.useful", String(n), String(n))),
      });
      blocks.push({ type: "text", text: t(lang, "checkin.usefulness.scale"), style: "muted" });
    } else {
      blocks.push({ type: "text", text: t(lang, "checkin.usefulness.given", { n: view.usefulness }) });
      if (view.note === null) {
        blocks.push({ type: "actions", buttons: [button("checkin.addNote", t(lang, "checkin.note.add"), "note")] });
      } else {
        blocks.push({
          type: "text",
          text: t(lang, view.noteShared ? "checkin.note.savedShared" : "checkin.note.savedPrivate"),
          style: "muted",
        });
      }
    }
  } else if (view.answer === "not_yet") {
    blocks.push({ type: "text", text: t(lang, "checkin.answered.notYet", { other }) });
    if (view.help === null) {
      blocks.push({
        type: "actions",
        buttons: [
          button("checkin.help", t(lang, "checkin.help.nudge", { other }), "nudge"),
          button("checkin.help", t(lang, "checkin.help.starters"), "starters"),
          button("checkin.help", t(lang, "checkin.help.coordinator"), "coordinator"),
        ],
      });
    } else {
      blocks.push({
        type: "text",
        text: t(lang, `checkin.help.done.${view.help}` as never, { other }),
        style: "muted",
      });
    }
  } else {
    blocks.push({ type: "text", text: t(lang, "checkin.answered.planned", { other }) });
  }
  return { fallback: blocks[0]?.type === "text" ? blocks[0].text : question, blocks };
}

/** The ladder's first step, to each of the pair: friendly, with an idea to start again. */
export function reminderCard(
  lang: Language,
  input: { otherName: string; quietDays: number; pairId: string; isMentor: boolean; skills: string[] },
): Card {
  const other = firstName(input.otherName);
  const text = t(lang, "nudge.reminder", { other, days: input.quietDays });
  const starter = input.skills[0]
    ? t(lang, "intro.starter.skill", { skill: input.skills[0] })
    : t(lang, "intro.starter.journey");
  const blocks: Block[] = [
    { type: "text", text },
    { type: "text", text: t(lang, "nudge.starter", { starter }), style: "muted" },
  ];
  if (input.isMentor) {
    blocks.push({
      type: "actions",
      buttons: [{ actionId: "engagement.log", label: t(lang, "home.log"), value: input.pairId }],
    });
  }
  return { fallback: text, blocks };
}

/** The ladder's second step, to the mentee alone: is something in the way? */
export function ladderAskCard(lang: Language, input: { otherName: string; pairId: string }): Card {
  const text = t(lang, "nudge.ask", { other: firstName(input.otherName) });
  return {
    fallback: text,
    blocks: [
      { type: "text", text },
      {
        type: "actions",
        buttons: [
          { actionId: "ladder.reply", label: t(lang, "nudge.ask.fine"), value: `${input.pairId}:fine` },
          { actionId: "ladder.reply", label: t(lang, "nudge.ask.help"), value: `${input.pairId}:help` },
        ],
      },
      { type: "text", text: t(lang, "nudge.ask.private"), style: "muted" },
    ],
  };
}

/** The ladder's last step, in the coordinators' channel. */
export function flagCard(
  lang: Language,
  input: { mentorName: string; menteeName: string; quietDays: number; pairId: string },
): Card {
  const text = t(lang, "nudge.flag", {
    mentor: input.mentorName,
    mentee: input.menteeName,
    days: input.quietDays,
  });
  return {
    fallback: text,
    blocks: [
      { type: "text", text },
      {
        type: "actions",
        buttons: [{ actionId: "coord.nudge", label: t(lang, "nudge.now"), value: input.pairId, style: "primary" }],
      },
    ],
  };
}

/** A line in the coordinators' channel; no private text is ever put in one. */
export function noticeCard(text: string): Card {
  return { fallback: text, blocks: [{ type: "text", text }] };
}
