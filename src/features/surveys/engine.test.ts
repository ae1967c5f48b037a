import { describe, expect, it } from "vitest";
import { defaultSurvey } from "./defaults.js";
import { parseSurveyDefinition, type SurveyDefinition } from "./definition.js";
import {
  answer,
  back,
  currentQuestion,
  emptySurveyState,
  isComplete,
  MAX_TEXT_ANSWER,
  progress,
  reportedDifficulties,
  type SurveyState,
  type SurveyStep,
  settle,
  skip,
} from "./engine.js";

/** a (scale); b only if a ≤ 2; c (yes/no); d only if c is yes; e (choice). */
function demo(): SurveyDefinition {
  const result = parseSurveyDefinition(`
id: demo
title: { fr: Démo, en: Demo }
audience: mentee
questions:
  - { id: a, kind: scale, text: { fr: Note ?, en: Rating? }, labels: { fr: [mauvais, excellent], en: [poor, excellent] } }
  - { id: b, kind: text, text: { fr: Pourquoi ?, en: Why? }, optional: true, askIf: { question: a, op: "<=", value: 2 } }
  - { id: c, kind: yesno, text: { fr: Souci ?, en: Trouble? } }
  - { id: d, kind: text, text: { fr: Lequel ?, en: Which? }, askIf: { question: c, op: "=", value: yes } }
  - id: e
    kind: choice
    text: { fr: Format ?, en: Format? }
    options:
      - { id: video, fr: Visioconférence, en: Video call }
      - { id: in-person, fr: En présentiel, en: In person }
`);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.survey;
}

function stateOf(step: SurveyStep): SurveyState {
  if (!step.ok) throw new Error(`refused: ${step.reason} ${step.hint.key}`);
  return step.state;
}

/** Answers the current questions in turn with the given replies. */
function play(survey: SurveyDefinition, replies: string[], start = emptySurveyState()): SurveyState {
  let state = start;
  for (const reply of replies) {
    const question = currentQuestion(survey, state);
    if (!question) throw new Error("survey already complete");
    state = stateOf(answer(survey, state, question.id, reply, "fr"));
  }
  return state;
}

const current = (survey: SurveyDefinition, state: SurveyState) => currentQuestion(survey, state)?.id;

