import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { identities, outbox } from "../../db/schema.js";
import {
  claimDue,
  enqueue,
  markDead,
  markSent,
  type OutboxRow,
  outboxCounts,
  retryLater,
  updateTargetOf,
} from "../../src/features/outbox/outbox.repository.js";
import { MAX_ATTEMPTS } from "../../src/features/outbox/outbox.worker.js";
import { programmeFixture } from "../support/fixtures.js";
import { type SlackHarness, startSlackHarness } from "../support/slack-harness.js";

const card = (text: string) => ({ card: { fallback: text, blocks: [{ type: "text" as const, text }] } });

describe("the outbox over Slack", () => {
  let slack: SlackHarness;
  let ids: Record<string, string>;

  beforeAll(async () => {
    slack = await startSlackHarness(programmeFixture, [{ id: "UMARC", name: "Marc Dubois" }]);
    const { applySeed } = await import("../../src/features/participants/seed.js");
    ({ ids } = await applySeed(slack.db.db, programmeFixture));
  });
  afterAll(() => slack.close());
  beforeEach(async () => {
    await slack.db.db.delete(outbox);
    slack.fake.calls.length = 0;
  });

  const programmeId = async () => (await slack.db.db.query.programmes.findFirst())?.id as string;
  const write = async (key: string, recipient: string, text: string) =>
    enqueue(
      slack.db.db,
      [
        {
          key,
          kind: "test",
          programmeId: await programmeId(),
          recipientId: ids[recipient] as string,
          payload: card(text),
          dueAt: slack.clock.now(),
        },
      ],
      slack.clock.now(),
    );

  it("sends each key once, however often it is written", async () => {
    expect(await write("k1", "marc", "Bonjour")).toBe(1);
    expect(await write("k1", "marc", "Bonjour")).toBe(0);
    await slack.worker.drain();
    await slack.worker.drain();
    expect(slack.fake.callsOf("chat.postMessage").map((c) => [c.args.channel, c.args.text])).toEqual([
      ["UMARC", "Bonjour"],
    ]);
    const [row] = await slack.db.db.select().from(outbox);
    expect(row?.status).toBe("sent");
    expect(row?.sent).toEqual({ platform: "slack", conversationId: "DMARC", messageId: expect.any(String) });
  });

  it("holds an update written while its message was still on its way, then updates the message it became", async () => {
    await write("original", "marc", "Avez-vous échangé ?");
    // The person answers while the question is still being sent: the update names it by its key.
    const target = await updateTargetOf(slack.db.db, "original");
    expect(target).toEqual({ updateOf: "original" });
    const [original] = await claimDue(slack.db.db, slack.clock.now(), 1, 60_000);
    await enqueue(
      slack.db.db,
      [
        {
          key: "original:update",
          kind: "update",
          programmeId: await programmeId(),
          recipientId: ids.marc as string,
          payload: { ...card("Merci, c'est noté."), ...target },
          dueAt: slack.clock.now(),
        },
      ],
      slack.clock.now(),
    );
    // The update waits (without spending an attempt) while the question is on its way…
    expect(await slack.worker.runOnce()).toMatchObject({ sent: 0, retried: 1 });
    expect(slack.fake.callsOf("chat.update")).toEqual([]);
    await markSent(
      slack.db.db,
      original as OutboxRow,
      { platform: "slack", conversationId: "DMARC", messageId: "1.000100" },
      slack.clock.now(),
    );
    slack.clock.advance(1_000);
    // …then replaces the question in place.
    expect(await slack.worker.runOnce()).toMatchObject({ sent: 1 });
    expect(slack.fake.callsOf("chat.update").map((c) => [c.args.channel, c.args.ts, c.args.text])).toEqual([
      ["DMARC", "1.000100", "Merci, c'est noté."],
    ]);
    const [update] = await slack.db.db.select().from(outbox).where(eq(outbox.key, "original:update"));
    expect(update?.attempts).toBe(1);

    // An update of a message that was cancelled is dropped, and nobody is told.
    await write("gone", "marc", "Jamais envoyé");
    await slack.db.db.update(outbox).set({ status: "cancelled" }).where(eq(outbox.key, "gone"));
    expect(await updateTargetOf(slack.db.db, "gone")).toBeUndefined();
  });

  it("waits as long as Slack's Retry-After says, without counting it as a failure", async () => {
    slack.fake.fail("chat.postMessage", {
      status: 429,
      headers: { "retry-after": "30" },
      body: { ok: false, error: "ratelimited" },
    });
    await write("k2", "marc", "Après la pause");
    expect(await slack.worker.runOnce()).toEqual({ sent: 0, retried: 1, dead: 0, held: 0, cancelled: 0 });
    const [waiting] = await slack.db.db.select().from(outbox);
    expect(waiting?.dueAt.getTime()).toBe(slack.clock.now().getTime() + 30_000);
    expect(waiting?.attempts).toBe(0);
    expect(await slack.worker.runOnce()).toEqual({ sent: 0, retried: 0, dead: 0, held: 0, cancelled: 0 });
    slack.clock.advance(30_000);
    expect(await slack.worker.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0, held: 0, cancelled: 0 });
  });

  it("retries server errors with backoff, then parks the message and tells the coordinators", async () => {
    slack.fake.fail("chat.postMessage", {
      status: 500,
      times: 3 * MAX_ATTEMPTS,
      body: { ok: false, error: "internal_error" },
    });
    await write("k3", "marc", "Jamais remis");
    let report = await slack.worker.runOnce();
    expect(report.retried).toBe(1);
    for (let i = 0; i < MAX_ATTEMPTS && report.dead === 0; i++) {
      slack.clock.advance(60 * 60_000);
      report = await slack.worker.runOnce();
    }
    expect(report.dead).toBe(1);
    const [dead] = await slack.db.db.select().from(outbox).where(eq(outbox.key, "k3"));
    expect(dead?.status).toBe("dead");
    const notice = await slack.db.db.select().from(outbox).where(eq(outbox.kind, "dead-letter"));
    expect(notice[0]?.channel).toBe("slack:C0COORD");
  });

  it("parks a message to a deactivated person at once, marks them unreachable and tells the coordinators", async () => {
    slack.fake.fail("chat.postMessage", { status: 200, body: { ok: false, error: "account_inactive" } });
    await write("k4", "lea", "Bonjour Léa");
    expect(await slack.worker.runOnce()).toEqual({ sent: 0, retried: 0, dead: 1, held: 0, cancelled: 0 });
    const [lea] = await slack.db.db.select().from(identities).where(eq(identities.userId, "ULEA"));
    expect(lea?.unreachableAt).not.toBeNull();
    await slack.worker.drain();
    const notice = slack.fake.callsOf("chat.postMessage").find((c) => c.args.channel === "C0COORD");
    expect(notice?.args.text).toBe(
      "Message non remis (test) à Léa Petit : la personne a quitté l'espace de travail ou bloqué binome. binome a cessé d'essayer ; contactez cette personne autrement.",
    );
    // Later messages to her are parked without calling Slack, and without telling the coordinators again.
    const before = slack.fake.calls.length;
    await write("k5", "lea", "Encore");
    await slack.worker.drain();
    expect(slack.fake.calls.length).toBe(before);
    expect(await outboxCounts(slack.db.db)).toMatchObject({ dead: 2 });
    await slack.db.db.update(identities).set({ unreachableAt: null });
  });

  it("ignores a slow worker whose claim ran out and was taken over", async () => {
    await write("k7", "marc", "Une seule fois");
    const [stale] = await claimDue(slack.db.db, slack.clock.now(), 10, 60_000);
    slack.clock.advance(61_000);
    const [fresh] = await claimDue(slack.db.db, slack.clock.now(), 10, 60_000);
    expect(fresh?.id).toBe(stale?.id);
    await markSent(slack.db.db, fresh as OutboxRow, { conversationId: "DMARC", messageId: "1" }, slack.clock.now());
    // The first worker's send finally fails: its claim is no longer the row's, so nothing changes.
    await retryLater(slack.db.db, stale as OutboxRow, slack.clock.now(), "timeout");
    await markDead(slack.db.db, stale as OutboxRow, "timeout");
    const [row] = await slack.db.db.select().from(outbox).where(eq(outbox.key, "k7"));
    expect(row?.status).toBe("sent");
    expect(row?.lastError).toBeNull();
  });

  it("takes over a message whose worker died after claiming it", async () => {
    await write("k6", "marc", "Repris");
    await slack.db.db
      .update(outbox)
      .set({ status: "sending", claimedUntil: new Date(slack.clock.now().getTime() + 60_000), attempts: 1 });
    expect((await slack.worker.runOnce()).sent).toBe(0);
    slack.clock.advance(61_000);
    expect((await slack.worker.runOnce()).sent).toBe(1);
  });
});
