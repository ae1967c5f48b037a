import type { Language } from "../../core/i18n/index.js";
import { localMoment } from "../outbox/working-hours.js";
import type { SurveyDefinition, SurveyQuestion } from "../surveys/definition.js";
import { evidenceText, evidenceTextOr } from "./evidence.texts.js";

/** What the documents say about the programme itself: the attestation-style header. */
export interface EvidenceContext {
  lang: Language;
  timeZone: string;
  programme: { id: string; slug: string; name: string; startsOn: string | null; endsOn: string | null };
  organisation?: string | undefined;
  /** The day the documents were made, in the programme's time zone (YYYY-MM-DD). */
  generatedOn: string;
}

/** One learner's rows as the database holds them; private note text is never loaded (see the repository). */
export interface LearnerRecords {
  learner: { id: string; name: string; email: string };
  pairs: Array<{
    id: string;
    mentorName: string;
    mentorEmail: string;
    status: string;
    createdAt: Date;
    endedAt: Date | null;
  }>;
  sessions: Array<{
    pairId: string;
    heldOn: string;
    durationMinutes: number;
    topics: string;
    nextSteps: string | null;
  }>;
  checkins: Array<{
    round: number;
    createdAt: Date;
    sentAt: Date | null;
    answer: string | null;
    answeredAt: Date | null;
    usefulness: number | null;
    hasNote: boolean;
    /** The note's text only when its author shared it; null otherwise. */
    sharedNote: string | null;
    help: string | null;
  }>;
  messages: Array<{ kind: string; sentAt: Date; payload: unknown }>;
  surveys: Array<{
    moment: string;
    status: string;
    definition: unknown;
    answers: unknown;
    createdAt: Date;
    completedAt: Date | null;
  }>;
  difficulties: Array<{
    createdAt: Date;
    source: string;
    text: string;
    status: string;
    handledByName: string | null;
    handledAt: Date | null;
  }>;
}

/** One learner's follow-up, in words: what both the CSV files and the PDF sheet show. Dates are ISO. */
export interface LearnerSheet {
  learner: { id: string; name: string; email: string };
  pairs: Array<{ mentorName: string; mentorEmail: string; startedOn: string; endedOn: string; status: string }>;
  sessions: Array<{ heldOn: string; durationMinutes: number; mentorName: string; topics: string; nextSteps: string }>;
  checkins: Array<{
    round: number;
    sentOn: string;
    answer: string;
    answeredOn: string;
    usefulness: string;
    note: string;
    help: string;
  }>;
  messages: Array<{ sentOn: string; sentTime: string; kind: string; subject: string }>;
  surveys: Array<{
    title: string;
    moment: string;
    status: string;
    sentOn: string;
    completedOn: string;
    answers: Array<{ question: string; answer: string }>;
  }>;
  difficulties: Array<{
    raisedOn: string;
    source: string;
    text: string;
    status: string;
    handledBy: string;
    handledOn: string;
  }>;
  totals: { sessions: number; minutes: number; checkinsSent: number; checkinsAnswered: number };
}

const dateIn = (at: Date | null, timeZone: string): string => (at ? localMoment(at, timeZone).date : "");