describe("the survey flow", () => {
  const survey = demo();

  it("asks the follow-up only when its condition holds", () => {
    expect(current(survey, play(survey, ["2"]))).toBe("b");
    expect(current(survey, play(survey, ["3"]))).toBe("c");
    expect(current(survey, play(survey, ["4", "oui"]))).toBe("d");
    expect(current(survey, play(survey, ["4", "non"]))).toBe("e");
  });

  it("counts in the total only the questions still possible, so that it never grows", () => {
    let state = emptySurveyState();
    expect(progress(survey, state)).toEqual({ index: 1, total: 5 });
    state = play(survey, ["1"]);
    expect(progress(survey, state)).toEqual({ index: 2, total: 5 });
    state = play(survey, ["trop peu de temps"], state);
    expect(progress(survey, state)).toEqual({ index: 3, total: 5 });
    state = play(survey, ["non"], state);
    expect(progress(survey, state)).toEqual({ index: 4, total: 4 });

    const happy = play(survey, ["5"]);
    expect(progress(survey, happy)).toEqual({ index: 2, total: 4 });
  });

  it("completes after the last applicable question, and the progress then reads total/total", () => {
    const state = play(survey, ["5", "non", "1"]);
    expect(isComplete(survey, state)).toBe(true);
    expect(progress(survey, state)).toEqual({ index: 3, total: 3 });
    expect(state.history).toEqual(["a", "c", "e"]);
    expect(state.answers).toEqual({ a: { value: "5" }, c: { value: "no" }, e: { value: "video" } });
  });

  it("lets any question be skipped, and a condition on a skipped question is false", () => {
    const state = stateOf(skip(survey, emptySurveyState(), "a"));
    expect(state.answers.a).toEqual({ skipped: true });
    expect(current(survey, state)).toBe("c");
    expect(progress(survey, state)).toEqual({ index: 2, total: 4 });
  });

  it("goes back to the previous question and forgets its answer", () => {
    const state = play(survey, ["1", "pas assez de temps"]);
    const backOnce = stateOf(back(survey, state, "c"));
    expect(current(survey, backOnce)).toBe("b");
    expect(backOnce.answers).toEqual({ a: { value: "1" } });
    expect(backOnce.history).toEqual(["a"]);
  });

  it("drops the follow-up answers that depended on a changed answer", () => {
    let state = play(survey, ["1", "pas assez de temps"]);
    state = stateOf(back(survey, state, "c"));
    state = stateOf(back(survey, state, "b"));
    expect(state).toEqual({ answers: {}, history: [] });
    state = play(survey, ["5"], state);
    expect(current(survey, state)).toBe("c");
    expect(state.answers.b).toBeUndefined();
    expect(progress(survey, state)).toEqual({ index: 2, total: 4 });
  });

  it("settles a restored state whose follow-up no longer fits the answer it depends on", () => {
    const restored: SurveyState = {
      answers: { a: { value: "4" }, b: { value: "ancien texte" }, c: { value: "yes" }, d: { value: "retards" } },
      history: ["a", "b", "c", "d"],
    };
    expect(settle(survey, restored)).toEqual({
      answers: { a: { value: "4" }, c: { value: "yes" }, d: { value: "retards" } },
      history: ["a", "c", "d"],
    });
  });

  it("has nothing to go back to on the first question", () => {
    const step = back(survey, emptySurveyState(), "a");
    expect(step).toEqual({ ok: false, reason: "start", hint: { key: "hint.nothingToUndo" } });
  });

  it("refuses a click on a card that is no longer the current question, without changing anything", () => {
    const state = play(survey, ["4"]);
    const snapshot = structuredClone(state);
    expect(answer(survey, state, "a", "1", "fr")).toMatchObject({ ok: false, reason: "outdated" });
    expect(answer(survey, state, "e", "1", "fr")).toMatchObject({ ok: false, reason: "outdated" });
    expect(answer(survey, state, "zzz", "1", "fr")).toMatchObject({ ok: false, reason: "outdated" });
    expect(skip(survey, state, "a")).toMatchObject({ ok: false, reason: "outdated" });
    expect(back(survey, state, "a")).toMatchObject({ ok: false, reason: "outdated" });
    expect(state).toEqual(snapshot);

    const done = play(survey, ["5", "non", "1"]);
    expect(answer(survey, done, "e", "2", "fr")).toEqual({
      ok: false,
      reason: "outdated",
      hint: { key: "hint.outdated" },
    });
  });
});

describe("question ids", () => {
  it("may be any slug, even the name of an object's built-in property", () => {
    const parsed = parseSurveyDefinition(
      "id: s\ntitle: { fr: S, en: S }\naudience: mentor\nquestions:\n  - { id: constructor, kind: yesno, text: { fr: Q, en: Q } }\n",
    );
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    expect(currentQuestion(parsed.survey, emptySurveyState())?.id).toBe("constructor");
    expect(progress(parsed.survey, emptySurveyState())).toEqual({ index: 1, total: 1 });
  });
});

