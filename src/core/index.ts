export * from "./card.js";
export * from "./chat-port.js";
export * from "./clock.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./i18n/index.js";
export * from "./ids.js";
export * from "./logger.js";
