import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One Web API call the fake received. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** The HTTP status the fake answered. */
  status: number;
  /** The body the fake answered (a posted message's `channel` and `ts`, for instance). */
  response?: Record<string, unknown>;
}

export interface FakeSlackUser {
  id: string;
  teamId?: string;
  name: string;
  email?: string;
  locale?: string;
  tz?: string;
}

/** A scripted answer for the next call(s) of a method: an HTTP status and body, and headers. */
export interface Fault {
  status: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  times?: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes("application/json")) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The Web API client sends objects (blocks, view) as JSON strings in form bodies.
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

/**
 * A Slack Web API on loopback that records every call and answers like Slack for the methods
 * binome uses. `response_url` posts land on `/respond/<id>` and are recorded too.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: Array<{ path: string; body: Record<string, unknown> }> = [];
  readonly users = new Map<string, FakeSlackUser>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly limits = new Map<string, { limit: number; windowMs: number; calls: number[] }>();
  private readonly delays = new Map<string, number>();
  /** Users whose account is gone, with the error Slack answers when the bot writes to them. */
  private readonly gone = new Map<string, string>();
  /** Calls refused with 429 because they went over an enforced limit. */
  rateLimited = 0;
  private server: Server | undefined;
  private ts = 1_700_000_000;
  url = "";

  constructor(users: FakeSlackUser[] = []) {
    for (const user of users) this.users.set(user.id, user);
  }

  /** The Web API base to give the client (`SLACK_API_URL`). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url for a command or click. */
  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      readBody(req)
        .then(async (raw) => {
          const path = new URL(req.url ?? "/", "http://fake").pathname;
          const body = parseArgs(raw, req.headers["content-type"]);
          if (path.startsWith("/respond/")) {
            this.responses.push({ path, body });
            return this.reply(res, 200, { ok: true });
          }
          const method = path.replace(/^\/api\//, "");
          const auth = req.headers.authorization;
          const call: SlackCall = {
            method,
            args: body,
            token: auth?.replace(/^Bearer /, "") ?? (body.token as string | undefined),
            status: 200,
          };
          this.calls.push(call);
          const limited = this.overLimit(method);
          if (limited) {
            this.rateLimited += 1;
            call.status = 429;
            return this.reply(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(limited) });
          }
          const delay = this.delays.get(method);
          if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
          const fault = this.takeFault(method);
          if (fault) {
            call.status = fault.status;
            return this.reply(res, fault.status, fault.body ?? { ok: false, error: "fatal_error" }, fault.headers);
          }
          call.response = this.answer(method, body);
          return this.reply(res, 200, call.response);
        })
        .catch((error: unknown) => this.reply(res, 500, { ok: false, error: String(error) }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /**
   * Enforces a documented rate limit on a method: at most `limit` calls in any `windowMs`;
   * beyond, 429 with the Retry-After (whole seconds, rounded up) that lets the next call through.
   */
  enforceLimit(method: string, limit: number, windowMs: number): void {
    this.limits.set(method, { limit, windowMs, calls: [] });
  }

  /** Answers every call of a method `ms` later (the call is recorded on arrival), like a slow Slack. */
  slowDown(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** From now on, `chat.postMessage` to this user fails as Slack answers for a deactivated account. */
  deactivate(userId: string, error: "account_inactive" | "user_not_found" = "account_inactive"): void {
    this.gone.set(userId, error);
  }

  /** Makes the next `times` calls of a method fail as given. */
  fail(method: string, fault: Fault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until a predicate over the fake's records holds (deliveries after the ack are asynchronous). */
  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error("FakeSlack.waitFor timed out");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Seconds to wait when this call goes over the method's limit; undefined when it fits (and is counted). */
  private overLimit(method: string): number | undefined {
    const rule = this.limits.get(method);
    if (!rule) return undefined;
    const now = Date.now();
    rule.calls = rule.calls.filter((at) => at > now - rule.windowMs);
    if (rule.calls.length < rule.limit) {
      rule.calls.push(now);
      return undefined;
    }
    return Math.max(1, Math.ceil(((rule.calls[0] as number) + rule.windowMs - now) / 1000));
  }

  private takeFault(method: string): Fault | undefined {
    const queue = this.faults.get(method);
    const fault = queue?.[0];
    if (!queue || !fault) return undefined;
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) queue.shift();
    else fault.times = left;
    return fault;
  }

  private nextTs(): string {
    this.ts += 1;
    return `${this.ts}.000100`;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://test.slack.com/",
          team: "Test",
          team_id: "T0TEST",
          user: "binome",
          user_id: "UBOT",
          bot_id: "BBOT",
        };
      case "users.info": {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: user.teamId ?? "T0TEST",
            real_name: user.name,
            tz: user.tz ?? "Europe/Paris",
            ...(args.include_locale ? { locale: user.locale ?? "fr-FR" } : {}),
            profile: { real_name: user.name, ...(user.email ? { email: user.email } : {}) },
          },
        };
      }
      case "users.lookupByEmail": {
        const user = [...this.users.values()].find((u) => u.email === args.email);
        return user
          ? { ok: true, user: { id: user.id, team_id: user.teamId ?? "T0TEST" } }
          : { ok: false, error: "users_not_found" };
      }
      case "chat.postMessage": {
        const channel = String(args.channel);
        const gone = this.gone.get(channel);
        if (gone) return { ok: false, error: gone };
        // Posting to a user id lands in the app's DM with them, which has its own D… id.
        return { ok: true, channel: channel.startsWith("U") ? `D${channel.slice(1)}` : channel, ts: this.nextTs() };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts };
      case "views.open":
        return { ok: true, view: { id: `V${this.calls.length}` } };
      case "views.publish": {
        // Slack answers with the published view; a home view needs the user it is for.
        if (!args.user_id) return { ok: false, error: "invalid_arguments" };
        const view = (args.view ?? {}) as Record<string, unknown>;
        return { ok: true, view: { id: `V${this.calls.length}`, ...view } };
      }
      case "conversations.open":
        return { ok: true, channel: { id: `G${String(args.users).replace(/,/g, "")}` } };
      default:
        return { ok: true };
    }
  }

  private reply(
    res: import("node:http").ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(text);
  }
}
