import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTeamsAdapter } from "../../adapters/teams/index.js";
import { conversationReferences } from "../../db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { ConfigError } from "../../src/core/errors.js";
import { type Logger, silentLogger } from "../../src/core/logger.js";
import { teamsMessage } from "../support/teams-activities.js";
import { startTestAuthority, TEST_APP_ID, TEST_TENANT_ID, type TestAuthority } from "../support/teams-auth.js";
import { people, startTeamsHarness, type TeamsHarness } from "./harness.js";

describe("Teams authentication, with an app id", () => {
  let authority: TestAuthority;
  let h: TeamsHarness;
  beforeAll(async () => {
    authority = await startTestAuthority();
  });
  afterAll(() => authority.close());
  beforeEach(async () => {
    h = await startTeamsHarness({
      env: {
        NODE_ENV: "test",
        TEAMS_APP_ID: TEST_APP_ID,
        TEAMS_APP_PASSWORD: "test-secret",
        TEAMS_TENANT_ID: TEST_TENANT_ID,
      },
      authorityEndpoint: authority.authority,
      outboundTokens: { getAccessToken: async () => "outbound-test-token" },
    });
  });
  afterEach(() => h.close());

  const logLine = () => teamsMessage(people.marc, "log lea 45m CV", h.place(people.marc));
  const expectNoEffect = async () => {
    expect(await h.sessionCount()).toBe(0);
    expect(h.connector.calls).toHaveLength(0);
    expect(await h.db.select().from(conversationReferences)).toHaveLength(0);
  };

  it("accepts a token signed by the key of the loopback authority, and answers with its own token", async () => {
    const response = await h.post(logLine(), authority.token(h.connector.serviceUrl));
    expect(response.status).toBe(200);
    expect(await h.sessionCount()).toBe(1);
    expect(h.lastSent()).toContain("Séance notée avec Léa Petit");
    expect(h.connector.calls[0]?.authorization).toBe("Bearer outbound-test-token");
  });

  it.each([
    ["no token", () => undefined],
    ["a token signed by an unknown key", () => authority.token(h.connector.serviceUrl, { key: "unknown" })],
    [
      "a token for another audience",
      () => authority.token(h.connector.serviceUrl, { audience: "00000000-1111-2222-3333-444444444444" }),
    ],
    ["an expired token", () => authority.token(h.connector.serviceUrl, { expiresInSeconds: -3600 })],
    [
      "a token from another issuer",
      () =>
        authority.token(h.connector.serviceUrl, {
          issuer: "https://sts.windows.net/11111111-2222-3333-4444-555555555555/",
        }),
    ],
    [
      "a token issued for another service URL",
      () => authority.token(h.connector.serviceUrl, { serviceUrlClaim: "https://smba.trafficmanager.net/amer/" }),
    ],
    ["a token without a service URL claim", () => authority.token(h.connector.serviceUrl, { serviceUrlClaim: null })],
    ["a malformed authorization header", () => "not a jwt"],
  ])("refuses %s with 401 and no effect", async (_name, token) => {
    const response = await h.post(logLine(), token());
    expect(response.status).toBe(401);
    await expectNoEffect();
  });
});

describe("Teams configuration at start", () => {
  const deps = {
    bot: { handle: async () => ({ type: "none" as const }) },
    clock: new ManualClock("2026-11-27T10:00:00Z"),
    log: silentLogger,
    db: {} as never,
  };

  it("refuses to start in production without an app id, even with TEAMS_DEV_NO_AUTH", () => {
    expect(() => createTeamsAdapter({ ...deps, env: { NODE_ENV: "production", TEAMS_DEV_NO_AUTH: true } })).toThrow(
      ConfigError,
    );
    expect(() => createTeamsAdapter({ ...deps, env: { NODE_ENV: "production", TEAMS_DEV_NO_AUTH: true } })).toThrow(
      /TEAMS_APP_ID: required in production/,
    );
  });

  it("refuses to run without authentication unless TEAMS_DEV_NO_AUTH=1, and then warns loudly", () => {
    expect(() => createTeamsAdapter({ ...deps, env: { NODE_ENV: "development" } })).toThrow(/TEAMS_DEV_NO_AUTH=1/);
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (o, m) => void warnings.push(String(m ?? o)), child: () => log };
    createTeamsAdapter({ ...deps, log, env: { NODE_ENV: "development", TEAMS_DEV_NO_AUTH: true } });
    expect(warnings.join("\n")).toMatch(/UNAUTHENTICATED/);
  });

  it("needs the password and the tenant of a single-tenant app", () => {
    expect(() => createTeamsAdapter({ ...deps, env: { NODE_ENV: "production", TEAMS_APP_ID: TEST_APP_ID } })).toThrow(
      /TEAMS_APP_PASSWORD, TEAMS_TENANT_ID/,
    );
  });
});
