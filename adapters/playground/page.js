// The playground page: pick who you are, type /binome commands, watch the replies.
// Cards arrive as HTML rendered (and escaped) by the server; this script only places them.

import { UI } from "./page-text.js";

const ROLES = ["coordinator", "mentor", "mentee"];
const POLL_MS = 1500;

const state = {
  lang: localStorage.getItem("binome.playground.lang") === "en" ? "en" : "fr",
  people: [],
  as: "",
  rev: 0,
  now: "",
  waitingUntil: null,
  generation: 0,
  polling: false,
  pollAgain: false,
};
const $ = (selector, root = document) => root.querySelector(selector);
const tr = (key, params = {}) => UI[state.lang][key].replace(/\{(\w+)\}/g, (_, name) => params[name] ?? "");

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
}

async function api(path, body) {
  const options =
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  let response;
  try {
    response = await fetch(`/playground/api/${path}`, options);
  } catch {
    return problem(tr("unreachable"));
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) return problem(data.error ?? `${response.status}`);
  problem("");
  return data;
}

function problem(text) {
  $("#problem").textContent = text;
  $("#problem").hidden = text === "";
  return undefined;
}

function formatTime(iso, withWeekday) {
  const options = withWeekday
    ? { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }
    : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(state.lang === "fr" ? "fr-FR" : "en-GB", {
    ...options,
    timeZone: "Europe/Paris",
  }).format(new Date(iso));
}

function nameOf(userId) {
  return state.people.find((p) => p.userId === userId)?.name ?? userId;
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = tr(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = tr(node.dataset.i18nTitle);
  for (const button of document.querySelectorAll("[data-lang]"))
    button.setAttribute("aria-pressed", String(button.dataset.lang === state.lang));
  renderPeople();
  renderHint();
  if (state.now) $("#now").textContent = formatTime(state.now, true);
  showWaiting(state.waitingUntil);
  if (state.as) $("#me").textContent = tr("youAre", { name: nameOf(state.as) });
}

function renderPeople() {
  const container = $("#people");
  container.replaceChildren();
  for (const role of ROLES) {
    const members = state.people.filter((p) => p.roles[0] === role);
    if (members.length === 0) continue;
    container.append(el("h3", { textContent: tr(role) }));
    for (const person of members) {
      const button = el(
        "button",
        { type: "button", className: "person" },
        el("span", { className: "avatar", textContent: initials(person.name), ariaHidden: "true" }),
        person.name,
      );
      button.dataset.person = person.userId;
      if (person.language && person.language !== "fr")
        button.append(el("span", { className: "lang-badge", textContent: person.language.toUpperCase() }));
      button.setAttribute("aria-current", String(person.userId === state.as));
      button.addEventListener("click", () => choose(person.userId));
      container.append(button);
    }
  }
}

function renderHint() {
  const hint = $("#hint");
  hint.replaceChildren();
  const person = state.people.find((p) => p.userId === state.as);
  if (!person) return;
  hint.append(`${tr("hint")} `);
  const examples = [
    "/binome help",
    "/binome status",
    "/binome sessions",
    ...(person.roles.includes("mentor") ? ["/binome log"] : []),
  ];
  for (const example of examples) {
    const button = el("button", { type: "button", textContent: example });
    button.addEventListener("click", () => {
      $("#command").value = `${example} `;
      $("#command").focus();
    });
    hint.append(button, " ");
  }
  if (person.roles.includes("mentor")) hint.append(tr("hintLog"));
}

function choose(userId) {
  state.as = userId;
  state.rev = 0;
  state.generation += 1;
  history.replaceState(null, "", `?as=${encodeURIComponent(userId)}`);
  $("#dm").replaceChildren(el("p", { className: "empty", textContent: tr("noMessages") }));
  for (const pane of document.querySelectorAll("#others .channel")) pane.remove();
  $("#others").hidden = true;
  $("#me").textContent = tr("youAre", { name: nameOf(userId) });
  for (const input of document.querySelectorAll("#composer input, #composer button")) input.disabled = false;
  $("#home-button").hidden = false;
  renderPeople();
  renderHint();
  $("#command").focus();
  poll();
}

function paneFor(conversation) {
  if (conversation.kind === "dm") return $("#dm");
  let pane = document.getElementById(`pane-${conversation.id}`);
  if (!pane) {
    const title =
      conversation.kind === "channel"
        ? `# ${conversation.id.replace(/^channel:/, "")}`
        : `${tr("group")} · ${conversation.members.map(nameOf).join(", ")}`;
    const headingId = `title-${conversation.id}`;
    const list = el("div", { className: "messages", role: "log" });
    list.setAttribute("aria-labelledby", headingId);
    list.append(el("p", { className: "empty", textContent: tr("channelEmpty") }));
    pane = el(
      "section",
      { className: "channel", id: `pane-${conversation.id}` },
      el("div", { className: "pane-head" }, el("h2", { id: headingId, textContent: title })),
      list,
    );
    $("#others").append(pane);
    $("#others").hidden = false;
  }
  return $(".messages", pane);
}

function placeMessage(list, conversationId, message) {
  const mine = message.from !== "bot";
  const body = el("div", { className: "msg-body" });
  body.innerHTML = message.html; // rendered and escaped by the server's renderer
  const node = el(
    "div",
    { className: `msg ${mine ? "msg-me" : "msg-bot"}` },
    el(
      "div",
      { className: "msg-meta" },
      el("span", { className: "author", textContent: mine ? nameOf(message.from) : tr("bot") }),
      el("time", { textContent: formatTime(message.at, false) }),
    ),
    body,
  );
  node.dataset.id = message.id;
  node.dataset.conversation = conversationId;
  const existing = list.querySelector(`[data-id="${message.id}"]`);
  if (existing) existing.replaceWith(node);
  else {
    list.querySelector(".empty")?.remove();
    list.append(node);
  }
  return !existing;
}

/** Fetches what changed; a poll asked for while one is in flight runs again right after it. */
async function poll() {
  if (!state.as) return;
  if (state.polling) {
    state.pollAgain = true;
    return;
  }
  state.polling = true;
  state.pollAgain = false;
  const generation = state.generation;
  try {
    const data = await api(`conversation?as=${encodeURIComponent(state.as)}&since=${state.rev}`);
    if (!data || generation !== state.generation) return;
    showNow(data.now);
    showWaiting(data.waitingUntil);
    for (const conversation of data.conversations) {
      const list = paneFor(conversation);
      let added = false;
      for (const message of conversation.messages) added = placeMessage(list, conversation.id, message) || added;
      if (added) list.scrollTop = list.scrollHeight;
    }
    state.rev = data.rev;
  } finally {
    state.polling = false;
    if (state.pollAgain) poll();
  }
}

function showNow(iso) {
  state.now = iso;
  $("#now").textContent = formatTime(iso, true);
  $("#now").dateTime = iso;
}

/** Says when the next held-back message goes, so that an empty conversation after a jump is explained. */
function showWaiting(iso) {
  state.waitingUntil = iso ?? null;
  const waiting = $("#waiting");
  waiting.hidden = !iso;
  waiting.textContent = iso ? tr("waiting", { date: formatTime(iso, false) }) : "";
}

async function show(outcome, conversationId) {
  if (!outcome) return;
  if (outcome.type === "form") openForm(outcome.html, conversationId);
  else if (outcome.type === "formErrors") showFormErrors(outcome.errors);
  else if ($("#form-dialog").open) $("#form-dialog").close();
  await poll();
}

function openForm(html, conversationId) {
  const dialog = $("#form-dialog");
  dialog.innerHTML = html; // rendered and escaped by the server's renderer
  const form = $("form", dialog);
  $("[data-cancel]", form).addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v)]));
    const body = { as: state.as, formId: form.dataset.formId, values, conversationId };
    if (form.dataset.meta !== undefined) body.meta = form.dataset.meta;
    await show(await api("form", body), conversationId);
  });
  if (!dialog.open) dialog.showModal();
  $("input, select, textarea", form)?.focus();
}

