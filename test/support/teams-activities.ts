import type { TeamsActivity } from "../../adapters/teams/activity.js";
import type { AdaptiveCard, AdaptiveElement } from "../../adapters/teams/renderer.js";
import { TEST_TENANT_ID } from "./teams-auth.js";

/** A Teams user as activities name them. */
export interface TeamsPerson {
  aadObjectId: string;
  name: string;
  /** Teams' per-app id of the person (`29:…`). */
  id?: string;
  tenantId?: string;
}

/** Where the activity happens: the bot, the conversation and the Bot Connector to answer at. */
export interface TeamsPlace {
  serviceUrl: string;
  conversationId?: string;
  botId?: string;
  locale?: string;
  timeZone?: string;
}

export const TEST_BOT_ID = "28:3f1c2a9e-0b7d-4c55-9d0e-7a1b2c3d4e5f";
let sequence = 0;

/** The fields every activity from a person's 1:1 chat with the bot carries. */
function base(person: TeamsPerson, place: TeamsPlace, id?: string): TeamsActivity {
  const tenantId = person.tenantId ?? TEST_TENANT_ID;
  return {
    type: "message",
    id: id ?? `1700000000${String(++sequence).padStart(3, "0")}`,
    channelId: "msteams",
    serviceUrl: place.serviceUrl,
    from: { id: person.id ?? `29:${person.aadObjectId}`, name: person.name, aadObjectId: person.aadObjectId },
    recipient: { id: place.botId ?? TEST_BOT_ID, name: "binome" },
    conversation: {
      id: place.conversationId ?? `a:personal-${person.aadObjectId}`,
      conversationType: "personal",
      tenantId,
    },
    channelData: { tenant: { id: tenantId } },
    locale: place.locale ?? "fr-FR",
    localTimezone: place.timeZone ?? "Europe/Paris",
    entities: [{ type: "clientInfo", locale: place.locale ?? "fr-FR", timezone: place.timeZone ?? "Europe/Paris" }],
  };
}

/** A message typed in the 1:1 chat. */
export function teamsMessage(person: TeamsPerson, text: string, place: TeamsPlace, id?: string): TeamsActivity {
  return { ...base(person, place, id), type: "message", text };
}

/** The personal install: Teams sends installationUpdate, then conversationUpdate with the bot added. */
export function teamsInstall(person: TeamsPerson, place: TeamsPlace): TeamsActivity[] {
  const b = base(person, place);
  return [
    { ...b, type: "installationUpdate", action: "add", id: `install-${++sequence}` },
    {
      ...b,
      type: "conversationUpdate",
      membersAdded: [{ id: b.recipient?.id ?? TEST_BOT_ID }],
      id: `update-${++sequence}`,
    },
  ];
}

/** The person removed the app. */
export function teamsUninstall(person: TeamsPerson, place: TeamsPlace): TeamsActivity {
  return { ...base(person, place), type: "installationUpdate", action: "remove" };
}

function actionsOf(elements: AdaptiveElement[] | undefined): AdaptiveElement[] {
  const found: AdaptiveElement[] = [];
  for (const element of elements ?? []) {
    if (typeof element.type === "string" && element.type.startsWith("Action.")) found.push(element);
    if (element.type === "ActionSet") found.push(...actionsOf(element.actions as AdaptiveElement[]));
  }
  return found;
}

/** Every action a person can click on a rendered card, in order. */
export function cardActions(card: AdaptiveCard): AdaptiveElement[] {
  return [...actionsOf(card.body), ...actionsOf(card.actions)];
}

/**
 * The activity Teams sends when a person clicks a rendered action, with the values of the card's
 * inputs: `Action.Submit` → a message whose `value` is the data merged with the inputs;
 * `Action.Execute` → an `adaptiveCard/action` invoke (or its `Action.Submit` fallback on old clients).
 */
export function teamsClick(
  card: AdaptiveCard,
  title: string,
  person: TeamsPerson,
  place: TeamsPlace,
  options: { inputs?: Record<string, string | number>; useFallback?: boolean; id?: string } = {},
): TeamsActivity {
  let action = cardActions(card).find((a) => a.title === title);
  if (!action) throw new Error(`no action titled "${title}" on the card`);
  if (options.useFallback && action.fallback) action = action.fallback as AdaptiveElement;
  const data = { ...(action.data as Record<string, unknown>), ...options.inputs };
  const b = base(person, place, options.id);
  if (action.type === "Action.Execute") {
    return {
      ...b,
      type: "invoke",
      name: "adaptiveCard/action",
      replyToId: "card-message-1",
      value: { action: { type: "Action.Execute", verb: action.verb, data }, trigger: "manual" },
    };
  }
  if (action.type === "Action.Submit") {
    return { ...b, type: "message", replyToId: "card-message-1", value: data };
  }
  throw new Error(`cannot click a ${String(action.type)}`);
}
