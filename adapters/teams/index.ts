import { CloudAdapter } from "@microsoft/agents-hosting";
import type { Database } from "../../db/client.js";
import type { AdapterDeps, ChatAdapter } from "../../src/adapters.js";
import { createTeamsChatPort } from "./chat-port.js";
import {
  authConfigurationOf,
  noOutboundTokens,
  type OutboundTokens,
  type TeamsConfig,
  teamsAuthOf,
  useOutboundTokens,
} from "./config.js";
import { messagesEndpoint } from "./http.js";
import { createReferenceStore } from "./references.js";
import { createSender } from "./sender.js";
import { createTurnHandler } from "./turn.js";

export type { TeamsConfig } from "./config.js";
export { teamsAccountOf, teamsUserOf, tenantOf } from "./ids.js";
export { parseActivity } from "./parser.js";
export { renderAdaptiveCard, renderFormCard, renderMessage } from "./renderer.js";

/** The path Teams (through Azure Bot Service) posts activities to. */
export const TEAMS_MESSAGES_PATH = "/api/messages";

/** What the composition root gives the Teams adapter; the optional members are for tests and benches. */
export interface TeamsAdapterDeps extends AdapterDeps {
  db: Database;
  env: TeamsConfig;
  /** Where token signing keys are discovered (default Entra's); tests serve a loopback JWKS. */
  authorityEndpoint?: string;
  /** Tokens for calls to the Bot Connector (default: the SDK's MSAL client-credentials flow). */
  outboundTokens?: OutboundTokens;
  /** Time an `Action.Execute` may take before Teams gets a holding answer (default 4 s; Teams waits 5 s). */
  invokeDeadlineMs?: number;
}

/**
 * The Microsoft Teams adapter on the Microsoft 365 Agents SDK: `POST /api/messages` in, the ChatPort out.
 * Throws ConfigError when the configuration would leave the endpoint unauthenticated in production.
 */
export function createTeamsAdapter(deps: TeamsAdapterDeps): ChatAdapter {
  const log = deps.log.child({ adapter: "teams" });
  const auth = teamsAuthOf(deps.env, log);
  const adapter =
    auth.mode === "jwt"
      ? new CloudAdapter(authConfigurationOf(auth, deps.authorityEndpoint), undefined, undefined, {
          validateServiceUrl: true,
        })
      : new CloudAdapter({});
  if (auth.mode === "none") useOutboundTokens(adapter, noOutboundTokens);
  else if (deps.outboundTokens) useOutboundTokens(adapter, deps.outboundTokens);
  // Why: the SDK's default handler only writes to a debug channel and posts "the agent encountered an error" to the user.
  adapter.onTurnError = async (_context, error) => {
    log.error({ err: error }, "Teams turn failed");
  };
  const store = createReferenceStore(deps.db);
  const sender = createSender({
    adapter,
    store,
    clock: deps.clock,
    log,
    appId: auth.mode === "jwt" ? auth.appId : undefined,
  });
  const logic = createTurnHandler({
    adapter,
    bot: deps.bot,
    store,
    sender,
    clock: deps.clock,
    log,
    invokeDeadlineMs: deps.invokeDeadlineMs ?? 4_000,
  });
  return {
    platform: "teams",
    routes: [
      {
        method: "POST",
        path: TEAMS_MESSAGES_PATH,
        handler: messagesEndpoint({ adapter, authenticate: auth.mode === "jwt", logic, log }),
      },
    ],
    chatPort: createTeamsChatPort(sender, store),
  };
}
