import type { ChatPort } from "./core/chat-port.js";
import type { Clock } from "./core/clock.js";
import type { Platform } from "./core/ids.js";
import type { Logger } from "./core/logger.js";
import type { Bot } from "./features/commands/router.js";
import type { Route } from "./http/server.js";

/** What every chat adapter gives the composition root: its HTTP routes and its ChatPort. */
export interface ChatAdapter {
  platform: Platform;
  routes: Route[];
  chatPort: ChatPort;
  /** Opens outbound connections (Socket Mode); called once the database is ready. */
  start?(): Promise<void>;
  /** Closes them; called on shutdown. */
  stop?(): Promise<void>;
}

/** What the composition root gives every adapter. */
export interface AdapterDeps {
  bot: Bot;
  clock: Clock;
  log: Logger;
}
