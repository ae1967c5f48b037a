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
