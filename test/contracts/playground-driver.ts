// The playground adapter as the contract suites drive it: its JSON API, posted the way page.js posts.
import { createPlaygroundAdapter } from "../../adapters/playground/index.js";
import { renderCard } from "../../adapters/playground/render.js";
import type { DatabaseHandle } from "../../db/client.js";
import { textCard } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import type { InboundEvent } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { applySeed, type SeedSpec } from "../../src/features/participants/seed.js";
import { createHttpServer } from "../../src/http/server.js";
import { createTestDatabase } from "../support/db.js";
import { type AdapterDriver, closeServer, listen, NOW, recordingBot, waitFor } from "./contract.js";

/** Decodes HTML character references as a browser does when it reads an attribute or text. */
export function decodeHtml(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    return named[ref.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/\s([\w-]+)(?:="([^"]*)")?/g)) {
    if (match[1]) found[match[1]] = decodeHtml(match[2] ?? "");
  }
  return found;
}

/** The `data-action-id` and `data-value` of the button the page shows with this label. */
function playgroundButton(html: string, label: string): { actionId: string; value: string } {
  for (const match of html.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)) {
    const attrs = attributes(match[1] ?? "");
    if (decodeHtml(match[2] ?? "") === label && attrs["data-action-id"] !== undefined)
      return { actionId: attrs["data-action-id"], value: attrs["data-value"] ?? "" };
  }
  throw new Error(`no button labelled "${label}" in the playground card`);
}

/** What `new FormData(form)` gives for the rendered form once the person typed `typed`. */
function playgroundFormData(html: string, typed: Record<string, string>) {
  const form = attributes(/<form\b([^>]*)>/.exec(html)?.[1] ?? "");
  const values: Record<string, string> = {};
  for (const match of html.matchAll(/<(input|select|textarea)\b([^>]*)>(?:([\s\S]*?)<\/\1>)?/g)) {
    const [, tag, rawAttrs, content] = match;
    const attrs = attributes(rawAttrs ?? "");
    const name = attrs.name;
    if (!name) continue;
    let initial = "";
    if (tag === "textarea") initial = decodeHtml(content ?? "");
    else if (tag === "input") initial = attrs.value ?? "";
    const options =
      tag === "select" ? [...(content ?? "").matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1] ?? "")) : [];
    if (tag === "select") initial = (options.find((o) => "selected" in o) ?? options[0])?.value ?? "";
    const value = typed[name] ?? initial;
    if (tag === "select" && !options.some((o) => o.value === value))
      throw new Error(`"${value}" is not an option of ${name}`);
    values[name] = value;
  }
  const missing = Object.keys(typed).filter((k) => !(k in values));
  if (missing.length > 0) throw new Error(`the form has no input ${missing.join(", ")}`);
  return { formId: form["data-form-id"] ?? "", meta: form["data-meta"], values };
}

/** Playground ids of the id cases and the contract people, seeded as participants of a programme. */
const playgroundIds = ["lea", "marc", "jean-baptiste", "zoé"];

export const playgroundDriver: AdapterDriver = {
  platform: "playground",
  userOf: (p) => ({ platform: "playground", userId: p.playground }),
  idCases: playgroundIds
    .filter((id) => id !== "marc")
    .map((id) => ({
      name: `the demo person "${id}"`,
      identity: { platform: "playground", userId: id },
      address: { conversation: `dm:${id}` },
    })),
  samePerson: [],
  async start() {
    const handle: DatabaseHandle = await createTestDatabase();
    const seed: SeedSpec = {
      programme: { slug: "contract", name: "Contract" },
      people: playgroundIds.map((id) => ({
        key: id,
        name: id === "lea" ? "Léa Petit" : id === "marc" ? "Marc Dubois" : id,
        email: `${id.normalize("NFD").replace(/[^\w-]/g, "")}@example.org`,
        roles: [id === "marc" ? "mentor" : "mentee"],
        identities: [{ platform: "playground", userId: id }],
      })),
    };
    await applySeed(handle.db, seed);
    const bot = recordingBot();
    const clock = new ManualClock(NOW);
    const adapter = createPlaygroundAdapter({ bot, clock, log: silentLogger, db: handle.db });
    const server = createHttpServer(adapter.routes, silentLogger);
    const base = `${await listen(server)}/playground/api`;

    /** Posts to the playground API the way page.js does (JSON, same origin). */
    async function api(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
      const response = await fetch(`${base}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (response.status !== 200)
        throw new Error(`/playground/api/${path} answered ${response.status}: ${json.error}`);
      return json;
    }
    async function recorded(send: () => Promise<unknown>): Promise<InboundEvent> {
      const before = bot.events.length;
      await send();
      return waitFor(() => bot.events[before], "the core to receive the playground event");
    }

    return {
      events: bot.events,
      arrive(identity) {
        if (identity.platform !== "playground") throw new Error("not a playground identity");
        return recorded(() => api("command", { as: identity.userId, text: "/binome help" }));
      },
      async addressOf(user) {
        const sent = await adapter.chatPort.sendDirect(user, textCard("Bonjour"));
        return { conversation: sent.conversationId };
      },
      click(card, label, as) {
        const { actionId, value } = playgroundButton(renderCard(card), label);
        return recorded(() =>
          api("action", { as: as.playground, actionId, value, conversationId: `dm:${as.playground}` }),
        );
      },
      async submitForm(form, values, as) {
        bot.answerWith({ type: "form", form });
        const shown = await api("command", { as: as.playground, text: "/binome log" });
        bot.answerWith({ type: "none" });
        if (shown.type !== "form") throw new Error(`the playground answered ${String(shown.type)}, not a form`);
        const data = playgroundFormData(String(shown.html), values);
        const body = {
          as: as.playground,
          formId: data.formId,
          values: data.values,
          conversationId: `dm:${as.playground}`,
          ...(data.meta !== undefined ? { meta: data.meta } : {}),
        };
        return [{ way: "dialog form (POST /form)", event: await recorded(() => api("form", body)) }];
      },
      async close() {
        await closeServer(server);
        await handle.close();
      },
    };
  },
};
