import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import type { Database } from "../../db/client.js";
import type { AdapterDeps } from "../../src/adapters.js";
import type { Clock } from "../../src/core/clock.js";
import type { Actor, InboundEvent, Outcome } from "../../src/core/events.js";
import { nextDueAt } from "../../src/features/outbox/outbox.repository.js";
import type { Route } from "../../src/http/server.js";
import { readBody, send, sendJson } from "../../src/http/server.js";
import { type Conversation, type ConversationStore, channelId, dmId } from "./conversations.js";
import { refusal } from "./loopback.js";
import { findPlaygroundPerson, listPlaygroundPeople, type PlaygroundPerson } from "./people.js";
import { escapeHtml, inline, renderCard, renderForm } from "./render.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const ASSETS: Record<string, { file: string; type: string }> = {
  "/playground": { file: "page.html", type: "text/html; charset=utf-8" },
  "/playground/page.css": { file: "page.css", type: "text/css; charset=utf-8" },
  "/playground/cards.css": { file: "cards.css", type: "text/css; charset=utf-8" },
  "/playground/page.js": { file: "page.js", type: "text/javascript; charset=utf-8" },
  "/playground/page-text.js": { file: "page-text.js", type: "text/javascript; charset=utf-8" },
};
// The page is served as files, with no inline script, so this policy can forbid every other script.
const CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'none'";

