import { describe, expect, it } from "vitest";
import type { Button, Card } from "../../core/card.js";
import type { Language } from "../../core/i18n/index.js";
import { DEFAULT_SURVEYS, defaultSurvey } from "./defaults.js";
import { parseSurveyDefinition, type SurveyDefinition } from "./definition.js";
import { answer, currentQuestion, emptySurveyState, type SurveyState, skip } from "./engine.js";
import {
  buttonLabel,
  closedCard,
  doneCard,
  parseSurveyActionValue,
  questionCard,
  SURVEY_ANSWER_ACTION,
  SURVEY_BACK_ACTION,
  SURVEY_SKIP_ACTION,
  surveyActionValue,
} from "./survey.cards.js";

const buttonsOf = (card: Card, actionId?: string): Button[] =>
  card.blocks
    .flatMap((b) => (b.type === "actions" ? b.buttons : []))
    .filter((b) => actionId === undefined || b.actionId === actionId);

const textsOf = (card: Card): string[] => card.blocks.flatMap((b) => (b.type === "text" ? [b.text] : []));

function play(survey: SurveyDefinition, replies: string[]): SurveyState {
  let state = emptySurveyState();
  for (const reply of replies) {
    const question = currentQuestion(survey, state);
    const step = question ? answer(survey, state, question.id, reply, "fr") : undefined;
    if (!step?.ok) throw new Error(`cannot answer ${reply}`);
    state = step.state;
  }
  return state;
}

/** Slack's limits, which its renderer enforces by cutting labels or refusing values. */
function expectWithinSlackLimits(card: Card): void {
  expect(card.blocks.length).toBeLessThanOrEqual(50);
  for (const block of card.blocks) {
    if (block.type !== "actions") continue;
    expect(block.buttons.length).toBeGreaterThan(0);
    expect(block.buttons.length).toBeLessThanOrEqual(25);
    for (const button of block.buttons) {
      expect(button.label.length).toBeLessThanOrEqual(75);
      expect(button.value.length).toBeLessThanOrEqual(2000);
    }
  }
}

