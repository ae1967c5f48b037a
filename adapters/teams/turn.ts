import type { CloudAdapter, ConnectorClient, TurnContext } from "@microsoft/agents-hosting";
import type { Clock } from "../../src/core/clock.js";
import type { Actor, Outcome } from "../../src/core/events.js";
import { type Language, pickLanguage, t } from "../../src/core/i18n/index.js";
import type { Logger } from "../../src/core/logger.js";
import type { Bot } from "../../src/features/commands/router.js";
import type { TeamsActivity } from "./activity.js";
import { ADAPTIVE_CARD_CONTENT_TYPE } from "./activity.js";
import { parseActivity } from "./parser.js";
import { type ReferenceStore, referenceOf, type StoredReference } from "./references.js";
import {
  type OutgoingMessage,
  renderAdaptiveCard,
  renderFormCard,
  renderFormMessage,
  renderMessage,
} from "./renderer.js";
import type { Sender } from "./sender.js";
import { formErrorsText, welcomeCard } from "./welcome.js";

/** The body of an `adaptiveCard/action` invoke response (Universal Actions). */
export type InvokeAnswer =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD_CONTENT_TYPE; value: ReturnType<typeof renderAdaptiveCard> }
  | { statusCode: 200; type: "application/vnd.microsoft.activity.message"; value: string };

/** What the turn logic needs. */
export interface TurnDeps {
  adapter: CloudAdapter;
  bot: Bot;
  store: ReferenceStore;
  sender: Sender;
  clock: Clock;
  log: Logger;
  /** How long an `Action.Execute` may take before Teams gets a holding answer (Teams waits 5 s at most). */
  invokeDeadlineMs: number;
}

function message(text: string): InvokeAnswer {
  return { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: text };
}

/** What to post in the chat for an outcome of a typed command or an `Action.Submit`. */
function messageFor(outcome: Outcome, lang: Language): OutgoingMessage | undefined {
  switch (outcome.type) {
    case "reply":
      return renderMessage(outcome.card);
    case "form":
      return renderFormMessage(outcome.form);
    case "formErrors":
      return { type: "message", text: formErrorsText(lang, outcome.errors), textFormat: "markdown" };
    case "none":
      return undefined;
  }
}

/** What to answer an `Action.Execute` with: a card replaces the one clicked; a message is shown beside it. */
function invokeAnswerFor(outcome: Outcome, lang: Language): InvokeAnswer {
  switch (outcome.type) {
    case "reply":
      return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: renderAdaptiveCard(outcome.card) };
    case "form":
      return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: renderFormCard(outcome.form) };
    case "formErrors":
      return message(formErrorsText(lang, outcome.errors));
    case "none":
      return message("");
  }
}

async function answerInvoke(context: TurnContext, body: InvokeAnswer): Promise<void> {
  await context.sendActivity({ type: "invokeResponse", value: { status: 200, body } } as Parameters<
    TurnContext["sendActivity"]
  >[0]);
}

/** Resolves to the promise's value, or to `undefined` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The actor's email, asked of Teams (for people binome does not know yet), so that the core can link
 * them to their participant record by email on first contact.
 */
async function withEmail(deps: TurnDeps, context: TurnContext, activity: TeamsActivity, actor: Actor): Promise<Actor> {
  if (!activity.from?.id || !activity.conversation?.id) return actor;
  try {
    const client = context.turnState.get<ConnectorClient>(deps.adapter.ConnectorClientKey);
    const member = (await client.getConversationMember(activity.from.id, activity.conversation.id)) as {
      email?: string;
      userPrincipalName?: string;
    };
    const email = member.email ?? member.userPrincipalName;
    return email?.includes("@") ? { ...actor, email } : actor;
  } catch (error) {
    deps.log.warn({ err: error, userId: actor.userId }, "Teams member lookup failed; the person stays unknown");
    return actor;
  }
}

/** The turn logic: keep the conversation reference, parse, ask the core, answer the way Teams expects. */
export function createTurnHandler(deps: TurnDeps) {
  return async function handleTurn(context: TurnContext): Promise<void> {
    const activity = context.activity as unknown as TeamsActivity;
    const reference = referenceOf(activity, deps.clock.now());
    const isNewConversation = reference ? await deps.store.save(reference) : false;
    const parsed = parseActivity(activity);
    switch (parsed.kind) {
      case "ignored":
        deps.log.debug({ reason: parsed.reason, type: activity.type }, "Teams activity ignored");
        if (activity.type === "invoke") await answerInvoke(context, message(""));
        return;
      case "installed":
        await deps.store.markReachable(parsed.actor);
        // Why: a personal install sends both installationUpdate and conversationUpdate; greet once per conversation.
        if (isNewConversation)
          await context.sendActivity(
            renderMessage(welcomeCard(pickLanguage(parsed.actor.locale))) as Parameters<TurnContext["sendActivity"]>[0],
          );
        return;
      case "uninstalled":
        await deps.store.markUnreachable(parsed.actor, deps.clock.now());
        if (reference) await deps.store.forget(reference.conversationId);
        return;
      case "event":
        break;
    }
    const { known } = await deps.store.seen(parsed.event.actor);
    const event = known
      ? parsed.event
      : { ...parsed.event, actor: await withEmail(deps, context, activity, parsed.event.actor) };
    const lang = pickLanguage(event.actor.locale);
    if (parsed.via === "message") {
      const reply = messageFor(await deps.bot.handle(event), lang);
      if (reply) await context.sendActivity(reply as Parameters<TurnContext["sendActivity"]>[0]);
      return;
    }
    const handling = deps.bot.handle(event);
    const outcome = await within(handling, deps.invokeDeadlineMs);
    if (outcome) return answerInvoke(context, invokeAnswerFor(outcome, lang));
    await answerInvoke(context, message(t(lang, "teams.pending")));
    if (reference) void deliverLate(deps, reference, handling, lang);
  };
}

/** Posts an outcome that missed the invoke deadline as a new message in the conversation. */
async function deliverLate(
  deps: TurnDeps,
  reference: StoredReference,
  handling: Promise<Outcome>,
  lang: Language,
): Promise<void> {
  try {
    const late = messageFor(await handling, lang);
    if (late) await deps.sender.send(reference, late);
  } catch (error) {
    deps.log.error({ err: error, conversationId: reference.conversationId }, "late Teams answer failed");
  }
}
