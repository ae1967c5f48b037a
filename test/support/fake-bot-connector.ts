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
      };
      calls.push(call);
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      const conversation = /^\/v3\/conversations\/([^/]+)/.exec(path)?.[1];
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
    /** Messages the bot posted into a conversation (replies and proactive sends). */
    sent(conversationId?: string): Array<Record<string, unknown>> {
      return calls
        .filter(
          (c) =>
            c.method === "POST" &&
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
    reset(): void {
      calls.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeBotConnector = Awaited<ReturnType<typeof startFakeBotConnector>>;
