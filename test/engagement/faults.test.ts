import { webApi } from "@slack/bolt";
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackChatPort } from "../../adapters/slack/chat-port.js";
import { identities, outbox, pairs, participants, programmes } from "../../db/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { attentionGate } from "../../src/features/attention/gate.js";
import { findDueWork } from "../../src/features/engagement/due-work.js";
import { type OutboxRow, outboxCounts } from "../../src/features/outbox/outbox.repository.js";
import { MAX_ATTEMPTS, OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import { programmeFixture } from "../support/fixtures.js";
import { type SlackHarness, startSlackHarness } from "../support/slack-harness.js";
import { teamsMessage } from "../support/teams-activities.js";
import { TEST_TENANT_ID } from "../support/teams-auth.js";
import { people, startTeamsHarness, type TeamsHarness, visibleText } from "../teams/harness.js";
import { parisInstant } from "./simulated-programme.js";

// Issue 5, "What the tests must show": platform faults from the fakes, on the engagement loop's own
// messages (check-ins, nudges, flags). test/outbox/outbox.test.ts covers the outbox's mechanics on
// a plain message (429, 500 to a dead letter, account_inactive, leases); test/teams/checkins.test.ts
// a Teams 403 on a person. Here: what those faults do to check-ins and nudges under the attention
// rules, timeouts, user_not_found, and Teams' 5xx, 429 and a 403 on the coordinators' channel.

/** The fixture's pairs were made on Monday 30 November 2026, 10:00 in Paris; day 14 is Monday 14 December. */
const PAIRED = new Date(parisInstant("2026-11-30", 10));
const DAY_14 = "2026-12-14";
/** The Web API client's own retries per call (adapters/slack/index.ts: `retries: 2`). */
const CLIENT_TRIES = 3;

const slackUsers = programmeFixture.people.map((p) => ({
  id: p.identities?.[0]?.userId as string,
  name: p.name,
  tz: "Europe/Paris",
}));

/** Participant and pair ids by the fixture's keys; pairs are found by their mentee. */
async function fixtureIds(db: SlackHarness["db"]["db"]) {
  const ids: Record<string, string> = {};
  for (const person of await db.select().from(participants)) {
    ids[programmeFixture.people.find((p) => p.email === person.email)?.key as string] = person.id;
  }
  const pairIds: Record<string, string> = {};
  for (const pair of await db.select().from(pairs)) {
    pairIds[Object.keys(ids).find((k) => ids[k] === pair.menteeId) as string] = pair.id;
  }
  return { ids, pairIds };
}

const postsTo = (slack: SlackHarness, channel: string) =>
  slack.fake.callsOf("chat.postMessage").filter((c) => c.args.channel === channel);

describe("Slack faults on check-ins and nudges", { timeout: 90_000 }, () => {
  let slack: SlackHarness;
  let ids: Record<string, string>;
  let pairIds: Record<string, string>;
  // The harness is made in a hook: on a loaded machine, a fresh worker's database alone takes a while.
  beforeEach(async () => {
    slack = await startSlackHarness(programmeFixture, slackUsers);
  }, 180_000);
  afterEach(() => slack?.close());

  /**
   * The fixture over Slack with Léa's pair made on PAIRED (others a week later, unless `allDue`), and
   * the engagement tick at midnight on day 14: Léa's check-in, and the 14-day reminders to Léa and Marc.
   */
  async function dayFourteen(options: { allDue?: boolean } = {}) {
    const db = slack.db.db;
    ({ ids, pairIds } = await fixtureIds(db));
    await db.update(pairs).set({ createdAt: options.allDue ? PAIRED : new Date(PAIRED.getTime() + 7 * 86_400_000) });
    await db
      .update(pairs)
      .set({ createdAt: PAIRED })
      .where(eq(pairs.id, pairIds.lea as string));
    slack.clock.set(new Date(parisInstant(DAY_14, 0)));
    const report = await findDueWork(db, slack.clock.now());
    expect(await slack.worker.drain(), "nothing goes at midnight").toMatchObject({ sent: 0 });
    return report;
  }
  const rowsOf = async (kinds = ["checkin", "nudge"]) =>
    slack.db.db.select().from(outbox).where(inArray(outbox.kind, kinds)).orderBy(outbox.id);

  it("429 with Retry-After: waits as told, spends no attempt, and a wait past 18:00 carries to the next morning", async () => {
    expect(await dayFourteen()).toEqual({ checkins: 1, nudges: 2, flags: 0 });
    // 17:59:58: a Retry-After of 2 s carries the posts past 18:00, when the gate holds them until morning.
    slack.clock.set(new Date(parisInstant(DAY_14, 18) - 2_000));
    slack.fake.fail("chat.postMessage", {
      status: 429,
      headers: { "retry-after": "2" },
      body: { ok: false, error: "ratelimited" },
      times: 3,
    });
    expect(await slack.worker.runOnce()).toMatchObject({ sent: 0, retried: 3, dead: 0 });
    for (const row of await rowsOf()) {
      expect(row.status).toBe("pending");
      expect(row.attempts).toBe(0);
      expect(row.dueAt.getTime()).toBe(slack.clock.now().getTime() + 2_000);
    }
    // Retry-After ends at 18:00:00: closing time. The attention rules hold the messages overnight.
    slack.clock.advance(2_000);
    const calls = slack.fake.calls.length;
    expect(await slack.worker.drain()).toMatchObject({ sent: 0, held: 3 });
    expect(slack.fake.calls.length).toBe(calls);
    for (const row of await rowsOf()) expect(row.dueAt.toISOString()).toBe("2026-12-15T08:00:00.000Z");
    slack.clock.set(new Date(parisInstant("2026-12-15", 9)));
    expect(await slack.worker.drain()).toMatchObject({ sent: 3, retried: 0, dead: 0 });
    for (const row of await rowsOf()) {
      expect(row).toMatchObject({ status: "sent", attempts: 1, sentAt: new Date("2026-12-15T08:00:00Z") });
    }
    // Each message: one refused call, one accepted. Nothing sent twice.
    expect(postsTo(slack, "ULEA").map((c) => c.status)).toEqual([429, 429, 200, 200]);
    expect(postsTo(slack, "UMARC").map((c) => c.status)).toEqual([429, 200]);
  });

  it("500: a reminder is retried with growing backoff, a bounded number of times, then parked and shown to the coordinators", async () => {
    await dayFourteen();
    slack.clock.set(new Date(parisInstant(DAY_14, 9)));
    // Every call fails until each of the three messages has used its attempts; the notices then go.
    slack.fake.fail("chat.postMessage", {
      status: 500,
      body: { ok: false, error: "internal_error" },
      times: 3 * MAX_ATTEMPTS * CLIENT_TRIES,
    });
    const delays = new Map<number, number[]>();
    for (let round = 0; round < MAX_ATTEMPTS + 2; round++) {
      const before = slack.clock.now().getTime();
      await slack.worker.runOnce();
      const waiting = (await rowsOf()).filter((r) => r.status === "pending");
      for (const row of waiting) delays.set(row.id, [...(delays.get(row.id) ?? []), row.dueAt.getTime() - before]);
      if (waiting.length === 0) break;
      slack.clock.set(new Date(Math.max(...waiting.map((r) => r.dueAt.getTime()))));
    }
    const rows = await rowsOf();
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["dead", MAX_ATTEMPTS],
      ["dead", MAX_ATTEMPTS],
      ["dead", MAX_ATTEMPTS],
    ]);
    for (const row of rows) {
      const waits = delays.get(row.id) ?? [];
      expect(waits).toHaveLength(MAX_ATTEMPTS - 1);
      // Attempt n waits between half and all of 5 s × 2^(n-1): 5 s, 10 s, 20 s, 40 s, 80 s at most.
      waits.forEach((wait, i) => {
        const base = 5_000 * 2 ** i;
        expect(wait).toBeGreaterThanOrEqual(base / 2);
        expect(wait).toBeLessThanOrEqual(base);
      });
    }
    // Bounded: each message cost MAX_ATTEMPTS tries of the client's CLIENT_TRIES calls, no more.
    expect(postsTo(slack, "UMARC")).toHaveLength(MAX_ATTEMPTS * CLIENT_TRIES);
    expect(postsTo(slack, "ULEA")).toHaveLength(2 * MAX_ATTEMPTS * CLIENT_TRIES);
    await slack.worker.drain();
    const notices = postsTo(slack, "C0COORD").filter((c) => c.status === 200);
    expect(notices.map((c) => String(c.args.text).replace(/ \(An HTTP protocol error[^)]*\)/, "")).sort()).toEqual([
      "Message non remis (point d'étape) à Léa Petit : 6 essais ont échoué. binome a cessé d'essayer ; contactez cette personne autrement.",
      "Message non remis (relance) à Léa Petit : 6 essais ont échoué. binome a cessé d'essayer ; contactez cette personne autrement.",
      "Message non remis (relance) à Marc Dubois : 6 essais ont échoué. binome a cessé d'essayer ; contactez cette personne autrement.",
    ]);
    // Nobody was marked unreachable: a server error says nothing about the person.
    const marked = await slack.db.db
      .select()
      .from(identities)
      .where(eq(identities.participantId, ids.lea as string));
    expect(marked[0]?.unreachableAt).toBeNull();
  });

  it("timeouts: a post that hangs fails the attempt, is retried later, and duplicates stay bounded by the attempts", async () => {
    await dayFourteen();
    slack.clock.set(new Date(parisInstant(DAY_14, 9)));
    // The adapter's client sets no timeout (see the report); this one gives up after 300 ms, with
    // the adapter's retry policy. Slack answers after a second.
    const client = new webApi.WebClient("xoxb-test", {
      slackApiUrl: slack.fake.apiUrl,
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {},
        setLevel() {},
        getLevel: () => "error",
        setName() {},
      } as never,
      retryConfig: { retries: CLIENT_TRIES - 1, factor: 2, minTimeout: 50, maxTimeout: 100 },
      rejectRateLimitedCalls: true,
      timeout: 300,
    });
    const worker = new OutboxWorker({
      db: slack.db.db,
      clock: slack.clock,
      log: silentLogger,
      ports: [new SlackChatPort(client)],
      gate: attentionGate(slack.db.db),
    });
    slack.fake.slowDown("chat.postMessage", 1_000);
    expect(await worker.runOnce()).toMatchObject({ sent: 0, retried: 3, dead: 0 });
    for (const row of await rowsOf()) {
      expect(row).toMatchObject({ status: "pending", attempts: 1 });
      expect(row.lastError).toMatch(/timeout/i);
    }
    // Slack is fast again: the next attempt, after its backoff, goes through.
    slack.fake.slowDown("chat.postMessage", 0);
    slack.clock.advance(10_000);
    expect(await worker.drain()).toMatchObject({ sent: 3, retried: 0, dead: 0 });
    const rows = await rowsOf();
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 2],
      ["sent", 2],
      ["sent", 2],
    ]);
    // A request that timed out on our side may still have reached Slack: those are the duplicates a
    // person can see. Each timed-out attempt made the client's CLIENT_TRIES calls; never more.
    const toMarc = postsTo(slack, "UMARC");
    expect(toMarc).toHaveLength(CLIENT_TRIES + 1);
    console.log(
      `timeouts: 3 messages, ${slack.fake.callsOf("chat.postMessage").length} posts reached Slack (bound ${3 * MAX_ATTEMPTS * CLIENT_TRIES})`,
    );
  });

  it("user_not_found: the check-in and the reminder are parked at once, the person marked unreachable, the coordinators told once", async () => {
    await dayFourteen({ allDue: true });
    slack.fake.deactivate("ULEA", "user_not_found");
    slack.clock.set(new Date(parisInstant(DAY_14, 9)));
    const report = await slack.worker.drain();
    expect(report).toMatchObject({ dead: 2, retried: 0 });
    const toLea = (await rowsOf()).filter((r) => r.recipientId === ids.lea);
    expect(toLea.map((r) => [r.kind, r.status, r.attempts])).toEqual([
      ["checkin", "dead", 1],
      ["nudge", "dead", 1],
    ]);
    // Everyone else got theirs: Hugo and Inès a check-in and a reminder, Marc two, Sophie one.
    const others = (await rowsOf()).filter((r) => r.recipientId !== ids.lea);
    expect(others.map((r) => r.status)).toEqual(Array(7).fill("sent"));
    const [identity] = await slack.db.db
      .select()
      .from(identities)
      .where(eq(identities.participantId, ids.lea as string));
    expect(identity?.unreachableAt).toEqual(slack.clock.now());
    const notices = () =>
      postsTo(slack, "C0COORD")
        .map((c) => String(c.args.text))
        .filter((text) => text.startsWith("Message non remis"));
    expect(notices()).toEqual([
      expect.stringMatching(
        /^Message non remis \((point d'étape|relance)\) à Léa Petit : la personne a quitté l'espace de travail ou bloqué binome\./,
      ),
    ]);
    // Two weeks later: her next check-in is parked without calling Slack, and without a new notice.
    const calls = postsTo(slack, "ULEA").length;
    expect(calls).toBeLessThanOrEqual(2);
    slack.clock.set(new Date(parisInstant("2026-12-28", 0)));
    await findDueWork(slack.db.db, slack.clock.now());
    slack.clock.set(new Date(parisInstant("2026-12-28", 9)));
    await slack.worker.drain();
    const round2 = (await rowsOf(["checkin"])).filter((r) => r.recipientId === ids.lea).at(-1) as OutboxRow;
    expect(round2).toMatchObject({ status: "dead", attempts: 1 });
    expect(round2.lastError).toMatch(/unreachable on every connected platform/);
    expect(postsTo(slack, "ULEA")).toHaveLength(calls);
    expect(notices()).toHaveLength(1);
    expect(await outboxCounts(slack.db.db)).toMatchObject({ dead: 3 });
  });
});

