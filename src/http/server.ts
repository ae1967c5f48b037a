import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../core/logger.js";

/** A handler mounted on the one HTTP server; it owns the response it is given. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: "GET" | "POST" | "*";
  /** Exact path, or a prefix when it ends with `/*`. */
  path: string;
  handler: RouteHandler;
}

function matches(route: Route, method: string, path: string): boolean {
  if (route.method !== "*" && route.method !== method) return false;
  if (route.path.endsWith("/*")) {
    const prefix = route.path.slice(0, -2);
    return path === prefix || path.startsWith(`${prefix}/`);
  }
  return route.path === path;
}

/** Sends a small response with a content type. */
export function send(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), "application/json; charset=utf-8");
}

/** Reads a request body as text, refusing bodies over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error("body too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The one HTTP server of binome. Routes are matched in order; the list can grow after creation
 * (adapters mount once the database is ready). Unknown paths get 404; a throwing handler 500.
 */
export function createHttpServer(routes: Route[], log: Logger): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://binome.local").pathname;
    const route = routes.find((r) => matches(r, req.method ?? "GET", path));
    if (!route) return send(res, 404, "not found\n");
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch((error: unknown) => {
        const status = (error as { status?: number }).status ?? 500;
        if (status >= 500) log.error({ err: error, path }, "request failed");
        send(res, status, status === 413 ? "payload too large\n" : "internal error\n");
      });
  });
}
