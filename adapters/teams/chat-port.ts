import type { Card } from "../../src/core/card.js";
import type { ChatPort, SentMessage } from "../../src/core/chat-port.js";
import { PermanentDeliveryError, RecipientUnreachableError } from "../../src/core/errors.js";
import type { PlatformUser } from "../../src/core/ids.js";
import type { ReferenceStore } from "./references.js";
import { renderMessage } from "./renderer.js";
import { deliveryError, httpStatusOf, type Sender } from "./sender.js";

/** Accepts a channel as `teams:<conversation id>` (the neutral form) or as Teams' own id. */
function conversationIdOf(channelId: string): string {
  return channelId.startsWith("teams:") ? channelId.slice("teams:".length) : channelId;
}

/**
 * What features may ask of Teams. No `openGroup`: a Teams bot cannot create a group chat; introduce
 * a pair with a 1:1 card to each person. No `openForm`: forms are sent as cards in the chat.
 */
export function createTeamsChatPort(sender: Sender, store: ReferenceStore): ChatPort {
  /** Into a conversation binome was told of (a channel, a chat), or a message there replaced. */
  async function into(conversationId: string, card: Card, updateId?: string): Promise<string> {
    const stored = await store.conversation(conversationId);
    // Why permanent: no retry installs the app there; the coordinators hear of it through the dead letter.
    if (!stored)
      throw new PermanentDeliveryError(
        `no Teams conversation reference for ${conversationId}: the app must be installed there first`,
      );
    try {
      return await sender.send(stored, renderMessage(card), updateId);
    } catch (error) {
      if (httpStatusOf(error) !== 403) throw deliveryError(error);
      // A 1:1 chat refused: its person blocked or removed binome. Elsewhere: binome was removed from it.
      if (stored.conversationType === "personal" && stored.userId)
        throw new RecipientUnreachableError({
          platform: "teams",
          userId: stored.userId,
          ...(stored.tenantId ? { tenantId: stored.tenantId } : {}),
        });
      throw new PermanentDeliveryError(`Teams refused (403): binome is no longer in ${conversationId}`);
    }
  }
  async function postTo(conversationId: string, card: Card): Promise<SentMessage> {
    return { conversationId, messageId: await into(conversationId, card) };
  }
  return {
    platform: "teams",
    sendDirect: (to: PlatformUser, card: Card) => sender.sendDirect(to, renderMessage(card)),
    // Teams' documented deep link to a new chat; the person who clicks is always part of it.
    chatWithLink: (emails) =>
      `https://teams.microsoft.com/l/chat/0/0?users=${emails.map(encodeURIComponent).join(",")}`,
    postToChannel: (channelId, card) => postTo(conversationIdOf(channelId), card),
    async updateMessage(message, card) {
      await into(message.conversationId, card, message.messageId);
    },
  };
}
