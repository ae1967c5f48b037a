// The Teams adapter as the contract suites drive it: POST /api/messages over HTTP, a fake Bot Connector.
import type { TeamsActivity } from "../../adapters/teams/activity.js";
import { teamsAccountOf } from "../../adapters/teams/ids.js";
import { createTeamsAdapter } from "../../adapters/teams/index.js";
import { type AdaptiveCard, renderAdaptiveCard } from "../../adapters/teams/renderer.js";
import type { DatabaseHandle } from "../../db/client.js";
import type { ChatAdapter } from "../../src/adapters.js";
import { textCard } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import type { InboundEvent } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { createHttpServer } from "../../src/http/server.js";
import { createTestDatabase } from "../support/db.js";
import { startFakeBotConnector } from "../support/fake-bot-connector.js";
import { type TeamsPerson, teamsClick, teamsMessage } from "../support/teams-activities.js";
import {
  type AdapterDriver,
  type Address,
  type ContractPerson,
  closeServer,
  listen,
  NOW,
  type PlatformIdentity,
  recordingBot,
  TENANT,
  waitFor,
} from "./contract.js";

function teamsPersonOf(p: ContractPerson): TeamsPerson {
  return { aadObjectId: p.teams.aadObjectId, name: p.name, tenantId: p.teams.tenantId };
}

/** The activity of a person typing `text` in their 1:1 chat, with the tenant where the identity says. */
function teamsActivity(identity: Extract<PlatformIdentity, { platform: "teams" }>, text: string, serviceUrl: string) {
  const key = identity.aadObjectId ?? identity.accountId ?? "anonymous";
  const activity: TeamsActivity = teamsMessage(
    {
      aadObjectId: identity.aadObjectId ?? "",
      name: "Contract Person",
      id: identity.accountId ?? `29:${key}`,
      ...(identity.tenantId ? { tenantId: identity.tenantId } : {}),
    },
    text,
    { serviceUrl, conversationId: `a:personal-${key}` },
  );
  if (!identity.aadObjectId && activity.from) delete activity.from.aadObjectId;
  const where = identity.tenantId ? (identity.tenantIn ?? "conversation+channelData") : "nowhere";
  if (where !== "conversation+channelData" && activity.conversation) delete activity.conversation.tenantId;
  if (where === "nowhere") activity.channelData = {};
  return activity;
}

