import type { Bot } from "./router.js";

/**
 * Runs the core one event at a time, letting Node's event loop turn between events. For PGlite,
 * whose queries run on the main thread: many events at once would otherwise block every socket
 * until all are done, and a platform waiting for its 3-second acknowledgement would wait for
 * the whole burst. PGlite has a single session anyway, so nothing runs slower in total.
 */
export function oneEventAtATime(bot: Bot): Bot {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    handle(event) {
      const turn = queue.then(() =>
        new Promise<void>((resolve) => setImmediate(resolve)).then(() => bot.handle(event)),
      );
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
