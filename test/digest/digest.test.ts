import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderMessage as renderSlack } from "../../adapters/slack/render.js";
import { renderMessage as renderTeams } from "../../adapters/teams/renderer.js";
import { type Database, type DatabaseHandle, queryRows } from "../../db/client.js";
import { attentionHandled, difficulties, outbox, pairs } from "../../db/schema.js";
import type { Card } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import type { Outcome } from "../../src/core/events.js";
import { type Bot, createBot } from "../../src/features/commands/router.js";
import { buildDigest } from "../../src/features/digest/digest.build.js";
import { writeDueDigests } from "../../src/features/digest/digest.task.js";
import { createTestDatabase } from "../support/db.js";
import { BOUNDS, cardText, DIGEST_AT, type ProgrammeRow, rowsFor, seedProgramme, slackActor, WEEK } from "./seed.js";

const ASOF = "2026-11-30";

/** Today's digest cards as written to the outbox by the weekly task, in part order. */
async function writtenDigest(db: Database): Promise<Card[]> {
  const keys = await writeDueDigests(db, DIGEST_AT);
  expect(keys[0]).toBe(`digest:cohorte-test:${WEEK}:1`);
  const rows = await db
    .select()
    .from(outbox)
    .where(sql`${outbox.key} like ${`digest:cohorte-test:${WEEK}:%`}`)
    .orderBy(outbox.id);
  return rows.map((r) => (r.payload as { card: Card }).card);
}

const replyText = (outcome: Outcome) => (outcome.type === "reply" ? cardText(outcome.card) : JSON.stringify(outcome));
const signed = (n: number) => (n > 0 ? `(+${n})` : n < 0 ? `(−${-n})` : "(=)");

