import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { inboundEvents } from "../../../db/schema.js";
import { type Block, textCard } from "../../core/card.js";
import type { Clock } from "../../core/clock.js";
import { UserFacingError } from "../../core/errors.js";
import type { InboundEvent, Outcome } from "../../core/events.js";
import { t } from "../../core/i18n/index.js";
import { type Logger, silentLogger } from "../../core/logger.js";
import { difficultiesFeature } from "../difficulties/difficulties.feature.js";
import { digestFeature } from "../digest/digest.feature.js";
import { engagementFeature } from "../engagement/engagement.feature.js";
import { enrolmentFeature } from "../enrolment/enrolment.feature.js";
import { matchingFeature } from "../matching/matching.feature.js";
import { programmesFeature } from "../programmes/programmes.feature.js";
import { sessionsFeature } from "../sessions/sessions.feature.js";
import { surveysFeature } from "../surveys/surveys.feature.js";
import { actorLanguage, type Caller, resolveCaller } from "./caller.js";
import type { ActionHandler, Feature, FeatureDeps } from "./feature.js";
import { helpCard } from "./help.js";

export interface BotDeps {
  db: Database;
  clock: Clock;
  log?: Logger;
  /** The capabilities to serve; the foundation's by default. */
  features?: Feature[];
  /** Called when a feature wrote outbox rows, so that delivery starts at once. */
  outboxChanged?: () => void;
}

/** The core as adapters see it: one neutral event in, one outcome for the actor out. */
export interface Bot {
  handle(event: InboundEvent): Promise<Outcome>;
}

/** The features binome serves when none are given. */
export const defaultFeatures: Feature[] = [
  sessionsFeature,
  matchingFeature,
  programmesFeature,
  enrolmentFeature,
  difficultiesFeature,
  // Before engagement: a typed reply that answers the survey in progress is the survey's.
  surveysFeature,
  engagementFeature,
  digestFeature,
];

/** Records a delivery id; false when it was already handled. */
async function claimDelivery(db: Database, key: string, at: Date): Promise<boolean> {
  const rows = await db.insert(inboundEvents).values({ key, receivedAt: at }).onConflictDoNothing().returning();
  return rows.length > 0;
}

async function releaseDelivery(db: Database, key: string): Promise<void> {
  await db.delete(inboundEvents).where(eq(inboundEvents.key, key));
}

/**
 * The features in the order a typed reply is offered to them: the one that asked its question
 * last first (the person answers what they just read), then the others as registered.
 */
async function byLatestQuestion(features: Feature[], caller: Caller, deps: FeatureDeps): Promise<Feature[]> {
  const since = await Promise.all(features.map((f) => f.awaitingSince?.(caller, deps) ?? undefined));
  const at = (i: number) => since[i]?.getTime() ?? Number.NEGATIVE_INFINITY;
  return features
    .map((feature, i) => ({ feature, i }))
    .sort((a, b) => at(b.i) - at(a.i) || a.i - b.i)
    .map(({ feature }) => feature);
}

function findAction(features: Feature[], actionId: string): ActionHandler | undefined {
  for (const feature of features) {
    for (const [key, handler] of Object.entries(feature.actions ?? {})) {
      if (key === actionId || (key.endsWith("*") && actionId.startsWith(key.slice(0, -1)))) return handler;
    }
  }
  return undefined;
}

/** Builds the core: routes each event to its feature and turns user-facing errors into a sentence. */
export function createBot(deps: BotDeps): Bot {
  const features = deps.features ?? defaultFeatures;
  const featureDeps: FeatureDeps = {
    db: deps.db,
    clock: deps.clock,
    log: deps.log ?? silentLogger,
    outboxChanged: deps.outboxChanged ?? (() => {}),
  };
  const commands = Object.assign({}, ...features.map((f) => f.commands ?? {}));
  const aliases: Record<string, string> = Object.assign(
    { aide: "help", "?": "help" },
    ...features.map((f) => f.aliases ?? {}),
  );
  const forms = Object.assign({}, ...features.map((f) => f.forms ?? {}));
  const forNewcomers = new Set(features.flatMap((f) => f.forNewcomers ?? []));

  /** The command, form or action an event names, as features register it. */
  function nameOf(event: InboundEvent): string {
    if (event.type === "form") return event.formId;
    if (event.type === "action") return event.actionId;
    if (event.type === "home") return "home";
    const word = (event.text.trim().split(/\s+/)[0] ?? "").toLowerCase();
    return aliases[word] ?? word;
  }

  async function route(event: InboundEvent, caller: Caller): Promise<Outcome> {
    switch (event.type) {
      case "command": {
        const text = event.text.trim();
        if (text === "") return { type: "reply", card: textCard(t(caller.language, "command.empty")) };
        const word = text.split(/\s+/)[0] ?? "";
        const name = nameOf(event);
        if (name === "help") {
          // `/binome help me …` (`aide moi …`) is a private call for help, not the list of commands.
          const rest = text.slice(word.length).trim();
          const me = /^(me|moi)(\s+|$)/i.exec(rest);
          if (me && commands.difficulty)
            return commands.difficulty(caller, rest.slice(me[0].length).trim(), featureDeps);
          return { type: "reply", card: helpCard(caller, features) };
        }
        const handler = commands[name];
        if (!handler) {
          // Not a command: perhaps a typed answer to something binome asked.
          const asking = await byLatestQuestion(features, caller, featureDeps);
          for (const pass of ["answer", "hint"] as const) {
            for (const feature of asking) {
              const outcome = await feature.freeText?.(caller, text, featureDeps, pass);
              if (outcome) return outcome;
            }
          }
          throw new UserFacingError("command.unknown", { command: word.slice(0, 40) });
        }
        return handler(caller, text.slice(word.length).trim(), featureDeps);
      }
      case "form": {
        const handler = forms[event.formId];
        return handler ? handler(caller, event.values, featureDeps, event.meta) : { type: "none" };
      }
      case "action": {
        const handler = findAction(features, event.actionId);
        return handler ? handler(caller, event.value, featureDeps) : { type: "none" };
      }
      case "home": {
        const blocks: Block[] = [{ type: "header", text: "binome" }];
        for (const feature of features) blocks.push(...((await feature.home?.(caller, featureDeps)) ?? []));
        return { type: "reply", card: { fallback: t(caller.language, "help.title"), blocks } };
      }
    }
  }

  return {
    async handle(event) {
      const deliveryKey = event.deliveryId ? `${event.actor.platform}:${event.deliveryId}` : undefined;
      if (deliveryKey && !(await claimDelivery(deps.db, deliveryKey, deps.clock.now()))) {
        featureDeps.log.info({ deliveryId: event.deliveryId }, "duplicate delivery ignored");
        return { type: "none" };
      }
      let caller: Caller | undefined;
      try {
        caller = await resolveCaller(deps.db, event.actor, { allowUnenrolled: forNewcomers.has(nameOf(event)) });
        return await route(event, caller);
      } catch (error) {
        const lang = caller?.language ?? actorLanguage(event.actor);
        if (error instanceof UserFacingError)
          return { type: "reply", card: textCard(t(lang, error.key, error.params)) };
        featureDeps.log.error({ err: error, type: event.type }, "event failed");
        // Let the platform's retry of this delivery try again.
        if (deliveryKey) await releaseDelivery(deps.db, deliveryKey).catch(() => {});
        return { type: "reply", card: textCard(t(lang, "command.internal")) };
      }
    },
  };
}
