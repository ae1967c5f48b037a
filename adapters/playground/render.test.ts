import { describe, expect, it } from "vitest";
import type { Card, Form } from "../../src/core/card.js";
import { renderCard, renderForm } from "./render.js";

describe("the playground renderer", () => {
  it("renders a session confirmation with its styles and code spans", () => {
    const card: Card = {
      fallback: "Séance notée",
      blocks: [
        { type: "header", text: "Séances récentes" },
        { type: "text", text: "Séance notée avec Léa Petit : 27 nov. 2026, 45 min.", style: "bold" },
        { type: "text", text: "Tapez `/binome help`", style: "muted" },
        { type: "text", text: "Sans style" },
      ],
    };
    expect(renderCard(card)).toEqual(
      '<div class="card">' +
        '<h3 class="card-header">Séances récentes</h3>' +
        '<p class="text text-bold">Séance notée avec Léa Petit : 27 nov. 2026, 45 min.</p>' +
        '<p class="text text-muted">Tapez <code>/binome help</code></p>' +
        '<p class="text text-plain">Sans style</p>' +
        "</div>",
    );
  });

  it("renders fields, a divider, buttons and a choice that the page can post back", () => {
    const card: Card = {
      fallback: "Point d'étape",
      blocks: [
        { type: "fields", fields: [{ label: "Binôme", value: "Marc → Léa" }] },
        { type: "divider" },
        {
          type: "actions",
          buttons: [
            { actionId: "checkin.ok", label: "Tout va bien", value: "pair-1", style: "primary" },
            { actionId: "checkin.help", label: "Besoin d'aide", value: "pair-1" },
          ],
        },
        {
          type: "choice",
          actionId: "survey.q1",
          label: "Note",
          options: [
            { label: "1", value: "1" },
            { label: "5", value: "5" },
          ],
        },
      ],
    };
    expect(renderCard(card)).toEqual(
      '<div class="card">' +
        '<dl class="fields"><div><dt>Binôme</dt><dd>Marc → Léa</dd></div></dl>' +
        "<hr>" +
        '<div class="actions">' +
        '<button type="button" class="btn btn-primary" data-action-id="checkin.ok" data-value="pair-1">Tout va bien</button>' +
        '<button type="button" class="btn" data-action-id="checkin.help" data-value="pair-1">Besoin d&#39;aide</button>' +
        "</div>" +
        '<fieldset class="choice"><legend>Note</legend>' +
        '<button type="button" class="chip" data-action-id="survey.q1" data-value="1">1</button>' +
        '<button type="button" class="chip" data-action-id="survey.q1" data-value="5">5</button>' +
        "</fieldset>" +
        "</div>",
    );
  });

  it("renders a form with labelled inputs, hints and a slot for each error", () => {
    const form: Form = {
      formId: "log-session",
      title: "Noter une séance",
      submitLabel: "Enregistrer",
      cancelLabel: "Annuler",
      meta: "dm:marc",
      blocks: [
        {
          type: "input",
          id: "pair",
          label: "Mentoré",
          kind: "select",
          required: true,
          options: [{ label: "Léa Petit", value: "p1" }],
        },
        { type: "input", id: "date", label: "Date", kind: "date", required: true, initial: "2026-11-27" },
        {
          type: "input",
          id: "duration",
          label: "Durée",
          kind: "text",
          required: true,
          placeholder: "45m",
          hint: "Par exemple 45m",
          maxLength: 10,
        },
        { type: "input", id: "next", label: "Prochaines étapes", kind: "multiline", required: false },
      ],
    };
    expect(renderForm(form)).toEqual(
      '<form class="form" data-form-id="log-session" data-meta="dm:marc">' +
        '<h2 class="form-title">Noter une séance</h2>' +
        '<p class="form-error" data-error-for="" role="alert" hidden></p>' +
        '<div class="field" data-field="pair"><label for="input-pair">Mentoré</label>' +
        '<select id="input-pair" name="pair" required><option value=""></option><option value="p1">Léa Petit</option></select>' +
        '<p class="field-error" data-error-for="pair" role="alert" hidden></p></div>' +
        '<div class="field" data-field="date"><label for="input-date">Date</label>' +
        '<input type="date" id="input-date" name="date" required value="2026-11-27">' +
        '<p class="field-error" data-error-for="date" role="alert" hidden></p></div>' +
        '<div class="field" data-field="duration"><label for="input-duration">Durée</label>' +
        '<input type="text" id="input-duration" name="duration" required placeholder="45m" maxlength="10">' +
        '<small class="hint">Par exemple 45m</small>' +
        '<p class="field-error" data-error-for="duration" role="alert" hidden></p></div>' +
        '<div class="field" data-field="next"><label for="input-next">Prochaines étapes</label>' +
        '<textarea id="input-next" name="next" rows="3"></textarea>' +
        '<p class="field-error" data-error-for="next" role="alert" hidden></p></div>' +
        '<div class="form-buttons"><button type="button" class="btn" data-cancel>Annuler</button>' +
        '<button type="submit" class="btn btn-primary">Enregistrer</button></div></form>',
    );
  });

  it("shows what people type as text, never as markup", () => {
    const typed = `<script>alert("x")</script> & \`<img src=x onerror=alert(1)>\``;
    const card: Card = {
      fallback: typed,
      blocks: [
        { type: "text", text: typed },
        { type: "actions", buttons: [{ actionId: 'a"><script>', label: "<b>ok</b>", value: "' onclick='x" }] },
      ],
    };
    expect(renderCard(card)).toEqual(
      '<div class="card">' +
        '<p class="text text-plain">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <code>&lt;img src=x onerror=alert(1)&gt;</code></p>' +
        '<div class="actions"><button type="button" class="btn" data-action-id="a&quot;&gt;&lt;script&gt;" data-value="&#39; onclick=&#39;x">&lt;b&gt;ok&lt;/b&gt;</button></div>' +
        "</div>",
    );
  });
});