describe("Teams faults on check-ins and flags, over the fake Bot Connector", { timeout: 90_000 }, () => {
  const COORDINATION = "19:coordination@thread.tacv2";
  let h: TeamsHarness;
  beforeEach(async () => {
    h = await startTeamsHarness();
  }, 180_000);
  afterEach(() => h?.close());

  /** The fixture on Teams only (Inès has no Teams account: her pair ended); everyone has written to the bot. */
  async function onTeams(): Promise<{ worker: OutboxWorker; lea: string }> {
    const db = h.db;
    const [ines] = await db.select().from(participants).where(eq(participants.email, "ines@example.org"));
    await db
      .update(pairs)
      .set({ status: "ended" })
      .where(eq(pairs.menteeId, ines?.id as string));
    await db.update(pairs).set({ createdAt: PAIRED });
    await db.update(programmes).set({ coordinatorChannel: `teams:${COORDINATION}` });
    for (const person of [people.marc, people.lea, people.hugo])
      await h.post(teamsMessage(person, "help", h.place(person)));
    const inChannel = teamsMessage(people.claire, "<at>binome</at> help", {
      ...h.place(people.claire),
      conversationId: COORDINATION,
    });
    inChannel.conversation = { id: COORDINATION, conversationType: "channel", tenantId: TEST_TENANT_ID };
    inChannel.entities = [
      ...(inChannel.entities ?? []),
      { type: "mention", text: "<at>binome</at>", mentioned: { id: inChannel.recipient?.id ?? "" } },
    ];
    await h.post(inChannel);
    h.connector.reset();
    const [lea] = await db.select().from(participants).where(eq(participants.email, "lea@example.org"));
    const worker = new OutboxWorker({
      db,
      clock: h.clock,
      log: silentLogger,
      ports: [h.adapter.chatPort],
      gate: attentionGate(db),
    });
    return { worker, lea: lea?.id as string };
  }
  const leaChat = `a:personal-${people.lea.aadObjectId}`;
  const callsInto = (conversation: string) =>
    h.connector.calls.filter((c) => c.method === "POST" && c.path === `/v3/conversations/${conversation}/activities`);

  it("5xx: Léa's check-in and reminder are retried with backoff, a bounded number of times, then shown to the coordinators", async () => {
    const { worker, lea } = await onTeams();
    h.clock.set(new Date(parisInstant(DAY_14, 0)));
    await findDueWork(h.db, h.clock.now());
    h.clock.set(new Date(parisInstant(DAY_14, 9)));
    h.connector.refuse(leaChat, 502);
    for (let round = 0; round < MAX_ATTEMPTS + 2; round++) {
      await worker.runOnce();
      const waiting = await h.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.recipientId, lea), eq(outbox.status, "pending")));
      if (waiting.length === 0) break;
      h.clock.set(new Date(Math.max(...waiting.map((r) => r.dueAt.getTime()))));
    }
    const toLea = await h.db.select().from(outbox).where(eq(outbox.recipientId, lea)).orderBy(outbox.id);
    expect(toLea.map((r) => [r.kind, r.status, r.attempts])).toEqual([
      ["checkin", "dead", MAX_ATTEMPTS],
      ["nudge", "dead", MAX_ATTEMPTS],
    ]);
    // Bounded: one Bot Connector call per attempt and message.
    expect(callsInto(leaChat)).toHaveLength(2 * MAX_ATTEMPTS);
    // Marc and Hugo were not held up by Léa's failures.
    const marcChat = `a:personal-${people.marc.aadObjectId}`;
    expect(callsInto(marcChat)).toHaveLength(2);
    await worker.drain();
    const notices = callsInto(COORDINATION).map((c) => visibleText(c.body));
    expect(notices).toHaveLength(2);
    for (const text of notices)
      expect(text).toMatch(/^Message non remis \((point d'étape|relance)\) à Léa Petit : 6 essais ont échoué/);
  });

  it("429: waits and tries again without spending the message's attempts", async () => {
    const { worker, lea } = await onTeams();
    h.clock.set(new Date(parisInstant(DAY_14, 0)));
    await findDueWork(h.db, h.clock.now());
    h.clock.set(new Date(parisInstant(DAY_14, 9)));
    h.connector.refuse(leaChat, 429);
    for (let i = 0; i < 3; i++) {
      expect((await worker.runOnce()).dead).toBe(0);
      const waiting = await h.db.select().from(outbox).where(eq(outbox.recipientId, lea));
      expect(waiting.map((r) => [r.status, r.attempts])).toEqual([
        ["pending", 0],
        ["pending", 0],
      ]);
      h.clock.set(new Date(Math.max(...waiting.map((r) => r.dueAt.getTime()))));
    }
    h.connector.refuse(leaChat, 0);
    await worker.drain();
    const sent = await h.db.select().from(outbox).where(eq(outbox.recipientId, lea));
    expect(sent.map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
    expect(callsInto(leaChat)).toHaveLength(2 * 3 + 2);
  });

  it("403 on the coordinators' channel: the flags are parked at once, without retries, and counted in the status", async () => {
    const { worker } = await onTeams();
    // binome first looks on day 28 (it was stopped): both pairs have been quiet for 28 days; the
    // ladder goes straight to its last step and flags them to the coordinators.
    h.clock.set(new Date(parisInstant("2026-12-28", 0)));
    expect(await findDueWork(h.db, h.clock.now())).toMatchObject({ checkins: 2, nudges: 0, flags: 2 });
    h.connector.refuse(COORDINATION, 403);
    expect(await worker.drain(), "flags wait for the morning, like the check-ins").toMatchObject({ sent: 0, dead: 0 });
    expect(h.connector.calls).toEqual([]);
    h.clock.set(new Date(parisInstant("2026-12-28", 9)));
    expect(await worker.drain()).toMatchObject({ sent: 2, dead: 2, retried: 0 });
    const flags = await h.db.select().from(outbox).where(eq(outbox.kind, "pair-flag"));
    expect(flags.map((f) => [f.status, f.attempts])).toEqual([
      ["dead", 1],
      ["dead", 1],
    ]);
    expect(callsInto(COORDINATION)).toHaveLength(2);
    // No notice can reach a channel binome was removed from; the coordinators see the count instead.
    h.connector.refuse(COORDINATION, 0);
    await h.post(teamsMessage(people.claire, "status", h.place(people.claire)));
    expect(h.lastSent()).toMatch(/messages non distribués : 2/);
  });
});
