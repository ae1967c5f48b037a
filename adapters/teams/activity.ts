/** The parts of a Bot Framework activity that binome reads, as Teams sends them (plain JSON). */
export interface TeamsAccount {
  /** Teams' id of the person in this conversation (`29:…`) or of the bot (`28:<app id>`). */
  id: string;
  name?: string;
  /** The person's Microsoft Entra (AAD) object id: stable across conversations and apps. */
  aadObjectId?: string;
  role?: string;
}

/** The conversation of an activity: a 1:1 chat (`personal`), a group chat or a channel. */
export interface TeamsConversation {
  id: string;
  conversationType?: string;
  tenantId?: string;
  isGroup?: boolean;
}

/** A mention, or the `clientInfo` entity with the client's locale and time zone. */
export interface TeamsEntity {
  type: string;
  mentioned?: TeamsAccount;
  text?: string;
  locale?: string;
  timezone?: string;
}

/** An activity as Teams posts it to `/api/messages`. */
export interface TeamsActivity {
  type: string;
  id?: string;
  name?: string;
  action?: string;
  channelId?: string;
  serviceUrl?: string;
  text?: string;
  value?: unknown;
  locale?: string;
  localTimezone?: string;
  replyToId?: string;
  from?: TeamsAccount;
  recipient?: TeamsAccount;
  conversation?: TeamsConversation;
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
  entities?: TeamsEntity[];
  channelData?: { tenant?: { id?: string }; [key: string]: unknown };
}

/** The Bot Framework channel id of Microsoft Teams. */
export const TEAMS_CHANNEL_ID = "msteams";
/** The attachment type (and invoke response type) of an Adaptive Card. */
export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
