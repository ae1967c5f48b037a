import type { webApi } from "@slack/bolt";
import type { Card, Form } from "../../src/core/card.js";
import type { ChatPort, PersonProfile, SentMessage } from "../../src/core/chat-port.js";
import { PermanentDeliveryError, RateLimitedError, RecipientUnreachableError } from "../../src/core/errors.js";
import type { PlatformUser } from "../../src/core/ids.js";
import { slackChannelId, slackUser, slackUserId } from "./ids.js";
import { CallPacer, KeyedPacer, SLACK_POST_MESSAGE, SLACK_TIERS } from "./limits.js";
import { renderMessage, renderModal } from "./render.js";

interface SlackUserInfo {
  tz?: string;
  locale?: string;
  real_name?: string;
  profile?: { email?: string; real_name?: string; display_name?: string };
}

/** Slack errors that mean this person cannot be written to any more. */
const UNREACHABLE = new Set([
  "user_not_found",
  "account_inactive",
  "user_disabled",
  "cannot_dm_bot",
  "user_is_restricted",
]);
/** Slack errors that no retry will fix. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_blocks",
  "msg_too_long",
  "no_text",
  "invalid_auth",
  "not_authed",
  "missing_scope",
  // chat.update of a message that was deleted, or that the bot may not edit.
  "message_not_found",
  "cant_update_message",
]);

/** Translates a Web API failure into the core's delivery errors; other errors pass through (retried). */
export function deliveryError(error: unknown, to?: PlatformUser): unknown {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e.code === "slack_webapi_rate_limited_error")
    return new RateLimitedError((e.retryAfter ?? 1) * 1000, "Slack rate limit");
  const code = e.data?.error;
  if (code && UNREACHABLE.has(code) && to) return new RecipientUnreachableError(to);
  if (code && PERMANENT.has(code)) return new PermanentDeliveryError(`Slack refused: ${code}`);
  return error;
}

/**
 * The ChatPort on Slack's Web API. It paces `conversations.open` (Tier 3) and `chat.postMessage`
 * per channel (one a second) to stay under Slack's documented limits. Posts also have a
 * workspace-wide limit without a published number: with `postMessagePerMinute` they are paced to
 * a number of one's own; beyond it Slack answers 429 and the outbox waits for its Retry-After.
 */
export class SlackChatPort implements ChatPort {
  readonly platform = "slack" as const;
  readonly #openPacer: CallPacer;
  readonly #postPacer: CallPacer | undefined;
  readonly #channelPacers: KeyedPacer;

  constructor(
    private readonly client: webApi.WebClient,
    options: {
      conversationsOpenPerMinute?: number;
      postMessagePerMinute?: number;
      /** Slack's minute; benchmarks shrink it (the per-channel second shrinks with it). */
      windowMs?: number;
    } = {},
  ) {
    const minute = options.windowMs ?? 60_000;
    this.#openPacer = new CallPacer(options.conversationsOpenPerMinute ?? SLACK_TIERS.tier3, minute);
    if (options.postMessagePerMinute) this.#postPacer = new CallPacer(options.postMessagePerMinute, minute);
    this.#channelPacers = new KeyedPacer(SLACK_POST_MESSAGE.perChannelPerSecond, minute / 60);
  }

  async sendDirect(to: PlatformUser, card: Card): Promise<SentMessage> {
    // A user id as channel posts into the app's DM with that person.
    try {
      return await this.post(slackUserId(to), card);
    } catch (error) {
      throw deliveryError(error, to);
    }
  }

  async postToChannel(channelId: string, card: Card): Promise<SentMessage> {
    try {
      return await this.post(slackChannelId(channelId), card);
    } catch (error) {
      throw deliveryError(error);
    }
  }

  async sendToConversation(conversationId: string, card: Card): Promise<SentMessage> {
    try {
      return await this.post(conversationId, card);
    } catch (error) {
      throw deliveryError(error);
    }
  }

  async updateMessage(message: SentMessage, card: Card): Promise<void> {
    try {
      await this.client.chat.update({ channel: message.conversationId, ts: message.messageId, ...renderMessage(card) });
    } catch (error) {
      // As for posts: a rate limit waits for Retry-After, a refusal is not retried.
      throw deliveryError(error);
    }
  }

  async openGroup(people: PlatformUser[]): Promise<{ conversationId: string }> {
    const answered = await this.#openPacer.take();
    const result = await this.client.conversations
      .open({ users: people.map(slackUserId).join(",") })
      .catch((error: unknown) => {
        const translated = deliveryError(error, people[0]);
        if (translated instanceof RateLimitedError) this.#openPacer.pause(translated.retryAfterMs);
        throw translated;
      })
      .finally(answered);
    const id = result.channel?.id;
    if (!id) throw new Error("conversations.open returned no channel");
    return { conversationId: id };
  }

  async openForm(trigger: string, form: Form): Promise<void> {
    await this.client.views.open({ trigger_id: trigger, view: renderModal(form) as never });
  }

  async lookupPerson(user: PlatformUser): Promise<PersonProfile | undefined> {
    const result = await this.client.users.info({ user: slackUserId(user), include_locale: true });
    const info = result.user as SlackUserInfo | undefined;
    if (!info) return undefined;
    const profile: PersonProfile = {};
    if (info.locale) profile.locale = info.locale;
    if (info.tz) profile.timeZone = info.tz;
    const name = info.profile?.real_name || info.real_name;
    if (name) profile.displayName = name;
    if (info.profile?.email) profile.email = info.profile.email;
    return profile;
  }

  async lookupByEmail(email: string): Promise<PlatformUser | undefined> {
    try {
      const result = await this.client.users.lookupByEmail({ email });
      const id = result.user?.id;
      return id ? slackUser(result.user?.team_id, id) : undefined;
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === "users_not_found") return undefined;
      throw error;
    }
  }

  private async post(channel: string, card: Card): Promise<SentMessage> {
    // Why no wait here after a 429: the pacers run on wall time, the outbox on its clock (which
    // tests and the playground move); the outbox reschedules the message at the Retry-After.
    const channelAnswered = await this.#channelPacers.take(channel);
    const workspaceAnswered = (await this.#postPacer?.take()) ?? (() => {});
    try {
      const result = await this.client.chat.postMessage({ channel, ...renderMessage(card) });
      if (!result.ts || !result.channel) throw new Error("chat.postMessage returned no message id");
      return { conversationId: result.channel, messageId: result.ts };
    } finally {
      channelAnswered();
      workspaceAnswered();
    }
  }
}