export const teamsDriver: AdapterDriver = {
  platform: "teams",
  userOf: (p) => ({ platform: "teams", tenantId: p.teams.tenantId, userId: p.teams.aadObjectId }),
  idCases: [
    {
      name: "a member of the tenant (lower-case GUIDs, as Teams sends them)",
      identity: { platform: "teams", aadObjectId: "6b1f0c3e-8a2d-4f5b-9c7e-1d2a3b4c5d6e", tenantId: TENANT },
      address: {
        id: "6b1f0c3e-8a2d-4f5b-9c7e-1d2a3b4c5d6e",
        aadObjectId: "6b1f0c3e-8a2d-4f5b-9c7e-1d2a3b4c5d6e",
        tenantId: TENANT,
        conversation: "a:personal-6b1f0c3e-8a2d-4f5b-9c7e-1d2a3b4c5d6e",
      },
    },
    {
      name: "a guest from another tenant, GUIDs in upper case",
      identity: {
        platform: "teams",
        aadObjectId: "9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A",
        tenantId: "C0FFEE00-1234-4ABC-9DEF-0123456789AB",
      },
      // GUIDs are stored and addressed in lower case, whatever case Teams sent.
      address: {
        id: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
        aadObjectId: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
        tenantId: "c0ffee00-1234-4abc-9def-0123456789ab",
        conversation: "a:personal-9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A",
      },
    },
    {
      name: "a member writing where only channelData names the tenant",
      identity: {
        platform: "teams",
        aadObjectId: "1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d",
        tenantId: TENANT,
        tenantIn: "channelData",
      },
      address: {
        id: "1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d",
        aadObjectId: "1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d",
        tenantId: TENANT,
        conversation: "a:personal-1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d",
      },
    },
    {
      name: "a person from a client that sends no tenant (local tools)",
      identity: { platform: "teams", aadObjectId: "00000000-0000-0000-0000-0000000000aa" },
      address: {
        id: "00000000-0000-0000-0000-0000000000aa",
        aadObjectId: "00000000-0000-0000-0000-0000000000aa",
        conversation: "a:personal-00000000-0000-0000-0000-0000000000aa",
      },
    },
    {
      name: "an anonymous meeting participant (no aadObjectId, only Teams' 29:… id)",
      identity: { platform: "teams", accountId: "29:1Xk3f9-anonymousMeetingGuest", tenantId: TENANT },
      address: {
        id: "29:1Xk3f9-anonymousMeetingGuest",
        aadObjectId: "29:1Xk3f9-anonymousMeetingGuest",
        tenantId: TENANT,
        conversation: "a:personal-29:1Xk3f9-anonymousMeetingGuest",
      },
      knownGap:
        "teamsUserOf falls back to from.id (`29:…`), which contains ':', so encodePersonRef throws. The adapter " +
        "should ignore senders without aadObjectId (parseActivity → ignored), or the codec should escape ':'",
    },
  ],
  samePerson: [
    {
      name: "one person whose AAD object id and tenant come in lower case, then in upper case",
      identities: [
        { platform: "teams", aadObjectId: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", tenantId: TENANT },
        { platform: "teams", aadObjectId: "9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A", tenantId: TENANT.toUpperCase() },
      ],
    },
  ],
  async start() {
    const handle: DatabaseHandle = await createTestDatabase();
    const connector = await startFakeBotConnector();
    const bot = recordingBot();
    const clock = new ManualClock(NOW);
    const adapter: ChatAdapter = createTeamsAdapter({
      bot,
      db: handle.db,
      clock,
      log: silentLogger,
      env: { NODE_ENV: "test", TEAMS_DEV_NO_AUTH: true },
    });
    const server = createHttpServer(adapter.routes, silentLogger);
    const base = await listen(server);

    async function post(activity: TeamsActivity): Promise<InboundEvent> {
      const before = bot.events.length;
      const response = await fetch(`${base}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(activity),
      });
      if (response.status !== 200) throw new Error(`/api/messages answered ${response.status}`);
      await response.text();
      return waitFor(() => bot.events[before], "the core to receive the Teams event");
    }
    const place = (p: ContractPerson) => ({
      serviceUrl: connector.serviceUrl,
      conversationId: `a:personal-${p.teams.aadObjectId}`,
    });

    return {
      events: bot.events,
      arrive(identity) {
        if (identity.platform !== "teams") throw new Error("not a Teams identity");
        return post(teamsActivity(identity, "help", connector.serviceUrl));
      },
      async addressOf(user) {
        const posts = () => connector.calls.filter((c) => c.method === "POST");
        const before = posts().length;
        await adapter.chatPort.sendDirect(user, textCard("Bonjour"));
        const path = posts()[before]?.path ?? "";
        const conversation = decodeURIComponent(/^\/v3\/conversations\/([^/]+)/.exec(path)?.[1] ?? "");
        const account = Object.entries(teamsAccountOf(user)).filter(([, v]) => typeof v === "string");
        return { ...(Object.fromEntries(account) as Address), conversation };
      },
      click(card, label, as) {
        return post(teamsClick(renderAdaptiveCard(card), label, teamsPersonOf(as), place(as)));
      },
      async submitForm(form, values, as) {
        bot.answerWith({ type: "form", form });
        const sent = connector.sent().length;
        await post(teamsMessage(teamsPersonOf(as), "log", place(as)));
        bot.answerWith({ type: "none" });
        const message = connector.sent()[sent];
        const attachments = (message?.attachments ?? []) as Array<{ content: AdaptiveCard }>;
        const card = attachments[0]?.content;
        if (!card) throw new Error("the form was not sent into the chat");
        const inputIds = new Set(card.body.map((e) => e.id).filter((id) => typeof id === "string"));
        const missing = Object.keys(values).filter((k) => !inputIds.has(k));
        if (missing.length > 0) throw new Error(`the form card has no input ${missing.join(", ")}`);
        const ways: Array<{ way: string; event: InboundEvent }> = [];
        for (const [way, useFallback] of [
          ["Action.Execute (adaptiveCard/action invoke)", false],
          ["Action.Submit fallback (message with value)", true],
        ] as const) {
          const click = teamsClick(card, form.submitLabel, teamsPersonOf(as), place(as), {
            inputs: values,
            useFallback,
          });
          ways.push({ way, event: await post(click) });
        }
        return ways;
      },
      async close() {
        await closeServer(server);
        await connector.close();
        await handle.close();
      },
    };
  },
};
