// The Slack side of the acknowledgement bench, in a process of its own: the fake Web API
// (auth.test, users.info) and a recorder of response_url answers with their arrival times.
// Prints `BENCH_READY {"apiUrl","respondUrl"}`; stops when its stdin closes or on SIGTERM.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeSlack } from "../test/support/fake-slack.js";
import { benchUsers, nowMs } from "./slack-ack-shared.js";

interface Answer {
  id: string;
  at: number;
  ok: boolean;
  text: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const fake = await new FakeSlack(benchUsers()).start();
const answers: Answer[] = [];

const recorder = createServer((req, res) => {
  const at = nowMs();
  const url = new URL(req.url ?? "/", "http://sink");
  if (req.method === "GET" && url.pathname === "/answers") {
    // The loader asks for the answers of one round by id prefix, and they are forgotten.
    const prefix = url.searchParams.get("prefix") ?? "";
    const picked = answers.filter((a) => a.id.startsWith(prefix));
    if (url.searchParams.get("take") === "1") {
      for (let i = answers.length - 1; i >= 0; i--) if (answers[i]?.id.startsWith(prefix)) answers.splice(i, 1);
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(picked));
    return;
  }
  readBody(req)
    .then((raw) => {
      const id = url.pathname.replace(/^\/respond\//, "");
      const body = JSON.parse(raw || "{}") as { text?: unknown };
      const text = String(body.text ?? "");
      answers.push({ id, at, ok: text.startsWith("Séance notée"), text: text.slice(0, 120) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    })
    .catch(() => {
      res.writeHead(400);
      res.end();
    });
});
await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
const respondUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/respond/`;

async function stop(): Promise<void> {
  recorder.closeAllConnections();
  await new Promise((resolve) => recorder.close(resolve));
  await fake.stop();
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();

console.log(`BENCH_READY ${JSON.stringify({ apiUrl: fake.apiUrl, respondUrl })}`);
