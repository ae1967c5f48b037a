// The Slack side of the survey-step bench, in a process of its own: a minimal Web API (auth.test,
// users.info, chat.postMessage) that stamps each posted message with its arrival time, and a
// response_url receiver (a refused step is answered there). The loader takes both by prefix/user.
// Prints `BENCH_READY {"apiUrl","respondUrl","url"}`; stops when its stdin closes or on SIGTERM.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { nowMs, TEAM_ID } from "./slack-ack-shared.js";
import type { Arrival } from "./survey-step-shared.js";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The Web API client sends form bodies; JSON is accepted too. */
function argsOf(req: IncomingMessage, raw: string): Record<string, string> {
  if ((req.headers["content-type"] ?? "").includes("json")) return JSON.parse(raw || "{}") as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(raw));
}

const posts: Arrival[] = [];
const responses: Arrival[] = [];
let ts = 1_700_000_000;

function webApi(method: string, args: Record<string, string>, at: number): Record<string, unknown> {
  switch (method) {
    case "auth.test":
      return { ok: true, team: "Bench", team_id: TEAM_ID, user: "binome", user_id: "UBOT", bot_id: "BBOT" };
    case "users.info":
      return {
        ok: true,
        user: {
          id: args.user,
          team_id: TEAM_ID,
          real_name: args.user,
          tz: "Europe/Paris",
          locale: "fr-FR",
          profile: { real_name: args.user },
        },
      };
    case "chat.postMessage": {
      const channel = String(args.channel);
      posts.push({ to: channel, at, text: String(args.text ?? "").slice(0, 200) });
      ts += 1;
      return { ok: true, channel: channel.startsWith("U") ? `D${channel.slice(1)}` : channel, ts: `${ts}.000100` };
    }
    default:
      return { ok: true };
  }
}

/** Takes (and forgets) the arrivals whose `to` is in `wanted`. */
function take(list: Arrival[], wanted: Set<string>): Arrival[] {
  const picked = list.filter((a) => wanted.has(a.to));
  for (let i = list.length - 1; i >= 0; i--) if (wanted.has((list[i] as Arrival).to)) list.splice(i, 1);
  return picked;
}

const server = createServer((req, res) => {
  const at = nowMs();
  const url = new URL(req.url ?? "/", "http://sink");
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method === "POST" && url.pathname === "/take") {
    readBody(req)
      .then((raw) => {
        const { posts: to, responses: ids } = JSON.parse(raw) as { posts: string[]; responses: string[] };
        json(200, { posts: take(posts, new Set(to)), responses: take(responses, new Set(ids)) });
      })
      .catch(() => json(400, {}));
    return;
  }
  readBody(req)
    .then((raw) => {
      if (url.pathname.startsWith("/respond/")) {
        const body = JSON.parse(raw || "{}") as { text?: unknown };
        responses.push({ to: url.pathname.slice("/respond/".length), at, text: String(body.text ?? "") });
        return json(200, { ok: true });
      }
      const method = url.pathname.replace(/^\/api\//, "");
      json(200, webApi(method, argsOf(req, raw), at));
    })
    .catch(() => json(400, { ok: false }));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function stop(): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();

console.log(`BENCH_READY ${JSON.stringify({ apiUrl: `${base}/api/`, respondUrl: `${base}/respond/`, url: base })}`);
