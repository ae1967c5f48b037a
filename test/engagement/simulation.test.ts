import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../adapters/slack/index.js";
import { checkins, identities, outbox, pairs, participants, sessions } from "../../db/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { attentionGate } from "../../src/features/attention/gate.js";
import { createBot } from "../../src/features/commands/router.js";
import { engagementTask } from "../../src/features/engagement/due-work.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import { createScheduler, type Scheduler } from "../../src/scheduler/index.js";
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from "../support/slack-harness.js";
import { postSigned } from "../support/slack-requests.js";
import {
  applyProgrammeSettings,
  COORDINATORS_CHANNEL,
  createdAtOf,
  type ExpectedMessage,
  expectedRun,
  HOUR,
  isoWeek,
  isWorkingTime,
  PROGRAMME_START,
  paris,
  parisInstant,
  plusDays,
  programmeScript,
  STEP,
  seedOf,
  sessionsByInstant,
  slackIdOf,
  slackUsersOf,
  WEEKLY_CAP,
} from "./simulated-programme.js";

// Issue 5, "What the tests must show", first point: a 12-week programme of 50 pairs, on a fake clock
// moved three hours at a time through the real scheduler, outbox worker, attention gate, Bolt receiver
// and a fake Slack Web API; compared with a reference model computed from the script alone.
const script = programmeScript();
const seed = seedOf(script);
/** From Monday 30 Nov 2026, 00:00 in Paris, to Wednesday 24 Feb 2027: the end, and the Monday after. */
const FROM = parisInstant(PROGRAMME_START, 0);
const TO = parisInstant("2027-02-24", 0);

/** A message as binome recorded it, in the model's terms. */
interface Actual {
  pair: number;
  label: string;
  kind: string;
  to: string;
  status: string;
  sentAt: number | undefined;
}

/** Values grouped by key, each group sorted: an order-free picture to compare. */
function grouped<T>(list: T[], groupOf: (item: T) => string | number, show: (item: T) => string) {
  const found: Record<string, string[]> = {};
  for (const item of list) {
    const key = String(groupOf(item));
    found[key] = [...(found[key] ?? []), show(item)];
  }
  for (const values of Object.values(found)) values.sort();
  return found;
}
const perPair = (list: Array<{ pair: number; label: string; to: string; status: string }>) =>
  grouped(
    list,
    (m) => m.pair,
    (m) => `${m.label}>${m.to}:${m.status}`,
  );
const perRecipient = (list: Array<{ label: string; to: string; status: string; sentAt?: number | undefined }>) =>
  grouped(
    list,
    (m) => m.to,
    (m) => `${m.label}:${m.status}${m.sentAt === undefined ? "" : `@${new Date(m.sentAt).toISOString().slice(0, 16)}`}`,
  );

