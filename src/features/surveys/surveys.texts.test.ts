import { describe, expect, it } from "vitest";
import { type SurveyTextKey, surveyText } from "./surveys.texts.js";

const KEYS: SurveyTextKey[] = [
  "hint.scale",
  "hint.choice",
  "hint.yesno",
  "hint.textEmpty",
  "hint.textTooLong",
  "hint.outdated",
  "hint.nothingToUndo",
  "progress",
  "optional",
  "yes",
  "no",
  "skip",
  "back",
  "typedReply",
  "scaleEnds",
  "done",
  "doneDifficulty",
  "alreadyDone",
  "closed",
  "closedOn",
  "reminder",
  "gone",
];

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("survey texts", () => {
  it("use the same placeholders in French and English", () => {
    for (const key of KEYS)
      expect(placeholders(surveyText("en", key)), key).toEqual(placeholders(surveyText("fr", key)));
  });

  it("fill their placeholders", () => {
    expect(surveyText("fr", "hint.scale", { min: 1, max: 5, minLabel: "décevants", maxLabel: "excellents" })).toBe(
      "Répondez par un nombre de 1 (décevants) à 5 (excellents), ou touchez un bouton.",
    );
    expect(surveyText("en", "hint.textTooLong", { length: 2301, max: 2000 })).toBe(
      "Your reply is 2301 characters long, and 2000 is the most. Could you shorten it?",
    );
  });
});
