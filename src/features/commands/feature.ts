import type { Database } from "../../../db/client.js";
import type { Block } from "../../core/card.js";
import type { Clock } from "../../core/clock.js";
import type { Outcome } from "../../core/events.js";
import type { Logger } from "../../core/logger.js";
import type { Caller } from "./caller.js";

/** What every feature receives: the database, the clock and the log. Features add their own needs. */
export interface FeatureDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  /** Tells the outbox worker that new messages are waiting (it also polls). */
  outboxChanged: () => void;
}

/**
 * Runs a use case's writes as one transaction, so a crash or a failed query leaves all of them
 * or none: an answer is never saved without the messages it owes. The outbox worker is woken
 * only after the commit, when it can see the new rows.
 */
export async function inTransaction<D extends Pick<FeatureDeps, "db" | "outboxChanged">, T>(
  deps: D,
  work: (deps: D) => Promise<T>,
): Promise<T> {
  let changed = false;
  const result = await deps.db.transaction((tx) =>
    work({
      ...deps,
      db: tx as unknown as Database,
      outboxChanged: () => {
        changed = true;
      },
    }),
  );
  if (changed) deps.outboxChanged();
  return result;
}

/** `/binome <name> <args>` for a known caller. */
export type CommandHandler = (caller: Caller, args: string, deps: FeatureDeps) => Promise<Outcome>;
/** A click on a button whose action id the feature owns. */
export type ActionHandler = (caller: Caller, value: string, deps: FeatureDeps) => Promise<Outcome>;
/** A submitted form the feature opened. */
export type FormHandler = (
  caller: Caller,
  values: Record<string, string>,
  deps: FeatureDeps,
  meta?: string,
) => Promise<Outcome>;

/**
 * Typed messages are offered to every feature twice: first to take one that is a valid answer,
 * then, if none did, to give a hint about what would be understood.
 */
export type FreeTextPass = "answer" | "hint";

/** A capability as the router sees it: the commands, buttons and forms it answers, and its help lines. */
export interface Feature {
  commands?: Record<string, CommandHandler>;
  /** Other words for a command (French words, short forms). */
  aliases?: Record<string, string>;
  /** By exact action id, or by prefix when the key ends with `*`. */
  actions?: Record<string, ActionHandler>;
  forms?: Record<string, FormHandler>;
  /** Command names, form ids and action ids that a known participant enrolled nowhere yet may use (`join`). */
  forNewcomers?: string[];
  /**
   * A typed message that names no command (a DM reply such as "oui" or "4"): the feature's outcome,
   * or undefined when it is not for this feature.
   */
  freeText?: (caller: Caller, text: string, deps: FeatureDeps, pass: FreeTextPass) => Promise<Outcome | undefined>;
  /**
   * When the feature last asked the caller something a typed reply would answer (an open check-in,
   * a survey's current question), or undefined. The most recent question gets the reply first.
   */
  awaitingSince?: (caller: Caller, deps: FeatureDeps) => Promise<Date | undefined>;
  /** The feature's part of the person's home view (Slack App Home). */
  home?: (caller: Caller, deps: FeatureDeps) => Promise<Block[]>;
  /** Lines of `/binome help` this caller may use. */
  help?(caller: Caller): string[];
}
