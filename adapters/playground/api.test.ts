import type { Server } from "node:http";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { participants } from "../../db/schema.js";
import type { ChatAdapter } from "../../src/adapters.js";
import { textCard } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { createBot } from "../../src/features/commands/router.js";
import { seedDemoIfEmpty } from "../../src/features/demo/demo-programme.js";
import { enqueue } from "../../src/features/outbox/outbox.repository.js";
import { createHttpServer } from "../../src/http/server.js";
import { createTestDatabase } from "../../test/support/db.js";
import { createPlaygroundAdapter } from "./index.js";
import { isLoopbackAddress, isLoopbackHost } from "./loopback.js";

interface Message {
  id: string;
  from: string;
  text: string;
  html: string;
}
interface Poll {
  now: string;
  waitingUntil: string | null;
  rev: number;
  conversations: Array<{ id: string; kind: string; members: string[]; messages: Message[] }>;
}

/** A non-loopback address of this machine, to call the playground from "elsewhere". */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

describe("the playground adapter over HTTP", () => {
  let handle: DatabaseHandle;
  let server: Server;
  let adapter: ChatAdapter;
  let base: string;
  const clock = new ManualClock("2026-11-27T10:00:00Z");
  const clockMoves: Array<[string, string]> = [];

  beforeEach(async () => {
    handle = await createTestDatabase();
    await seedDemoIfEmpty(handle.db);
    clock.set("2026-11-27T10:00:00Z");
    clockMoves.length = 0;
    adapter = createPlaygroundAdapter({
      bot: createBot({ db: handle.db, clock }),
      clock,
      log: silentLogger,
      db: handle.db,
      clockMoved: async (from, to) => {
        clockMoves.push([from.toISOString(), to.toISOString()]);
      },
    });
    // Listening on every interface lets a test arrive from a non-loopback address.
    server = createHttpServer(adapter.routes, silentLogger);
    base = `http://127.0.0.1:${await listen(server, "0.0.0.0")}/playground`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await handle.close();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}/api/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const poll = async (as: string, since = 0) =>
    (await (await fetch(`${base}/api/conversation?as=${as}&since=${since}`)).json()) as Poll;
  const texts = (p: Poll, id: string) => p.conversations.find((c) => c.id === id)?.messages.map((m) => m.text);

  it("lists the demo people with their roles, coordinators with their channel", async () => {
    const { people } = (await (await fetch(`${base}/api/people`)).json()) as { people: Array<Record<string, unknown>> };
    expect(people.map((p) => p.name)).toEqual([
      "Camille Roux",
      "Claire Fontaine",
      "Hugo Moreau",
      "Inès Laurent",
      "Léa Petit",
      "Lucas Girard",
      "Nadia Benali",
      "Sophie Marchand",
      "Thomas Lefèvre",
    ]);
    expect(people).toContainEqual({
      userId: "claire",
      name: "Claire Fontaine",
      language: null,
      roles: ["coordinator"],
      channels: ["coordinateurs"],
    });
    expect(people).toContainEqual({
      userId: "sophie",
      name: "Sophie Marchand",
      language: "en",
      roles: ["mentor"],
      channels: [],
    });
  });

  it("answers a command in the person's DM, in their language, without the /binome prefix", async () => {
    const reply = await post("command", { as: "sophie", text: "/binome log lucas 1h mock interview" });
    expect(reply.body.type).toBe("reply");
    expect(texts(await poll("sophie"), "dm:sophie")).toEqual([
      "/binome log lucas 1h mock interview",
      "Session with Lucas Girard recorded: 27 Nov 2026, 1 h.",
    ]);
    expect(texts(await poll("thomas"), "dm:thomas")).toEqual([]);
  });

  it("opens a form, shows refused fields beside their inputs, and records a valid submission", async () => {
    const opened = await post("command", { as: "thomas", text: "/binome log" });
    expect(opened.body.type).toBe("form");
    expect(opened.body.html).toContain('data-form-id="log-session"');
    const pair = /<option value="([^"]+)">Léa Petit<\/option>/.exec(String(opened.body.html))?.[1];
    const values = { pair, date: "2026-11-27", duration: "abc", topics: "CV", next: "" };
    const refused = await post("form", { as: "thomas", formId: "log-session", values });
    expect(refused.body).toEqual({
      type: "formErrors",
      errors: {
        duration:
          "« abc » n&#39;est pas une durée. Écrivez par exemple <code>45m</code>, <code>1h</code> ou <code>1h30</code>.",
      },
    });
    const saved = await post("form", { as: "thomas", formId: "log-session", values: { ...values, duration: "45m" } });
    expect(saved.body.type).toBe("reply");
    expect(texts(await poll("thomas"), "dm:thomas")?.at(-1)).toBe(
      "Séance notée avec Léa Petit : 27 nov. 2026, 45 min.",
    );
  });

  it("shows channel posts to coordinators and group messages to their members only", async () => {
    await adapter.chatPort.postToChannel("coordinateurs", textCard("Nouvelle proposition de binôme"));
    const group = await adapter.chatPort.openGroup?.([
      { platform: "playground", userId: "thomas" },
      { platform: "playground", userId: "lea" },
    ]);
    await adapter.chatPort.sendToConversation?.(group?.conversationId ?? "", textCard("Faites connaissance !"));
    const claire = await poll("claire");
    expect(claire.conversations.map((c) => c.id)).toEqual(["dm:claire", "channel:coordinateurs"]);
    expect(texts(claire, "channel:coordinateurs")).toEqual(["Nouvelle proposition de binôme"]);
    expect((await poll("lea")).conversations.map((c) => [c.kind, c.members, c.messages.map((m) => m.text)])).toEqual([
      ["dm", ["lea"], []],
      ["group", ["thomas", "lea"], ["Faites connaissance !"]],
    ]);
    expect((await poll("hugo")).conversations.map((c) => c.id)).toEqual(["dm:hugo"]);
  });

  it("lets the page fetch only what changed, including a message the bot updated", async () => {
    const sent = await adapter.chatPort.sendDirect(
      { platform: "playground", userId: "lea" },
      textCard("Point d'étape : comment ça va ?"),
    );
    const first = await poll("lea");
    expect(texts(await poll("lea", first.rev), "dm:lea")).toEqual([]);
    await adapter.chatPort.updateMessage?.(sent, textCard("Merci, réponse notée."));
    const changed = await poll("lea", first.rev);
    expect(changed.conversations[0]?.messages.map((m) => [m.id, m.text])).toEqual([
      [sent.messageId, "Merci, réponse notée."],
    ]);
  });

  it("moves the simulated date forward when the clock can move, and runs what the skipped days brought", async () => {
    const moved = await post("clock/advance", { days: 7 });
    expect(moved.body).toEqual({ now: "2026-12-04T10:00:00.000Z", waitingUntil: null });
    expect((await poll("claire")).now).toBe("2026-12-04T10:00:00.000Z");
    expect(clockMoves).toEqual([["2026-11-27T10:00:00.000Z", "2026-12-04T10:00:00.000Z"]]);
    expect((await post("clock/advance", { days: -1 })).status).toBe(400);
  });

  it("says when a message held back (working hours, holiday, cap) will go", async () => {
    const [lea] = await handle.db.select().from(participants).where(eq(participants.email, "lea@demo.binome.example"));
    await enqueue(
      handle.db,
      [
        {
          key: "checkin:held",
          kind: "checkin",
          recipientId: lea?.id as string,
          payload: { card: textCard("Point d'étape") },
          dueAt: new Date("2026-11-30T08:00:00Z"),
        },
      ],
      clock.now(),
    );
    expect((await poll("lea")).waitingUntil).toBe("2026-11-30T08:00:00.000Z");
    expect((await post("clock/advance", { days: 7 })).body.waitingUntil).toBeNull();
  });

  it("shows a person's home without posting it in their conversation", async () => {
    const res = await fetch(`${base}/api/home?as=lea`);
    const { html } = (await res.json()) as { html: string };
    expect(html).toContain("Thomas Lefèvre");
    expect(html).toContain("Prochain point d&#39;étape");
    expect(texts(await poll("lea"), "dm:lea")).toEqual([]);
    expect((await fetch(`${base}/api/home?as=nobody`)).status).toBe(404);
  });

  it("serves the page and says who is unknown", async () => {
    const page = await fetch(base);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Qui êtes-vous ?");
    expect((await post("command", { as: "nobody", text: "help" })).status).toBe(404);
  });

  // Skipped only on a machine with no non-loopback address: there is then no "other machine" to call
  // from, and the address check itself is still covered by the table test below.
  it.skipIf(!outsideAddress)("refuses a caller from another machine", async () => {
    const port = Number(new URL(base).port);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: outsideAddress, localAddress: outsideAddress, port, path: "/playground" }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject).end();
    });
    expect(status).toBe(403);
  });

  it("refuses pages of other sites that reach it through DNS rebinding or a cross-site form", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${base}/api/people`, { headers: { host: "evil.example:3000" } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject).end();
    });
    expect(status).toBe(403);
    const form = await fetch(`${base}/api/command`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: '{"as":"claire","text":"help"}',
    });
    expect(form.status).toBe(415);
  });
});

describe("the playground's loopback check", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["192.0.2.2", false],
    ["::ffff:10.0.0.5", false],
    ["fd00::2", false],
    [undefined, false],
  ])("treats %s as loopback: %s", (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it.each([
    ["localhost:3000", true],
    ["127.0.0.1:49152", true],
    ["[::1]:3000", true],
    ["binome.example.org", false],
    ["localhost.evil.example", false],
  ])("treats Host %s as this machine: %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