describe("weekly digest: figures", () => {
  let handle: DatabaseHandle;
  let programme: ProgrammeRow;
  let ids: Record<string, string>;
  let pairIds: Record<string, string>;

  beforeEach(async () => {
    handle = await createTestDatabase();
    ({ programme, ids, pairIds } = await seedProgramme(handle.db, { extraPairs: 20 }));
    const db = handle.db;
    const rows = rowsFor(db, programme.id);
    const pair = (i: number) => pairIds[`e${i}`] as string;
    // Pairs made and ended around the two weeks.
    await db
      .update(pairs)
      .set({ createdAt: new Date("2026-11-25T10:00:00Z") })
      .where(eq(pairs.id, pair(0)));
    await db
      .update(pairs)
      .set({ status: "ended", endedAt: new Date("2026-11-26T10:00:00Z") })
      .where(eq(pairs.id, pair(1)));
    await db
      .update(pairs)
      .set({ status: "ended", endedAt: new Date("2026-11-10T10:00:00Z") })
      .where(eq(pairs.id, pair(2)));
    await db
      .update(pairs)
      .set({ createdAt: new Date("2026-11-18T10:00:00Z") })
      .where(eq(pairs.id, pair(3)));
    await db
      .update(pairs)
      .set({ createdAt: new Date("2026-11-29T22:30:00Z") })
      .where(eq(pairs.id, pair(5)));
    await db
      .update(pairs)
      .set({ createdAt: new Date("2026-11-29T23:30:00Z") })
      .where(eq(pairs.id, pair(6)));
    // Sessions on dates on both sides of each week's edges.
    const heldOn = ["2026-11-15", "2026-11-16", "2026-11-19", "2026-11-22", "2026-11-23", "2026-11-26", "2026-11-29"];
    for (let i = 0; i < 20; i++) await rows.session(pair(i), heldOn[i % heldOn.length] as string, 30 + 15 * (i % 6));
    await rows.session(pairIds.lea as string, "2026-11-30", 60);
    // Check-ins delivered at instants on both sides of the Paris midnights, some answered and rated.
    const sentAt = [
      "2026-11-15T22:59:00Z",
      "2026-11-15T23:00:00Z",
      "2026-11-20T10:00:00Z",
      "2026-11-22T23:30:00Z",
      "2026-11-25T10:00:00Z",
      "2026-11-29T22:59:00Z",
      "2026-11-29T23:00:00Z",
      undefined,
    ];
    for (let i = 0; i < 20; i++) {
      const sent = sentAt[i % sentAt.length];
      const answered = sent !== undefined && i % 3 !== 0;
      await rows.checkin(pair(i), ids[`e${i}`] as string, {
        ...(sent ? { sentAt: sent } : {}),
        ...(answered
          ? {
              answer: i % 4 === 0 ? "not_yet" : "met",
              answeredAt: new Date(Date.parse(sent) + 20 * 3_600_000).toISOString(),
              ...(i % 4 === 0 ? {} : { usefulness: (i % 5) + 1 }),
            }
          : {}),
      });
    }
    // Surveys sent in each week (and one after), completed at various times.
    const survey = (key: string, createdAt: string, completedAt?: string) =>
      rows.survey(ids[key] as string, {
        createdAt,
        ...(completedAt ? { status: "completed", completedAt } : {}),
      });
    await survey("e4", "2026-11-18T09:00:00Z", "2026-11-20T09:00:00Z");
    await survey("e5", "2026-11-18T09:00:00Z", "2026-11-27T09:00:00Z");
    await survey("e6", "2026-11-18T09:00:00Z");
    await survey("e7", "2026-11-24T09:00:00Z", "2026-11-26T09:00:00Z");
    await survey("e8", "2026-11-24T09:00:00Z", "2026-11-30T07:00:00Z");
    await survey("e9", "2026-11-29T23:30:00Z");
  });
  afterEach(() => handle.close());

  /** The figures of the week [from, to), counted here with plain SQL. */
  async function countedBySql(from: string, to: string, fromDate: string, toDate: string) {
    const db = handle.db;
    const p = programme.id;
    const [active] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from pairs where programme_id = ${p} and created_at < ${to}::timestamptz
          and (ended_at >= ${to}::timestamptz or (ended_at is null and status = 'active'))`,
    );
    const [logged] = await queryRows<{ n: number; m: number }>(
      db,
      sql`select count(*)::int as n, coalesce(sum(duration_minutes), 0)::int as m from sessions
          where pair_id in (select id from pairs where programme_id = ${p})
            and held_on >= ${fromDate}::date and held_on <= ${toDate}::date`,
    );
    const [asked] = await queryRows<{ sent: number; answered: number }>(
      db,
      sql`select count(*)::int as sent, count(c.answer)::int as answered from checkins c
          where exists (select 1 from outbox o where o.key = 'checkin:' || c.id::text and o.status = 'sent'
                        and o.sent_at >= ${from}::timestamptz and o.sent_at < ${to}::timestamptz)`,
    );
    const [useful] = await queryRows<{ avg: number | null }>(
      db,
      sql`select avg(usefulness)::float8 as avg from checkins where usefulness is not null
          and answered_at >= ${from}::timestamptz and answered_at < ${to}::timestamptz`,
    );
    const [surveys] = await queryRows<{ invited: number; completed: number }>(
      db,
      sql`select count(*) filter (where created_at < ${to}::timestamptz)::int as invited,
                 count(*) filter (where status = 'completed' and completed_at < ${to}::timestamptz)::int as completed
          from survey_responses where programme_id = ${p}`,
    );
    return {
      activePairs: Number(active?.n),
      sessions: Number(logged?.n),
      minutes: Number(logged?.m),
      checkinsSent: Number(asked?.sent),
      checkinsAnswered: Number(asked?.answered),
      usefulness: useful?.avg === null || useful?.avg === undefined ? null : Number(useful.avg),
      surveysInvited: Number(surveys?.invited),
      surveysCompleted: Number(surveys?.completed),
    };
  }

  it("equals the counts of the two weeks made independently, and shows them with their change", async () => {
    const now = await countedBySql(BOUNDS.weekStart, BOUNDS.weekEnd, "2026-11-23", "2026-11-29");
    const before = await countedBySql(BOUNDS.previousStart, BOUNDS.weekStart, "2026-11-16", "2026-11-22");
    // The seed does reach every figure on both sides.
    expect(now.sessions * before.sessions * now.checkinsSent * before.checkinsSent).toBeGreaterThan(0);
    expect(now.activePairs).not.toBe(before.activePairs);
    expect(now.usefulness).not.toBeNull();
    expect(before.usefulness).not.toBeNull();

    const digest = await buildDigest(handle.db, programme, { asOf: ASOF, now: DIGEST_AT });
    const round = (f: typeof now) => ({ ...f, usefulness: f.usefulness === null ? null : f.usefulness.toFixed(6) });
    expect(round(digest.figures.current)).toEqual(round(now));
    expect(round(digest.figures.previous)).toEqual(round(before));
    expect(digest.week).toMatchObject({ from: "2026-11-23", to: "2026-11-29" });
    expect(digest.week.start.toISOString()).toBe(new Date(BOUNDS.weekStart).toISOString());

    const [first] = await writtenDigest(handle.db);
    const text = cardText(first as Card);
    expect(text).toContain("Digest de la semaine · Cohorte test");
    expect(text).toContain("Du 23 nov. 2026 au 29 nov. 2026");
    expect(text).toContain(`Binômes actifs : ${now.activePairs} ${signed(now.activePairs - before.activePairs)}`);
    expect(text).toContain(`Séances enregistrées : ${now.sessions} ${signed(now.sessions - before.sessions)}`);
    const pct = (a: number, b: number) => Math.round((100 * a) / b);
    expect(text).toContain(
      `Réponses aux points d'étape : ${pct(now.checkinsAnswered, now.checkinsSent)} % (${now.checkinsAnswered}/${now.checkinsSent})`,
    );
    expect(text).toContain(
      `Questionnaires complétés : ${now.surveysCompleted}/${now.surveysInvited}, ${pct(now.surveysCompleted, now.surveysInvited)} %`,
    );
    // The mid-term survey on 15 December is within four weeks; the end of June is not.
    expect(text).toContain("15 déc. 2026 : questionnaire de mi-parcours");
    expect(text).not.toContain("fin du programme");
  });
});

