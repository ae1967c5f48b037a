import type { Language } from "../../core/i18n/index.js";
import type { ChoiceQuestion, Condition, ScaleQuestion, SurveyDefinition, SurveyQuestion } from "./definition.js";
import type { SurveyHint } from "./surveys.texts.js";

/** One question's outcome: the normalised answer (`"4"`, `"yes"`, an option id, the text), or a skip. */
export type SurveyAnswer = { value: string } | { skipped: true };

/** Where one person is in one survey: plain data, stored as is between messages. */
export interface SurveyState {
  answers: Record<string, SurveyAnswer>;
  /** Question ids answered or skipped, in the order they were shown: what Back walks back through. */
  history: string[];
}

/** A refused step: the reply did not fit, the question moved on, or there is nothing to go back to. */
export type SurveyRefusal = { ok: false; reason: "invalid" | "outdated" | "start"; hint: SurveyHint };
export type SurveyStep = { ok: true; state: SurveyState } | SurveyRefusal;

export const MAX_TEXT_ANSWER = 2000;

export function emptySurveyState(): SurveyState {
  return { answers: {}, history: [] };
}

/** The answer to a question; own properties only, so that a question called `constructor` stays unanswered. */
function answerOf(answers: SurveyState["answers"], questionId: string): SurveyAnswer | undefined {
  return Object.hasOwn(answers, questionId) ? answers[questionId] : undefined;
}

/** Whether a question is asked: yes, no (its condition failed or tests a skip), or not known yet. */
type Applicability = "yes" | "no" | "unknown";

function test(condition: Condition, value: string): boolean {
  switch (condition.op) {
    case "<=":
      return Number(value) <= Number(condition.value);
    case ">=":
      return Number(value) >= Number(condition.value);
    case "=":
      return value === condition.value;
    case "!=":
      return value !== condition.value;
  }
}

/** Each question's applicability given the answers, decided in order since conditions look backwards only. */
function applicability(survey: SurveyDefinition, answers: SurveyState["answers"]): Map<string, Applicability> {
  const result = new Map<string, Applicability>();
  for (const question of survey.questions) {
    const condition = question.askIf;
    if (!condition) {
      result.set(question.id, "yes");
      continue;
    }
    const target = result.get(condition.question);
    const answer = answerOf(answers, condition.question);
    if (target === "no") result.set(question.id, "no");
    else if (!answer) result.set(question.id, "unknown");
    else if ("skipped" in answer) result.set(question.id, "no");
    else result.set(question.id, test(condition, answer.value) ? "yes" : "no");
  }
  return result;
}

/**
 * Keeps only the answers whose question is still asked given the earlier answers, and the history of
 * those. Run after every step, and worth running on a state read back after the survey changed.
 */
export function settle(survey: SurveyDefinition, state: SurveyState): SurveyState {
  const kept: SurveyState["answers"] = {};
  for (const question of survey.questions) {
    const answer = answerOf(state.answers, question.id);
    if (answer && applicability(survey, kept).get(question.id) === "yes") kept[question.id] = answer;
  }
  return {
    answers: kept,
    history: state.history.filter((id, i) => Object.hasOwn(kept, id) && state.history.indexOf(id) === i),
  };
}

/** The question to ask now: the first one neither answered nor skipped whose condition holds. */
export function currentQuestion(survey: SurveyDefinition, state: SurveyState): SurveyQuestion | undefined {
  const asked = applicability(survey, state.answers);
  return survey.questions.find((q) => !answerOf(state.answers, q.id) && asked.get(q.id) === "yes");
}

export function isComplete(survey: SurveyDefinition, state: SurveyState): boolean {
  return currentQuestion(survey, state) === undefined;
}

/**
 * "Question 2/6". Follow-ups whose condition is not decided yet count in the total, so that it only
 * ever shrinks as the person answers: a total that grows feels like a moving goalpost.
 */
export function progress(survey: SurveyDefinition, state: SurveyState): { index: number; total: number } {
  const asked = applicability(survey, state.answers);
  const counted = survey.questions.filter((q) => asked.get(q.id) !== "no");
  const current = currentQuestion(survey, state);
  const index = current ? counted.indexOf(current) + 1 : counted.length;
  return { index, total: counted.length };
}

/** Answers flagged `raisesDifficulty`: a "yes" to a yes/no question, or any text. */
export function reportedDifficulties(
  survey: SurveyDefinition,
  state: SurveyState,
): Array<{ questionId: string; value: string }> {
  const found: Array<{ questionId: string; value: string }> = [];
  for (const question of survey.questions) {
    const answer = answerOf(state.answers, question.id);
    if (!answer || "skipped" in answer) continue;
    if (question.kind === "yesno" && question.raisesDifficulty && answer.value === "yes")
      found.push({ questionId: question.id, value: answer.value });
    if (question.kind === "text" && question.raisesDifficulty)
      found.push({ questionId: question.id, value: answer.value });
  }
  return found;
}

