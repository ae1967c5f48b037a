import type { Block, Button, Card, Form, Input } from "../../src/core/card.js";
import { ADAPTIVE_CARD_CONTENT_TYPE } from "./activity.js";

/**
 * Card → Adaptive Card 1.5, the highest version Teams renders. Limits and quirks:
 * - Teams shows up to 6 actions per ActionSet inline (more go to an overflow menu): choices become buttons.
 * - Inputs post nothing by themselves: a form needs a submit action, which also carries our own keys.
 * - `Action.Execute` (1.4) is Teams' way to replace a card in place; clients without it get `Action.Submit`.
 * - TextBlock markdown is a subset (bold, italic, lists, links); inline code shows its backticks.
 * - No cancel button on forms: a card in the chat is simply left unanswered.
 */
export type AdaptiveElement = Record<string, unknown>;

/** An Adaptive Card as binome renders it. */
export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  fallbackText: string;
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  msteams?: { width: "Full" };
}

/** A message activity as binome sends it to Teams. */
export interface OutgoingMessage {
  type: "message";
  text?: string;
  textFormat?: "markdown";
  summary?: string;
  attachments?: Array<{ contentType: string; content: AdaptiveCard }>;
}

/** Keys binome adds to the data of every action it renders; inputs may use any other id. */
export const DATA_KIND = "binome.kind";
export const DATA_ACTION_ID = "binome.actionId";
export const DATA_VALUE = "binome.value";
export const DATA_FORM_ID = "binome.formId";
export const DATA_META = "binome.meta";
/** The verb of a form's `Action.Execute`. */
export const FORM_VERB = "binome.form";

const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";

function buttonData(actionId: string, value: string): Record<string, string> {
  return { [DATA_KIND]: "action", [DATA_ACTION_ID]: actionId, [DATA_VALUE]: value };
}

function submitButton(button: Button): AdaptiveElement {
  if (button.url) return { type: "Action.OpenUrl", title: button.label, url: button.url };
  const action: AdaptiveElement = {
    type: "Action.Submit",
    title: button.label,
    data: buttonData(button.actionId, button.value),
  };
  if (button.style) action.style = button.style === "primary" ? "positive" : "destructive";
  return action;
}

function renderInput(input: Input): AdaptiveElement[] {
  const common: AdaptiveElement = { id: input.id, label: input.label, isRequired: input.required };
  if (input.placeholder) common.placeholder = input.placeholder;
  if (input.initial !== undefined) common.value = input.initial;
  let element: AdaptiveElement;
  switch (input.kind) {
    case "text":
    case "multiline":
      element = { type: "Input.Text", ...common };
      if (input.kind === "multiline") element.isMultiline = true;
      if (input.maxLength) element.maxLength = input.maxLength;
      break;
    case "date":
      element = { type: "Input.Date", ...common };
      break;
    case "number":
      element = { type: "Input.Number", ...common };
      break;
    case "select":
      element = {
        type: "Input.ChoiceSet",
        ...common,
        style: "compact",
        choices: (input.options ?? []).map((o) => ({ title: o.label, value: o.value })),
      };
      break;
  }
  const out = [element];
  if (input.hint)
    out.push({ type: "TextBlock", text: input.hint, isSubtle: true, size: "Small", spacing: "None", wrap: true });
  return out;
}

function renderBlock(block: Block): AdaptiveElement[] {
  switch (block.type) {
    case "header":
      return [{ type: "TextBlock", text: block.text, style: "heading", weight: "Bolder", size: "Medium", wrap: true }];
    case "text": {
      const element: AdaptiveElement = { type: "TextBlock", text: block.text, wrap: true };
      if (block.style === "bold") element.weight = "Bolder";
      if (block.style === "muted") element.isSubtle = true;
      return [element];
    }
    case "fields":
      return [{ type: "FactSet", facts: block.fields.map((f) => ({ title: f.label, value: f.value })) }];
    case "divider":
      return [];
    case "actions":
      return [{ type: "ActionSet", actions: block.buttons.map(submitButton) }];
    case "choice":
      // Why: an Adaptive Card select cannot post on change, so each option is a button with the same action id.
      return [
        { type: "TextBlock", text: block.label, wrap: true },
        {
          type: "ActionSet",
          actions: block.options.map((o) => ({
            type: "Action.Submit",
            title: o.label,
            data: buttonData(block.actionId, o.value),
          })),
        },
      ];
    case "input":
      return renderInput(block);
  }
}

/** The body of a card: a divider becomes a separator above what follows it. */
function renderBlocks(blocks: Block[]): AdaptiveElement[] {
  const body: AdaptiveElement[] = [];
  let separate = false;
  for (const block of blocks) {
    if (block.type === "divider") {
      separate = body.length > 0;
      continue;
    }
    const elements = renderBlock(block);
    if (separate && elements[0]) elements[0] = { ...elements[0], separator: true };
    separate = false;
    body.push(...elements);
  }
  return body;
}

/** Renders a neutral card as an Adaptive Card; pure. */
export function renderAdaptiveCard(card: Card): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: SCHEMA,
    version: "1.5",
    fallbackText: card.fallback,
    body: renderBlocks(card.blocks),
  };
}

/**
 * Renders a form as an Adaptive Card in the chat. Its submit is an `Action.Execute` (Teams answers it
 * with an invoke, and the confirmation replaces the form, so it cannot be sent twice), with an
 * `Action.Submit` fallback for clients older than Adaptive Cards 1.4.
 */
export function renderFormCard(form: Form): AdaptiveCard {
  const data: Record<string, string> = { [DATA_KIND]: "form", [DATA_FORM_ID]: form.formId };
  if (form.meta !== undefined) data[DATA_META] = form.meta;
  return {
    type: "AdaptiveCard",
    $schema: SCHEMA,
    version: "1.5",
    fallbackText: form.title,
    body: [
      { type: "TextBlock", text: form.title, style: "heading", weight: "Bolder", size: "Medium", wrap: true },
      ...renderBlocks(form.blocks),
    ],
    actions: [
      {
        type: "Action.Execute",
        title: form.submitLabel,
        verb: FORM_VERB,
        data,
        style: "positive",
        fallback: { type: "Action.Submit", title: form.submitLabel, data, style: "positive" },
      },
    ],
    msteams: { width: "Full" },
  };
}

/**
 * The message activity for a card. A card of one plain line goes as a chat message, which reads
 * better in Teams than a card; anything richer is an Adaptive Card whose fallback is the notification summary.
 */
export function renderMessage(card: Card): OutgoingMessage {
  const [only] = card.blocks;
  if (card.blocks.length === 1 && only?.type === "text" && (only.style ?? "plain") === "plain") {
    return { type: "message", text: only.text, textFormat: "markdown" };
  }
  return {
    type: "message",
    summary: card.fallback,
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderAdaptiveCard(card) }],
  };
}

/** The message activity for a form sent into the chat. */
export function renderFormMessage(form: Form): OutgoingMessage {
  return {
    type: "message",
    summary: form.title,
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderFormCard(form) }],
  };
}
