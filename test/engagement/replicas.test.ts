import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../adapters/slack/index.js";
import { type DatabaseHandle, openDatabase } from "../../db/client.js";
import { checkins, outbox, pairs, participants, schedulerRuns } from "../../db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { attentionGate } from "../../src/features/attention/gate.js";
import { type Bot, createBot } from "../../src/features/commands/router.js";
import { engagementTask } from "../../src/features/engagement/due-work.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import { applySeed } from "../../src/features/participants/seed.js";
import { createScheduler, type Scheduler } from "../../src/scheduler/index.js";
import { createTestDatabase } from "../support/db.js";
import { FakeSlack } from "../support/fake-slack.js";
import {
  applyProgrammeSettings,
  createdAtOf,
  DAY,
  expectedRun,
  HOUR,
  isoWeek,
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

// Issue 5, "What the tests must show": two processes on one PostgreSQL for 8 simulated weeks, no
// scheduled message sent twice. Two replicas, each with its own connection pool, scheduler, Slack
// client and outbox worker, tick and deliver at the same moments over the 50-pair script of
// simulation.test.ts; a single fake Slack records what reached it. PGlite is one process: the test
// needs PostgreSQL (CI's second run sets DATABASE_URL; locally, bench/with-postgres.sh npx vitest run …).
const WEEKS = 8;
const script = programmeScript();
const seed = seedOf(script);
const FROM = parisInstant(PROGRAMME_START, 0);
const TO = FROM + WEEKS * 7 * DAY;

interface Replica {
  name: string;
  handle: DatabaseHandle;
  scheduler: Scheduler;
  worker: OutboxWorker;
  bot: Bot;
}

const onPostgres = Boolean(process.env.DATABASE_URL);

describe.skipIf(!onPostgres)(
  `two replicas on one PostgreSQL for ${WEEKS} simulated weeks (skipped without DATABASE_URL: PGlite runs one process)`,
  () => {
    let first: DatabaseHandle & { url?: string };
    let second: DatabaseHandle;
    let fake: FakeSlack;
    const clock = new ManualClock(new Date(FROM));
    const replicas: Replica[] = [];
    const idOf = new Map<string, string>();
    const keyOf = new Map<string, string>();
    const pairIndexOf = new Map<string, number>();

    beforeAll(async () => {
      first = await createTestDatabase();
      second = await openDatabase({ url: first.url as string, migrate: false, poolSize: 4 });
      await applySeed(first.db, seed);
      await applyProgrammeSettings(first.db);
      for (const person of await first.db
        .select({ id: participants.id, email: participants.email })
        .from(participants)) {
        const key = seed.people.find((p) => p.email === person.email)?.key as string;
        idOf.set(key, person.id);
        keyOf.set(person.id, key);
      }
      for (const pair of script.pairs) {
        const [row] = await first.db
          .update(pairs)
          .set({ createdAt: createdAtOf(pair) })
          .where(eq(pairs.menteeId, idOf.get(pair.mentee) as string))
          .returning({ id: pairs.id });
        pairIndexOf.set(row?.id as string, pair.index);
      }
      fake = await new FakeSlack(slackUsersOf(seed)).start();
      for (const [name, handle] of [
        ["replica-a", first],
        ["replica-b", second],
      ] as const) {
        const bot = createBot({ db: handle.db, clock });
        const adapter = createSlackAdapter({
          bot,
          clock,
          log: silentLogger,
          botToken: "xoxb-test",
          signingSecret: "unused",
          apiUrl: fake.apiUrl,
          // Slack's pacing runs on real time: weeks of posts shrink it, as the benchmarks do.
          pacingWindowMs: 600,
        });
        await adapter.start?.();
        replicas.push({
          name,
          handle,
          bot,
          scheduler: createScheduler({
            db: handle.db,
            clock,
            log: silentLogger,
            replicaId: name,
            tasks: [engagementTask()],
          }),
          worker: new OutboxWorker({
            db: handle.db,
            clock,
            log: silentLogger,
            ports: [adapter.chatPort],
            gate: attentionGate(handle.db),
          }),
        });
      }
    }, 120_000);
    afterAll(async () => {
      for (const replica of replicas) await replica.scheduler.stop();
      await fake?.stop();
      await second?.close();
      await first?.close();
    });

    const actor = (key: string) => ({ platform: "slack" as const, tenantId: "T0TEST", userId: slackIdOf(key) });
    /** Both replicas at once: each ticks then delivers; then both deliver again until nothing is due. */
    const bothReplicas = async () => {
      await Promise.all(
        replicas.map(async (r) => {
          await r.scheduler.tick();
          await r.worker.drain();
        }),
      );
      await Promise.all(replicas.map((r) => r.worker.drain()));
    };

    it("sends every scheduled check-in and nudge exactly once, as one process would", async () => {
      const db = first.db;
      const sessionsAt = sessionsByInstant(script, paris(TO).date);
      const answerers = script.pairs
        .filter((p) => p.behaviour.kind === "answers")
        .map((p) => idOf.get(p.mentee) as string);
      const deactivateOn = plusDays(PROGRAMME_START, script.deactivated.fromDay);
      let turn = 0;
      /** People act through one replica or the other, in turn, as a load balancer would spread them. */
      const nextBot = () => (replicas[turn++ % replicas.length] as Replica).bot;
      for (let t = FROM; t <= TO; t += STEP) {
        clock.set(new Date(t));
        const { date, hour } = paris(t);
        if (date === deactivateOn && hour === 0) fake.deactivate(slackIdOf(script.deactivated.person));
        await bothReplicas();
        for (const pair of sessionsAt.get(t) ?? []) {
          const outcome = await nextBot().handle({
            type: "command",
            actor: actor(pair.mentor),
            origin: {},
            text: `log mentee${pair.mentee.slice(1)} 45m Point sur le projet`,
          });
          expect(outcome.type).toBe("reply");
        }
        const toAnswer = await db
          .select({ id: checkins.id, participantId: checkins.participantId })
          .from(checkins)
          .innerJoin(outbox, eq(outbox.key, sql`'checkin:' || ${checkins.id}::text`))
          .where(
            and(
              isNull(checkins.answer),
              eq(outbox.status, "sent"),
              lte(outbox.sentAt, new Date(t - HOUR)),
              inArray(checkins.participantId, answerers),
            ),
          );
        for (const c of toAnswer) {
          await nextBot().handle({
            type: "action",
            actor: actor(keyOf.get(c.participantId) as string),
            origin: {},
            actionId: "checkin.answer",
            value: `${c.id}:met`,
          });
        }
        if (toAnswer.length > 0) await Promise.all(replicas.map((r) => r.worker.drain()));
      }

      // Both replicas ran the engagement task: each fire once, by one of them.
      const runs = await db
        .select({ by: schedulerRuns.claimedBy, n: sql<number>`count(*)`.mapWith(Number) })
        .from(schedulerRuns)
        .groupBy(schedulerRuns.claimedBy);
      expect(runs.map((r) => r.by).sort()).toEqual(["replica-a", "replica-b"]);
      expect(runs.reduce((n, r) => n + r.n, 0)).toBe((TO - FROM) / STEP + 1);

      // Every message Slack accepted is one outbox row marked sent, and every row marked sent
      // reached Slack once: nothing sent twice, nothing lost.
      const accepted = fake.callsOf("chat.postMessage").filter((c) => c.response?.ok === true);
      const sentRows = await db.select().from(outbox).where(eq(outbox.status, "sent"));
      const posted = sentRows.filter((r) => r.kind !== "update");
      const tsOf = (r: (typeof sentRows)[number]) => (r.sent as { messageId: string }).messageId;
      const acceptedTs = new Set(accepted.map((c) => String(c.response?.ts)));
      expect(accepted.map((c) => String(c.response?.ts)).sort()).toEqual(posted.map(tsOf).sort());
      expect(new Set(posted.map(tsOf)).size).toBe(posted.length);
      // Per check-in: the question with its buttons reached its mentee once.
      const perCheckin = new Map<string, number>();
      for (const call of accepted) {
        const match = /"value":"([0-9a-f-]{36}):met"/.exec(JSON.stringify(call.args.blocks ?? []));
        if (match?.[1]) perCheckin.set(match[1], (perCheckin.get(match[1]) ?? 0) + 1);
      }
      const sentCheckins = posted.filter((r) => r.kind === "checkin").map((r) => r.key.slice("checkin:".length));
      expect([...perCheckin.values()].every((n) => n === 1)).toBe(true);
      expect([...perCheckin.keys()].sort()).toEqual(sentCheckins.sort());
      // Nothing is left half-done: no row claimed and never settled.
      expect(await db.select().from(outbox).where(eq(outbox.status, "sending"))).toEqual([]);

      // And the outcome is the one process's outcome, message by message (the reference model).
      const rounds = new Map((await db.select().from(checkins)).map((c) => [`checkin:${c.id}`, c.round]));
      const rows = await db
        .select()
        .from(outbox)
        .where(inArray(outbox.kind, ["checkin", "nudge", "pair-flag"]));
      const line = (m: { label: string; to: string; status: string; sentAt?: number | undefined }) =>
        `${m.to} ${m.label}:${m.status}${m.sentAt === undefined ? "" : `@${new Date(m.sentAt).toISOString().slice(0, 16)}`}`;
      const actual = rows.map((row) => {
        const [, , anchor, step] = row.key.split(":");
        return line({
          label: row.kind === "checkin" ? `checkin#${rounds.get(row.key)}` : `step${step}@${anchor}`,
          to: row.channel ? "coord" : (keyOf.get(row.recipientId as string) as string),
          status: row.status,
          sentAt: row.sentAt?.getTime(),
        });
      });
      expect(actual.sort()).toEqual(expectedRun(script, FROM, TO).map(line).sort());

      // The weekly cap held across replicas.
      const perWeek = new Map<string, number>();
      for (const row of rows) {
        if (row.status !== "sent" || !row.recipientId) continue;
        const week = `${row.recipientId} ${isoWeek(paris((row.sentAt as Date).getTime()).date)}`;
        perWeek.set(week, (perWeek.get(week) ?? 0) + 1);
      }
      expect(Math.max(...perWeek.values())).toBe(WEEKLY_CAP);

      const byReplica = new Map(runs.map((r) => [r.by, r.n]));
      console.log(
        `two replicas, ${WEEKS} weeks: ${JSON.stringify({
          firesRunByA: byReplica.get("replica-a"),
          firesRunByB: byReplica.get("replica-b"),
          messagesPosted: accepted.length,
          checkinsPosted: perCheckin.size,
          duplicates: accepted.length - posted.filter((r) => acceptedTs.has(tsOf(r))).length,
          lost: posted.filter((r) => !acceptedTs.has(tsOf(r))).length,
        })}`,
      );
    }, 600_000);
  },
);
