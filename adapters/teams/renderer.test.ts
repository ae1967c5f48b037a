import { describe, expect, it } from "vitest";
import type { Card, Form } from "../../src/core/card.js";
import { renderAdaptiveCard, renderFormCard, renderMessage } from "./renderer.js";

const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";

describe("the Adaptive Card renderer", () => {
  it("renders every block of a card", () => {
    const card: Card = {
      fallback: "Check-in: did you meet?",
      blocks: [
        { type: "header", text: "Check-in" },
        { type: "text", text: "Did you meet this week?" },
        { type: "text", text: "Léa Petit", style: "bold" },
        { type: "divider" },
        { type: "fields", fields: [{ label: "Pair", value: "Marc → Léa" }] },
        { type: "text", text: "Week 48", style: "muted" },
        {
          type: "actions",
          buttons: [
            { actionId: "checkin.yes", label: "Yes", value: "pair-1", style: "primary" },
            { actionId: "checkin.no", label: "No", value: "pair-1", style: "danger" },
            { actionId: "checkin.later", label: "Later", value: "pair-1" },
          ],
        },
        {
          type: "choice",
          actionId: "survey.q1",
          label: "How useful?",
          options: [
            { label: "Very", value: "3" },
            { label: "Not", value: "1" },
          ],
        },
      ],
    };
    expect(renderAdaptiveCard(card)).toEqual({
      type: "AdaptiveCard",
      $schema: SCHEMA,
      version: "1.5",
      fallbackText: "Check-in: did you meet?",
      body: [
        { type: "TextBlock", text: "Check-in", style: "heading", weight: "Bolder", size: "Medium", wrap: true },
        { type: "TextBlock", text: "Did you meet this week?", wrap: true },
        { type: "TextBlock", text: "Léa Petit", wrap: true, weight: "Bolder" },
        { type: "FactSet", facts: [{ title: "Pair", value: "Marc → Léa" }], separator: true },
        { type: "TextBlock", text: "Week 48", wrap: true, isSubtle: true },
        {
          type: "ActionSet",
          actions: [
            {
              type: "Action.Submit",
              title: "Yes",
              data: { "binome.kind": "action", "binome.actionId": "checkin.yes", "binome.value": "pair-1" },
              style: "positive",
            },
            {
              type: "Action.Submit",
              title: "No",
              data: { "binome.kind": "action", "binome.actionId": "checkin.no", "binome.value": "pair-1" },
              style: "destructive",
            },
            {
              type: "Action.Submit",
              title: "Later",
              data: { "binome.kind": "action", "binome.actionId": "checkin.later", "binome.value": "pair-1" },
            },
          ],
        },
        { type: "TextBlock", text: "How useful?", wrap: true },
        {
          type: "ActionSet",
          actions: [
            {
              type: "Action.Submit",
              title: "Very",
              data: { "binome.kind": "action", "binome.actionId": "survey.q1", "binome.value": "3" },
            },
            {
              type: "Action.Submit",
              title: "Not",
              data: { "binome.kind": "action", "binome.actionId": "survey.q1", "binome.value": "1" },
            },
          ],
        },
      ],
    });
  });

  it("renders a form with its inputs and an Action.Execute submit that falls back to Action.Submit", () => {
    const form: Form = {
      formId: "log-session",
      title: "Record a session",
      submitLabel: "Save",
      cancelLabel: "Cancel",
      meta: "conv-1",
      blocks: [
        {
          type: "input",
          id: "pair",
          label: "Mentee",
          kind: "select",
          required: true,
          options: [{ label: "Léa Petit", value: "p1" }],
          initial: "p1",
        },
        { type: "input", id: "date", label: "Date", kind: "date", required: true, initial: "2026-11-27" },
        {
          type: "input",
          id: "duration",
          label: "Duration",
          kind: "text",
          required: true,
          placeholder: "45m",
          hint: "For example 45m",
          maxLength: 10,
        },
        { type: "input", id: "topics", label: "Topics", kind: "multiline", required: false, maxLength: 1500 },
        { type: "input", id: "rating", label: "Rating", kind: "number", required: false },
      ],
    };
    const data = { "binome.kind": "form", "binome.formId": "log-session", "binome.meta": "conv-1" };
    expect(renderFormCard(form)).toEqual({
      type: "AdaptiveCard",
      $schema: SCHEMA,
      version: "1.5",
      fallbackText: "Record a session",
      body: [
        { type: "TextBlock", text: "Record a session", style: "heading", weight: "Bolder", size: "Medium", wrap: true },
        {
          type: "Input.ChoiceSet",
          id: "pair",
          label: "Mentee",
          isRequired: true,
          value: "p1",
          style: "compact",
          choices: [{ title: "Léa Petit", value: "p1" }],
        },
        { type: "Input.Date", id: "date", label: "Date", isRequired: true, value: "2026-11-27" },
        { type: "Input.Text", id: "duration", label: "Duration", isRequired: true, placeholder: "45m", maxLength: 10 },
        { type: "TextBlock", text: "For example 45m", isSubtle: true, size: "Small", spacing: "None", wrap: true },
        { type: "Input.Text", id: "topics", label: "Topics", isRequired: false, isMultiline: true, maxLength: 1500 },
        { type: "Input.Number", id: "rating", label: "Rating", isRequired: false },
      ],
      actions: [
        {
          type: "Action.Execute",
          title: "Save",
          verb: "binome.form",
          data,
          style: "positive",
          fallback: { type: "Action.Submit", title: "Save", data, style: "positive" },
        },
      ],
      msteams: { width: "Full" },
    });
  });

  it("sends one plain line as a chat message and anything richer as a card summarised by its fallback", () => {
    expect(renderMessage({ fallback: "Done", blocks: [{ type: "text", text: "Type `help`." }] })).toEqual({
      type: "message",
      text: "Type `help`.",
      textFormat: "markdown",
    });
    const rich: Card = { fallback: "Saved", blocks: [{ type: "text", text: "Saved", style: "bold" }] };
    expect(renderMessage(rich)).toEqual({
      type: "message",
      summary: "Saved",
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: renderAdaptiveCard(rich) }],
    });
  });

  it("puts a divider's separator on what follows and drops a divider with nothing before or after", () => {
    const body = renderAdaptiveCard({
      fallback: "x",
      blocks: [{ type: "divider" }, { type: "text", text: "a" }, { type: "divider" }],
    }).body;
    expect(body).toEqual([{ type: "TextBlock", text: "a", wrap: true }]);
  });
});
