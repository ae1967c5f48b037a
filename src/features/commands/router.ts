import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { inboundEvents } from "../../../db/schema.js";
import { textCard } from "../../core/card.js";
import type { Clock } from "../../core/clock.js";
import { UserFacingError } from "../../core/errors.js";
import type { InboundEvent, Outcome } from "../../core/events.js";
import { t } from "../../core/i18n/index.js";
import { decodePersonRef } from "../../core/ids.js";
import { type Logger, silentLogger } from "../../core/logger.js";
import { findParticipantByIdentity } from "../participants/participants.repository.js";
import { LOG_FORM_ID } from "../sessions/sessions.cards.js";
import { listSessions, logSession, submitLogForm } from "../sessions/sessions.usecases.js";
import { actorLanguage, type Caller, resolveCaller } from "./caller.js";
import { helpCard } from "./help.js";

export interface BotDeps {
  db: Database;
  clock: Clock;
  log?: Logger;
}

/** The core as adapters see it: one neutral event in, one outcome for the actor out. */
export interface Bot {
  handle(event: InboundEvent): Promise<Outcome>;
}

/** A mention in neutral command text: `<@slack:T1:U2>`. Adapters turn platform mentions into this. */
const MENTION = /^<@([^>|\s]+)(?:\|[^>]*)?>$/;

type CommandHandler = (caller: Caller, args: string, deps: Required<BotDeps>) => Promise<Outcome>;

const aliases: Record<string, string> = { aide: "help", "?": "help", note: "log", noter: "log", "séances": "sessions", seances: "sessions" };

const commands: Record<string, CommandHandler> = {
  help: async (caller) => ({ type: "reply", card: helpCard(caller) }),
  log: async (caller, args, deps) => {
    const first = args.trim().split(/\s+/)[0] ?? "";
    const mention = MENTION.exec(first);
    if (!mention?.[1]) return logSession(deps, caller, args);
    const user = decodePersonRef(mention[1]);
    const participant = user ? await findParticipantByIdentity(deps.db, user.platform, user.userId) : undefined;
    // A mention of someone binome does not know still names a person who is not the caller's mentee.
    const label = participant ? `@${participant.name}` : t(caller.language, "log.unknownPerson");
    return logSession(deps, caller, args, { participantId: participant?.id, label });
  },
  sessions: async (caller, _args, deps) => listSessions(deps, caller),
};

/** Records a delivery id; false when it was already handled. */
async function claimDelivery(db: Database, key: string, at: Date): Promise<boolean> {
  const rows = await db.insert(inboundEvents).values({ key, receivedAt: at }).onConflictDoNothing().returning();
  return rows.length > 0;
}

async function releaseDelivery(db: Database, key: string): Promise<void> {
  await db.delete(inboundEvents).where(eq(inboundEvents.key, key));
}

/** Builds the core: routes each event to its feature and turns user-facing errors into a sentence. */
export function createBot(deps: BotDeps): Bot {
  const full: Required<BotDeps> = { log: silentLogger, ...deps };
  async function route(event: InboundEvent, caller: Caller): Promise<Outcome> {
    switch (event.type) {
      case "command": {
        const text = event.text.trim();
        if (text === "") return { type: "reply", card: textCard(t(caller.language, "command.empty")) };
        const word = text.split(/\s+/)[0] ?? "";
        const name = aliases[word.toLowerCase()] ?? word.toLowerCase();
        const handler = commands[name];
        if (!handler) throw new UserFacingError("command.unknown", { command: word.slice(0, 40) });
        return handler(caller, text.slice(word.length).trim(), full);
      }
      case "form":
        if (event.formId === LOG_FORM_ID) return submitLogForm(full, caller, event.values);
        return { type: "none" };
      case "action":
        return { type: "none" };
    }
  }
  return {
    async handle(event) {
      const deliveryKey = event.deliveryId ? `${event.actor.platform}:${event.deliveryId}` : undefined;
      if (deliveryKey && !(await claimDelivery(full.db, deliveryKey, full.clock.now()))) {
        full.log.info({ deliveryId: event.deliveryId }, "duplicate delivery ignored");
        return { type: "none" };
      }
      let caller: Caller | undefined;
      try {
        caller = await resolveCaller(full.db, event.actor);
        return await route(event, caller);
      } catch (error) {
        const lang = caller?.language ?? actorLanguage(event.actor);
        if (error instanceof UserFacingError) return { type: "reply", card: textCard(t(lang, error.key, error.params)) };
        full.log.error({ err: error, type: event.type }, "event failed");
        // Let the platform's retry of this delivery try again.
        if (deliveryKey) await releaseDelivery(full.db, deliveryKey).catch(() => {});
        return { type: "reply", card: textCard(t(lang, "command.internal")) };
      }
    },
  };
}
