import type { Block, Button, Card } from "../../core/card.js";
import { formatDate, type Language } from "../../core/i18n/index.js";
import type { SurveyDefinition, SurveyQuestion } from "./definition.js";
import { currentQuestion, progress, reportedDifficulties, type SurveyState } from "./engine.js";
import { surveyText } from "./surveys.texts.js";

export const SURVEY_ANSWER_ACTION = "survey.answer";
export const SURVEY_SKIP_ACTION = "survey.skip";
export const SURVEY_BACK_ACTION = "survey.back";

/** Slack cuts a button's text at 75 characters, and long buttons wrap badly in Teams: cut sooner, on a word. */
export const MAX_BUTTON_LABEL = 40;
/** Block Kit refuses an actions block of more than 25 elements. */
export const MAX_BUTTONS_PER_ROW = 25;

/** `<surveyResponseId>:<questionId>:<value>`; the value is empty for Skip and Back. */
export function surveyActionValue(surveyResponseId: string, questionId: string, value = ""): string {
  return `${surveyResponseId}:${questionId}:${value}`;
}

/**
 * Reads a button's value back. Question ids and answer values never hold a `:` (the schema's slugs,
 * numbers, yes/no), so the split is taken from the right and the response id may hold one.
 */
export function parseSurveyActionValue(
  value: string,
): { surveyResponseId: string; questionId: string; value: string } | undefined {
  const last = value.lastIndexOf(":");
  const middle = last > 0 ? value.lastIndexOf(":", last - 1) : -1;
  if (middle <= 0 || middle + 1 === last) return undefined;
  return {
    surveyResponseId: value.slice(0, middle),
    questionId: value.slice(middle + 1, last),
    value: value.slice(last + 1),
  };
}

/** A label short enough for a button, cut after a whole word where one ends near the limit. */
export function buttonLabel(text: string, max = MAX_BUTTON_LABEL): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(" ");
  return `${(space >= max / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/**
 * The answer buttons of a question, the lines a reader needs to understand them, and the lines
 * only the fallback needs (where no button shows).
 */
function choices(
  question: SurveyQuestion,
  lang: Language,
  actionValue: (answer: string) => string,
): { lines: string[]; fallbackLines: string[]; buttons: Button[] } {
  const button = (label: string, answer: string): Button => ({
    actionId: SURVEY_ANSWER_ACTION,
    label: buttonLabel(label),
    value: actionValue(answer),
  });
  switch (question.kind) {
    case "scale": {
      const points = Array.from({ length: question.max - question.min + 1 }, (_, i) => question.min + i);
      const labels = question.labels[lang];
      const line =
        labels.length === points.length
          ? points.map((n, i) => `${n} = ${labels[i]}`).join(" · ")
          : surveyText(lang, "scaleEnds", {
              min: question.min,
              max: question.max,
              minLabel: labels[0] ?? "",
              maxLabel: labels.at(-1) ?? "",
            });
      return { lines: [line], fallbackLines: [], buttons: points.map((n) => button(String(n), String(n))) };
    }
    case "choice": {
      const buttons = question.options.map((o) => button(o[lang], o.id));
      // Numbered, so that people can answer by typing; shown in the card too when a label was cut.
      const list = [question.options.map((o, i) => `${i + 1}. ${o[lang]}`).join("\n")];
      const cut = question.options.some((o) => buttonLabel(o[lang]) !== o[lang]);
      return cut ? { lines: list, fallbackLines: [], buttons } : { lines: [], fallbackLines: list, buttons };
    }
    case "yesno":
      return {
        lines: [],
        fallbackLines: [],
        buttons: [button(surveyText(lang, "yes"), "yes"), button(surveyText(lang, "no"), "no")],
      };
    case "text":
      return { lines: [surveyText(lang, "typedReply")], fallbackLines: [], buttons: [] };
  }
}

/** The card of the question to answer now; the thank-you card once there is none left. */
export function questionCard(
  survey: SurveyDefinition,
  state: SurveyState,
  lang: Language,
  surveyResponseId: string,
): Card {
  const question = currentQuestion(survey, state);
  if (!question) return doneCard(survey, lang, { difficultyReported: reportedDifficulties(survey, state).length > 0 });
  const { index, total } = progress(survey, state);
  const step = surveyText(lang, "progress", { index, total });
  const first = state.history.length === 0;
  const actionValue = (answer: string) => surveyActionValue(surveyResponseId, question.id, answer);

  const blocks: Block[] = [];
  if (first) {
    blocks.push({ type: "header", text: survey.title[lang] });
    if (survey.intro) blocks.push({ type: "text", text: survey.intro[lang] });
    blocks.push({ type: "text", text: step, style: "muted" });
  } else {
    blocks.push({ type: "text", text: `${survey.title[lang]} · ${step}`, style: "muted" });
  }
  const wording = question.optional ? `${question.text[lang]} ${surveyText(lang, "optional")}` : question.text[lang];
  blocks.push({ type: "text", text: wording, style: "bold" });

  const { lines, fallbackLines, buttons } = choices(question, lang, actionValue);
  for (const line of lines) blocks.push({ type: "text", text: line, style: "muted" });
  for (let i = 0; i < buttons.length; i += MAX_BUTTONS_PER_ROW)
    blocks.push({ type: "actions", buttons: buttons.slice(i, i + MAX_BUTTONS_PER_ROW) });

  const moves: Button[] = [{ actionId: SURVEY_SKIP_ACTION, label: surveyText(lang, "skip"), value: actionValue("") }];
  if (!first) moves.push({ actionId: SURVEY_BACK_ACTION, label: surveyText(lang, "back"), value: actionValue("") });
  blocks.push({ type: "actions", buttons: moves });

  return { fallback: [`${survey.title[lang]} · ${step}`, wording, ...lines, ...fallbackLines].join("\n"), blocks };
}

/** Thanks once the last question is answered; says that a reported difficulty will be followed up. */
export function doneCard(
  survey: SurveyDefinition,
  lang: Language,
  options: { difficultyReported?: boolean } = {},
): Card {
  const thanks = surveyText(lang, "done");
  const blocks: Block[] = [
    { type: "text", text: survey.title[lang], style: "muted" },
    { type: "text", text: thanks, style: "bold" },
  ];
  if (options.difficultyReported) blocks.push({ type: "text", text: surveyText(lang, "doneDifficulty") });
  return { fallback: thanks, blocks };
}

/** Shown to a reply that arrives after the survey's deadline; `closedOn` is an ISO date. */
export function closedCard(survey: SurveyDefinition, lang: Language, closedOn?: string): Card {
  const text = closedOn
    ? surveyText(lang, "closedOn", { date: formatDate(lang, closedOn) })
    : surveyText(lang, "closed");
  return {
    fallback: text,
    blocks: [
      { type: "text", text: survey.title[lang], style: "muted" },
      { type: "text", text },
    ],
  };
}
