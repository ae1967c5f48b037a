import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, webApi } from "@slack/bolt";
import type { AdapterDeps, ChatAdapter } from "../../src/adapters.js";
import type { Card } from "../../src/core/card.js";
import type { PersonProfile } from "../../src/core/chat-port.js";
import { ConfigError } from "../../src/core/errors.js";
import type { Actor, Outcome } from "../../src/core/events.js";
import type { Logger } from "../../src/core/logger.js";
import { send } from "../../src/http/server.js";
import { AfterAck } from "./after-ack.js";
import { SlackChatPort } from "./chat-port.js";
import { neutralMentions, slackUser } from "./ids.js";
import { renderHomeBlocks, renderMessage, renderModal, viewValues } from "./render.js";

export interface SlackAdapterOptions extends AdapterDeps {
  botToken: string;
  /** HTTP mode: requests are verified with it. */
  signingSecret?: string | undefined;
  /** Socket Mode when set. */
  appToken?: string | undefined;
  /** Web API base, with a trailing slash. */
  apiUrl: string;
  /** Slack's Tier 3 by default; benchmarks shrink the window to run faster. */
  conversationsOpenPerMinute?: number;
  pacingWindowMs?: number;
}

const PROFILE_TTL_MS = 60 * 60 * 1000;

function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const line =
    (fn: (msg: string) => void) =>
    (...msg: unknown[]) =>
      fn(msg.map(String).join(" "));
  return {
    debug: line((m) => log.debug({ component: "bolt" }, m)),
    info: line((m) => log.info({ component: "bolt" }, m)),
    warn: line((m) => log.warn({ component: "bolt" }, m)),
    error: line((m) => log.error({ component: "bolt" }, m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** Text typed in a DM to the bot, as a command: `binome log …` or `/binome log …` work like `log …`. */
export function commandFromMessage(text: string): string {
  return text.trim().replace(/^\/?binome\b\s*/i, "");
}

/**
 * The Slack adapter: Bolt's receiver verifies and parses, the core decides, the renderer shapes
 * Block Kit. Slash commands and clicks are acknowledged first, then answered through `response_url`.
 */
export function createSlackAdapter(options: SlackAdapterOptions): ChatAdapter & { started: () => boolean } {
  const { bot, clock, log } = options;
  const logger = boltLogger(log.child({ adapter: "slack" }));
  const slackApiUrl = options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/`;
  // Bounded retries: the Web API client's default keeps retrying for about half an hour. Rate
  // limits surface as errors so that the outbox reschedules at Retry-After instead of blocking.
  const client = new webApi.WebClient(options.botToken, {
    slackApiUrl,
    logger,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    rejectRateLimitedCalls: true,
    // A hung call would hold an outbox lane until its lease ran out; 15 s is far beyond Slack's usual answer.
    timeout: 15_000,
  });
  const chatPort = new SlackChatPort(client, {
    ...(options.conversationsOpenPerMinute ? { conversationsOpenPerMinute: options.conversationsOpenPerMinute } : {}),
    ...(options.pacingWindowMs ? { windowMs: options.pacingWindowMs } : {}),
  });
  const profiles = new Map<string, { at: number; profile: PersonProfile | undefined }>();
  let app: App | undefined;
  // Four commands' work at a time: enough to overlap database and Slack round trips.
  let receiving = 0;
  const afterAck = new AfterAck(
    4,
    (error) => log.error({ err: error }, "slack command failed after its ack"),
    () => receiving > 0,
  );
  let receiver: HTTPReceiver | undefined;

  async function actorFor(teamId: string | undefined, userId: string): Promise<Actor> {
    const now = clock.now().getTime();
    let cached = profiles.get(userId);
    if (!cached || now - cached.at > PROFILE_TTL_MS) {
      const profile = await chatPort.lookupPerson(slackUser(teamId, userId)).catch((error: unknown) => {
        log.warn({ err: error, userId }, "users.info failed; answering without the person's locale");
        return undefined;
      });
      cached = { at: now, profile };
      profiles.set(userId, cached);
    }
    return { ...slackUser(teamId, userId), ...cached.profile };
  }

  function wireListeners(bolt: App): void {
    bolt.command("/binome", async ({ command, ack, respond }) => {
      await ack();
      afterAck.push(async () => {
        const actor = await actorFor(command.team_id, command.user_id);
        const outcome = await bot.handle({
          type: "command",
          actor,
          origin: { conversationId: command.channel_id },
          text: neutralMentions(command.text, command.team_id),
        });
        if (outcome.type === "reply") await respond({ response_type: "ephemeral", ...renderMessage(outcome.card) });
        if (outcome.type === "form") {
          const meta = JSON.stringify({ channel: command.channel_id, meta: outcome.form.meta });
          await client.views.open({
            trigger_id: command.trigger_id,
            view: renderModal({ ...outcome.form, meta }) as never,
          });
        }
      });
    });

    bolt.view({ type: "view_submission" }, async ({ ack, body, view }) => {
      const { channel, meta } = parseMeta(view.private_metadata);
      const actor = await actorFor(body.team?.id ?? body.user.team_id, body.user.id);
      const outcome = await bot.handle({
        type: "form",
        actor,
        origin: channel ? { conversationId: channel } : {},
        formId: view.callback_id,
        values: viewValues(view.state as never),
        ...(meta ? { meta } : {}),
      });
      if (outcome.type === "formErrors") {
        await ack({ response_action: "errors", errors: outcome.errors });
        return;
      }
      await ack();
      if (outcome.type === "reply") await confirm(channel, body.user.id, outcome.card);
    });

    bolt.action({ type: "block_actions" }, async ({ ack, body, action, respond }) => {
      await ack();
      const teamId = body.team?.id ?? body.user.team_id;
      // A click in the App Home comes with the view and no response_url: nowhere to answer privately.
      const fromHome = body.view?.type === "home";
      const value =
        "value" in action && typeof action.value === "string"
          ? action.value
          : "selected_option" in action && action.selected_option
            ? (action.selected_option.value ?? "")
            : "";
      const outcome = await bot.handle({
        type: "action",
        actor: await actorFor(teamId, body.user.id),
        origin: body.channel?.id ? { conversationId: body.channel.id } : {},
        actionId: (action as { action_id?: string }).action_id ?? "",
        value,
      });
      // A button may open a form (edit a profile): the click's trigger_id, valid 3 s, opens the modal.
      if (outcome.type === "form" && body.trigger_id) {
        const meta = JSON.stringify({ channel: body.channel?.id, meta: outcome.form.meta });
        await client.views.open({ trigger_id: body.trigger_id, view: renderModal({ ...outcome.form, meta }) as never });
        return;
      }
      if (fromHome || !respond) {
        // The answer goes to the app's DM with the person, and the Home shows the new state (paused, resumed).
        await answer(outcome, (card) => client.chat.postMessage({ channel: body.user.id, ...renderMessage(card) }));
        if (fromHome) await publishHome(teamId, body.user.id);
        return;
      }
      await answer(outcome, (card) =>
        respond({ response_type: "ephemeral", replace_original: false, ...renderMessage(card) }),
      );
    });

    bolt.message(async ({ message, body, say }) => {
      // Only a person's own words in their DM with the bot are commands.
      if (message.channel_type !== "im" || message.subtype !== undefined || !("user" in message) || !message.user)
        return;
      const teamId = (body as { team_id?: string }).team_id;
      const outcome = await bot.handle({
        type: "command",
        actor: await actorFor(teamId, message.user),
        origin: { conversationId: message.channel },
        text: neutralMentions(commandFromMessage(message.text ?? ""), teamId),
        deliveryId: (body as { event_id?: string }).event_id ?? `${message.channel}:${message.ts}`,
      });
      await answer(outcome, (card) => say(renderMessage(card)));
    });

    // App Home: each person's pairs, next check-in and buttons; coordinators see their programmes' health.
    bolt.event("app_home_opened", async ({ event, body }) => {
      if (event.tab !== "home") return;
      await publishHome((body as { team_id?: string }).team_id, event.user);
    });

    bolt.error(async (error) => {
      log.error({ err: error }, "slack listener failed");
    });
  }

  /** Publishes a person's App Home as the core sees it now. */
  async function publishHome(teamId: string | undefined, userId: string): Promise<void> {
    const outcome = await bot.handle({ type: "home", actor: await actorFor(teamId, userId), origin: {} });
    if (outcome.type !== "reply") return;
    await client.views.publish({
      user_id: userId,
      view: { type: "home", blocks: renderHomeBlocks(outcome.card) } as never,
    });
  }

  async function answer(outcome: Outcome, reply: (card: Card) => Promise<unknown>): Promise<void> {
    if (outcome.type === "reply") await reply(outcome.card);
  }

  /** Confirms a form submission where the form was opened, privately; in the DM otherwise. */
  async function confirm(channel: string | undefined, userId: string, card: Card): Promise<void> {
    if (channel) {
      try {
        await client.chat.postEphemeral({ channel, user: userId, ...renderMessage(card) });
        return;
      } catch (error) {
        log.warn({ err: error }, "chat.postEphemeral failed; confirming in the DM instead");
      }
    }
    await client.chat.postMessage({ channel: userId, ...renderMessage(card) });
  }

  async function start(): Promise<void> {
    // One auth.test at start, so that Bolt needs no network call of its own per request.
    const auth = await client.auth.test().catch((error: unknown) => {
      const reason = (error as { data?: { error?: string } }).data?.error ?? String(error);
      throw new ConfigError(`SLACK_BOT_TOKEN was refused by Slack (${reason}). Check the bot token of your Slack app.`);
    });
    const common = {
      token: options.botToken,
      botId: auth.bot_id as string,
      botUserId: auth.user_id as string,
      logger,
      clientOptions: { slackApiUrl, retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 } },
    };
    if (options.appToken) {
      app = new App({ ...common, appToken: options.appToken, socketMode: true });
      wireListeners(app);
      await app.start();
    } else {
      receiver = new HTTPReceiver({
        signingSecret: options.signingSecret ?? "",
        endpoints: "/slack/events",
        processBeforeResponse: false,
        logger,
      });
      app = new App({ ...common, receiver });
      wireListeners(app);
    }
    log.info({ team: auth.team, mode: options.appToken ? "socket" : "http" }, "Slack connected");
  }

  return {
    platform: "slack",
    chatPort,
    routes: [
      {
        method: "POST",
        path: "/slack/events",
        handler: (req, res) => {
          if (!receiver) return send(res, 503, "starting\n");
          receiving += 1;
          res.once("close", () => {
            receiving -= 1;
          });
          receiver.requestListener(req, res);
        },
      },
    ],
    start,
    started: () => app !== undefined,
    async stop() {
      if (options.appToken && app) await app.stop();
    },
  };
}

function parseMeta(raw: string | undefined): { channel?: string; meta?: string } {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as { channel?: unknown; meta?: unknown };
    return {
      ...(typeof parsed.channel === "string" ? { channel: parsed.channel } : {}),
      ...(typeof parsed.meta === "string" ? { meta: parsed.meta } : {}),
    };
  } catch {
    return {};
  }
}
