import type { IncomingMessage, ServerResponse } from "node:http";
import type { CloudAdapter, Request, TurnContext, WebResponse } from "@microsoft/agents-hosting";
import type { Logger } from "../../src/core/logger.js";
import { readBody, send, sendJson } from "../../src/http/server.js";
import { serviceUrlClaimMatches } from "./config.js";

/**
 * Node's response as the Agents SDK expects it (Express-like). Why: `authorizeJWT` answers a 401 with
 * `status().send()` and never calls `end()`, so `send` must finish the response or the client hangs.
 */
export function webResponseOf(res: ServerResponse): WebResponse {
  let status = 200;
  const web: WebResponse = {
    status(code) {
      status = code;
      return web;
    },
    setHeader(name, value) {
      if (!res.headersSent) res.setHeader(name, value);
      return web;
    },
    send(body) {
      if (res.writableEnded) return web;
      if (body === undefined || body === null) send(res, status, "");
      else if (typeof body === "string") send(res, status, body);
      else sendJson(res, status, body);
      return web;
    },
    end() {
      if (!res.writableEnded) {
        if (!res.headersSent) res.writeHead(status, { "content-length": 0 });
        res.end();
      }
      return web;
    },
    get headersSent() {
      return res.headersSent;
    },
    get writableEnded() {
      return res.writableEnded;
    },
  };
  return web;
}

/** What `/api/messages` needs. */
export interface MessagesEndpointDeps {
  adapter: CloudAdapter;
  /** Authenticate every request (false only for local tools, see TEAMS_DEV_NO_AUTH). */
  authenticate: boolean;
  logic: (context: TurnContext) => Promise<void>;
  log: Logger;
}

/**
 * `POST /api/messages`: authenticate (the SDK's `process()` does not), check that the token was issued
 * for this activity's service URL, then run the turn. Failures get 401 and have no effect.
 */
export function messagesEndpoint({ adapter, authenticate, logic, log }: MessagesEndpointDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readBody(req));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch (error) {
      if ((error as { status?: number }).status === 413) throw error;
      return send(res, 400, "invalid activity\n");
    }
    const request: Request = { body, headers: req.headers as Request["headers"], method: req.method ?? "POST" };
    const web = webResponseOf(res);
    if (authenticate) {
      let authorized = false;
      await adapter.authorizeRequest(request, web, () => {
        authorized = true;
      });
      if (!authorized) {
        log.warn({ path: "/api/messages" }, "Teams request refused: invalid or missing token");
        if (!res.writableEnded) send(res, 401, "unauthorized\n");
        return;
      }
      if (!serviceUrlClaimMatches(request.user, body.serviceUrl)) {
        log.warn({ serviceUrl: body.serviceUrl }, "Teams request refused: token not issued for this service URL");
        return sendJson(res, 401, { error: "serviceUrl claim does not match" });
      }
    } else {
      request.user = { name: "anonymous" };
    }
    try {
      await adapter.process(request, web, logic);
    } catch (error) {
      log.error({ err: error }, "Teams activity failed");
      if (!res.writableEnded) send(res, 500, "internal error\n");
    }
  };
}
