import type { Block, Card, Form, Input } from "../../src/core/card.js";

// Block Kit's documented limits; longer values are cut with an ellipsis rather than refused by Slack.
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  headerText: 150,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  optionText: 75,
  optionValue: 150,
  optionsPerSelect: 100,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  privateMetadata: 3000,
  fallbackText: 4000,
} as const;

type SlackBlock = Record<string, unknown>;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A value Slack would cut changes what a click sends back: refuse it loudly instead. */
function exact(value: string, max: number, what: string): string {
  if (value.length > max)
    throw new RangeError(`${what} of ${value.length} characters is over Slack's ${max}; keep values short ids`);
  return value;
}

const plain = (text: string, max: number) => ({ type: "plain_text", text: cut(text, max), emoji: true });
const mrkdwn = (text: string, max: number = SLACK_LIMITS.sectionText) => ({ type: "mrkdwn", text: cut(text, max) });

function renderInputElement(input: Input): SlackBlock {
  const actionId = input.id;
  switch (input.kind) {
    case "date":
      return { type: "datepicker", action_id: actionId, ...(input.initial ? { initial_date: input.initial } : {}) };
    case "number":
      return {
        type: "number_input",
        action_id: actionId,
        is_decimal_allowed: false,
        ...(input.initial ? { initial_value: input.initial } : {}),
      };
    case "select": {
      const options = (input.options ?? []).slice(0, SLACK_LIMITS.optionsPerSelect).map((o) => ({
        text: plain(o.label, SLACK_LIMITS.optionText),
        value: exact(o.value, SLACK_LIMITS.optionValue, "an option value"),
      }));
      const initial = options.find((o) => o.value === input.initial);
      return {
        type: "static_select",
        action_id: actionId,
        options,
        ...(input.placeholder ? { placeholder: plain(input.placeholder, 150) } : {}),
        ...(initial ? { initial_option: initial } : {}),
      };
    }
    case "text":
    case "multiline":
      return {
        type: "plain_text_input",
        action_id: actionId,
        multiline: input.kind === "multiline",
        ...(input.maxLength ? { max_length: input.maxLength } : {}),
        ...(input.initial ? { initial_value: input.initial } : {}),
        ...(input.placeholder ? { placeholder: plain(input.placeholder, 150) } : {}),
      };
  }
}

function renderBlock(block: Block): SlackBlock | undefined {
  switch (block.type) {
    case "header":
      // Slack headers are plain text only, 150 characters at most.
      return { type: "header", text: plain(block.text, SLACK_LIMITS.headerText) };
    case "text": {
      const text = escapeMrkdwn(block.text);
      if (block.style === "muted") return { type: "context", elements: [mrkdwn(text)] };
      return { type: "section", text: mrkdwn(block.style === "bold" ? `*${text}*` : text) };
    }
    case "fields":
      return {
        type: "section",
        fields: block.fields
          .slice(0, SLACK_LIMITS.fieldsPerSection)
          .map((f) => mrkdwn(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText)),
      };
    case "divider":
      return { type: "divider" };
    case "actions":
      return {
        type: "actions",
        elements: block.buttons.slice(0, SLACK_LIMITS.actionsElements).map((b) => ({
          type: "button",
          action_id: b.actionId,
          text: plain(b.label, SLACK_LIMITS.buttonText),
          value: exact(b.value, SLACK_LIMITS.buttonValue, "a button value"),
          ...(b.style ? { style: b.style } : {}),
          ...(b.url ? { url: b.url } : {}),
        })),
      };
    case "choice":
      return {
        type: "section",
        text: mrkdwn(escapeMrkdwn(block.label)),
        accessory: {
          type: "static_select",
          action_id: block.actionId,
          options: block.options.slice(0, SLACK_LIMITS.optionsPerSelect).map((o) => ({
            text: plain(o.label, SLACK_LIMITS.optionText),
            value: exact(o.value, SLACK_LIMITS.optionValue, "an option value"),
          })),
        },
      };
    case "input":
      return {
        type: "input",
        block_id: block.id,
        optional: !block.required,
        label: plain(block.label, SLACK_LIMITS.inputLabel),
        ...(block.hint ? { hint: plain(block.hint, 2000) } : {}),
        element: renderInputElement(block),
      };
  }
}

/**
 * Block Kit blocks of a card; inputs are left out (they belong in modals). At most `max` blocks:
 * 50 in a message, 100 in an App Home.
 */
export function renderBlocks(card: Card, max: number = SLACK_LIMITS.blocksPerMessage): SlackBlock[] {
  const blocks = card.blocks
    .filter((b) => b.type !== "input")
    .map(renderBlock)
    .filter((b): b is SlackBlock => b !== undefined);
  if (blocks.length <= max) return blocks;
  // A card longer than Slack allows is cut visibly; features that can grow (digests) split their cards first.
  return [...blocks.slice(0, max - 1), { type: "context", elements: [mrkdwn("…")] }];
}

/** The blocks of an App Home view (Slack allows 100, as in a modal). */
export function renderHomeBlocks(card: Card): SlackBlock[] {
  return renderBlocks(card, SLACK_LIMITS.blocksPerModal);
}

/** A message payload: Block Kit blocks and the card's fallback as notification text. */
export function renderMessage(card: Card): { text: string; blocks: SlackBlock[] } {
  return { text: cut(card.fallback, SLACK_LIMITS.fallbackText), blocks: renderBlocks(card) };
}

/** A modal view of a form; the form id is the view's callback id. */
export function renderModal(form: Form): SlackBlock {
  return {
    type: "modal",
    callback_id: form.formId,
    title: plain(form.title, SLACK_LIMITS.modalTitle),
    submit: plain(form.submitLabel, SLACK_LIMITS.modalButton),
    close: plain(form.cancelLabel, SLACK_LIMITS.modalButton),
    ...(form.meta ? { private_metadata: cut(form.meta, SLACK_LIMITS.privateMetadata) } : {}),
    blocks: form.blocks
      .map(renderBlock)
      .filter((b): b is SlackBlock => b !== undefined)
      .slice(0, SLACK_LIMITS.blocksPerModal),
  };
}

interface ViewStateValue {
  type: string;
  value?: string | null;
  selected_date?: string | null;
  selected_option?: { value: string } | null;
}

/** The values of a submitted modal, by input id (block id). Empty inputs give "". */
export function viewValues(state: { values: Record<string, Record<string, ViewStateValue>> }): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(state.values)) {
    const element = Object.values(actions)[0];
    if (!element) continue;
    values[blockId] = element.value ?? element.selected_date ?? element.selected_option?.value ?? "";
  }
  return values;
}