/** Folder of the page's files: next to this module in the sources; in the sources too when running from dist. */
function assetsFolder(): string {
  for (const candidate of ["./", "../../../adapters/playground/"]) {
    const folder = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${folder}page.html`)) return folder;
  }
  throw new Error("adapters/playground/page.html not found");
}

function loadAssets(): Map<string, { body: string; type: string }> {
  const folder = assetsFolder();
  return new Map(
    Object.entries(ASSETS).map(([path, a]) => [
      path,
      { body: readFileSync(`${folder}${a.file}`, "utf8"), type: a.type },
    ]),
  );
}

/** An inbound event before the adapter says who acted and where. */
type Doing = InboundEvent extends infer E ? (E extends unknown ? Omit<E, "actor" | "origin"> : never) : never;

type Advanceable = Clock & { advance(ms: number): void };
const canAdvance = (clock: Clock): clock is Advanceable =>
  typeof (clock as Partial<Advanceable>).advance === "function";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  // Requiring JSON makes a cross-site form post need a CORS preflight, which is never granted.
  if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
    throw new HttpError(415, "send application/json");
  try {
    const body = JSON.parse(await readBody(req, 100_000)) as unknown;
    if (body && typeof body === "object" && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {}
  throw new HttpError(400, "the body is not a JSON object");
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");

function stringRecord(value: unknown): Record<string, string> {
  const entries = value && typeof value === "object" ? Object.entries(value) : [];
  return Object.fromEntries(entries.map(([k, v]) => [k, str(v)]));
}

/** The `/binome` a person types is the command's name on Slack and Teams, not part of the text. */
export function commandText(typed: string): string {
  return typed
    .trim()
    .replace(/^\/binome(?=\s|$)/i, "")
    .trim();
}

/** The playground's page and JSON API, all under `/playground`, refused to anything but this machine. */
export function playgroundRoutes(
  deps: AdapterDeps & {
    db: Database;
    store: ConversationStore;
    clockMoved?: (from: Date, to: Date) => Promise<void>;
  },
): Route[] {
  const { db, store, bot, clock } = deps;
  const assets = loadAssets();

  async function personOf(userId: string): Promise<PlaygroundPerson> {
    const person = userId ? await findPlaygroundPerson(db, userId) : undefined;
    if (!person) throw new HttpError(404, `nobody in the playground is called ${JSON.stringify(userId)}`);
    return person;
  }

  function visibleTo(person: PlaygroundPerson): Conversation[] {
    return [
      store.ensure(dmId(person.userId), "dm", [person.userId]),
      ...person.channels.map((name) => store.ensure(channelId(name), "channel")),
      ...store.groupsOf(person.userId),
    ];
  }

  const actorOf = (person: PlaygroundPerson): Actor => ({
    platform: "playground",
    userId: person.userId,
    displayName: person.name,
    ...(person.language ? { locale: person.language } : {}),
  });

  /** Hands the event to the core and shows a reply where the person acted. */
  async function act(person: PlaygroundPerson, where: Conversation, event: Doing) {
    const actor = actorOf(person);
    const outcome: Outcome = await bot.handle({ ...event, actor, origin: { conversationId: where.id } });
    switch (outcome.type) {
      case "reply":
        return { type: "reply", ...store.append(where, "bot", renderCard(outcome.card), outcome.card.fallback) };
      case "form":
        return { type: "form", html: renderForm(outcome.form) };
      case "formErrors":
        // Messages as HTML, so that `45m` shows as code beside the input as it does in cards.
        return {
          type: "formErrors",
          errors: Object.fromEntries(Object.entries(outcome.errors).map(([k, v]) => [k, inline(v)])),
        };
      case "none":
        return { type: "none" };
    }
  }

  /**
   * When the next message held back (working hours, a public holiday, a pause, the weekly cap) is
   * due, if one is: the page says so, so that a newcomer who moved the clock knows why nothing came.
   */
  async function waitingUntil(): Promise<string | null> {
    const next = await nextDueAt(db);
    return next && next.getTime() > clock.now().getTime() ? next.toISOString() : null;
  }

  /** The conversation the page says the person acted in, if they may see it; their DM otherwise. */
  function origin(person: PlaygroundPerson, conversationId: unknown): Conversation {
    const visible = visibleTo(person);
    return visible.find((c) => c.id === conversationId) ?? (visible[0] as Conversation);
  }

  async function api(req: IncomingMessage, path: string, query: URLSearchParams): Promise<unknown> {
    const endpoint = `${req.method} ${path.slice("/playground/api".length)}`;
    switch (endpoint) {
      case "GET /people":
        return {
          now: clock.now().toISOString(),
          canAdvance: canAdvance(clock),
          people: await listPlaygroundPeople(db),
        };
      case "GET /conversation": {
        const person = await personOf(query.get("as") ?? "");
        const since = Number(query.get("since") ?? 0) || 0;
        const conversations = visibleTo(person).map((c) => ({
          ...c,
          messages: c.messages.filter((m) => m.rev > since),
        }));
        return {
          now: clock.now().toISOString(),
          waitingUntil: await waitingUntil(),
          rev: store.revision,
          conversations,
        };
      }
      case "GET /home": {
        // The playground's App Home: what Slack shows in binome's Home tab, shown beside the chat, never posted in it.
        const person = await personOf(query.get("as") ?? "");
        const outcome = await bot.handle({
          type: "home",
          actor: actorOf(person),
          origin: { conversationId: dmId(person.userId) },
        });
        return { html: outcome.type === "reply" ? renderCard(outcome.card) : "" };
      }
      case "POST /command": {
        const body = await readJson(req);
        const person = await personOf(str(body.as));
        const dm = store.ensure(dmId(person.userId), "dm", [person.userId]);
        const typed = str(body.text).slice(0, 10_000);
        store.append(dm, person.userId, `<p class="typed">${escapeHtml(typed)}</p>`, typed);
        return act(person, dm, { type: "command", text: commandText(typed) });
      }
      case "POST /action": {
        const body = await readJson(req);
        const person = await personOf(str(body.as));
        return act(person, origin(person, body.conversationId), {
          type: "action",
          actionId: str(body.actionId),
          value: str(body.value),
        });
      }
      case "POST /form": {
        const body = await readJson(req);
        const person = await personOf(str(body.as));
        const meta = typeof body.meta === "string" ? { meta: body.meta } : {};
        return act(person, origin(person, body.conversationId), {
          type: "form",
          formId: str(body.formId),
          values: stringRecord(body.values),
          ...meta,
        });
      }
      case "POST /clock/advance": {
        const days = Number((await readJson(req)).days);
        if (!canAdvance(clock)) throw new HttpError(409, "this clock cannot move");
        if (!Number.isInteger(days) || days < 1 || days > 366)
          throw new HttpError(400, "days: a whole number from 1 to 366");
        const from = clock.now();
        clock.advance(days * DAY_MS);
        // The check-ins and nudges that the skipped days would have brought are written before we answer.
        await deps.clockMoved?.(from, clock.now());
        return { now: clock.now().toISOString(), waitingUntil: await waitingUntil() };
      }
      default:
        throw new HttpError(404, `no ${endpoint}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = refusal(req);
    if (refused) return send(res, 403, `${refused}\n`);
    const url = new URL(req.url ?? "/", "http://playground.local");
    const path = url.pathname.replace(/\/$/, "");
    const asset = req.method === "GET" ? assets.get(path) : undefined;
    if (asset) {
      res.setHeader("content-security-policy", CSP);
      return send(res, 200, asset.body, asset.type);
    }
    if (!path.startsWith("/playground/api/")) return send(res, 404, "not found\n");
    try {
      sendJson(res, 200, await api(req, path, url.searchParams));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendJson(res, error.status, { error: error.message });
    }
  }

  return [{ method: "*", path: "/playground/*", handler: handle }];
}