describe("a 12-week programme of 50 pairs on a fake clock", () => {
  let slack: SlackHarness;
  let scheduler: Scheduler;
  let worker: OutboxWorker;
  /** Participant ids by script key, and back. */
  const idOf = new Map<string, string>();
  const keyOf = new Map<string, string>();
  const pairIndexOf = new Map<string, number>();
  let actual: Actual[] = [];
  let expected: ExpectedMessage[] = [];
  let elapsedMs = 0;

  beforeAll(async () => {
    slack = await startSlackHarness(seed, slackUsersOf(seed));
    const db = slack.db.db;
    slack.clock.set(new Date(FROM));
    await applyProgrammeSettings(db);
    for (const person of await db.select({ id: participants.id, email: participants.email }).from(participants)) {
      const key = seed.people.find((p) => p.email === person.email)?.key as string;
      idOf.set(key, person.id);
      keyOf.set(person.id, key);
    }
    for (const pair of script.pairs) {
      const [row] = await db
        .update(pairs)
        .set({ createdAt: createdAtOf(pair) })
        .where(eq(pairs.menteeId, idOf.get(pair.mentee) as string))
        .returning({ id: pairs.id });
      pairIndexOf.set(row?.id as string, pair.index);
    }
    // The program's Slack adapter and worker, with one change: Slack's pacing (a post a second per
    // DM) runs on real time, not on the fake clock, so weeks of posts shrink it as the benchmarks do.
    const sender = createSlackAdapter({
      bot: createBot({ db, clock: slack.clock }),
      clock: slack.clock,
      log: silentLogger,
      botToken: "xoxb-test",
      signingSecret: SIGNING_SECRET,
      apiUrl: slack.fake.apiUrl,
      pacingWindowMs: 600,
    });
    await sender.start?.();
    worker = new OutboxWorker({
      db,
      clock: slack.clock,
      log: silentLogger,
      ports: [sender.chatPort],
      gate: attentionGate(db),
    });
    scheduler = createScheduler({
      db,
      clock: slack.clock,
      log: silentLogger,
      replicaId: "simulation",
      tasks: [engagementTask()],
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await slack?.close();
  });

  let commands = 0;
  /** `/binome log <mentee> 45m …` typed by the mentor, over Slack; waits for binome's answer. */
  async function logSession(mentor: string, mentee: string): Promise<string> {
    commands += 1;
    const sent = await slack.command(slackIdOf(mentor), `log mentee${mentee.slice(1)} 45m Point sur le projet`);
    expect(sent.status).toBe(200);
    return sent.reply();
  }

  let clicks = 0;
  /** A click on « Oui » under a check-in, as Slack sends it; waits until binome has recorded it. */
  async function answerMet(mentee: string, checkinId: string): Promise<void> {
    clicks += 1;
    const user = slackIdOf(mentee);
    const ack = await postSigned(
      slack.url,
      SIGNING_SECRET,
      new URLSearchParams({
        payload: JSON.stringify({
          type: "block_actions",
          team: { id: "T0TEST", domain: "test" },
          user: { id: user, team_id: "T0TEST" },
          api_app_id: "A0BINOME",
          trigger_id: `trigger-sim-${clicks}`,
          response_url: slack.fake.responseUrl(`sim-${clicks}`),
          container: { type: "message", message_ts: "1700000000.000100", channel_id: `D${user.slice(1)}` },
          channel: { id: `D${user.slice(1)}`, name: "directmessage" },
          actions: [
            {
              type: "button",
              action_id: "checkin.answer",
              block_id: "b1",
              value: `${checkinId}:met`,
              text: { type: "plain_text", text: "Oui" },
              action_ts: "1700000001.000200",
            },
          ],
        }),
      }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(ack.status).toBe(200);
    // The click is handled after Slack's ack: wait for the message update it queues last.
    const deadline = Date.now() + 5000;
    for (;;) {
      const [update] = await slack.db.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(sql`${outbox.key} like ${`update:checkin:${checkinId}:%`}`)
        .limit(1);
      if (update) return;
      if (Date.now() > deadline) throw new Error(`the click on check-in ${checkinId} was not handled`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it("runs twelve weeks in steps of three hours: ticks, deliveries, sessions logged and check-ins answered over Slack", async () => {
    const db = slack.db.db;
    const answerers = new Set(
      script.pairs.filter((p) => p.behaviour.kind === "answers").map((p) => idOf.get(p.mentee) as string),
    );
    const sessionsAt = sessionsByInstant(script, paris(TO).date);
    const deactivateOn = plusDays(PROGRAMME_START, script.deactivated.fromDay);
    const started = Date.now();
    for (let t = FROM; t <= TO; t += STEP) {
      slack.clock.set(new Date(t));
      const { date, hour } = paris(t);
      if (date === deactivateOn && hour === 0) slack.fake.deactivate(slackIdOf(script.deactivated.person));
      await scheduler.tick();
      await worker.drain();
      for (const pair of sessionsAt.get(t) ?? []) {
        expect(await logSession(pair.mentor, pair.mentee)).toMatch(/^Séance notée avec Mentee /);
      }
      // Mentees who answer: every check-in that reached them at least an hour ago and is unanswered.
      const toAnswer = await db
        .select({ id: checkins.id, participantId: checkins.participantId })
        .from(checkins)
        .innerJoin(outbox, eq(outbox.key, sql`'checkin:' || ${checkins.id}::text`))
        .where(
          and(
            isNull(checkins.answer),
            eq(outbox.status, "sent"),
            lte(outbox.sentAt, new Date(t - HOUR)),
            inArray(checkins.participantId, [...answerers]),
          ),
        );
      for (const c of toAnswer) await answerMet(keyOf.get(c.participantId) as string, c.id);
      if (toAnswer.length > 0) await worker.drain();
    }
    elapsedMs = Date.now() - started;

    const rounds = new Map(
      (await db.select({ id: checkins.id, round: checkins.round }).from(checkins)).map((c) => [
        `checkin:${c.id}`,
        c.round,
      ]),
    );
    const rows = await db
      .select()
      .from(outbox)
      .where(inArray(outbox.kind, ["checkin", "nudge", "pair-flag"]));
    actual = rows.map((row) => {
      const [, , anchor, step] = row.key.split(":");
      return {
        pair: pairIndexOf.get(row.pairId as string) as number,
        label: row.kind === "checkin" ? `checkin#${rounds.get(row.key)}` : `step${step}@${anchor}`,
        kind: row.kind,
        to: row.channel ? "coord" : (keyOf.get(row.recipientId as string) as string),
        status: row.status,
        sentAt: row.sentAt?.getTime(),
      };
    });
    expected = expectedRun(script, FROM, TO);
    expect(actual.length).toBeGreaterThan(0);
  }, 240_000);

  it("writes exactly the expected check-ins: per round, one to each mentee whose pair reached it", async () => {
    const db = slack.db.db;
    const byRound = (list: Array<{ round: number; to: string }>) =>
      grouped(
        list,
        (c) => c.round,
        (c) => c.to,
      );
    const written = await db.select({ round: checkins.round, participantId: checkins.participantId }).from(checkins);
    const model = byRound(
      expected
        .filter((m) => m.kind === "checkin")
        .map((m) => ({ round: Number(m.label.slice("checkin#".length)), to: m.to })),
    );
    expect(byRound(written.map((c) => ({ round: c.round, to: keyOf.get(c.participantId) as string })))).toEqual(model);
    // Pairs made on days 0–11 reach their fifth round on days 70–81, before the end (day 83).
    expect(Object.keys(model)).toEqual(["1", "2", "3", "4", "5"]);
    expect(Object.values(model).map((mentees) => mentees.length)).toEqual([50, 50, 50, 50, 50]);
    expect(written.every((c) => !script.pairs.some((p) => idOf.get(p.mentor) === c.participantId))).toBe(true);
  });

  it("writes and delivers exactly the expected check-ins, nudges and flags, pair by pair and person by person", () => {
    expect(perPair(actual)).toEqual(perPair(expected));
    // Each person's messages with the minute they arrived: working hours, cap deferrals, cancellations.
    expect(perRecipient(actual)).toEqual(perRecipient(expected));
  });

  it("sends nothing unsolicited outside 09:00–18:00 on weekdays in Paris, nor on Christmas or New Year's Day", () => {
    const sent = actual.filter((m) => m.status === "sent");
    expect(sent.length).toBeGreaterThan(300);
    expect(sent.filter((m) => !isWorkingTime(m.sentAt as number))).toEqual([]);
    // The pair made on Friday 11 December was due a check-in on Friday 25 December: it came on Monday 28.
    const christmas = actual.find((m) => m.pair === 47 && m.label === "checkin#1");
    expect(new Date(christmas?.sentAt as number).toISOString()).toBe("2026-12-28T08:00:00.000Z");
    // The one made on Friday 4 December was due its second on Friday 1 January: Monday 4 January.
    const newYear = actual.find((m) => m.pair === 40 && m.label === "checkin#2");
    expect(new Date(newYear?.sentAt as number).toISOString()).toBe("2027-01-04T08:00:00.000Z");
    // Flags to the coordinators written at midnight wait for the morning, too.
    const flags = actual.filter((m) => m.kind === "pair-flag");
    expect(flags.length).toBeGreaterThan(10);
    expect(flags.every((m) => paris(m.sentAt as number).hour === 9)).toBe(true);
  });

  it("never sends a person more than two check-ins or nudges in an ISO week; the third waits for Monday", () => {
    const perWeek = new Map<string, number>();
    for (const m of actual) {
      if (m.status !== "sent" || m.to === "coord") continue;
      const week = `${m.to} ${isoWeek(paris(m.sentAt as number).date)}`;
      perWeek.set(week, (perWeek.get(week) ?? 0) + 1);
    }
    expect(Math.max(...perWeek.values())).toBe(WEEKLY_CAP);
    expect([...perWeek.entries()].filter(([, n]) => n > WEEKLY_CAP)).toEqual([]);
    // m00 has three quiet pairs made the same day: two reminders on Monday 14 December, one on the 21st.
    const toM00 = actual.filter((m) => m.to === "m00").map((m) => new Date(m.sentAt as number).toISOString());
    expect(toM00.sort()).toEqual(["2026-12-14T08:00:00.000Z", "2026-12-14T08:00:00.000Z", "2026-12-21T08:00:00.000Z"]);
    expect(expected.filter((m) => m.capped).length).toBeGreaterThan(0);
  });

  it("stops the ladder on activity, cancels what waits, and starts it again from the activity", () => {
    // m01's reminder about e05, held by the cap until Monday 21, was cancelled by Thursday's session.
    expect(actual.filter((m) => m.pair === 5 && m.to === "m01" && m.label === "step0@2026-12-02")).toMatchObject([
      { status: "cancelled", sentAt: undefined },
    ]);
    // A session logged at 06:00 cancels the question to the mentee written at midnight for 09:00.
    for (const pair of [36, 37]) {
      const made = plusDays(PROGRAMME_START, script.pairs[pair]?.createdDay as number);
      expect(actual.filter((m) => m.pair === pair && m.label === `step1@${made}`)).toMatchObject([
        { to: `e${pair}`, status: "cancelled" },
      ]);
    }
    // Pairs that answer "we met" or log every ten days are never flagged; those logging every 16 days
    // are reminded once per quiet spell, never asked or flagged.
    for (const m of actual.filter((a) => a.pair >= 6 && a.pair <= 25)) expect(m.label).not.toMatch(/^step[12]/);
    for (const m of actual.filter((a) => a.pair >= 26 && a.pair <= 30 && a.kind !== "checkin")) {
      expect(m.label).toMatch(/^step0@/);
    }
    // Resumed pairs: reminded and asked, then a session on day 24 — no flag for that spell; the ladder
    // restarts from the session and flags the new spell if it lasts 28 days.
    for (const pair of script.pairs.filter((p) => p.index >= 31 && p.index <= 35)) {
      const made = plusDays(PROGRAMME_START, pair.createdDay);
      const resumed = plusDays(made, 24);
      const ladder = actual
        .filter((m) => m.pair === pair.index && m.kind !== "checkin")
        .map((m) => `${m.label}>${m.to}`)
        .sort();
      expect(ladder).toEqual(
        [
          `step0@${made}>${pair.mentor}`,
          `step0@${made}>${pair.mentee}`,
          `step1@${made}>${pair.mentee}`,
          `step0@${resumed}>${pair.mentor}`,
          `step0@${resumed}>${pair.mentee}`,
          `step1@${resumed}>${pair.mentee}`,
          ...(plusDays(resumed, 28) <= "2027-02-21" ? [`step2@${resumed}>coord`] : []),
        ].sort(),
      );
    }
  });

  it("parks the deactivated person's messages as dead letters and tells the coordinators once", async () => {
    const db = slack.db.db;
    const gone = script.deactivated.person;
    const dead = actual.filter((m) => m.status === "dead");
    expect(dead.length).toBeGreaterThan(1);
    expect(dead.every((m) => m.to === gone)).toBe(true);
    const before = actual.filter(
      (m) => m.to === gone && m.status === "sent" && paris(m.sentAt as number).date >= plusDays(PROGRAMME_START, 30),
    );
    expect(before).toEqual([]);
    const [identity] = await db
      .select()
      .from(identities)
      .where(eq(identities.participantId, idOf.get(gone) as string));
    expect(identity?.unreachableAt).not.toBeNull();
    // Slack was asked once (account_inactive); later messages were parked without calling it.
    const attempts = slack.fake.callsOf("chat.postMessage").filter((c) => c.args.channel === slackIdOf(gone));
    expect(attempts.filter((c) => c.response?.ok === false).map((c) => c.response?.error)).toEqual([
      "account_inactive",
    ]);
    const notices = slack.fake
      .callsOf("chat.postMessage")
      .filter((c) => c.args.channel === COORDINATORS_CHANNEL && String(c.args.text).startsWith("Message non remis"));
    expect(notices.map((c) => c.args.text)).toEqual([
      "Message non remis (point d'étape) à Mentee 38 : la personne a quitté l'espace de travail ou bloqué binome. binome a cessé d'essayer ; contactez cette personne autrement.",
    ]);
  });

  it("posts each message once: Slack received exactly what the outbox records as sent", async () => {
    const db = slack.db.db;
    const posts = slack.fake.callsOf("chat.postMessage").filter((c) => c.response?.ok === true);
    const toPeople = posts.filter((c) => String(c.args.channel).startsWith("U"));
    const sentRows = await db
      .select({ sent: outbox.sent })
      .from(outbox)
      .where(and(eq(outbox.status, "sent"), sql`${outbox.recipientId} is not null`, sql`${outbox.kind} <> 'update'`));
    expect(toPeople).toHaveLength(sentRows.length);
    const ids = sentRows.map((r) => (r.sent as { messageId: string }).messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const [logged] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(sessions);
    const count = (status: string, kind?: string) =>
      actual.filter((m) => m.status === status && (!kind || m.kind === kind)).length;
    const summary = {
      pairs: script.pairs.length,
      simulatedSteps: (TO - FROM) / STEP + 1,
      checkinsSent: count("sent", "checkin"),
      nudgesSent: count("sent", "nudge"),
      flagsPosted: count("sent", "pair-flag"),
      heldByTheCap: expected.filter((m) => m.capped).length,
      cancelledByActivity: count("cancelled"),
      deadLetters: count("dead"),
      sessionsLogged: logged?.n ?? 0,
      checkinsAnsweredByClick: clicks,
      slackPosts: posts.length,
      slackUpdates: slack.fake.callsOf("chat.update").length,
      seconds: Math.round(elapsedMs / 100) / 10,
    };
    console.log(`engagement simulation: ${JSON.stringify(summary)}`);
    expect(summary.sessionsLogged).toBe(commands);
    // Each answered check-in was updated in place, once.
    expect(summary.slackUpdates).toBe(clicks);
  });
});