describe("weekly digest: pairs needing attention, private text, and the buttons", () => {
  let handle: DatabaseHandle;
  let programme: ProgrammeRow;
  let ids: Record<string, string>;
  let pairIds: Record<string, string>;
  let bot: Bot;
  const PRIVATE = ["PRIVATE-NOTE-7f3a", "PRIVATE-SURVEY-TEXT-9c1d", "SECRET-DIFFICULTY-TEXT-41b2"] as const;

  beforeEach(async () => {
    handle = await createTestDatabase();
    ({ programme, ids, pairIds } = await seedProgramme(handle.db, { extraPairs: 8 }));
    bot = createBot({ db: handle.db, clock: new ManualClock(DIGEST_AT) });
    const rows = rowsFor(handle.db, programme.id);
    const pair = (key: string) => pairIds[key] as string;
    const person = (key: string) => ids[key] as string;
    await rows.quietSince(pair("e0"), "2026-11-02");
    await rows.quietSince(pair("e1"), "2026-11-20");
    await rows.checkin(pair("e2"), person("e2"), {
      sentAt: "2026-11-09T09:00:00Z",
      answer: "met",
      answeredAt: "2026-11-10T09:00:00Z",
      usefulness: 5,
    });
    await rows.checkin(pair("e2"), person("e2"), {
      sentAt: "2026-11-24T09:00:00Z",
      answer: "met",
      answeredAt: "2026-11-25T09:00:00Z",
      usefulness: 2,
      note: PRIVATE[0],
    });
    await rows.checkin(pair("e3"), person("e3"), {
      sentAt: "2026-11-09T09:00:00Z",
      answer: "met",
      answeredAt: "2026-11-10T09:00:00Z",
      usefulness: 1,
    });
    await rows.checkin(pair("e3"), person("e3"), {
      sentAt: "2026-11-24T09:00:00Z",
      answer: "met",
      answeredAt: "2026-11-25T09:00:00Z",
      usefulness: 4,
    });
    await rows.difficulty(pair("e4"), person("e4"), PRIVATE[2], "2026-11-24T15:00:00Z");
    const handled = await rows.difficulty(pair("e5"), person("e5"), "déjà traitée", "2026-11-12T15:00:00Z");
    await handle.db.update(difficulties).set({ status: "handled" }).where(eq(difficulties.id, handled));
    await rows.survey(person("e6"), {
      pairId: pair("e6"),
      status: "started",
      reminders: 2,
      createdAt: "2026-11-16T09:00:00Z",
      answers: {
        relationship: { value: "no" },
        satisfaction: { value: "1" },
        "what-would-help": { value: PRIVATE[1] },
      },
    });
    await rows.survey(person("e7"), { pairId: pair("e7"), reminders: 1, createdAt: "2026-11-16T09:00:00Z" });
    await rows.survey(person("lea"), {
      status: "completed",
      reminders: 3,
      createdAt: "2026-11-16T09:00:00Z",
      completedAt: "2026-11-20T09:00:00Z",
    });
    await rows.survey(person("hugo"), { reminders: 2, closesOn: "2026-11-29", createdAt: "2026-11-16T09:00:00Z" });
    await rows.unreachable(person("ines"), "2026-11-21T10:00:00Z");
    await rows.deadLetter(person("marc"), "2026-11-26T10:00:00Z");
    await rows.deadLetter(person("sophie"), "2026-10-01T10:00:00Z");
  });
  afterEach(() => handle.close());

  const listed = async () =>
    (await buildDigest(handle.db, programme, { asOf: ASOF, now: DIGEST_AT })).attention.map(
      (p) => `${p.mentee.name}: ${p.reasons.map((r) => r.key.split(":")[0]).join(", ")}`,
    );

  it("lists each pair with its reasons, the most urgent first, and leaves the others out", async () => {
    const digest = await buildDigest(handle.db, programme, { asOf: ASOF, now: DIGEST_AT });
    const lines = digest.attention.map((p) => `${p.mentee.name}: ${p.reasons.map((r) => r.kind).join(", ")}`);
    expect(lines.slice(0, 3).sort()).toEqual([
      "Hugo Moreau: unreachable",
      "Inès Laurent: unreachable",
      "Léa Petit: unreachable",
    ]);
    expect(lines.slice(3)).toEqual([
      "Mentee004 Test: difficulty",
      "Mentee002 Test: low-usefulness",
      "Mentee006 Test: survey",
      "Mentee000 Test: quiet",
    ]);
    expect(digest.attentionTotal).toBe(7);
    const quiet = digest.attention.at(-1)?.reasons[0];
    expect(quiet).toEqual({ key: "quiet:2026-11-02", kind: "quiet", days: 28, since: "2026-11-02" });

    const cards = await writtenDigest(handle.db);
    expect(cards).toHaveLength(1);
    const text = cardText(cards[0] as Card);
    expect(text).toContain("À suivre : 7 binôme(s)");
    expect(text).toContain(
      "Marc Dubois ↔ Léa Petit\n• Marc Dubois ne reçoit plus les messages de binome (depuis le 26 nov. 2026)",
    );
    expect(text).toContain("• Inès Laurent ne reçoit plus les messages de binome (depuis le 21 nov. 2026)");
    expect(text).toContain("• difficulté signalée par Mentee004 Test le 24 nov. 2026, pas encore traitée");
    expect(text).toContain("• échange jugé peu utile par Mentee002 Test : 2/5 (le 25 nov. 2026)");
    expect(text).toContain("• questionnaire de mi-parcours sans réponse de Mentee006 Test après 2 relances");
    expect(text).toContain("• aucune activité depuis 28 jours (depuis le 2 nov. 2026)");
    expect(text).toContain(`[Relancer|coord.nudge|${pairIds.e0}]`);
    expect(text).toContain(`[Marquer comme traité|digest.handled|${pairIds.e0} quiet:2026-11-02]`);
    expect(text).toContain(`[Réaffecter|digest.reassign|${pairIds.e0}]`);
  });

  it("never shows a private note, a free-text survey answer or a difficulty's text, on any platform", async () => {
    const cards = await writtenDigest(handle.db);
    const command = await bot.handle({ type: "command", text: "digest", actor: slackActor("UCLAIRE"), origin: {} });
    expect(replyText(command)).toContain("À suivre : 7 binôme(s)");
    const everything = [
      ...cards.map((c) => JSON.stringify(c)),
      ...cards.map((c) => JSON.stringify(renderSlack(c))),
      ...cards.map((c) => JSON.stringify(renderTeams(c))),
      JSON.stringify(command),
    ].join("\n");
    for (const secret of PRIVATE) expect(everything).not.toContain(secret);
  });

  it("« Mark handled » records the reasons, closes the difficulty, and the pair leaves the next digest", async () => {
    const click = (user: string, actionId: string, value: string) =>
      bot.handle({ type: "action", actionId, value, actor: slackActor(user), origin: {} });
    const difficulty = (await buildDigest(handle.db, programme, { asOf: ASOF, now: DIGEST_AT })).attention.find(
      (p) => p.pairId === pairIds.e4,
    )?.reasons[0]?.key as string;

    // A mentor may not; a forged reason is ignored.
    expect(replyText(await click("UMARC", "digest.handled", `${pairIds.e0} quiet:2026-11-02`))).toContain(
      "Cette commande est réservée aux coordinateurs.",
    );
    expect(replyText(await click("UCLAIRE", "digest.handled", `${pairIds.e0} bogus:1`))).toContain(
      "C'était déjà noté comme traité.",
    );

    expect(replyText(await click("UCLAIRE", "digest.handled", `${pairIds.e0} quiet:2026-11-02`))).toContain(
      "C'est noté : Mentor000 Test et Mentee000 Test ne seront plus signalés",
    );
    expect(replyText(await click("UCLAIRE", "digest.handled", `${pairIds.e4} ${difficulty}`))).toContain("C'est noté");
    expect(replyText(await click("UCLAIRE", "digest.handled", `${pairIds.e4} ${difficulty}`))).toContain(
      "C'était déjà noté comme traité.",
    );
    const records = await handle.db.select().from(attentionHandled);
    expect(records.map((r) => [r.pairId, r.reason, r.handledBy]).sort()).toEqual(
      [
        [pairIds.e0, "quiet:2026-11-02", ids.claire],
        [pairIds.e4, difficulty, ids.claire],
      ].sort(),
    );
    const [register] = await handle.db
      .select()
      .from(difficulties)
      .where(eq(difficulties.pairId, pairIds.e4 as string));
    expect(register).toMatchObject({ status: "handled", handledBy: ids.claire });

    expect(await listed()).not.toContain("Mentee000 Test: quiet");
    expect((await listed()).some((l) => l.startsWith("Mentee004"))).toBe(false);
    expect(await listed()).toHaveLength(5);
    // The next week's digest, written by the task, leaves them out too.
    const next = await writeDueDigests(handle.db, new Date("2026-12-07T08:00:00Z"));
    const [row] = await handle.db
      .select()
      .from(outbox)
      .where(eq(outbox.key, next[0] as string));
    const text = cardText((row?.payload as { card: Card } | undefined)?.card as Card);
    expect(text).not.toContain("Mentee000 Test");
    expect(text).not.toContain("Mentee004 Test");
    expect(text).toContain("Mentee006 Test");

    // A new quiet spell is a new reason: the pair is listed again.
    await rowsFor(handle.db, programme.id).quietSince(pairIds.e0 as string, "2026-11-10");
    expect(await listed()).toContain("Mentee000 Test: quiet");
  });

  it("« Reassign » answers with the exact command; « Nudge now » reminds the pair", async () => {
    const reassign = await bot.handle({
      type: "action",
      actionId: "digest.reassign",
      value: pairIds.e0 as string,
      actor: slackActor("UCLAIRE"),
      origin: {},
    });
    expect(replyText(reassign)).toContain(
      "Pour confier Mentee000 Test à un autre mentor que Mentor000 Test, tapez : `/binome reassign e0@example.org <e-mail ou @mention du nouveau mentor>`",
    );
    const nudge = await bot.handle({
      type: "action",
      actionId: "coord.nudge",
      value: pairIds.e0 as string,
      actor: slackActor("UCLAIRE"),
      origin: {},
    });
    expect(replyText(nudge)).toContain("Mentee000 Test");
    const nudges = await handle.db.select().from(outbox).where(eq(outbox.kind, "nudge"));
    expect(nudges.filter((n) => n.pairId === pairIds.e0)).toHaveLength(2);
  });

  it("`/binome digest` answers coordinators only, in their language", async () => {
    const mentor = await bot.handle({ type: "command", text: "digest", actor: slackActor("UMARC"), origin: {} });
    expect(replyText(mentor)).toContain("Cette commande est réservée aux coordinateurs.");
    const english = await bot.handle({
      type: "command",
      text: "digest",
      actor: { ...slackActor("UCLAIRE"), locale: "en-GB" },
      origin: {},
    });
    const text = replyText(english);
    expect(text).toContain("Weekly digest · Cohorte test");
    expect(text).toContain("Needs attention: 7 pair(s)");
    expect(text).toContain("no activity for 28 days (since 2 Nov 2026)");
    const unknown = await bot.handle({
      type: "command",
      text: "digest autre-programme",
      // Her French Slack locale: the English one above is now her language on file.
      actor: { ...slackActor("UCLAIRE"), locale: "fr-FR" },
      origin: {},
    });
    expect(replyText(unknown)).toContain("Je ne trouve pas le programme « autre-programme »");
  });
});
