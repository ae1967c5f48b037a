import { describe, expect, it } from "vitest";
import { parseSurveyDefinition } from "./definition.js";

const valid = `
id: pulse
title: { fr: Point d'étape, en: Pulse check }
audience: mentee
questions:
  - id: mood
    kind: scale
    text: { fr: Comment ça va ?, en: How is it going? }
    labels: { fr: [mal, très bien], en: [badly, very well] }
  - id: why
    kind: text
    text: { fr: Pourquoi ?, en: Why? }
    optional: true
    askIf: { question: mood, op: "<=", value: 2 }
  - id: met
    kind: yesno
    text: { fr: Vous êtes-vous vus ?, en: Have you met? }
  - id: how
    kind: choice
    text: { fr: Comment ?, en: How? }
    options:
      - { id: visio, fr: En visio, en: By video }
      - { id: in-person, fr: En personne, en: In person }
    askIf: { question: met, op: "=", value: yes }
`;

/** The valid survey with one question replaced, to test one problem at a time. */
function withQuestions(questions: string): string {
  return `id: pulse\ntitle: { fr: Point, en: Pulse }\naudience: mentor\nquestions:\n${questions}`;
}

function errorsOf(text: string): string[] {
  const result = parseSurveyDefinition(text);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe("survey definitions", () => {
  it("reads YAML and fills the defaults", () => {
    const result = parseSurveyDefinition(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [mood, why, , how] = result.survey.questions;
    expect(mood).toMatchObject({ kind: "scale", min: 1, max: 5, optional: false });
    expect(why).toMatchObject({ optional: true, askIf: { question: "mood", op: "<=", value: "2" } });
    expect(how?.askIf).toEqual({ question: "met", op: "=", value: "yes" });
  });

  it("reads JSON, where a yes/no condition may be written true", () => {
    const json = JSON.stringify({
      id: "pulse",
      title: { fr: "Point", en: "Pulse" },
      audience: "mentor",
      questions: [
        { id: "met", kind: "yesno", text: { fr: "Vus ?", en: "Met?" } },
        {
          id: "when",
          kind: "text",
          text: { fr: "Quand ?", en: "When?" },
          askIf: { question: "met", op: "=", value: true },
        },
      ],
    });
    const result = parseSurveyDefinition(json);
    expect(result.ok && result.survey.questions[1]?.askIf?.value).toBe("yes");
  });

  it("refuses a condition on a later question, naming both", () => {
    const errors = errorsOf(
      withQuestions(`  - { id: a, kind: text, text: { fr: A, en: A }, askIf: { question: b, op: "=", value: yes } }
  - { id: b, kind: yesno, text: { fr: B, en: B } }`),
    );
    expect(errors).toEqual([
      'questions.0.askIf.question: "b" is not an earlier question: a condition can only refer to a question asked before "a"',
    ]);
  });

  it("refuses a condition on itself or on an unknown question", () => {
    const errors = errorsOf(
      withQuestions(`  - { id: a, kind: yesno, text: { fr: A, en: A }, askIf: { question: a, op: "=", value: yes } }
  - { id: b, kind: yesno, text: { fr: B, en: B }, askIf: { question: nope, op: "=", value: yes } }`),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^questions\.0\.askIf\.question: "a" is not an earlier question/),
      'questions.1.askIf.question: unknown question "nope"',
    ]);
  });

  it("refuses duplicate question ids", () => {
    const errors = errorsOf(
      withQuestions(`  - { id: a, kind: yesno, text: { fr: A, en: A } }
  - { id: a, kind: text, text: { fr: B, en: B } }`),
    );
    expect(errors).toEqual(['questions.1.id: duplicate question id "a" (already used by question 1)']);
  });

  it("requires the English text of the title and of every question", () => {
    const errors = errorsOf(
      `id: pulse\ntitle: { fr: Point }\naudience: mentee\nquestions:\n  - { id: a, kind: yesno, text: { fr: A } }\n`,
    );
    expect(errors).toEqual(["title.en: English text is missing", "questions.0.text.en: English text is missing"]);
  });

  it("checks that a condition's value and operator fit the question it tests", () => {
    const errors = errorsOf(
      withQuestions(`  - { id: s, kind: scale, text: { fr: S, en: S }, labels: { fr: [bas, haut], en: [low, high] } }
  - { id: y, kind: yesno, text: { fr: Y, en: Y } }
  - { id: c, kind: choice, text: { fr: C, en: C }, options: [{ id: one, fr: Un, en: One }, { id: two, fr: Deux, en: Two }] }
  - { id: t, kind: text, text: { fr: T, en: T } }
  - { id: q1, kind: text, text: { fr: Q, en: Q }, askIf: { question: s, op: ">=", value: 6 } }
  - { id: q2, kind: text, text: { fr: Q, en: Q }, askIf: { question: y, op: "<=", value: yes } }
  - { id: q3, kind: text, text: { fr: Q, en: Q }, askIf: { question: c, op: "=", value: three } }
  - { id: q4, kind: text, text: { fr: Q, en: Q }, askIf: { question: t, op: "=", value: hello } }`),
    );
    expect(errors).toEqual([
      'questions.4.askIf: value must be a whole number from 1 to 5, the scale of "s"',
      'questions.5.askIf: "y" is a yes/no question: use = or !=',
      'questions.6.askIf: value must be one of the options of "c": one, two',
      'questions.7.askIf: "t" is a text question; a condition can only test a scale, choice or yes/no answer',
    ]);
  });

  it("wants two scale labels or one per point, in both languages alike", () => {
    const errors = errorsOf(
      withQuestions(`  - { id: s, kind: scale, text: { fr: S, en: S }, labels: { fr: [a, b, c], en: [a, b] } }`),
    );
    expect(errors).toEqual([
      "questions.0.labels.fr: two labels (the ends) or 5 (one per point), not 3",
      "questions.0.labels: as many English labels as French ones",
    ]);
  });

  it("names an unknown kind, an unknown field and a bad id", () => {
    const errors = errorsOf(
      withQuestions(`  - { id: a, kind: stars, text: { fr: A, en: A } }
  - { id: b, kind: yesno, text: { fr: B, en: B }, colour: blue }
  - { id: "c:d", kind: yesno, text: { fr: C, en: C } }`),
    );
    expect(errors).toEqual([
      "questions.0.kind: kind must be one of scale, choice, yesno, text",
      'questions.1: Unrecognized key: "colour"',
      "questions.2.id: lowercase letters, digits, `-` and `_`, at most 40 characters",
    ]);
  });

  it("reports a YAML syntax error with its line", () => {
    const errors = errorsOf("id: pulse\ntitle: { fr: Point\naudience: mentee\n");
    expect(errors[0]).toMatch(/^line \d+: /);
  });

  it("refuses a document that is not a survey at all", () => {
    expect(errorsOf("just a sentence")).toEqual([expect.stringMatching(/expected object/)]);
  });
});
