import { loadavg } from "node:os";
import { eq, sql } from "drizzle-orm";
import { type DatabaseHandle, queryRows } from "../db/client.js";
import { programmes } from "../db/schema.js";
import { buildDigest, digestWeeks } from "../src/features/digest/digest.build.js";
import { digestCards } from "../src/features/digest/digest.cards.js";
import {
  handledReasons,
  lowUsefulness,
  openDifficulties,
  quietPairs,
  unansweredSurveys,
  unreachablePeople,
  weekFigures,
} from "../src/features/digest/digest.repository.js";
import { writeDueDigests } from "../src/features/digest/digest.task.js";
import { benchDatabase } from "./bench-database.js";

const PAIRS = Number(process.env.PAIRS ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 15);
const TARGET_MS = 500;
const TIME_ZONE = "Europe/Paris";
/** Monday 30 November 2026, 09:00 in Paris: the digest of week 2026-W49. */
const NOW = new Date("2026-11-30T08:00:00Z");
const AS_OF = "2026-11-30";

/**
 * One programme (Paris, 1 Sep 2026 – 30 Jun 2027), `n` active pairs (two mentees per mentor) made
 * 7 Sep – 15 Oct, a tenth as many ended pairs; per active pair six sessions and six fortnightly
 * check-ins (70 % answered; usefulness mostly 4–5, 1 or 2 one time in ten);
 * three in four pairs active in the last fortnight, the rest quiet 14–60 days; a mid-term survey per
 * mentee (60 % completed, 10 % started, 30 % invited with 0–3 reminders); 2 % of pairs with a
 * difficulty (half open), 0.5 % of people blocked, 1 % with a recent dead letter, 3 % of pairs
 * with a reason already marked handled; 20,000 other outbox rows.
 */
