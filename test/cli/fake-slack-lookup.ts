import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback stand-in for Slack's `users.lookupByEmail`, with the emails it was asked about. */
export interface FakeSlackLookup {
  /** Base URL for SLACK_API_URL, with its trailing slash. */
  apiUrl: string;
  asked: string[];
  close(): Promise<void>;
}

/** Starts a server that knows the Slack ids of `directory` (email → user id) and no one else. */
export async function startFakeSlackLookup(directory: Record<string, string>): Promise<FakeSlackLookup> {
  const asked: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      response.setHeader("content-type", "application/json");
      if (request.method !== "POST" || request.url !== "/api/users.lookupByEmail") {
        response.end(JSON.stringify({ ok: false, error: "unknown_method" }));
        return;
      }
      if (request.headers.authorization !== "Bearer xoxb-test") {
        response.end(JSON.stringify({ ok: false, error: "invalid_auth" }));
        return;
      }
      const email = new URLSearchParams(body).get("email") ?? "";
      asked.push(email);
      const id = directory[email];
      response.end(
        JSON.stringify(
          id
            ? { ok: true, user: { id, team_id: "T0FAKE", profile: { email } } }
            : { ok: false, error: "users_not_found" },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    asked,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
