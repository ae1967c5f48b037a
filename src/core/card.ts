/**
 * The neutral message model. Every adapter renders it (Block Kit, Adaptive Cards, HTML).
 * Plain data only, so that a card can be stored in the outbox and rendered later.
 */
export type TextStyle = "plain" | "bold" | "muted";

export interface Button {
  actionId: string;
  label: string;
  /** Short payload returned on click (kept under 2,000 characters for Slack). */
  value: string;
  style?: "primary" | "danger";
  /** A link button: opens this address instead of sending the action to binome. */
  url?: string;
}

export interface ChoiceOption {
  label: string;
  value: string;
}

export type InputKind = "text" | "multiline" | "date" | "number" | "select";

export interface Input {
  type: "input";
  id: string;
  label: string;
  kind: InputKind;
  required: boolean;
  placeholder?: string;
  initial?: string;
  options?: ChoiceOption[];
  maxLength?: number;
  hint?: string;
}

export type Block =
  | { type: "header"; text: string }
  | { type: "text"; text: string; style?: TextStyle }
  | { type: "fields"; fields: Array<{ label: string; value: string }> }
  | { type: "divider" }
  | { type: "actions"; buttons: Button[] }
  | { type: "choice"; actionId: string; label: string; options: ChoiceOption[] }
  | Input;

export interface Card {
  /** Shown where rich content is not: notifications, screen readers, old clients. */
  fallback: string;
  blocks: Block[];
}

/** A form: a card with inputs, a title and a submit label; submitted as a `form` event. */
export interface Form {
  formId: string;
  title: string;
  submitLabel: string;
  cancelLabel: string;
  /** Opaque state returned with the submission (e.g. the conversation to answer in). */
  meta?: string;
  blocks: Block[];
}

/** A card holding a single line of text. */
export function textCard(text: string): Card {
  return { fallback: text, blocks: [{ type: "text", text }] };
}