async function seed(handle: DatabaseHandle, n: number): Promise<string> {
  const { db } = handle;
  const mentors = Math.ceil(n / 2);
  const settings = {
    slug: "bench",
    name: "Bench",
    start: "2026-09-01",
    end: "2027-06-30",
    surveys: { midterm: "2026-12-15" },
    coordinatorChannel: "slack:CBENCH",
  };
  const [programme] = await queryRows<{ id: string }>(
    db,
    sql`insert into programmes (slug, name, time_zone, coordinator_channel, settings, starts_on, ends_on)
        values ('bench', 'Bench', ${TIME_ZONE}, 'slack:CBENCH', ${JSON.stringify(settings)}::jsonb, '2026-09-01', '2027-06-30')
        returning id`,
  );
  const p = programme?.id as string;
  await db.execute(sql`
    insert into participants (name, email, language, time_zone)
    select 'Mentor ' || i, 'mentor' || i || '@bench.example', 'fr', ${TIME_ZONE} from generate_series(1, ${mentors}) i
    union all
    select 'Mentee ' || i, 'mentee' || i || '@bench.example', 'fr', ${TIME_ZONE} from generate_series(1, ${n}) i`);
  await db.execute(sql`
    insert into identities (participant_id, platform, tenant_id, user_id, unreachable_at)
    select id, 'slack', 'TBENCH', 'U' || md5(email),
           case when abs(hashtext(email)) % 200 = 0 then timestamptz '2026-11-20 10:00+01' end
    from participants`);
  await db.execute(sql`
    insert into enrolments (programme_id, participant_id, role)
    select ${p}, id, case when email like 'mentor%' then 'mentor'::role else 'mentee'::role end from participants`);
  await db.execute(sql`
    insert into pairs (programme_id, mentor_id, mentee_id, status, created_at, ended_at)
    select ${p}, m.id, e.id, 'ended', timestamptz '2026-09-07 10:00+02', timestamptz '2026-10-01 10:00+02'
    from generate_series(1, ${Math.floor(n / 10)}) i
    join participants e on e.email = 'mentee' || (i * 7) || '@bench.example'
    join participants m on m.email = 'mentor' || ((i * 13) % ${mentors} + 1) || '@bench.example'`);
  await db.execute(sql`
    insert into pairs (programme_id, mentor_id, mentee_id, status, created_at, last_activity_on, next_checkin_on)
    select ${p}, m.id, e.id, 'active', timestamptz '2026-09-07 10:00+02' + (i % 39) * interval '1 day',
           case when i % 4 = 0 then date '2026-11-30' - 14 - (i * 7) % 47 else date '2026-11-30' - (i * 5) % 14 end,
           date '2026-12-10'
    from generate_series(1, ${n}) i
    join participants e on e.email = 'mentee' || i || '@bench.example'
    join participants m on m.email = 'mentor' || ((i - 1) % ${mentors} + 1) || '@bench.example'`);
  await db.execute(sql`
    insert into sessions (pair_id, logged_by, held_on, duration_minutes, topics, source)
    select p.id, p.mentor_id, date '2026-09-12' + k * 13 + abs(hashtext(p.id::text)) % 9,
           30 + 15 * ((k + abs(hashtext(p.id::text))) % 5), 'CV, entretien', 'command'
    from pairs p cross join generate_series(0, 5) k where p.programme_id = ${p} and p.status = 'active'`);
  await db.execute(sql`
    insert into checkins (programme_id, pair_id, participant_id, round, since, answer, answered_at, usefulness, note, created_at)
    select ${p}, p.id, p.mentee_id, k + 1, (p.created_at + k * interval '14 days')::date,
           case when h % 10 < 5 then 'met' when h % 10 < 7 then 'not_yet' end,
           case when h % 10 < 7 then p.created_at + (k + 1) * interval '14 days' + interval '30 hours' end,
           case when h % 10 < 5 then (array[1, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5])[1 + (h / 10) % 20] end,
           case when h % 10 = 0 then 'note privée ' || h end,
           p.created_at + (k + 1) * interval '14 days'
    from pairs p cross join generate_series(0, 5) k
    cross join lateral (select abs(hashtext(p.id::text || k)) as h) x
    where p.programme_id = ${p} and p.status = 'active' and p.created_at + (k + 1) * interval '14 days' < ${NOW.toISOString()}::timestamptz`);
  await db.execute(sql`
    insert into outbox (key, kind, programme_id, recipient_id, pair_id, payload, status, due_at, attempts, created_at, sent_at)
    select 'checkin:' || c.id, 'checkin', c.programme_id, c.participant_id, c.pair_id, '{}'::jsonb, 'sent',
           c.created_at, 1, c.created_at, c.created_at + interval '2 hours'
    from checkins c`);
  await db.execute(sql`
    insert into outbox (key, kind, programme_id, recipient_id, payload, status, due_at, attempts, created_at, sent_at)
    select 'other:' || i, 'nudge', ${p}, (select id from participants where email = 'mentee' || (1 + i % ${n}) || '@bench.example'),
           '{}'::jsonb, case when i % 100 = 0 then 'dead'::outbox_status else 'sent'::outbox_status end,
           timestamptz '2026-11-29 10:00+01' - (i % 60) * interval '1 day', 1,
           timestamptz '2026-11-29 10:00+01' - (i % 60) * interval '1 day',
           timestamptz '2026-11-29 10:00+01' - (i % 60) * interval '1 day'
    from generate_series(1, 20000) i`);
  await db.execute(sql`
    insert into survey_responses (programme_id, participant_id, pair_id, moment, audience, definition, answers, status,
                                  language, closes_on, reminders_sent, created_at, started_at, completed_at, updated_at)
    select ${p}, p.mentee_id, p.id, 'midterm', 'mentee', '{}'::jsonb,
           case when h % 10 < 6 then '{"satisfaction": {"value": "4"}, "what-would-help": {"value": "texte privé"}}'::jsonb
                else '{}'::jsonb end,
           case when h % 10 < 6 then 'completed' when h % 10 < 7 then 'started' else 'invited' end,
           'fr', date '2026-12-01', case when h % 10 < 6 then 0 else h % 4 end,
           timestamptz '2026-11-16 09:00+01', null,
           case when h % 10 < 6 then timestamptz '2026-11-16 09:00+01' + (h % 12) * interval '1 day' end,
           timestamptz '2026-11-16 09:00+01'
    from pairs p cross join lateral (select abs(hashtext(p.id::text || 'survey')) as h) x
    where p.programme_id = ${p} and p.status = 'active'`);
  await db.execute(sql`
    insert into difficulties (programme_id, raised_by, pair_id, source, text, status, created_at)
    select ${p}, p.mentee_id, p.id, 'command', 'texte de la difficulté', case when h % 2 = 0 then 'open' else 'handled' end,
           timestamptz '2026-11-10 10:00+01' + (h % 15) * interval '1 day'
    from pairs p cross join lateral (select abs(hashtext(p.id::text || 'difficulty')) as h) x
    where p.programme_id = ${p} and p.status = 'active' and h % 50 = 0`);
  await db.execute(sql`
    insert into attention_handled (pair_id, reason, handled_by, handled_at)
    select p.id, 'quiet:' || to_char(p.last_activity_on, 'YYYY-MM-DD'), null, timestamptz '2026-11-25 10:00+01'
    from pairs p where p.programme_id = ${p} and p.status = 'active' and abs(hashtext(p.id::text || 'handled')) % 33 = 0`);
  await db.execute(sql`analyze`);
  return p;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
if (kind === "pglite") console.error("No DATABASE_URL: running on PGlite (the issue's figure is on PostgreSQL).");
const { handle, drop } = await benchDatabase(4);
const { db } = handle;
const seeding = await timed(() => seed(handle, PAIRS));
const programmeId = seeding.value;
console.error(`seeded ${PAIRS} pairs in ${(seeding.ms / 1000).toFixed(1)} s; load ${load()}`);
const [programme] = await db.select().from(programmes).where(eq(programmes.id, programmeId));
if (!programme) throw new Error("programme not seeded");

const build: number[] = [];
const cards: number[] = [];
const write: number[] = [];
let shape: Record<string, number> = {};
for (let run = 0; run <= RUNS; run++) {
  const built = await timed(() => buildDigest(db, programme, { asOf: AS_OF, now: NOW }));
  const split = await timed(async () => digestCards(built.value));
  await db.execute(sql`delete from outbox where kind = 'digest'`);
  const written = await timed(() => writeDueDigests(db, NOW));
  if (written.value.length !== split.value.length) throw new Error("the task wrote another digest than was built");
  if (run === 0) {
    const json = split.value.map((c) => Buffer.byteLength(JSON.stringify(c), "utf8"));
    shape = {
      activePairs: built.value.figures.current.activePairs,
      sessionsThisWeek: built.value.figures.current.sessions,
      checkinsSentThisWeek: built.value.figures.current.checkinsSent,
      attentionTotal: built.value.attentionTotal,
      attentionListed: built.value.attention.length,
      parts: split.value.length,
      largestPartBytes: Math.max(...json),
    };
    continue; // warm-up
  }
  build.push(built.ms);
  cards.push(split.ms);
  write.push(written.ms);
}

// Where the build's time goes: each query alone, median of a few runs.
const { week, previous } = digestWeeks(AS_OF, TIME_ZONE);
const parts: Record<string, () => Promise<unknown>> = {
  weekFigures: () => weekFigures(db, programmeId, week, previous),
  quietPairs: () => quietPairs(db, programmeId, TIME_ZONE, "2026-11-16"),
  lowUsefulness: () => lowUsefulness(db, programmeId, 2),
  openDifficulties: () => openDifficulties(db, programmeId),
  unansweredSurveys: () => unansweredSurveys(db, programmeId, AS_OF, 2),
  unreachablePeople: () => unreachablePeople(db, programmeId, new Date(NOW.getTime() - 28 * 86_400_000)),
  handledReasons: () => handledReasons(db, programmeId),
};
const breakdown: Record<string, number> = {};
for (const [name, query] of Object.entries(parts)) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await timed(query)).ms);
  breakdown[name] = Number(median(times).toFixed(1));
}
const [tables] = await queryRows<Record<string, number>>(
  db,
  sql`select (select count(*)::int from pairs) as pairs, (select count(*)::int from sessions) as sessions,
             (select count(*)::int from checkins) as checkins, (select count(*)::int from outbox) as outbox,
             (select count(*)::int from survey_responses) as surveys`,
);

