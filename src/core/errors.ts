import type { MessageKey } from "./i18n/index.js";

/**
 * A problem a person can fix, with the catalog key of the sentence that tells them how.
 * Features throw it; adapters show `t(locale, key, params)` to the person.
 */
export class UserFacingError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
    /** For form submissions: the input the message belongs beside. */
    readonly field?: string,
  ) {
    super(key);
    this.name = "UserFacingError";
  }
}

/** A configuration problem found at start: the process reports it and stops. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * The platform refuses to deliver to this person (they blocked or removed the bot). A ChatPort throws it
 * instead of retrying; the caller stops messaging them and tells the coordinators.
 */
export class RecipientUnreachableError extends Error {
  override name = "RecipientUnreachableError";
  constructor(readonly recipient: import("./ids.js").PlatformUser) {
    super(`${recipient.platform} user ${recipient.userId} cannot be reached`);
  }
}

/** The platform asked binome to slow down; try again after `retryAfterMs`. */
export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(
    readonly retryAfterMs: number,
    message = "rate limited",
  ) {
    super(message);
  }
}

/** A delivery that will never succeed as it is (channel gone, bot not in channel, bad payload): park it. */
export class PermanentDeliveryError extends Error {
  override name = "PermanentDeliveryError";
}
