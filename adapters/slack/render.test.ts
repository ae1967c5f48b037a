import { describe, expect, it } from "vitest";
import type { Card, Form } from "../../src/core/card.js";
import { neutralMentions } from "./ids.js";
import { renderBlocks, renderHomeBlocks, renderMessage, renderModal, viewValues } from "./render.js";

describe("Block Kit renderer", () => {
  it("renders every kind of block", () => {
    const card: Card = {
      fallback: "Séance notée",
      blocks: [
        { type: "header", text: "Séances récentes" },
        { type: "text", text: "Séance notée avec Léa", style: "bold" },
        { type: "text", text: "Révision du CV", style: "muted" },
        { type: "text", text: "Texte simple" },
        { type: "fields", fields: [{ label: "Durée", value: "45 min" }] },
        { type: "divider" },
        { type: "actions", buttons: [{ actionId: "checkin.yes", label: "Oui", value: "pair-1", style: "primary" }] },
        { type: "choice", actionId: "pick", label: "Choisir", options: [{ label: "Un", value: "1" }] },
        { type: "input", id: "ignored", label: "Dans un message", kind: "text", required: true },
      ],
    };
    expect(renderMessage(card)).toEqual({
      text: "Séance notée",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Séances récentes", emoji: true } },
        { type: "section", text: { type: "mrkdwn", text: "*Séance notée avec Léa*" } },
        { type: "context", elements: [{ type: "mrkdwn", text: "Révision du CV" }] },
        { type: "section", text: { type: "mrkdwn", text: "Texte simple" } },
        { type: "section", fields: [{ type: "mrkdwn", text: "*Durée*\n45 min" }] },
        { type: "divider" },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: "checkin.yes",
              text: { type: "plain_text", text: "Oui", emoji: true },
              value: "pair-1",
              style: "primary",
            },
          ],
        },
        {
          type: "section",
          text: { type: "mrkdwn", text: "Choisir" },
          accessory: {
            type: "static_select",
            action_id: "pick",
            options: [{ text: { type: "plain_text", text: "Un", emoji: true }, value: "1" }],
          },
        },
      ],
    });
  });

  it("escapes people's text so it cannot ping a channel or fake a link", () => {
    const [block] = renderBlocks({
      fallback: "x",
      blocks: [{ type: "text", text: "<!channel> & <https://evil|ici>" }],
    });
    expect(block).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: "&lt;!channel&gt; &amp; &lt;https://evil|ici&gt;" },
    });
  });

  it("keeps within Slack's limits: header 150 characters, 50 blocks", () => {
    const long = "é".repeat(200);
    const [header] = renderBlocks({ fallback: "x", blocks: [{ type: "header", text: long }] });
    expect((header as { text: { text: string } }).text.text).toHaveLength(150);
    const many = renderBlocks({
      fallback: "x",
      blocks: Array.from({ length: 80 }, () => ({ type: "divider" as const })),
    });
    expect(many).toHaveLength(50);
    expect(many.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "…" }] });
  });

  it("gives an App Home up to 100 blocks, as Slack allows there", () => {
    const card = { fallback: "x", blocks: Array.from({ length: 120 }, () => ({ type: "divider" as const })) };
    expect(renderHomeBlocks({ ...card, blocks: card.blocks.slice(0, 80) })).toHaveLength(80);
    const home = renderHomeBlocks(card);
    expect(home).toHaveLength(100);
    expect(home.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "…" }] });
  });

  it("renders a form as a modal and reads its submitted state back", () => {
    const form: Form = {
      formId: "log-session",
      title: "Noter une séance avec mon mentoré préféré",
      submitLabel: "Enregistrer",
      cancelLabel: "Annuler",
      meta: "{}",
      blocks: [
        {
          type: "input",
          id: "pair",
          label: "Mentoré",
          kind: "select",
          required: true,
          options: [{ label: "Léa", value: "p1" }],
          initial: "p1",
        },
        { type: "input", id: "date", label: "Date", kind: "date", required: true, initial: "2026-11-27" },
        { type: "input", id: "next", label: "Suite", kind: "multiline", required: false, maxLength: 500 },
      ],
    };
    const modal = renderModal(form);
    expect(modal).toEqual({
      type: "modal",
      callback_id: "log-session",
      title: { type: "plain_text", text: "Noter une séance avec m…", emoji: true },
      submit: { type: "plain_text", text: "Enregistrer", emoji: true },
      close: { type: "plain_text", text: "Annuler", emoji: true },
      private_metadata: "{}",
      blocks: [
        {
          type: "input",
          block_id: "pair",
          optional: false,
          label: { type: "plain_text", text: "Mentoré", emoji: true },
          element: {
            type: "static_select",
            action_id: "pair",
            options: [{ text: { type: "plain_text", text: "Léa", emoji: true }, value: "p1" }],
            initial_option: { text: { type: "plain_text", text: "Léa", emoji: true }, value: "p1" },
          },
        },
        {
          type: "input",
          block_id: "date",
          optional: false,
          label: { type: "plain_text", text: "Date", emoji: true },
          element: { type: "datepicker", action_id: "date", initial_date: "2026-11-27" },
        },
        {
          type: "input",
          block_id: "next",
          optional: true,
          label: { type: "plain_text", text: "Suite", emoji: true },
          element: { type: "plain_text_input", action_id: "next", multiline: true, max_length: 500 },
        },
      ],
    });
    expect(
      viewValues({
        values: {
          pair: { pair: { type: "static_select", selected_option: { value: "p1" } } },
          date: { date: { type: "datepicker", selected_date: "2026-11-26" } },
          next: { next: { type: "plain_text_input", value: null } },
        },
      }),
    ).toEqual({ pair: "p1", date: "2026-11-26", next: "" });
  });
});

describe("Slack mentions", () => {
  it("become the core's neutral mention, with or without a label", () => {
    expect(neutralMentions("log <@U123ABC|lea> 45m et <@W9XYZ>", "T1")).toBe(
      "log <@slack:T1:U123ABC> 45m et <@slack:T1:W9XYZ>",
    );
  });
});