describe("typed replies", () => {
  const survey = demo();
  const at = (questionId: string): SurveyState => {
    const replies: Record<string, string[]> = { a: [], b: ["1"], c: ["4"], d: ["4", "oui"], e: ["4", "non"] };
    return play(survey, replies[questionId] ?? []);
  };
  const reply = (questionId: string, raw: string, lang: "fr" | "en" = "fr") =>
    answer(survey, at(questionId), questionId, raw, lang);
  const outcome = (step: SurveyStep, questionId: string) => (step.ok ? step.state.answers[questionId] : step.hint);

  it("reads a scale as a number, a fraction or the wording of an end", () => {
    for (const raw of ["4", " 4 ", "4/5", "4 / 5", "4 sur 5", "4 out of 5", "4."])
      expect(outcome(reply("a", raw), "a")).toEqual({ value: "4" });
    expect(outcome(reply("a", "Excellent !"), "a")).toEqual({ value: "5" });
    expect(outcome(reply("a", "POOR", "en"), "a")).toEqual({ value: "1" });
  });

  it("answers an unreadable scale with a hint in the person's language", () => {
    for (const raw of ["6", "0", "4/10", "3.5", "plutôt bien", ""]) {
      expect(reply("a", raw)).toEqual({
        ok: false,
        reason: "invalid",
        hint: { key: "hint.scale", params: { min: 1, max: 5, minLabel: "mauvais", maxLabel: "excellent" } },
      });
    }
    expect(reply("a", "seven", "en")).toMatchObject({ hint: { params: { minLabel: "poor" } } });
  });

  it("reads yes and no in French and English, whatever the case, accents or punctuation", () => {
    for (const raw of ["oui", "Oui !", "OUI", "o", "yes", "Y"])
      expect(outcome(reply("c", raw), "c")).toEqual({ value: "yes" });
    for (const raw of ["non", "Non.", "N", "no", "NO"]) expect(outcome(reply("c", raw), "c")).toEqual({ value: "no" });
    expect(reply("c", "peut-être")).toEqual({ ok: false, reason: "invalid", hint: { key: "hint.yesno" } });
  });

  it("reads a choice by number, by its wording in either language, or by its id", () => {
    expect(outcome(reply("e", "2"), "e")).toEqual({ value: "in-person" });
    expect(outcome(reply("e", "en presentiel"), "e")).toEqual({ value: "in-person" });
    expect(outcome(reply("e", "VISIOCONFÉRENCE"), "e")).toEqual({ value: "video" });
    expect(outcome(reply("e", "video call", "en"), "e")).toEqual({ value: "video" });
    expect(outcome(reply("e", "in-person"), "e")).toEqual({ value: "in-person" });
  });

  it("lists the options, numbered and in the person's language, when a choice is not understood", () => {
    expect(reply("e", "3")).toEqual({
      ok: false,
      reason: "invalid",
      hint: { key: "hint.choice", params: { options: "1. Visioconférence · 2. En présentiel" } },
    });
    expect(reply("e", "téléphone", "en")).toMatchObject({
      hint: { params: { options: "1. Video call · 2. In person" } },
    });
  });

  it("keeps a text trimmed, and refuses an empty or overlong one", () => {
    expect(outcome(reply("d", "  des retards répétés \n"), "d")).toEqual({ value: "des retards répétés" });
    expect(reply("d", "   ")).toEqual({ ok: false, reason: "invalid", hint: { key: "hint.textEmpty" } });
    expect(reply("d", "x".repeat(MAX_TEXT_ANSWER + 1))).toEqual({
      ok: false,
      reason: "invalid",
      hint: { key: "hint.textTooLong", params: { length: MAX_TEXT_ANSWER + 1, max: MAX_TEXT_ANSWER } },
    });
    expect(reply("d", "é".repeat(MAX_TEXT_ANSWER)).ok).toBe(true);
  });
});

describe("difficulties", () => {
  const survey = defaultSurvey("midterm", "mentee");

  it("reports the yes and its description from the mid-term mentee survey", () => {
    const state = play(survey, ["oui", "4", "oui", "Mon mentor annule souvent."]);
    expect(isComplete(survey, state)).toBe(true);
    expect(reportedDifficulties(survey, state)).toEqual([
      { questionId: "difficulty", value: "yes" },
      { questionId: "difficulty-details", value: "Mon mentor annule souvent." },
    ]);
  });

  it("reports nothing when the answer is no", () => {
    const state = play(survey, ["oui", "2", "Plus de régularité", "non"]);
    expect(isComplete(survey, state)).toBe(true);
    expect(state.answers["what-would-help"]).toEqual({ value: "Plus de régularité" });
    expect(reportedDifficulties(survey, state)).toEqual([]);
  });
});
