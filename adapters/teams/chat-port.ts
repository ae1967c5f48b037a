import type { Card } from "../../src/core/card.js";
import type { ChatPort, SentMessage } from "../../src/core/chat-port.js";
import type { PlatformUser } from "../../src/core/ids.js";
import type { ReferenceStore } from "./references.js";
import { renderMessage } from "./renderer.js";
import type { Sender } from "./sender.js";

/** Accepts a channel as `teams:<conversation id>` (the neutral form) or as Teams' own id. */
function conversationIdOf(channelId: string): string {
  return channelId.startsWith("teams:") ? channelId.slice("teams:".length) : channelId;
}

/**
 * What features may ask of Teams. No `openGroup`: a Teams bot cannot create a group chat; introduce
 * a pair with a 1:1 card to each person. No `openForm`: forms are sent as cards in the chat.
 */
export function createTeamsChatPort(sender: Sender, store: ReferenceStore): ChatPort {
  async function postTo(conversationId: string, card: Card): Promise<SentMessage> {
    const stored = await store.conversation(conversationId);
    if (!stored)
      throw new Error(`no Teams conversation reference for ${conversationId}: the app must be installed there first`);
    return { conversationId, messageId: await sender.send(stored, renderMessage(card)) };
  }
  return {
    platform: "teams",
    sendDirect: (to: PlatformUser, card: Card) => sender.sendDirect(to, renderMessage(card)),
    // Teams' documented deep link to a new chat; the person who clicks is always part of it.
    chatWithLink: (emails) =>
      `https://teams.microsoft.com/l/chat/0/0?users=${emails.map(encodeURIComponent).join(",")}`,
    postToChannel: (channelId, card) => postTo(conversationIdOf(channelId), card),
    async updateMessage(message, card) {
      const stored = await store.conversation(message.conversationId);
      if (!stored) throw new Error(`no Teams conversation reference for ${message.conversationId}`);
      await sender.send(stored, renderMessage(card), message.messageId);
    },
  };
}