function showFormErrors(errors) {
  const form = $("#form-dialog form");
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.replaceChildren();
    slot.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const [field, html] of Object.entries(errors)) {
    const slot =
      form.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ?? form.querySelector('[data-error-for=""]');
    slot.insertAdjacentHTML("beforeend", `${slot.hidden ? "" : " "}${html}`); // escaped by the server's renderer
    slot.hidden = false;
    form.querySelector(`[name="${CSS.escape(field)}"]`)?.setAttribute("aria-invalid", "true");
  }
}

$("#composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("#command");
  const text = input.value.trim();
  if (!state.as || text === "" || text === "/binome") return;
  input.value = "/binome ";
  await show(await api("command", { as: state.as, text }), `dm:${state.as}`);
});

/** The person's home (Slack's App Home): their pairs and next check-in, or a programme's health. */
async function openHome() {
  const data = await api(`home?as=${encodeURIComponent(state.as)}`);
  if (!data) return;
  const dialog = $("#form-dialog");
  const body = el("div", { className: "home-body" });
  body.innerHTML = data.html; // rendered and escaped by the server's renderer
  const close = el("button", { type: "button", className: "btn", textContent: tr("close") });
  close.addEventListener("click", () => dialog.close());
  const view = el(
    "section",
    { className: "form home-view" },
    el("h2", { className: "form-title", textContent: tr("homeTitle") }),
    body,
    el("div", { className: "form-buttons" }, close),
  );
  view.dataset.conversation = `dm:${state.as}`;
  dialog.replaceChildren(view);
  if (!dialog.open) dialog.showModal();
}

$("#home-button").addEventListener("click", () => state.as && openHome());

document.addEventListener("click", async (event) => {
  const button = event.target.closest(".msg [data-action-id], .home-view [data-action-id]");
  if (!button || !state.as) return;
  button.disabled = true;
  const conversationId = button.closest("[data-conversation]").dataset.conversation;
  const body = { as: state.as, actionId: button.dataset.actionId, value: button.dataset.value ?? "", conversationId };
  await show(await api("action", body), conversationId);
  button.disabled = false;
});

for (const button of document.querySelectorAll("[data-advance]")) {
  button.addEventListener("click", async () => {
    for (const other of document.querySelectorAll("[data-advance]")) other.disabled = true;
    try {
      const data = await api("clock/advance", { days: Number(button.dataset.advance) });
      if (data) {
        showNow(data.now);
        showWaiting(data.waitingUntil);
      }
    } finally {
      for (const other of document.querySelectorAll("[data-advance]")) other.disabled = false;
    }
    // What the skipped days brought is on its way: look now rather than at the next poll.
    await poll();
  });
}

for (const button of document.querySelectorAll("[data-lang]")) {
  button.addEventListener("click", () => {
    state.lang = button.dataset.lang;
    localStorage.setItem("binome.playground.lang", state.lang);
    applyLanguage();
  });
}

async function start() {
  applyLanguage();
  const data = await api("people");
  if (!data) return;
  state.people = data.people;
  $("#clock-controls").hidden = !data.canAdvance;
  showNow(data.now);
  renderPeople();
  const wanted = new URLSearchParams(location.search).get("as");
  if (wanted && state.people.some((p) => p.userId === wanted)) choose(wanted);
  setInterval(poll, POLL_MS);
}

start();
