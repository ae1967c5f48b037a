import type { CloudAdapter, TurnContext } from "@microsoft/agents-hosting";
import type { Clock } from "../../src/core/clock.js";
import { PermanentDeliveryError, RateLimitedError, RecipientUnreachableError } from "../../src/core/errors.js";
import type { PlatformUser } from "../../src/core/ids.js";
import type { Logger } from "../../src/core/logger.js";
import { TEAMS_CHANNEL_ID } from "./activity.js";
import { PacerPool, paced, TEAMS_LIMITS } from "./limits.js";
import type { ReferenceStore, StoredReference } from "./references.js";
import type { OutgoingMessage } from "./renderer.js";

type ConversationReference = Parameters<CloudAdapter["continueConversation"]>[1];
type ConversationParameters = Parameters<CloudAdapter["createConversationAsync"]>[4];

/** The Bot Connector's status on a failed call (the SDK's HttpError carries it). */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** How long a 429 asks to wait: its `Retry-After` (seconds), else a second or two. */
function retryAfterMsOf(error: unknown): number {
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | null } } }).response?.headers;
  const seconds = Number(headers?.get?.("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : 1_000 + Math.random() * 1_000;
}

/**
 * A failed Bot Connector call in the core's terms: 429 → wait and try again (the worker keeps the
 * message's attempts); 400, 404 and 413 → no retry will help; 412, 5xx and network errors pass
 * through and are retried with backoff. A 403 is the caller's to judge (a person, or a channel).
 */
export function deliveryError(error: unknown): unknown {
  const status = httpStatusOf(error);
  if (status === 429) return new RateLimitedError(retryAfterMsOf(error), "Teams rate limit (429)");
  if (status === 400 || status === 404 || status === 413)
    return new PermanentDeliveryError(`Teams refused the message (${status})`);
  return error;
}

function conversationReferenceOf(stored: StoredReference): ConversationReference {
  return {
    channelId: TEAMS_CHANNEL_ID,
    serviceUrl: stored.serviceUrl,
    agent: { id: stored.botId },
    conversation: {
      id: stored.conversationId,
      conversationType: stored.conversationType,
      ...(stored.tenantId ? { tenantId: stored.tenantId } : {}),
    },
    ...(stored.channelUserId
      ? { user: { id: stored.channelUserId, ...(stored.userId ? { aadObjectId: stored.userId } : {}) } }
      : {}),
  };
}

/**
 * Runs `logic` in a proactive turn and gives back its result or its error. Why: the SDK hands errors
 * thrown in a turn to `onTurnError` and returns normally, so a 403 would otherwise vanish.
 */
async function inTurn<T>(
  start: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
  logic: (context: TurnContext) => Promise<T>,
): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  await start(async (context) => {
    try {
      outcome = { ok: true, value: await logic(context) };
    } catch (error) {
      outcome = { ok: false, error };
    }
  });
  if (!outcome) throw new Error("the proactive turn did not run");
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** What the proactive sender needs. */
export interface SenderDeps {
  adapter: CloudAdapter;
  store: ReferenceStore;
  clock: Clock;
  log: Logger;
  /** Our app id, or undefined for local tools without authentication. */
  appId: string | undefined;
  /** Wall-clock milliseconds for pacing to Teams' limits (tests and benches may pass their own). */
  now?: () => number;
}

/** Sends messages outside of a request: into a stored conversation, or a new 1:1 chat. */
export function createSender({ adapter, store, clock, log, appId, now = Date.now }: SenderDeps) {
  // Why: continueConversation needs a truthy identity; one without `aud` means "no token" to the SDK.
  const identity = appId ?? {};
  const perConversation = new PacerPool(TEAMS_LIMITS.conversation, now);
  const perTenant = new PacerPool(TEAMS_LIMITS.tenant, now);

  /** Posts (or replaces) a message in the proactive turn's conversation, within Teams' limits. */
  async function post(context: TurnContext, message: OutgoingMessage, updateId?: string): Promise<string> {
    const conversation = context.activity.conversation;
    await paced([perTenant.of(conversation?.tenantId ?? ""), perConversation.of(conversation?.id ?? "")]);
    if (updateId) {
      await context.updateActivity({ ...message, id: updateId } as Parameters<TurnContext["updateActivity"]>[0]);
      return updateId;
    }
    // Why: in a proactive turn the SDK makes each message a reply to its made-up continuation activity id.
    context.onSendActivities(async (_context, activities, next) => {
      for (const activity of activities) delete activity.replyToId;
      return next();
    });
    return (await context.sendActivity(message as Parameters<TurnContext["sendActivity"]>[0]))?.id ?? "";
  }

  async function send(stored: StoredReference, message: OutgoingMessage, updateId?: string): Promise<string> {
    return inTurn(
      (logic) => adapter.continueConversation(identity, conversationReferenceOf(stored), logic),
      (context) => post(context, message, updateId),
    );
  }

  /** Opens a 1:1 chat with someone binome never talked to, through another conversation of their tenant. */
  async function openPersonal(
    user: PlatformUser,
    via: StoredReference,
    message: OutgoingMessage,
  ): Promise<{ conversationId: string; messageId: string }> {
    const parameters = {
      isGroup: false,
      agent: { id: via.botId },
      members: [{ id: user.userId, aadObjectId: user.userId }],
      tenantId: user.tenantId,
      channelData: { tenant: { id: user.tenantId } },
    } as unknown as ConversationParameters;
    await paced([perTenant.of(user.tenantId ?? "")]);
    return inTurn(
      (logic) =>
        adapter.createConversationAsync(
          appId ?? "",
          TEAMS_CHANNEL_ID,
          via.serviceUrl,
          "https://api.botframework.com",
          parameters,
          logic,
        ),
      async (context) => {
        const conversationId = context.activity.conversation?.id ?? "";
        await store.save({
          platform: "teams",
          conversationId,
          conversationType: "personal",
          userId: user.userId,
          channelUserId: null,
          tenantId: user.tenantId ?? null,
          serviceUrl: via.serviceUrl,
          botId: via.botId,
          updatedAt: clock.now(),
        });
        return { conversationId, messageId: await post(context, message) };
      },
    );
  }

  return {
    send,
    /**
     * Sends to a person's 1:1 chat, opening it when needed. A 403 (bot blocked or removed) marks them
     * unreachable and throws RecipientUnreachableError; later sends throw it without calling Teams.
     */
    async sendDirect(
      user: PlatformUser,
      message: OutgoingMessage,
    ): Promise<{ conversationId: string; messageId: string }> {
      if (await store.isUnreachable(user)) throw new RecipientUnreachableError(user);
      try {
        const stored = await store.personal(user.userId);
        if (stored) return { conversationId: stored.conversationId, messageId: await send(stored, message) };
        const via = user.tenantId ? await store.anyInTenant(user.tenantId) : undefined;
        if (!via)
          throw new Error(
            `no Teams conversation with ${user.userId} and no service URL known for tenant ${user.tenantId ?? "(none)"}`,
          );
        return await openPersonal(user, via, message);
      } catch (error) {
        if (httpStatusOf(error) !== 403) throw deliveryError(error);
        log.warn(
          { userId: user.userId, tenantId: user.tenantId },
          "Teams refused to deliver (403): person marked unreachable",
        );
        await store.markUnreachable(user, clock.now());
        throw new RecipientUnreachableError(user);
      }
    },
  };
}

/** The proactive sender of a Teams adapter. */
export type Sender = ReturnType<typeof createSender>;
