import type { Block, Card, ChoiceOption, Form, Input } from "../../src/core/card.js";

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * Escaped text with `code` spans, the one piece of markup the catalogs use (Slack and Teams
 * render it as code too). Escaping comes first, so a backtick can never open a tag.
 */
export function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`\n]+)`/g, "<code>$1</code>");
}

function attr(name: string, value: string | number | undefined): string {
  return value === undefined ? "" : ` ${name}="${escapeHtml(String(value))}"`;
}

function optionTags(options: ChoiceOption[], selected: string | undefined): string {
  return options
    .map(
      (o) =>
        `<option${attr("value", o.value)}${o.value === selected ? " selected" : ""}>${escapeHtml(o.label)}</option>`,
    )
    .join("");
}

function control(input: Input): string {
  const common = `${attr("id", `input-${input.id}`)}${attr("name", input.id)}${input.required ? " required" : ""}`;
  const typed = `${common}${attr("placeholder", input.placeholder)}${attr("maxlength", input.maxLength)}`;
  switch (input.kind) {
    case "multiline":
      return `<textarea${typed} rows="3">${escapeHtml(input.initial ?? "")}</textarea>`;
    case "select": {
      // An empty first option makes the person choose, unless the form preselects one.
      const empty = input.initial === undefined ? '<option value=""></option>' : "";
      return `<select${common}>${empty}${optionTags(input.options ?? [], input.initial)}</select>`;
    }
    default:
      return `<input type="${input.kind}"${typed}${attr("value", input.initial)}>`;
  }
}

function renderInput(input: Input): string {
  const hint = input.hint ? `<small class="hint">${inline(input.hint)}</small>` : "";
  return (
    `<div class="field" data-field="${escapeHtml(input.id)}">` +
    `<label for="input-${escapeHtml(input.id)}">${escapeHtml(input.label)}</label>` +
    `${control(input)}${hint}` +
    `<p class="field-error" data-error-for="${escapeHtml(input.id)}" role="alert" hidden></p></div>`
  );
}

/** Renders one block; `inForm` makes a choice a radio group instead of clickable chips. */
function renderBlock(block: Block, inForm: boolean): string {
  switch (block.type) {
    case "header":
      return `<h3 class="card-header">${escapeHtml(block.text)}</h3>`;
    case "text":
      return `<p class="text text-${block.style ?? "plain"}">${inline(block.text)}</p>`;
    case "fields":
      return `<dl class="fields">${block.fields
        .map((f) => `<div><dt>${escapeHtml(f.label)}</dt><dd>${inline(f.value)}</dd></div>`)
        .join("")}</dl>`;
    case "divider":
      return "<hr>";
    case "actions":
      return `<div class="actions">${block.buttons
        .map((b) =>
          b.url
            ? `<a class="btn"${attr("href", b.url)} target="_blank" rel="noopener noreferrer">${escapeHtml(b.label)}</a>`
            : `<button type="button" class="btn${b.style ? ` btn-${b.style}` : ""}"` +
              `${attr("data-action-id", b.actionId)}${attr("data-value", b.value)}>${escapeHtml(b.label)}</button>`,
        )
        .join("")}</div>`;
    case "choice": {
      const options = inForm
        ? block.options.map(
            (o) =>
              `<label class="radio"><input type="radio"${attr("name", block.actionId)}${attr("value", o.value)}> ${escapeHtml(o.label)}</label>`,
          )
        : block.options.map(
            (o) =>
              `<button type="button" class="chip"${attr("data-action-id", block.actionId)}${attr("data-value", o.value)}>${escapeHtml(o.label)}</button>`,
          );
      return `<fieldset class="choice"><legend>${escapeHtml(block.label)}</legend>${options.join("")}</fieldset>`;
    }
    case "input":
      return renderInput(block);
  }
}

/** A card as an HTML fragment; buttons carry `data-action-id` and `data-value` for the page to post. */
export function renderCard(card: Card): string {
  return `<div class="card">${card.blocks.map((b) => renderBlock(b, false)).join("")}</div>`;
}

/** A form as an HTML `<form>` for the page's dialog; each input has a slot for its error message. */
export function renderForm(form: Form): string {
  return (
    `<form class="form"${attr("data-form-id", form.formId)}${attr("data-meta", form.meta)}>` +
    `<h2 class="form-title">${escapeHtml(form.title)}</h2>` +
    '<p class="form-error" data-error-for="" role="alert" hidden></p>' +
    form.blocks.map((b) => renderBlock(b, true)).join("") +
    `<div class="form-buttons"><button type="button" class="btn" data-cancel>${escapeHtml(form.cancelLabel)}</button>` +
    `<button type="submit" class="btn btn-primary">${escapeHtml(form.submitLabel)}</button></div></form>`
  );
}