describe("survey question cards", () => {
  const survey = defaultSurvey("midterm", "mentee");

  it("opens with the title, the introduction, the progress and yes/no buttons, without Back", () => {
    const card = questionCard(survey, emptySurveyState(), "fr", "resp-7");
    expect(card.blocks.slice(0, 4)).toEqual([
      { type: "header", text: "Bilan de mi-parcours" },
      { type: "text", text: survey.intro?.fr },
      { type: "text", text: "Question 1/5", style: "muted" },
      {
        type: "text",
        text: "Votre relation de mentorat est-elle bien lancée (premiers échanges faits, rythme trouvé) ?",
        style: "bold",
      },
    ]);
    expect(buttonsOf(card).map((b) => [b.actionId, b.label, b.value])).toEqual([
      [SURVEY_ANSWER_ACTION, "Oui", "resp-7:relationship:yes"],
      [SURVEY_ANSWER_ACTION, "Non", "resp-7:relationship:no"],
      [SURVEY_SKIP_ACTION, "Passer", "resp-7:relationship:"],
    ]);
  });

  it("shows a scale as one button per point with its ends spelt out, and offers Back", () => {
    const card = questionCard(survey, play(survey, ["oui"]), "en", "resp-7");
    expect(textsOf(card)).toContain("Mid-programme check-in · Question 2/5");
    expect(textsOf(card)).toContain("1 = disappointing · 5 = excellent");
    expect(buttonsOf(card, SURVEY_ANSWER_ACTION).map((b) => b.label)).toEqual(["1", "2", "3", "4", "5"]);
    expect(buttonsOf(card, SURVEY_ANSWER_ACTION)[3]?.value).toBe("resp-7:satisfaction:4");
    expect(buttonsOf(card, SURVEY_BACK_ACTION)).toEqual([
      { actionId: SURVEY_BACK_ACTION, label: "Back", value: "resp-7:satisfaction:" },
    ]);
  });

  it("asks for a typed reply to a text question, marked optional, with Skip and Back only", () => {
    const card = questionCard(survey, play(survey, ["oui", "2"]), "fr", "resp-7");
    expect(textsOf(card)).toContain("Qu'est-ce qui rendrait ces échanges plus utiles pour vous ? (facultatif)");
    expect(textsOf(card)).toContain("Répondez par un message dans cette conversation.");
    expect(buttonsOf(card).map((b) => b.label)).toEqual(["Passer", "Retour"]);
  });

  it("shows a choice's options as buttons, and numbers them in the fallback for typed replies", () => {
    const end = defaultSurvey("end", "mentee");
    const card = questionCard(end, play(end, ["4", "4", "5"]), "fr", "r1");
    expect(buttonsOf(card, SURVEY_ANSWER_ACTION).map((b) => [b.label, b.value])).toEqual([
      ["Un nouvel emploi ou poste", "r1:impact:new-job"],
      ["Une certification obtenue", "r1:impact:certification"],
      ["De meilleurs résultats au travail", "r1:impact:performance"],
      ["Pas encore", "r1:impact:none-yet"],
      ["Autre", "r1:impact:other"],
    ]);
    expect(card.fallback).toContain("2. Une certification obtenue");
  });

  it("cuts long option labels on a word and lists the full wording in the card", () => {
    const long = "Une promotion interne obtenue grâce au travail préparé avec mon mentor pendant le programme";
    const parsed = parseSurveyDefinition(
      JSON.stringify({
        id: "long",
        title: { fr: "Long", en: "Long" },
        audience: "mentee",
        questions: [
          {
            id: "q",
            kind: "choice",
            text: { fr: "Q ?", en: "Q?" },
            options: Array.from({ length: 10 }, (_, i) => ({ id: `o${i}`, fr: `${i} ${long}`, en: `${i} ${long}` })),
          },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    const card = questionCard(parsed.survey, emptySurveyState(), "fr", "r1");
    const labels = buttonsOf(card, SURVEY_ANSWER_ACTION).map((b) => b.label);
    expect(labels[0]).toBe("0 Une promotion interne obtenue grâce…");
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(40);
    expect(textsOf(card).some((t) => t.includes(`10. 9 ${long}`))).toBe(true);
    expectWithinSlackLimits(card);
  });

  it("keeps an eleven-point scale in one row of buttons", () => {
    const parsed = parseSurveyDefinition(`
id: nps
title: { fr: Recommandation, en: Recommendation }
audience: mentee
questions:
  - id: nps
    kind: scale
    min: 0
    max: 10
    text: { fr: Recommanderiez-vous le programme ?, en: Would you recommend the programme? }
    labels: { fr: [jamais, certainement], en: [never, certainly] }
`);
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    const card = questionCard(parsed.survey, emptySurveyState(), "en", "r1");
    const rows = card.blocks.filter((b) => b.type === "actions");
    expect(rows.map((r) => r.buttons.length)).toEqual([11, 1]);
    expect(textsOf(card)).toContain("0 = never · 10 = certainly");
  });

  it("keeps every card of every default survey within Slack's limits, in both languages", () => {
    for (const survey of Object.values(DEFAULT_SURVEYS).flatMap((s) => Object.values(s))) {
      const seen = new Set<string>();
      for (const lang of ["fr", "en"] as Language[]) {
        // Taking the first button, then the last, walks both sides of every condition of the defaults.
        for (const pick of ["first", "last"] as const) {
          let state = emptySurveyState();
          let shown = 0;
          for (let question = currentQuestion(survey, state); question; question = currentQuestion(survey, state)) {
            const card = questionCard(survey, state, lang, "01J9Z8Q4X2ZK5V7M3N6P8R0T2W");
            expectWithinSlackLimits(card);
            seen.add(question.id);
            shown += 1;
            const choices = buttonsOf(card, SURVEY_ANSWER_ACTION);
            const button = pick === "first" ? choices[0] : choices.at(-1);
            const step = button
              ? answer(survey, state, question.id, parseSurveyActionValue(button.value)?.value ?? "", lang)
              : answer(survey, state, question.id, "Un texte libre", lang);
            if (!step.ok) throw new Error(`${survey.id}/${question.id}: ${step.hint.key}`);
            state = step.state;
          }
          expect(shown).toBeGreaterThan(0);
        }
      }
      expect([...seen].sort(), survey.id).toEqual(survey.questions.map((q) => q.id).sort());
    }
  });

  it("turns into the thank-you card once the survey is complete, mentioning a reported difficulty", () => {
    const state = play(survey, ["oui", "4", "oui", "Des rendez-vous annulés"]);
    const card = questionCard(survey, state, "fr", "r1");
    expect(textsOf(card)).toEqual([
      "Bilan de mi-parcours",
      "Merci ! Vos réponses sont enregistrées.",
      "Vous avez signalé une difficulté : votre coordinateur ou coordinatrice va revenir vers vous.",
    ]);
    expect(buttonsOf(card)).toEqual([]);

    const quiet = questionCard(survey, play(survey, ["oui", "4", "non"]), "en", "r1");
    expect(textsOf(quiet)).toEqual(["Mid-programme check-in", "Thank you! Your answers have been saved."]);
  });

  it("says when a survey closed, with the date in the person's language", () => {
    expect(closedCard(survey, "fr", "2027-01-29").fallback).toBe(
      "Ce questionnaire est clos depuis le 29 janv. 2027 : il n'accepte plus de réponses.",
    );
    expect(closedCard(survey, "en").fallback).toBe("This survey is closed: it no longer accepts answers.");
    expect(doneCard(survey, "en").fallback).toBe("Thank you! Your answers have been saved.");
  });

  it("skips from a card's Skip value back to the next question", () => {
    const card = questionCard(survey, emptySurveyState(), "fr", "r1");
    const value = parseSurveyActionValue(buttonsOf(card, SURVEY_SKIP_ACTION)[0]?.value ?? "");
    expect(value).toEqual({ surveyResponseId: "r1", questionId: "relationship", value: "" });
    const step = skip(survey, emptySurveyState(), value?.questionId ?? "");
    expect(step.ok && currentQuestion(survey, step.state)?.id).toBe("satisfaction");
  });
});

describe("survey button values", () => {
  it("round-trip, even when the response id holds a colon", () => {
    expect(parseSurveyActionValue(surveyActionValue("prog:42", "satisfaction", "4"))).toEqual({
      surveyResponseId: "prog:42",
      questionId: "satisfaction",
      value: "4",
    });
  });

  it("refuse a value that is not one of ours", () => {
    for (const value of ["", "abc", "r1:q", ":q:v", "r1::v"]) expect(parseSurveyActionValue(value)).toBeUndefined();
  });
});

describe("button labels", () => {
  it("stay whole when short and are cut on a word when long", () => {
    expect(buttonLabel("Pas encore")).toBe("Pas encore");
    expect(buttonLabel("De meilleurs résultats au travail et une meilleure visibilité", 30)).toBe(
      "De meilleurs résultats au…",
    );
    expect(buttonLabel("Anticonstitutionnellement-parlant-toujours", 20)).toBe("Anticonstitutionnel…");
  });
});