/** Lowercase, without accents, surrounding quotes or punctuation, and with single spaces. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/^[\s"'«»“”‘’.,;:!?()]+|[\s"'«»“”‘’.,;:!?()]+$/g, "");
}

type Parsed = { ok: true; value: string } | { ok: false; hint: SurveyHint };

function parseScale(question: ScaleQuestion, raw: string, lang: Language): Parsed {
  const reply = fold(raw);
  const ends = question.labels[lang];
  const hint: SurveyHint = {
    key: "hint.scale",
    params: { min: question.min, max: question.max, minLabel: ends[0] ?? "", maxLabel: ends.at(-1) ?? "" },
  };
  const number = /^(\d+)(?:\s*(?:\/|sur|out of|of)\s*(\d+))?$/.exec(reply);
  if (number) {
    const n = Number(number[1]);
    const outOf = number[2] === undefined ? question.max : Number(number[2]);
    return n >= question.min && n <= question.max && outOf === question.max
      ? { ok: true, value: String(n) }
      : { ok: false, hint };
  }
  // The wording of a point is an answer too: one label per point, or the two ends.
  const { fr, en } = question.labels;
  const points = question.max - question.min + 1;
  for (const labels of [fr, en]) {
    const at = labels.findIndex((label) => fold(label) === reply);
    if (at < 0) continue;
    const n = labels.length === points ? question.min + at : at === 0 ? question.min : question.max;
    return { ok: true, value: String(n) };
  }
  return { ok: false, hint };
}

function parseChoice(question: ChoiceQuestion, raw: string, lang: Language): Parsed {
  const reply = fold(raw);
  const { options } = question;
  // The number people see in the list comes first: they never see the ids.
  const byNumber = /^\d+$/.test(reply) ? options[Number(reply) - 1] : undefined;
  const option =
    byNumber ??
    options.find((o) => fold(o.fr) === reply || fold(o.en) === reply) ??
    options.find((o) => fold(o.id) === reply);
  return option
    ? { ok: true, value: option.id }
    : {
        ok: false,
        hint: { key: "hint.choice", params: { options: options.map((o, i) => `${i + 1}. ${o[lang]}`).join(" · ") } },
      };
}

const YES_NO: Record<string, "yes" | "no"> = {
  oui: "yes",
  o: "yes",
  yes: "yes",
  y: "yes",
  non: "no",
  n: "no",
  no: "no",
};

function parseYesNo(raw: string): Parsed {
  const value = YES_NO[fold(raw)];
  return value ? { ok: true, value } : { ok: false, hint: { key: "hint.yesno" } };
}

function parseText(raw: string): Parsed {
  const value = raw.trim();
  if (value === "") return { ok: false, hint: { key: "hint.textEmpty" } };
  const length = [...value].length;
  if (length > MAX_TEXT_ANSWER)
    return { ok: false, hint: { key: "hint.textTooLong", params: { length, max: MAX_TEXT_ANSWER } } };
  return { ok: true, value };
}

/** Reads a reply (a button's value or typed text) as an answer to `question`; a hint's labels are in `lang`. */
export function parseReply(question: SurveyQuestion, raw: string, lang: Language): Parsed {
  switch (question.kind) {
    case "scale":
      return parseScale(question, raw, lang);
    case "choice":
      return parseChoice(question, raw, lang);
    case "yesno":
      return parseYesNo(raw);
    case "text":
      return parseText(raw);
  }
}

const outdated: SurveyRefusal = { ok: false, reason: "outdated", hint: { key: "hint.outdated" } };

/** The current question when it is `questionId`; a click on an older card gets undefined. */
function currentIf(survey: SurveyDefinition, state: SurveyState, questionId: string): SurveyQuestion | undefined {
  const current = currentQuestion(survey, state);
  return current?.id === questionId ? current : undefined;
}

function record(survey: SurveyDefinition, state: SurveyState, questionId: string, answer: SurveyAnswer): SurveyState {
  return settle(survey, {
    answers: { ...state.answers, [questionId]: answer },
    history: [...state.history.filter((id) => id !== questionId), questionId],
  });
}

/** Answers the current question. Replies are read in both languages; a hint's labels are in `lang`. */
export function answer(
  survey: SurveyDefinition,
  state: SurveyState,
  questionId: string,
  raw: string,
  lang: Language,
): SurveyStep {
  const question = currentIf(survey, state, questionId);
  if (!question) return outdated;
  const parsed = parseReply(question, raw, lang);
  if (!parsed.ok) return { ok: false, reason: "invalid", hint: parsed.hint };
  return { ok: true, state: record(survey, state, questionId, { value: parsed.value }) };
}

/**
 * Skips the current question. Any question may be skipped, not only those marked optional: the survey
 * is voluntary, and a person forced to answer invents an answer, which is worse than none. A skipped
 * question makes the conditions that test it false.
 */
export function skip(survey: SurveyDefinition, state: SurveyState, questionId: string): SurveyStep {
  if (!currentIf(survey, state, questionId)) return outdated;
  return { ok: true, state: record(survey, state, questionId, { skipped: true }) };
}

/**
 * Goes back to the question shown before `fromQuestionId` (the one on screen), forgetting its answer
 * and every answer that only stood because of it.
 */
export function back(survey: SurveyDefinition, state: SurveyState, fromQuestionId: string): SurveyStep {
  if (!currentIf(survey, state, fromQuestionId)) return outdated;
  const previous = state.history.at(-1);
  if (previous === undefined) return { ok: false, reason: "start", hint: { key: "hint.nothingToUndo" } };
  const { [previous]: _forgotten, ...answers } = state.answers;
  return { ok: true, state: settle(survey, { answers, history: state.history.slice(0, -1) }) };
}
