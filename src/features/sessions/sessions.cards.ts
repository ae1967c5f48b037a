import type { Card, Form } from "../../core/card.js";
import { formatDate, formatDuration, type Language, t } from "../../core/i18n/index.js";
import type { Participant } from "../participants/participants.repository.js";
import type { SessionRow } from "./sessions.repository.js";

export const LOG_FORM_ID = "log-session";

/** Confirmation shown to the mentor who just recorded a session. */
export function loggedCard(
  lang: Language,
  menteeName: string,
  session: { heldOn: string; durationMinutes: number; topics: string; nextSteps?: string | undefined },
): Card {
  const headline = t(lang, "log.saved", {
    mentee: menteeName,
    date: formatDate(lang, session.heldOn),
    duration: formatDuration(lang, session.durationMinutes),
  });
  const blocks: Card["blocks"] = [
    { type: "text", text: headline, style: "bold" },
    { type: "text", text: t(lang, "log.savedTopics", { topics: session.topics }), style: "muted" },
  ];
  if (session.nextSteps) {
    blocks.push({ type: "text", text: t(lang, "log.savedNext", { next: session.nextSteps }), style: "muted" });
  }
  return { fallback: headline, blocks };
}

/** The session form: mentee, date (today by default), duration, topics, next steps. */
export function logForm(
  lang: Language,
  pairsOfMentor: Array<{ pairId: string; mentee: Participant }>,
  today: string,
): Form {
  const [onlyPair] = pairsOfMentor;
  return {
    formId: LOG_FORM_ID,
    title: t(lang, "log.form.title"),
    submitLabel: t(lang, "log.form.submit"),
    cancelLabel: t(lang, "log.form.cancel"),
    blocks: [
      {
        type: "input",
        id: "pair",
        label: t(lang, "log.form.mentee"),
        kind: "select",
        required: true,
        options: pairsOfMentor.map((p) => ({ label: p.mentee.name, value: p.pairId })),
        ...(pairsOfMentor.length === 1 && onlyPair ? { initial: onlyPair.pairId } : {}),
      },
      { type: "input", id: "date", label: t(lang, "log.form.date"), kind: "date", required: true, initial: today },
      {
        type: "input",
        id: "duration",
        label: t(lang, "log.form.duration"),
        kind: "text",
        required: true,
        placeholder: "45m",
        hint: t(lang, "log.form.durationHint"),
        maxLength: 10,
      },
      {
        type: "input",
        id: "topics",
        label: t(lang, "log.form.topics"),
        kind: "multiline",
        required: true,
        maxLength: 1500,
      },
      {
        type: "input",
        id: "next",
        label: t(lang, "log.form.next"),
        kind: "multiline",
        required: false,
        maxLength: 500,
      },
    ],
  };
}

/** Recent sessions, newest first, with a line for the older ones not shown. */
export function sessionsCard(lang: Language, rows: SessionRow[], total: number, programmeNames: string[]): Card {
  const title =
    programmeNames.length > 0
      ? t(lang, "sessions.titleCoordinator", { programme: programmeNames.join(", ") })
      : t(lang, "sessions.title");
  if (rows.length === 0) {
    const empty = t(lang, "sessions.empty");
    return {
      fallback: `${title}: ${empty}`,
      blocks: [
        { type: "header", text: title },
        { type: "text", text: empty },
      ],
    };
  }
  const blocks: Card["blocks"] = [{ type: "header", text: title }];
  const lines: string[] = [];
  for (const row of rows) {
    const line = t(lang, "sessions.line", {
      date: formatDate(lang, row.heldOn),
      mentor: row.mentorName,
      mentee: row.menteeName,
      duration: formatDuration(lang, row.durationMinutes),
    });
    lines.push(line);
    blocks.push({ type: "text", text: line, style: "bold" });
    const details = row.nextSteps ? `${row.topics} · ${t(lang, "log.savedNext", { next: row.nextSteps })}` : row.topics;
    blocks.push({ type: "text", text: details, style: "muted" });
  }
  if (total > rows.length)
    blocks.push({ type: "text", text: t(lang, "sessions.more", { count: total - rows.length }), style: "muted" });
  return { fallback: `${title}\n${lines.join("\n")}`, blocks };
}
