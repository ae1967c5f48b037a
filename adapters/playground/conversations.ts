import type { SentMessage } from "../../src/core/chat-port.js";
import type { Clock } from "../../src/core/clock.js";

/** Who wrote a message: the bot, or the playground user id of the person who typed it. */
export type Author = "bot" | string;

export interface StoredMessage {
  id: string;
  /** Bumped on every append or update, so the page can ask only for what changed. */
  rev: number;
  from: Author;
  html: string;
  /** The card's fallback text, or what the person typed. */
  text: string;
  /** Simulated time of the message (the playground clock may run ahead). */
  at: string;
}

export type ConversationKind = "dm" | "channel" | "group";

export interface Conversation {
  id: string;
  kind: ConversationKind;
  /** Playground user ids who see it; channels are shown by programme role instead. */
  members: string[];
  messages: StoredMessage[];
}

/** The conversation id of a person's direct messages with the bot. */
export const dmId = (userId: string) => `dm:${userId}`;
/** The conversation id of a channel, from the part of `playground:<name>` after the prefix. */
export const channelId = (name: string) => `channel:${name}`;

/**
 * The playground's conversations, kept in memory: the playground is a local demo for one
 * person at a time, what it shows is rebuilt by acting again, and what matters (sessions,
 * pairs) is in the database. Each conversation keeps its last `limit` messages.
 */
export class ConversationStore {
  #conversations = new Map<string, Conversation>();
  #rev = 0;
  #lastId = 0;
  #groups = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limit = 200,
  ) {}

  /** The latest revision: a poll with `since` equal to it has nothing new. */
  get revision(): number {
    return this.#rev;
  }

  /** The conversation with that id, created empty if new. */
  ensure(id: string, kind: ConversationKind, members: string[] = []): Conversation {
    let conversation = this.#conversations.get(id);
    if (!conversation) {
      conversation = { id, kind, members, messages: [] };
      this.#conversations.set(id, conversation);
    }
    return conversation;
  }

  /** Opens a new group conversation for these people. */
  openGroup(members: string[]): Conversation {
    this.#groups += 1;
    return this.ensure(`group:${this.#groups}`, "group", members);
  }

  get(id: string): Conversation | undefined {
    return this.#conversations.get(id);
  }

  /** Groups that this person belongs to. */
  groupsOf(userId: string): Conversation[] {
    return [...this.#conversations.values()].filter((c) => c.kind === "group" && c.members.includes(userId));
  }

  append(conversation: Conversation, from: Author, html: string, text: string): SentMessage {
    this.#lastId += 1;
    const message = { id: `m${this.#lastId}`, rev: ++this.#rev, from, html, text, at: this.clock.now().toISOString() };
    conversation.messages.push(message);
    if (conversation.messages.length > this.limit)
      conversation.messages.splice(0, conversation.messages.length - this.limit);
    return { conversationId: conversation.id, messageId: message.id };
  }

  /** Replaces a message's content; false when it is unknown or has scrolled out of memory. */
  replace(sent: SentMessage, html: string, text: string): boolean {
    const message = this.#conversations.get(sent.conversationId)?.messages.find((m) => m.id === sent.messageId);
    if (!message) return false;
    Object.assign(message, { html, text, rev: ++this.#rev });
    return true;
  }
}
