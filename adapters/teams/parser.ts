import type { Actor, InboundEvent } from "../../src/core/events.js";
import { encodePersonRef } from "../../src/core/ids.js";
import type { TeamsActivity } from "./activity.js";
import { teamsUserOf, tenantOf } from "./ids.js";
import { DATA_ACTION_ID, DATA_FORM_ID, DATA_KIND, DATA_META, DATA_VALUE } from "./renderer.js";

/** What an activity asks of binome; `via` says how Teams waits for the answer. */
export type ParsedActivity =
  | { kind: "event"; event: InboundEvent; via: "message" | "invoke" }
  /** The app was added (personal install or to a team): greet. */
  | { kind: "installed"; actor: Actor }
  /** The person removed the app: stop messaging them. */
  | { kind: "uninstalled"; actor: Actor }
  | { kind: "ignored"; reason: string };

const ENTITIES: Record<string, string> = {
  "&nbsp;": " ",
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&apos;": "'",
};

/** The person who acted, with the locale and time zone Teams reports for their client. */
export function actorOf(activity: TeamsActivity): Actor | undefined {
  if (!activity.from?.id) return undefined;
  const clientInfo = activity.entities?.find((e) => e.type === "clientInfo");
  const actor: Actor = teamsUserOf(activity.from, tenantOf(activity));
  const locale = activity.locale ?? clientInfo?.locale;
  const timeZone = activity.localTimezone ?? clientInfo?.timezone;
  if (locale) actor.locale = locale;
  if (timeZone) actor.timeZone = timeZone;
  if (activity.from.name) actor.displayName = activity.from.name;
  return actor;
}

/**
 * The command in a message's text: mentions of the bot dropped, mentions of people turned into the
 * core's `<@teams:tenant:aad>` (or `@Name` when Teams gives no AAD id), entities decoded, and a leading
 * `binome` or `/binome` removed, so that `help`, `binome help` and `/binome help` are the same command.
 */
export function commandText(activity: TeamsActivity): string {
  let text = activity.text ?? "";
  const tenantId = tenantOf(activity);
  for (const entity of activity.entities ?? []) {
    if (entity.type !== "mention" || !entity.text || !entity.mentioned) continue;
    let replacement = "";
    if (entity.mentioned.id !== activity.recipient?.id) {
      const aad = entity.mentioned.aadObjectId;
      replacement =
        aad && !aad.includes(":")
          ? `<@${encodePersonRef(teamsUserOf(entity.mentioned, tenantId))}>`
          : `@${(entity.mentioned.name ?? "").replace(/\s+/g, "")}`;
    }
    text = text.replace(entity.text, ` ${replacement} `);
  }
  text = text
    .replace(/<at>[^<]*<\/at>/g, " ")
    .replace(/<(?!@)[^>]+>/g, " ")
    .replace(/&(nbsp|amp|lt|gt|quot|#39|apos);/g, (e) => ENTITIES[e] ?? e)
    .replace(/[ \t\u00a0]+/g, " ")
    .trim();
  return text.replace(/^\/?binome\b\s*/i, "");
}

/** Splits the data of a clicked action into binome's keys and the values of the card's inputs. */
function eventFromData(
  data: Record<string, unknown>,
):
  | { type: "action"; actionId: string; value: string }
  | { type: "form"; formId: string; values: Record<string, string>; meta?: string }
  | undefined {
  const kind = data[DATA_KIND];
  if (kind === "action" && typeof data[DATA_ACTION_ID] === "string") {
    return {
      type: "action",
      actionId: data[DATA_ACTION_ID],
      value: typeof data[DATA_VALUE] === "string" ? data[DATA_VALUE] : "",
    };
  }
  if (kind === "form" && typeof data[DATA_FORM_ID] === "string") {
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(data)) {
      if (key.startsWith("binome.")) continue;
      // Why: Teams sends an Input.Number as a number and may add its own objects (`msteams`).
      if (typeof value === "string") values[key] = value;
      else if (typeof value === "number") values[key] = String(value);
    }
    const meta = data[DATA_META];
    return typeof meta === "string"
      ? { type: "form", formId: data[DATA_FORM_ID], values, meta }
      : { type: "form", formId: data[DATA_FORM_ID], values };
  }
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Turns a Teams activity into what binome should do. Pure: reads only the activity.
 * - `message` with text → command; `message` with `value` → an `Action.Submit` click.
 * - `invoke` named `adaptiveCard/action` → an `Action.Execute` click (answered in the HTTP response).
 * - `installationUpdate` add/remove, `conversationUpdate` adding the bot → install or uninstall.
 */
export function parseActivity(activity: TeamsActivity): ParsedActivity {
  const actor = actorOf(activity);
  if (!actor) return { kind: "ignored", reason: "no sender" };
  const origin = activity.conversation?.id ? { conversationId: activity.conversation.id } : {};
  const delivery = activity.id ? { deliveryId: activity.id } : {};
  switch (activity.type) {
    case "message": {
      // Why: Teams sends an Action.Submit click as a message whose `value` holds the data and inputs.
      if (isRecord(activity.value)) {
        const clicked = eventFromData(activity.value);
        if (!clicked) return { kind: "ignored", reason: "card data binome did not render" };
        return { kind: "event", via: "message", event: { ...clicked, actor, origin, ...delivery } };
      }
      return {
        kind: "event",
        via: "message",
        event: { type: "command", text: commandText(activity), actor, origin, ...delivery },
      };
    }
    case "invoke": {
      if (activity.name !== "adaptiveCard/action" || !isRecord(activity.value))
        return { kind: "ignored", reason: `invoke ${activity.name ?? ""}` };
      const action = activity.value.action;
      const clicked = isRecord(action) && isRecord(action.data) ? eventFromData(action.data) : undefined;
      if (!clicked) return { kind: "ignored", reason: "card data binome did not render" };
      return { kind: "event", via: "invoke", event: { ...clicked, actor, origin, ...delivery } };
    }
    case "installationUpdate":
      if (activity.action?.startsWith("add")) return { kind: "installed", actor };
      if (activity.action?.startsWith("remove")) return { kind: "uninstalled", actor };
      return { kind: "ignored", reason: `installationUpdate ${activity.action ?? ""}` };
    case "conversationUpdate": {
      const botId = activity.recipient?.id;
      if (botId && activity.membersAdded?.some((m) => m.id === botId)) return { kind: "installed", actor };
      return { kind: "ignored", reason: "conversationUpdate without the bot" };
    }
    default:
      return { kind: "ignored", reason: activity.type };
  }
}
