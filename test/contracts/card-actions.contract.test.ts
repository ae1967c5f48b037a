import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Card } from "../../src/core/card.js";
import { contractPeople, drivers, neutral, type RunningAdapter } from "./drivers.js";

/** A value with accents, quotes and the characters each renderer escapes (mrkdwn, HTML, JSON). */
const ACCENTED = 'Préparer l\'entretien « stage » — café & CV <3 "vite"';
/** A value at Slack's limit for a button value: 2,000 characters. */
const AT_SLACK_LIMIT = `note:${"é".repeat(1995)}`;
/** An option value at Slack's limit for a select option: 150 characters. */
const OPTION_AT_SLACK_LIMIT = `mood:${"è".repeat(145)}`;

const card: Card = {
  fallback: "Votre séance avec Léa Petit",
  blocks: [
    { type: "header", text: "Séance du 27 novembre" },
    { type: "text", text: "La séance a-t-elle eu lieu ?" },
    {
      type: "actions",
      buttons: [
        { actionId: "session.confirm", label: "Confirmer", value: "pair-7f3a9c", style: "primary" },
        { actionId: "session.note", label: "Ajouter une note", value: ACCENTED },
        { actionId: "survey.answer", label: "Réponse longue", value: AT_SLACK_LIMIT },
        { actionId: "session.cancel", label: "Annuler", value: "pair-7f3a9c", style: "danger" },
      ],
    },
    {
      type: "choice",
      actionId: "survey.mood",
      label: "Comment s'est passée la séance ?",
      options: [
        { label: "Très bien", value: "mood:très-bien" },
        { label: "Moyen", value: OPTION_AT_SLACK_LIMIT },
        { label: "Pas eu lieu", value: "mood:annulée" },
      ],
    },
  ],
};

const clicks: Array<[label: string, actionId: string, value: string]> = [
  ["Confirmer", "session.confirm", "pair-7f3a9c"],
  ["Ajouter une note", "session.note", ACCENTED],
  ["Réponse longue", "survey.answer", AT_SLACK_LIMIT],
  ["Annuler", "session.cancel", "pair-7f3a9c"],
  ["Très bien", "survey.mood", "mood:très-bien"],
  ["Moyen", "survey.mood", OPTION_AT_SLACK_LIMIT],
];

const OVER_SLACK_LIMIT = `note:${"é".repeat(1996)}`;

describe.each(drivers)("$platform: a click on a rendered card reaches the core as the same action", (driver) => {
  let adapter: RunningAdapter;
  beforeAll(async () => {
    adapter = await driver.start();
  });
  afterAll(() => adapter?.close());

  it.each(clicks)("clicking “%s” gives action %s with its value", async (label, actionId, value) => {
    const event = await adapter.click(card, label, contractPeople.lea);
    expect(neutral(event)).toEqual({ type: "action", actionId, value, actor: driver.userOf(contractPeople.lea) });
  });

  it("tells who clicked: the same card clicked by two people gives two actors", async () => {
    const byMarc = await adapter.click(card, "Confirmer", contractPeople.marc);
    const byLea = await adapter.click(card, "Confirmer", contractPeople.lea);
    expect(neutral(byMarc).actor).toEqual(driver.userOf(contractPeople.marc));
    expect(neutral(byLea).actor).toEqual(driver.userOf(contractPeople.lea));
  });

  it("a value over Slack's 2,000 characters never comes back altered", async () => {
    const long: Card = {
      fallback: "long",
      blocks: [
        { type: "actions", buttons: [{ actionId: "survey.answer", label: "Envoyer", value: OVER_SLACK_LIMIT }] },
      ],
    };
    // Either the adapter refuses to render it, or the click gives the value back whole.
    const event = await adapter.click(long, "Envoyer", contractPeople.lea).catch(() => undefined);
    if (event) expect(neutral(event)).toMatchObject({ actionId: "survey.answer", value: OVER_SLACK_LIMIT });
  });
});
