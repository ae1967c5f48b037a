// The Slack adapter as the contract suites drive it: Bolt's receiver over HTTP, signed requests, a fake Web API.
import { createSlackAdapter } from "../../adapters/slack/index.js";
import { renderMessage as renderSlackMessage } from "../../adapters/slack/render.js";
import { type Card, textCard } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import type { InboundEvent } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { createHttpServer } from "../../src/http/server.js";
import { FakeSlack } from "../support/fake-slack.js";
import { SIGNING_SECRET } from "../support/slack-harness.js";
import { interactionBody, postSigned, slashCommandBody } from "../support/slack-requests.js";
import {
  type AdapterDriver,
  type ContractPerson,
  closeServer,
  listen,
  NOW,
  type PlatformIdentity,
  recordingBot,
  waitFor,
} from "./contract.js";

type SlackBlock = Record<string, unknown>;
type SlackElement = Record<string, unknown>;

/** The element a person clicks on a rendered message (button by label, or a select's option by label). */
function slackClickable(blocks: SlackBlock[], label: string): { blockId: string; action: Record<string, unknown> } {
  for (const [index, block] of blocks.entries()) {
    // Slack gives a block without a block_id one of its own; the click names it.
    const blockId = typeof block.block_id === "string" ? block.block_id : `b${index}`;
    const elements = [
      ...((block.elements as SlackElement[] | undefined) ?? []),
      ...(block.accessory ? [block.accessory as SlackElement] : []),
    ];
    for (const element of elements) {
      if (element.type === "button" && (element.text as { text: string }).text === label) {
        const { text, value, style } = element;
        return {
          blockId,
          action: {
            type: "button",
            block_id: blockId,
            action_id: element.action_id,
            text,
            ...(typeof value === "string" ? { value } : {}),
            ...(style ? { style } : {}),
            action_ts: "1700000001.000200",
          },
        };
      }
      if (element.type === "static_select") {
        const options = element.options as Array<{ text: { text: string }; value: string }>;
        const option = options.find((o) => o.text.text === label);
        if (option)
          return {
            blockId,
            action: {
              type: "static_select",
              block_id: blockId,
              action_id: element.action_id,
              selected_option: option,
              action_ts: "1700000001.000200",
            },
          };
      }
    }
  }
  throw new Error(`nothing labelled "${label}" to click on the Slack message`);
}

/** The state Slack sends with a view submission, for the values a person typed or chose. */
function slackViewState(view: { blocks: SlackBlock[] }, values: Record<string, string>) {
  const state: Record<string, Record<string, Record<string, unknown>>> = {};
  const unknown = new Set(Object.keys(values));
  for (const block of view.blocks) {
    if (block.type !== "input" || typeof block.block_id !== "string") continue;
    const element = block.element as SlackElement;
    const typed = values[block.block_id] ?? "";
    unknown.delete(block.block_id);
    let value: Record<string, unknown>;
    switch (element.type) {
      case "static_select": {
        const option = (element.options as Array<{ value: string }>).find((o) => o.value === typed);
        if (typed && !option) throw new Error(`"${typed}" is not an option of ${block.block_id}`);
        value = { type: element.type, selected_option: option ?? null };
        break;
      }
      case "datepicker":
        value = { type: element.type, selected_date: typed || null };
        break;
      default:
        // Slack sends null for an input left empty.
        value = { type: element.type, value: typed === "" ? null : typed };
    }
    state[block.block_id] = { [String(element.action_id)]: value };
  }
  if (unknown.size > 0) throw new Error(`the modal has no input ${[...unknown].join(", ")}`);
  return { values: state };
}

