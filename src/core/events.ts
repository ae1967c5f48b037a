import type { PlatformUser } from "./ids.js";

/** Who did something, with what the platform told us about them. */
export interface Actor extends PlatformUser {
  /** BCP 47 locale from the platform (`fr-FR`, `en-US`), when it says. */
  locale?: string;
  /** IANA time zone from the platform, when it says. */
  timeZone?: string;
  displayName?: string;
  email?: string;
}

/** Where the person acted: lets a reply land in the same place. */
export interface Origin {
  conversationId?: string;
}

interface EventBase {
  actor: Actor;
  origin: Origin;
  /**
   * The platform's id for this delivery (Slack `event_id`, Teams activity id) when it may be
   * delivered again; the core handles each delivery id once.
   */
  deliveryId?: string;
}

/** Everything a person can do to binome, whatever the platform. */
export type InboundEvent = EventBase &
  (
    | { type: "command"; text: string }
    | { type: "action"; actionId: string; value: string }
    | { type: "form"; formId: string; values: Record<string, string>; meta?: string }
    /** The person opened binome's home (Slack App Home): the answer is a card to show there. */
    | { type: "home" }
  );

/** What the core asks the adapter to show the actor in answer to an event. */
export type Outcome =
  | { type: "reply"; card: import("./card.js").Card }
  | { type: "form"; form: import("./card.js").Form }
  /** A form submission was refused: messages per input id, shown beside the inputs. */
  | { type: "formErrors"; errors: Record<string, string> }
  | { type: "none" };
