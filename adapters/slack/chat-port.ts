import type { webApi } from "@slack/bolt";
import type { Card, Form } from "../../src/core/card.js";
import type { ChatPort, PersonProfile, SentMessage } from "../../src/core/chat-port.js";
import type { PlatformUser } from "../../src/core/ids.js";
import { slackChannelId, slackUser, slackUserId } from "./ids.js";
import { renderMessage, renderModal } from "./render.js";

interface SlackUserInfo {
  tz?: string;
  locale?: string;
  real_name?: string;
  profile?: { email?: string; real_name?: string; display_name?: string };
}

/** The ChatPort on Slack's Web API. */
export class SlackChatPort implements ChatPort {
  readonly platform = "slack" as const;
  constructor(private readonly client: webApi.WebClient) {}

  async sendDirect(to: PlatformUser, card: Card): Promise<SentMessage> {
    // A user id as channel posts into the app's DM with that person.
    return this.post(slackUserId(to), card);
  }

  postToChannel(channelId: string, card: Card): Promise<SentMessage> {
    return this.post(slackChannelId(channelId), card);
  }

  sendToConversation(conversationId: string, card: Card): Promise<SentMessage> {
    return this.post(conversationId, card);
  }

  async updateMessage(message: SentMessage, card: Card): Promise<void> {
    await this.client.chat.update({ channel: message.conversationId, ts: message.messageId, ...renderMessage(card) });
  }

  async openGroup(people: PlatformUser[]): Promise<{ conversationId: string }> {
    const result = await this.client.conversations.open({ users: people.map(slackUserId).join(",") });
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
    const result = await this.client.chat.postMessage({ channel, ...renderMessage(card) });
    if (!result.ts || !result.channel) throw new Error("chat.postMessage returned no message id");
    return { conversationId: result.channel, messageId: result.ts };
  }
}