export const slackDriver: AdapterDriver = {
  platform: "slack",
  userOf: (p) => ({ platform: "slack", tenantId: p.slack.teamId, userId: p.slack.userId }),
  idCases: [
    {
      name: "a workspace member (U…)",
      identity: { platform: "slack", teamId: "T0CONTRACT", userId: "U04MARC7QZ" },
      address: { channel: "U04MARC7QZ" },
    },
    {
      name: "a member with a classic short id",
      identity: { platform: "slack", teamId: "T024BE7LD", userId: "U024BE7LH" },
      address: { channel: "U024BE7LH" },
    },
    {
      name: "an Enterprise Grid member (W…) in a workspace of the org",
      identity: { platform: "slack", teamId: "T0ACME01", enterpriseId: "E0ACME", userId: "W012A3CDE" },
      address: { channel: "W012A3CDE" },
    },
    {
      name: "an Enterprise Grid member clicking in an org-wide install (team: null)",
      identity: {
        platform: "slack",
        teamId: "T0ACME02",
        enterpriseId: "E0ACME",
        userId: "W0456FGHJ",
        orgWideInteraction: true,
      },
      address: { channel: "W0456FGHJ" },
    },
  ],
  samePerson: [
    {
      name: "an Enterprise Grid member acting from two workspaces of the org",
      identities: [
        { platform: "slack", teamId: "T0ACME01", enterpriseId: "E0ACME", userId: "W012A3CDE" },
        { platform: "slack", teamId: "T0ACME02", enterpriseId: "E0ACME", userId: "W012A3CDE" },
      ],
    },
  ],
  async start() {
    const fake = await new FakeSlack([]).start();
    const bot = recordingBot();
    const clock = new ManualClock(NOW);
    const adapter = createSlackAdapter({
      bot,
      clock,
      log: silentLogger,
      botToken: "xoxb-contract",
      signingSecret: SIGNING_SECRET,
      apiUrl: fake.apiUrl,
    });
    await adapter.start?.();
    const server = createHttpServer(adapter.routes, silentLogger);
    const url = `${await listen(server)}/slack/events`;
    let sequence = 0;

    /** Posts a signed request and waits for the event the listener hands to the core after its ack. */
    async function deliver(body: string, contentType: string): Promise<InboundEvent> {
      const before = bot.events.length;
      const response = await postSigned(url, SIGNING_SECRET, body, contentType);
      if (response.status !== 200) throw new Error(`Slack endpoint answered ${response.status}: ${response.text}`);
      return waitFor(() => bot.events[before], "the core to receive the Slack event");
    }

    function command(identity: Extract<PlatformIdentity, { platform: "slack" }>, text: string, triggerId?: string) {
      const body = new URLSearchParams(
        slashCommandBody({
          teamId: identity.teamId,
          userId: identity.userId,
          text,
          responseUrl: fake.responseUrl(`cmd-${++sequence}`),
          channelId: "C0GENERAL",
          ...(triggerId ? { triggerId } : {}),
        }),
      );
      if (identity.enterpriseId) {
        body.set("enterprise_id", identity.enterpriseId);
        body.set("enterprise_name", "Acme");
      }
      return deliver(body.toString(), "application/x-www-form-urlencoded");
    }

    function blockActions(
      identity: Extract<PlatformIdentity, { platform: "slack" }>,
      message: { text: string; blocks: SlackBlock[] },
      label: string,
    ) {
      const { action } = slackClickable(message.blocks, label);
      const grid = identity.enterpriseId ? { enterprise_id: identity.enterpriseId, enterprise_name: "Acme" } : {};
      const payload = {
        type: "block_actions",
        user: {
          id: identity.userId,
          username: identity.userId.toLowerCase(),
          name: identity.userId.toLowerCase(),
          team_id: identity.teamId,
        },
        api_app_id: "A0BINOME",
        token: "legacy-verification-token",
        container: { type: "message", message_ts: "1700000000.000100", channel_id: "D0CONTRACT", is_ephemeral: false },
        trigger_id: `trigger-${++sequence}`,
        team: identity.orgWideInteraction ? null : { id: identity.teamId, domain: "contract", ...grid },
        enterprise: identity.enterpriseId ? { id: identity.enterpriseId, name: "Acme" } : null,
        is_enterprise_install: identity.orgWideInteraction === true,
        channel: { id: "D0CONTRACT", name: "directmessage" },
        message: { type: "message", user: "UBOT", bot_id: "BBOT", ts: "1700000000.000100", ...message },
        state: { values: {} },
        response_url: fake.responseUrl(`act-${sequence}`),
        actions: [action],
      };
      return deliver(interactionBody(payload), "application/x-www-form-urlencoded");
    }

    const asIdentity = (p: ContractPerson) =>
      ({ platform: "slack", teamId: p.slack.teamId, userId: p.slack.userId }) as const;

    return {
      events: bot.events,
      async arrive(identity) {
        if (identity.platform !== "slack") throw new Error("not a Slack identity");
        if (!identity.orgWideInteraction) return command(identity, "help");
        const card: Card = {
          fallback: "help",
          blocks: [{ type: "actions", buttons: [{ actionId: "help", label: "Aide", value: "" }] }],
        };
        return blockActions(identity, renderSlackMessage(card), "Aide");
      },
      async addressOf(user) {
        await adapter.chatPort.sendDirect(user, textCard("Bonjour"));
        const call = fake.callsOf("chat.postMessage").at(-1);
        return { channel: String(call?.args.channel) };
      },
      async click(card, label, as) {
        return blockActions(asIdentity(as), renderSlackMessage(card), label);
      },
      async submitForm(form, values, as) {
        bot.answerWith({ type: "form", form });
        const opens = fake.callsOf("views.open").length;
        const triggerId = `trigger-form-${++sequence}`;
        await command(asIdentity(as), "log", triggerId);
        bot.answerWith({ type: "none" });
        const call = await waitFor(() => fake.callsOf("views.open")[opens], "views.open");
        if (call.args.trigger_id !== triggerId) throw new Error("the modal was not opened with the command's trigger");
        const view = call.args.view as { callback_id: string; private_metadata?: string; blocks: SlackBlock[] };
        const payload = {
          type: "view_submission",
          team: { id: as.slack.teamId, domain: "contract" },
          user: { id: as.slack.userId, username: "x", name: "x", team_id: as.slack.teamId },
          api_app_id: "A0BINOME",
          token: "legacy-verification-token",
          trigger_id: `trigger-${++sequence}`,
          view: {
            id: "V0CONTRACT",
            team_id: as.slack.teamId,
            type: "modal",
            callback_id: view.callback_id,
            private_metadata: view.private_metadata ?? "",
            blocks: view.blocks,
            state: slackViewState(view, values),
            hash: "1700000000.abcdef",
          },
          response_urls: [],
          is_enterprise_install: false,
        };
        const event = await deliver(interactionBody(payload), "application/x-www-form-urlencoded");
        return [{ way: "modal view_submission", event }];
      },
      async close() {
        await closeServer(server);
        await fake.stop();
      },
    };
  },
};
