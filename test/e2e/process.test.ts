import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.js";
import { sessions } from "../../db/schema.js";
import { applySeed } from "../../src/features/participants/seed.js";
import { createTestDatabase } from "../support/db.js";
import { FakeSlack } from "../support/fake-slack.js";
import { programmeFixture } from "../support/fixtures.js";
import { type BinomeProcess, startBinome } from "../support/process.js";
import { postSigned, slashCommandBody } from "../support/slack-requests.js";

const SECRET = "e2e-signing-secret";

/** Where the process keeps its data: a fresh PGlite folder, or a fresh PostgreSQL database in CI. */
async function seededStore(): Promise<{
  env: Record<string, string>;
  countSessions(): Promise<number>;
  cleanup(): Promise<void>;
}> {
  if (process.env.DATABASE_URL) {
    const db = await createTestDatabase();
    await applySeed(db.db, programmeFixture);
    return {
      env: { DATABASE_URL: db.url as string },
      countSessions: async () => (await db.db.select({ n: count() }).from(sessions))[0]?.n ?? 0,
      cleanup: () => db.close(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "binome-e2e-"));
  const db = await openDatabase({ dataDir: dir });
  await applySeed(db.db, programmeFixture);
  await db.close();
  return {
    env: { DATA_DIR: dir },
    // PGlite allows one process per folder: read it only once binome has stopped.
    countSessions: async () => {
      const reader = await openDatabase({ dataDir: dir });
      try {
        return (await reader.db.select({ n: count() }).from(sessions))[0]?.n ?? 0;
      } finally {
        await reader.close();
      }
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe("binome started as a program", () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof seededStore>>;
  let binome: BinomeProcess;

  beforeAll(async () => {
    fake = await new FakeSlack([{ id: "UMARC", name: "Marc Dubois", locale: "fr-FR" }]).start();
    store = await seededStore();
    binome = await startBinome({
      ...store.env,
      SLACK_BOT_TOKEN: "xoxb-e2e",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
  });
  afterAll(async () => {
    await binome?.stop("SIGKILL");
    await fake.stop();
    await store.cleanup();
  });

  it("serves health and Prometheus metrics", async () => {
    const health = await fetch(`${binome.url}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${binome.url}/metrics`)).text();
    expect(metrics).toContain("binome_process_resident_memory_bytes");
  });

  it("logs a session from a signed slash command, then drains and exits cleanly on SIGTERM", async () => {
    const body = slashCommandBody({
      userId: "UMARC",
      text: "log lea 45m révision du CV",
      responseUrl: fake.responseUrl("e2e"),
    });
    const ack = await postSigned(`${binome.url}/slack/events`, SECRET, body, "application/x-www-form-urlencoded");
    expect(ack.status).toBe(200);
    const reply = await fake.waitFor(() => fake.responses.find((r) => r.path === "/respond/e2e"));
    expect(reply.body.text).toMatch(/^Séance notée avec Léa Petit : .*, 45 min\.$/);
    expect(fake.callsOf("auth.test")).toHaveLength(1);

    const metrics = await (await fetch(`${binome.url}/metrics`)).text();
    expect(metrics).toMatch(/binome_events_total\{platform="slack",type="command",outcome="reply"\} 1/);

    expect(await binome.stop("SIGTERM")).toBe(0);
    expect(binome.output()).toContain('"msg":"stopped"');
    expect(await store.countSessions()).toBe(1);
  });
});

describe("the embedded database", () => {
  it("refuses a second process on the same data folder with a clear message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "binome-lock-"));
    const first = await startBinome({ DATA_DIR: dir, PLAYGROUND: "off" });
    try {
      const second = startBinome({ DATA_DIR: dir, PLAYGROUND: "off" }, 15_000);
      await expect(second).rejects.toThrow(/is in use by process \d+/);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("configuration", () => {
  it("stops with a message naming the bad variable", async () => {
    await expect(startBinome({ PORT: "not-a-port", PLAYGROUND: "off" }, 10_000)).rejects.toThrow(
      /PORT: .*"not-a-port"/,
    );
    await expect(startBinome({ SLACK_BOT_TOKEN: "xoxb-1", PLAYGROUND: "off" }, 10_000)).rejects.toThrow(
      /SLACK_SIGNING_SECRET/,
    );
  });
});