const summary = (xs: number[]) => ({
  median: Number(median(xs).toFixed(1)),
  p95: Number(quantile(xs, 0.95).toFixed(1)),
  max: Number(Math.max(...xs).toFixed(1)),
});
const result = { build: summary(build), cards: summary(cards), write: summary(write) };
console.log(`\nWeekly digest on ${kind}, ${PAIRS.toLocaleString("en")} active pairs, ${RUNS} runs; load ${load()}`);
console.log("| step | median | p95 | max |");
console.log("| ---- | ------ | --- | --- |");
for (const [name, s] of Object.entries(result))
  console.log(`| ${name} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.max)} |`);
console.log(`shape: ${JSON.stringify(shape)}`);
console.log(`tables: ${JSON.stringify(tables)}`);
console.log(`queries alone (median of 5): ${JSON.stringify(breakdown)}`);
console.log(
  `target: build ≤ ${TARGET_MS} ms — ${result.build.median <= TARGET_MS ? "met" : "MISSED"} (median ${ms(result.build.median)}, max ${ms(result.build.max)})`,
);
console.log(
  `JSON ${JSON.stringify({ kind, pairs: PAIRS, runs: RUNS, seedS: Number((seeding.ms / 1000).toFixed(1)), ...result, shape, tables, breakdown })}`,
);
await drop();