function timeIn(at: Date, timeZone: string): string {
  const { minutes } = localMoment(at, timeZone);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The first line of a stored card's fallback text: what the message said, in short. */
export function messageSubject(payload: unknown, max = 160): string {
  const card = (payload as { card?: { fallback?: unknown } } | null)?.card;
  const text = typeof card?.fallback === "string" ? card.fallback : "";
  const line = (text.split("\n").find((l) => l.trim() !== "") ?? "").trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

const localized = (value: unknown, lang: Language): string => {
  const texts = (value ?? {}) as Partial<Record<Language, unknown>>;
  const text = texts[lang] ?? texts.fr ?? texts.en;
  return typeof text === "string" ? text : "";
};

/** An answer in words: the scale point with its label, the option's text, yes/no, or what was typed. */
export function answerLabel(question: SurveyQuestion, value: string, lang: Language): string {
  switch (question.kind) {
    case "scale": {
      const labels = question.labels[lang] ?? question.labels.fr;
      const points = question.max - question.min + 1;
      const n = Number(value);
      if (labels.length === points) {
        const label = labels[n - question.min];
        return label ? `${value} — ${label}` : value;
      }
      const end = n === question.min ? labels[0] : n === question.max ? labels.at(-1) : undefined;
      return end ? `${value}/${question.max} — ${end}` : `${value}/${question.max}`;
    }
    case "choice": {
      const option = question.options.find((o) => o.id === value);
      return option ? (option[lang] ?? option.fr) : value;
    }
    case "yesno":
      return value === "yes"
        ? evidenceText(lang, "survey.yes")
        : value === "no"
          ? evidenceText(lang, "survey.no")
          : value;
    case "text":
      return value;
  }
}

/** The questions a person answered or skipped, in the survey's order, with the answers in words. */
export function surveyAnswers(
  definition: unknown,
  answers: unknown,
  lang: Language,
): Array<{ question: string; answer: string }> {
  const questions = ((definition as Partial<SurveyDefinition> | null)?.questions ?? []) as SurveyQuestion[];
  const given = (answers ?? {}) as Record<string, { value?: unknown; skipped?: unknown }>;
  const lines: Array<{ question: string; answer: string }> = [];
  for (const question of questions) {
    if (!Object.hasOwn(given, question.id)) continue;
    const answer = given[question.id];
    const text = localized(question.text, lang);
    if (!answer || answer.skipped || typeof answer.value !== "string") {
      lines.push({ question: text, answer: evidenceText(lang, "survey.skipped") });
    } else {
      lines.push({ question: text, answer: answerLabel(question, answer.value, lang) });
    }
  }
  return lines;
}

/** Turns one learner's rows into their follow-up sheet. A private note shows as "note privée", never its text. */
export function buildLearnerSheet(records: LearnerRecords, context: EvidenceContext): LearnerSheet {
  const { lang, timeZone } = context;
  const mentorOf = new Map(records.pairs.map((p) => [p.id, p.mentorName]));
  const sessions = [...records.sessions]
    .sort((a, b) => a.heldOn.localeCompare(b.heldOn))
    .map((s) => ({
      heldOn: s.heldOn,
      durationMinutes: s.durationMinutes,
      mentorName: mentorOf.get(s.pairId) ?? "",
      topics: s.topics,
      nextSteps: s.nextSteps ?? "",
    }));
  const checkins = [...records.checkins]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.round - b.round)
    .map((c) => ({
      round: c.round,
      sentOn: dateIn(c.sentAt ?? c.createdAt, timeZone),
      answer: c.answer ? evidenceTextOr(lang, `answer.${c.answer}`, c.answer) : evidenceText(lang, "answer.none"),
      answeredOn: dateIn(c.answeredAt, timeZone),
      usefulness: c.usefulness === null ? "" : String(c.usefulness),
      note:
        c.sharedNote !== null && c.sharedNote.trim() !== ""
          ? c.sharedNote
          : c.hasNote
            ? evidenceText(lang, "note.private")
            : evidenceText(lang, "note.none"),
      help: c.help ? evidenceTextOr(lang, `help.${c.help}`, c.help) : "",
    }));
  return {
    learner: records.learner,
    pairs: [...records.pairs]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((p) => ({
        mentorName: p.mentorName,
        mentorEmail: p.mentorEmail,
        startedOn: dateIn(p.createdAt, timeZone),
        endedOn: dateIn(p.endedAt, timeZone),
        status: evidenceTextOr(lang, `pair.${p.status}`, p.status),
      })),
    sessions,
    checkins,
    messages: [...records.messages]
      .sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())
      .map((m) => ({
        sentOn: dateIn(m.sentAt, timeZone),
        sentTime: timeIn(m.sentAt, timeZone),
        kind: evidenceTextOr(lang, `kind.${m.kind}`, m.kind),
        subject: messageSubject(m.payload),
      })),
    surveys: [...records.surveys]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((s) => ({
        title: localized((s.definition as { title?: unknown } | null)?.title, lang),
        moment: evidenceTextOr(lang, `survey.${s.moment}`, s.moment),
        status: evidenceTextOr(lang, `survey.${s.status}`, s.status),
        sentOn: dateIn(s.createdAt, timeZone),
        completedOn: dateIn(s.completedAt, timeZone),
        answers: surveyAnswers(s.definition, s.answers, lang),
      })),
    difficulties: [...records.difficulties]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((d) => ({
        raisedOn: dateIn(d.createdAt, timeZone),
        source: evidenceTextOr(lang, `difficulty.source.${d.source}`, d.source),
        text: d.text.trim() === "" ? evidenceText(lang, "difficulty.noText") : d.text,
        status: evidenceTextOr(lang, `difficulty.${d.status}`, d.status),
        handledBy: d.handledByName ?? "",
        handledOn: dateIn(d.handledAt, timeZone),
      })),
    totals: {
      sessions: sessions.length,
      minutes: sessions.reduce((sum, s) => sum + s.durationMinutes, 0),
      checkinsSent: checkins.length,
      checkinsAnswered: records.checkins.filter((c) => c.answer !== null).length,
    },
  };
}
