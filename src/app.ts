import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import pino from "pino";
import { type DatabaseHandle, openDatabase } from "../db/client.js";
import type { ChatAdapter } from "./adapters.js";
import { type Clock, OffsetClock, systemClock } from "./core/clock.js";
import type { Logger } from "./core/logger.js";
import type { Env } from "./env.js";
import { attentionGate } from "./features/attention/gate.js";
import { closingTask } from "./features/closing/closing.task.js";
import { createBot } from "./features/commands/router.js";
import { oneEventAtATime } from "./features/commands/serial.js";
import { digestTask } from "./features/digest/digest.task.js";
import { engagementTask } from "./features/engagement/due-work.js";
import { OutboxWorker } from "./features/outbox/outbox.worker.js";
import { surveysTask } from "./features/surveys/surveys.task.js";
import { createHttpServer, type Route, send } from "./http/server.js";
import { createMetrics } from "./metrics.js";
import { createScheduler, type Scheduler, schedulerHousekeeping } from "./scheduler/index.js";

export interface RunningBinome {
  server: Server;
  url: string;
  db: DatabaseHandle;
  adapters: ChatAdapter[];
  close(): Promise<void>;
}

/** A pino logger at the configured level, JSON to stdout. */
export function createLogger(env: Pick<Env, "LOG_LEVEL">): Logger {
  return pino({ level: env.LOG_LEVEL, base: { app: "binome" } }) as unknown as Logger;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Starts binome: the HTTP server first (so /healthz answers 503 while starting), then the
 * database and its migrations, the core, and each adapter the configuration enables.
 */
export async function startBinome(env: Env, log: Logger = createLogger(env), clock?: Clock): Promise<RunningBinome> {
  const metrics = createMetrics();
  let ready = false;
  const routes: Route[] = [
    {
      method: "GET",
      path: "/healthz",
      handler: (_req, res) => send(res, ready ? 200 : 503, ready ? "ok\n" : "starting\n"),
    },
    {
      method: "GET",
      path: "/metrics",
      handler: async (_req, res) => send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType),
    },
  ];
  const server = createHttpServer(routes, log);
  // The playground acts as anyone: it listens on loopback only.
  const host = env.HOST ?? (env.playground ? "127.0.0.1" : "0.0.0.0");
  await listen(server, env.PORT, host);
  const address = server.address() as AddressInfo;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}`;
  log.info({ url }, "listening");

  let db: DatabaseHandle | undefined;
  let outbox: OutboxWorker | undefined;
  let scheduler: Scheduler | undefined;
  const adapters: ChatAdapter[] = [];
  try {
    db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
    const time = clock ?? (env.playground ? new OffsetClock(systemClock) : systemClock);
    const worker: { current?: OutboxWorker } = {};
    const scheduled: { current?: Scheduler } = {};
    const core = createBot({ db: db.db, clock: time, log, outboxChanged: () => worker.current?.kick() });
    const bot = metrics.instrument(db.kind === "pglite" ? oneEventAtATime(core) : core);
    const deps = { bot, clock: time, log };
    // Adapters are loaded only when configured: each SDK costs a few hundred milliseconds at start.
    if (env.slack && env.SLACK_BOT_TOKEN) {
      const { createSlackAdapter } = await import("../adapters/slack/index.js");
      adapters.push(
        createSlackAdapter({
          ...deps,
          botToken: env.SLACK_BOT_TOKEN,
          signingSecret: env.SLACK_SIGNING_SECRET,
          appToken: env.SLACK_APP_TOKEN,
          apiUrl: env.SLACK_API_URL,
        }),
      );
    }
    if (env.TEAMS_APP_ID || env.TEAMS_DEV_NO_AUTH) {
      const { createTeamsAdapter } = await import("../adapters/teams/index.js");
      adapters.push(createTeamsAdapter({ ...deps, db: db.db, env }));
    }
    if (env.playground) {
      const [{ createPlaygroundAdapter }, { seedDemoIfEmpty }, { seedDemoProfiles }] = await Promise.all([
        import("../adapters/playground/index.js"),
        import("./features/demo/demo-programme.js"),
        import("./features/demo/demo-profiles.js"),
      ]);
      if (await seedDemoIfEmpty(db.db)) log.info("empty database: demo programme seeded for the playground");
      await seedDemoProfiles(db.db, time);
      adapters.push(
        createPlaygroundAdapter({
          ...deps,
          db: db.db,
          clockMoved: async (from, to) => {
            await scheduled.current?.catchUpAll(from, to);
            worker.current?.kick();
          },
        }),
      );
    }
    for (const adapter of adapters) {
      await adapter.start?.();
      routes.push(...adapter.routes);
    }
    outbox = new OutboxWorker({
      db: db.db,
      clock: time,
      log,
      ports: adapters.map((a) => a.chatPort),
      leaseMs: env.OUTBOX_LEASE_MS,
      gate: attentionGate(db.db),
    });
    worker.current = outbox;
    outbox.start(env.OUTBOX_POLL_MS);
    if (env.SCHEDULER === "on") {
      const replicaId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
      scheduler = createScheduler({
        db: db.db,
        clock: time,
        log,
        replicaId,
        tasks: [
          schedulerHousekeeping,
          engagementTask(() => worker.current?.kick()),
          surveysTask(() => worker.current?.kick()),
          digestTask(() => worker.current?.kick()),
          closingTask(env.DATA_DIR, () => worker.current?.kick()),
        ],
      });
      scheduled.current = scheduler;
      scheduler.start();
    }
  } catch (error) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await db?.close();
    throw error;
  }
  const database = db;
  ready = true;
  log.info({ database: database.kind, adapters: adapters.map((a) => a.platform) }, "binome is ready");

  let closing: Promise<void> | undefined;
  return {
    server,
    url,
    db: database,
    adapters,
    close() {
      closing ??= (async () => {
        ready = false;
        const closed = new Promise((resolve) => server.close(resolve));
        // Requests in flight get a moment to finish; idle keep-alive sockets go now.
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), 5000);
        await closed;
        clearTimeout(timer);
        await scheduler?.stop();
        await outbox?.stop();
        for (const adapter of adapters) await adapter.stop?.();
        await database.close();
      })();
      return closing;
    },
  };
}
