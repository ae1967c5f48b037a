import type { Card, Form } from "./card.js";
import type { PlatformUser } from "./ids.js";

/** A message the platform accepted; `messageId` lets a later update find it. */
export interface SentMessage {
  conversationId: string;
  messageId: string;
}

/** What a platform tells about a person. */
export interface PersonProfile {
  locale?: string;
  timeZone?: string;
  displayName?: string;
  email?: string;
}

/**
 * What a feature may ask of a chat platform. Optional members are capabilities
 * that some platforms lack (Teams bots cannot open group chats); callers choose the fallback.
 */
export interface ChatPort {
  readonly platform: PlatformUser["platform"];
  /** Sends a card to one person in their 1:1 conversation with the bot. */
  sendDirect(to: PlatformUser, card: Card): Promise<SentMessage>;
  /** Posts a card to a channel (the coordinators' channel). */
  postToChannel(channelId: string, card: Card): Promise<SentMessage>;
  /** Replaces a message that the bot sent before. */
  updateMessage?(message: SentMessage, card: Card): Promise<void>;
  /** Opens a conversation between several people and the bot. */
  openGroup?(people: PlatformUser[]): Promise<{ conversationId: string }>;
  /** Sends into a conversation opened with `openGroup`. */
  sendToConversation?(conversationId: string, card: Card): Promise<SentMessage>;
  /** Opens a form for a person who just acted (needs the platform's short-lived trigger). */
  openForm?(trigger: string, form: Form): Promise<void>;
  /** Looks a person up: locale, time zone, name. */
  lookupPerson?(user: PlatformUser): Promise<PersonProfile | undefined>;
  /**
   * A link that opens a conversation between the person who clicks it and these people (their
   * emails), for platforms where the bot cannot open one itself.
   */
  chatWithLink?(emails: string[]): string;
  /** Finds a person's platform id from their email. */
  lookupByEmail?(email: string): Promise<PlatformUser | undefined>;
}
