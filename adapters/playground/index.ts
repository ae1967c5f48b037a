import type { Database } from "../../db/client.js";
import type { AdapterDeps, ChatAdapter } from "../../src/adapters.js";
import type { Card } from "../../src/core/card.js";
import type { ChatPort, SentMessage } from "../../src/core/chat-port.js";
import type { Clock, OffsetClock } from "../../src/core/clock.js";
import { playgroundRoutes } from "./api.js";
import { ConversationStore, channelId, dmId } from "./conversations.js";
import { findPlaygroundPerson } from "./people.js";
import { renderCard } from "./render.js";

export interface PlaygroundDeps extends AdapterDeps {
  db: Database;
  /** An OffsetClock lets the page move time forward; any other clock just shows the date. */
  clock: OffsetClock | Clock;
  /** Called after the page moved the clock: runs the scheduled work the jump skipped. */
  clockMoved?: (from: Date, to: Date) => Promise<void>;
}

function unknownConversation(conversationId: string): Error {
  return new Error(`no playground conversation ${conversationId}`);
}

/** The ChatPort of the playground: every message lands in a conversation the page polls. */
export function playgroundChatPort(store: ConversationStore, db: Database): ChatPort {
  const sendTo = (conversationId: string, card: Card): SentMessage => {
    const conversation = store.get(conversationId);
    if (!conversation) throw unknownConversation(conversationId);
    return store.append(conversation, "bot", renderCard(card), card.fallback);
  };
  return {
    platform: "playground",
    async sendDirect(to, card) {
      const conversation = store.ensure(dmId(to.userId), "dm", [to.userId]);
      return store.append(conversation, "bot", renderCard(card), card.fallback);
    },
    async postToChannel(channel, card) {
      return store.append(store.ensure(channelId(channel), "channel"), "bot", renderCard(card), card.fallback);
    },
    async updateMessage(message, card) {
      if (!store.replace(message, renderCard(card), card.fallback)) throw unknownConversation(message.conversationId);
    },
    async openGroup(people) {
      return { conversationId: store.openGroup(people.map((p) => p.userId)).id };
    },
    async sendToConversation(conversationId, card) {
      return sendTo(conversationId, card);
    },
    async lookupPerson(user) {
      const person = await findPlaygroundPerson(db, user.userId);
      return person ? { displayName: person.name, ...(person.language ? { locale: person.language } : {}) } : undefined;
    },
  };
}

/**
 * The third adapter: a local web page at `/playground` where a newcomer acts as any person with a
 * playground identity, types `/binome` commands and sees the bot's cards as HTML.
 */
export function createPlaygroundAdapter(deps: PlaygroundDeps): ChatAdapter {
  const store = new ConversationStore(deps.clock);
  return {
    platform: "playground",
    routes: playgroundRoutes({ ...deps, store }),
    chatPort: playgroundChatPort(store, deps.db),
  };
}
