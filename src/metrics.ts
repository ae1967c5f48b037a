import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { Bot } from "./features/commands/router.js";

/** Prometheus metrics of one binome process: Node's defaults and what people asked of the bot. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "binome_" });
  const events = new Counter({
    name: "binome_events_total",
    help: "Events handled by the core, by platform, event type and outcome",
    labelNames: ["platform", "type", "outcome"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "binome_event_duration_seconds",
    help: "Time the core took to handle an event",
    labelNames: ["platform", "type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  /** The same bot, counted and timed. */
  function instrument(bot: Bot): Bot {
    return {
      async handle(event) {
        const stop = duration.startTimer({ platform: event.actor.platform, type: event.type });
        try {
          const outcome = await bot.handle(event);
          events.inc({ platform: event.actor.platform, type: event.type, outcome: outcome.type });
          return outcome;
        } finally {
          stop();
        }
      },
    };
  }

  return { registry, instrument };
}
