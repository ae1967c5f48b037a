import type { AuthConfiguration, AuthProvider, CloudAdapter } from "@microsoft/agents-hosting";
import { ConfigError } from "../../src/core/errors.js";
import type { Logger } from "../../src/core/logger.js";

/** The environment the Teams adapter reads (a subset of binome's Env). */
export interface TeamsConfig {
  NODE_ENV: "development" | "production" | "test";
  TEAMS_APP_ID?: string | undefined;
  TEAMS_APP_PASSWORD?: string | undefined;
  TEAMS_TENANT_ID?: string | undefined;
  TEAMS_DEV_NO_AUTH?: boolean | undefined;
}

/** How inbound requests are authenticated: Entra-issued tokens for our app id, or (local tools only) none. */
export type TeamsAuth = { mode: "jwt"; appId: string; password: string; tenantId: string } | { mode: "none" };

/**
 * Decides how the adapter authenticates, refusing the combinations that would leave `/api/messages`
 * open. Why: with an empty app id the Agents SDK silently accepts unauthenticated requests.
 */
export function teamsAuthOf(config: TeamsConfig, log: Logger): TeamsAuth {
  if (config.TEAMS_APP_ID) {
    const missing = [
      config.TEAMS_APP_PASSWORD ? undefined : "TEAMS_APP_PASSWORD",
      config.TEAMS_TENANT_ID ? undefined : "TEAMS_TENANT_ID",
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n  ${missing.join(", ")}: required when TEAMS_APP_ID is set (binome's Teams app is single-tenant)`,
      );
    }
    return {
      mode: "jwt",
      appId: config.TEAMS_APP_ID,
      password: config.TEAMS_APP_PASSWORD as string,
      tenantId: config.TEAMS_TENANT_ID as string,
    };
  }
  if (config.NODE_ENV === "production") {
    throw new ConfigError(
      "Invalid configuration:\n  TEAMS_APP_ID: required in production; without it Teams requests could not be authenticated (TEAMS_DEV_NO_AUTH is for local tools only)",
    );
  }
  if (!config.TEAMS_DEV_NO_AUTH) {
    throw new ConfigError(
      "Invalid configuration:\n  TEAMS_APP_ID: required for Teams (or TEAMS_DEV_NO_AUTH=1 for local tools such as the Agents Playground)",
    );
  }
  log.warn(
    "TEAMS_DEV_NO_AUTH=1: /api/messages accepts UNAUTHENTICATED requests from anyone who can reach it. For local tools only; never expose this port.",
  );
  return { mode: "none" };
}

/**
 * The Agents SDK configuration for our app. Issuer validation is off by default in the SDK: turn it on.
 * `authorityEndpoint` moves token signing-key discovery elsewhere (tests point it at a loopback JWKS).
 */
export function authConfigurationOf(
  auth: Extract<TeamsAuth, { mode: "jwt" }>,
  authorityEndpoint?: string,
): AuthConfiguration {
  return {
    clientId: auth.appId,
    clientSecret: auth.password,
    tenantId: auth.tenantId,
    authType: "ClientSecret",
    validateIssuer: true,
    ...(authorityEndpoint ? { authorityEndpoint } : {}),
  };
}

/** Gives outbound calls a bearer token (Bot Connector scope). */
export interface OutboundTokens {
  getAccessToken(scope: string): Promise<string>;
}

/**
 * Replaces the SDK's MSAL token providers with one source of tokens: none for local tools (the
 * Agents Playground wants no token), or a test's. Why: the SDK would otherwise call Entra for a token.
 */
export function useOutboundTokens(adapter: CloudAdapter, tokens: OutboundTokens): void {
  const provider = {
    getAccessToken: (configOrScope: AuthConfiguration | string, scope?: string) =>
      tokens.getAccessToken(typeof configOrScope === "string" ? configOrScope : (scope ?? "")),
    getAgenticApplicationToken: () => Promise.reject(new Error("agentic tokens are not used by binome")),
    getAgenticInstanceToken: () => Promise.reject(new Error("agentic tokens are not used by binome")),
    getAgenticUserToken: () => Promise.reject(new Error("agentic tokens are not used by binome")),
    acquireTokenOnBehalfOf: () => Promise.reject(new Error("on-behalf-of tokens are not used by binome")),
  } as AuthProvider;
  const configuration = adapter.connectionManager.getDefaultConnectionConfiguration();
  adapter.connectionManager = {
    getConnection: () => provider,
    getDefaultConnection: () => provider,
    getTokenProvider: () => provider,
    getTokenProviderFromActivity: () => provider,
    getDefaultConnectionConfiguration: () => configuration,
  };
}

/** Tokens for local tools: none (an empty token sends no Authorization header). */
export const noOutboundTokens: OutboundTokens = { getAccessToken: async () => "" };

/**
 * Whether the token's `serviceurl` claim names the activity's service URL. Why: the SDK only compares
 * hosts, and skips the check when the claim is absent; Bot Framework tokens for channels always carry it.
 */
export function serviceUrlClaimMatches(claims: Record<string, unknown> | undefined, serviceUrl: unknown): boolean {
  const claim = claims?.serviceurl;
  if (typeof claim !== "string" || typeof serviceUrl !== "string") return false;
  const normalise = (url: string) => url.trim().replace(/\/+$/, "").toLowerCase();
  return normalise(claim) === normalise(serviceUrl);
}
