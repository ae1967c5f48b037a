import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the bot made to the Bot Connector. */
export interface ConnectorCall {
  method: string;
  path: string;
  authorization?: string;
  body: Record<string, unknown> | undefined;
  /** The id the connector gave a posted activity (what a later update or reply names). */
  activityId?: string;
  /** When it arrived (`Date.now()`), and the status the fake answered. */
  at: number;
  status: number;
}

/** At most `limit` requests in any `windowMs`. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

/** The limits a Teams bot is held to: per conversation (Teams says thread) and per tenant. */
export interface TeamsLimits {
  perConversation: RateRule[];
  perTenant: RateRule[];
}

/**
 * Teams' documented limits for a bot (learn.microsoft.com, "Optimize your bot with rate limiting in
 * Teams"): per bot per thread 7 requests in 1 s, 8 in 2 s, 60 in 30 s, 1,800 in an hour; per app per
 * tenant 50 requests per second. Every request counts (messages, updates, roster fetches).
 */
export const TEAMS_LIMITS: TeamsLimits = {
  perConversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  perTenant: [{ limit: 50, windowMs: 1_000 }],
};

/**
 * Sliding windows of accepted requests per key, counted when they arrive. A request that fits every
 * rule of its keys is counted in all of them; one that does not is counted nowhere and told how
 * long until it would fit.
 */
class RateLimiter {
  readonly #accepted = new Map<string, number[]>();

  constructor(private readonly limits: TeamsLimits) {}

  /** Milliseconds to wait before this request would fit; 0 when it fits (it is then counted). */
  admit(conversation: string | undefined, tenant: string): number {
    const now = Date.now();
    const checks = [{ key: `tenant:${tenant}`, rules: this.limits.perTenant }];
    if (conversation) checks.push({ key: `conversation:${conversation}`, rules: this.limits.perConversation });
    let wait = 0;
    for (const { key, rules } of checks) {
      const longest = Math.max(0, ...rules.map((r) => r.windowMs));
      const times = (this.#accepted.get(key) ?? []).filter((at) => at > now - longest);
      if (times.length === 0) this.#accepted.delete(key);
      else this.#accepted.set(key, times);
      for (const rule of rules) {
        // The request that must leave the window first: the limit-th most recent one.
        const blocking = times[times.length - rule.limit];
        if (blocking !== undefined && blocking > now - rule.windowMs)
          wait = Math.max(wait, blocking + rule.windowMs - now);
      }
    }
    if (wait > 0) return wait;
    for (const { key } of checks) this.#accepted.set(key, [...(this.#accepted.get(key) ?? []), now]);
    return 0;
  }
}

/** The tenant a request is for, as the activity or the conversation parameters name it. */
function tenantOfRequest(body: Record<string, unknown> | undefined): string {
  const conversation = body?.conversation as { tenantId?: string } | undefined;
  const channelData = body?.channelData as { tenant?: { id?: string } } | undefined;
  return conversation?.tenantId ?? channelData?.tenant?.id ?? (body?.tenantId as string | undefined) ?? "unknown";
}

/** A person the fake Teams directory knows (answers `GET …/members/{id}`). */
export interface FakeMember {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
  tenantId?: string;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

/**
 * A loopback Bot Connector (the service at an activity's `serviceUrl`) that records what the bot sends.
 * Its URL has a path, like Teams' regional service URLs (`https://smba.trafficmanager.net/emea/`).
 */
export async function startFakeBotConnector() {
  const calls: ConnectorCall[] = [];
  const members = new Map<string, FakeMember>();
  const refusals = new Map<string, number>();
  let limiter: RateLimiter | undefined;
  let rateLimited = 0;
  let counter = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const path = url.pathname.replace(/^\/emea/, "");
      const body = await bodyOf(req);
      const call: ConnectorCall = {
        method: req.method ?? "GET",
        path,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
        at: Date.now(),
        status: 200,
      };
      calls.push(call);
      const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        call.status = status;
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(json));
      };
      const conversation = /^\/v3\/conversations\/([^/]+)/.exec(path)?.[1];
      const wait = limiter?.admit(conversation && decodeURIComponent(conversation), tenantOfRequest(body)) ?? 0;
      if (wait > 0) {
        rateLimited += 1;
        // Whole seconds, rounded up: waiting that long always lets the request through.
        return reply(
          429,
          { error: { code: "TooManyRequests", message: "Too many requests" } },
          { "retry-after": String(Math.max(1, Math.ceil(wait / 1000))) },
        );
      }
      const refused = conversation ? refusals.get(decodeURIComponent(conversation)) : undefined;
      if (refused)
        return reply(refused, {
          error: { code: "BotDisabledByAdmin", message: "The bot is not part of the conversation roster." },
        });
      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(path);
      if (req.method === "GET" && member?.[1]) {
        const found = members.get(decodeURIComponent(member[1]));
        return found
          ? reply(200, { ...found, userPrincipalName: found.email })
          : reply(404, { error: { code: "MemberNotFoundInConversation" } });
      }
      if (req.method === "POST" && path === "/v3/conversations") {
        const memberId = ((body?.members as Array<{ id?: string }> | undefined)?.[0]?.id ?? "").toString();
        if (refusals.get(`new:${memberId}`))
          return reply(refusals.get(`new:${memberId}`) as number, { error: { code: "Forbidden" } });
        return reply(201, { id: `a:new-conversation-${++counter}`, activityId: "" });
      }
      if (
        (req.method === "POST" || req.method === "PUT") &&
        /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(path)
      ) {
        call.activityId = `sent-${++counter}`;
        return reply(200, { id: call.activityId });
      }
      reply(404, { error: { code: "NotFound" } });
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    /** The service URL to put in activities. */
    serviceUrl: `http://127.0.0.1:${port}/emea/`,
    calls,
    /** Messages the bot posted into a conversation (replies and proactive sends); those refused with 429 are left out. */
    sent(conversationId?: string): Array<Record<string, unknown>> {
      return calls
        .filter(
          (c) =>
            c.method === "POST" &&
            c.status !== 429 &&
            c.path.includes("/activities") &&
            (!conversationId ||
              c.path.startsWith(`/v3/conversations/${encodeURIComponent(conversationId)}/`) ||
              c.path.startsWith(`/v3/conversations/${conversationId}/`)),
        )
        .map((c) => c.body ?? {});
    },
    addMember(member: FakeMember): void {
      members.set(member.id, member);
      members.set(member.aadObjectId, member);
    },
    /** Makes every call into a conversation (or `new:<member id>` for creating one) fail with `status`. */
    refuse(conversationOrNew: string, status: number): void {
      refusals.set(conversationOrNew, status);
    },
    /**
     * Enforces Teams' rate limits (by default the documented ones): beyond them, 429 with a Retry-After
     * that lets the request through. `timeScale` divides every window, for benches that compress time.
     */
    enforceLimits(limits: TeamsLimits = TEAMS_LIMITS, timeScale = 1): void {
      const scaled = (rules: RateRule[]) => rules.map((r) => ({ limit: r.limit, windowMs: r.windowMs / timeScale }));
      limiter = new RateLimiter({
        perConversation: scaled(limits.perConversation),
        perTenant: scaled(limits.perTenant),
      });
    },
    /** Requests refused with 429 because they went over an enforced limit. */
    get rateLimited(): number {
      return rateLimited;
    },
    reset(): void {
      calls.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeBotConnector = Awaited<ReturnType<typeof startFakeBotConnector>>;
