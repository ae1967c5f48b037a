import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { type DatabaseHandle, queryRows } from "../db/client.js";
import { addDays } from "../src/features/engagement/activity.js";
import { findDueWork } from "../src/features/engagement/due-work.js";
import { benchDatabase } from "./bench-database.js";

const SIZES = (process.env.SIZES ?? "10000,100000").split(",").map(Number);
const DAYS = Number(process.env.DAYS ?? 7);
/** Ticks of each simulated day after its first one (the scheduler fires every 15 minutes). */
const QUIET_TICKS = Number(process.env.QUIET_TICKS ?? 5);
const TIME_ZONE = "Europe/Paris";
/** The import: Friday 27 November 2026, 09:00 in Paris. Pairs were made over the 120 days before. */
const IMPORT_DAY = "2026-11-27";
const IMPORT_AT = new Date("2026-11-27T09:00:00+01:00");

interface Target {
  size: number;
  handle: DatabaseHandle;
  drop: () => Promise<void>;
  seedMs: number;
  /** The first tick on pairs all made on import day: their bookkeeping only, nothing comes due. */
  freshImport?: { ms: number; cpuMs: number };
  firstTick?: { ms: number; cpuMs: number; checkins: number; nudges: number; flags: number };
  busy: Array<{ day: string; ms: number; cpuMs: number; checkins: number; nudges: number; flags: number }>;
  quiet: number[];
  quietCpu: number[];
}

/**
 * One programme, `n` active pairs (mentors with two mentees each), plus a tenth as many ended pairs.
 * Pairs were made 0–119 days before the import (or on import day, with `madeOverDays` 1); 70 % met in the last fortnight, 20 % 2–6 weeks ago,
 * 10 % never since they were paired. Bookkeeping is empty, as after `binome import`.
 */
async function seed(handle: DatabaseHandle, n: number, madeOverDays = 120): Promise<void> {
  const { db } = handle;
  const mentors = Math.ceil(n / 2);
  const [programme] = await queryRows<{ id: string }>(
    db,
    sql`insert into programmes (slug, name, time_zone, coordinator_channel)
        values ('bench', 'Bench', ${TIME_ZONE}, 'slack:CCOORDINATORS') returning id`,
  );
  const programmeId = programme?.id as string;
  await db.execute(sql`
    insert into participants (name, email, language, time_zone, skills)
    select 'Mentor ' || i, 'mentor' || i || '@bench.example', case when i % 10 = 0 then 'en' else 'fr' end,
           ${TIME_ZONE}, array['cv', 'entretien', 'reseau']
    from generate_series(1, ${mentors}) i`);
  await db.execute(sql`
    insert into participants (name, email, language, time_zone, skills)
    select 'Mentee ' || i, 'mentee' || i || '@bench.example', case when i % 10 = 0 then 'en' else 'fr' end,
           ${TIME_ZONE}, array['cv', 'reseau']
    from generate_series(1, ${n}) i`);
  // Ended pairs first (older), so that the active ones are spread through the table as in real life.
  await db.execute(sql`
    insert into pairs (programme_id, mentor_id, mentee_id, status, created_at, ended_at)
    select ${programmeId}, m.id, e.id, 'ended', ${IMPORT_AT.toISOString()}::timestamptz - interval '150 days',
           ${IMPORT_AT.toISOString()}::timestamptz - interval '100 days'
    from generate_series(1, ${Math.floor(n / 10)}) i
    join participants e on e.email = 'mentee' || (i * 7) || '@bench.example'
    join participants m on m.email = 'mentor' || ((i * 13) % ${mentors} + 1) || '@bench.example'`);
  await db.execute(sql`
    insert into pairs (programme_id, mentor_id, mentee_id, status, created_at, last_activity_on)
    select ${programmeId}, m.id, e.id, 'active', s.created, case
             when s.quiet is null or (s.created at time zone ${TIME_ZONE})::date > ${IMPORT_DAY}::date - s.quiet then null
             else ${IMPORT_DAY}::date - s.quiet end
    from generate_series(1, ${n}) i
    cross join lateral (select
        ${IMPORT_AT.toISOString()}::timestamptz - ((i * 7919) % ${madeOverDays}) * interval '1 day' - ((i * 31) % 10) * interval '1 hour' as created,
        case when i % 10 < 7 then (i * 17) % 14 when i % 10 < 9 then 14 + (i * 23) % 29 else null end as quiet) s
    join participants e on e.email = 'mentee' || i || '@bench.example'
    join participants m on m.email = 'mentor' || ((i - 1) % ${mentors} + 1) || '@bench.example'`);
  await db.execute(sql`analyze`);
}

/**
 * What the days between ticks bring, outside the timing: the worker delivered the outbox, and about
 * one pair in seven logged a session or answered "we met" (recordActivity, in bulk).
 */
async function liveADay(handle: DatabaseHandle, day: string): Promise<void> {
  const { db } = handle;
  await db.execute(sql`
    update outbox set status = 'sent', sent_at = due_at + interval '10 hours', claimed_until = null
    where status in ('pending', 'sending')`);
  await db.execute(sql`
    update pairs set last_activity_on = ${day}::date - 1, ladder_step = 0, ladder_next_on = ${day}::date - 1 + 14
    where status = 'active' and abs(hashtext(id::text || ${day})) % 7 = 0`);
}

/** Wall time, and the CPU time binome's own process spent (the rest is PostgreSQL and waits). */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, value };
}

/** The plan PostgreSQL uses for the three lookups of a tick, custom and generic (postgres.js prepares them). */
async function plans(handle: DatabaseHandle, today: string): Promise<Record<string, string>> {
  const { db } = handle;
  const [programme] = await queryRows<{ id: string }>(db, sql`select id from programmes`);
  const lookups = {
    init: "next_checkin_on is null order by next_checkin_on",
    checkins: "next_checkin_on <= $2 order by next_checkin_on",
    ladder: "ladder_next_on <= $2 order by ladder_next_on",
  };
  const out: Record<string, string> = {};
  const summary = (rows: Array<Record<string, unknown>>) => {
    const text = rows.map((r) => String(Object.values(r)[0])).join("\n");
    const nodes = [...text.matchAll(/(Index Scan|Index Only Scan|Bitmap Index Scan|Seq Scan)[^(]*/g)].map((m) =>
      m[0].trim(),
    );
    const time = /Execution Time: ([\d.]+) ms/.exec(text)?.[1];
    return `${nodes.join(" + ")}${time ? ` (${time} ms)` : ""}`;
  };
  for (const [name, where] of Object.entries(lookups)) {
    const query = `select * from pairs where programme_id = $1 and status = 'active' and ${where} limit 500`;
    for (const mode of ["force_custom_plan", "force_generic_plan"]) {
      await db.execute(sql.raw(`set plan_cache_mode = ${mode}`));
      await db.execute(sql.raw(`prepare bench_${name} (uuid, date) as ${query}`));
      const rows = await queryRows(
        db,
        sql.raw(`explain (analyze, costs off) execute bench_${name} ('${programme?.id}', '${today}')`),
      );
      await db.execute(sql.raw(`deallocate bench_${name}`));
      out[`${name} ${mode === "force_custom_plan" ? "custom" : "generic"}`] = summary(rows);
    }
  }
  await db.execute(sql.raw("reset plan_cache_mode"));
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
if (kind === "pglite") console.error("No DATABASE_URL: running on PGlite (the issue's figures are on PostgreSQL).");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

const targets: Target[] = [];
for (const size of SIZES) {
  const { handle, drop } = await benchDatabase(4);
  const seeding = await timed(() => seed(handle, size));
  targets.push({ size, handle, drop, seedMs: seeding.ms, busy: [], quiet: [], quietCpu: [] });
  console.error(`seeded ${size} pairs in ${(seeding.ms / 1000).toFixed(1)} s`);
}

// A fresh programme: pairs all made on import day, so the first tick only fills their bookkeeping.
for (const target of targets) {
  const fresh = await benchDatabase(4);
  await seed(fresh.handle, target.size, 1);
  const { ms: elapsed, cpuMs, value } = await timed(() => findDueWork(fresh.handle.db, IMPORT_AT));
  if (value.checkins + value.nudges + value.flags > 0) throw new Error(`a fresh import wrote ${JSON.stringify(value)}`);
  target.freshImport = { ms: elapsed, cpuMs };
  await fresh.drop();
}

// The first tick after the import, at 09:00 on import day: every pair's bookkeeping, and the check-ins
// and ladder steps already due on that day (pairs made more than a fortnight ago, quiet pairs).
for (const target of targets) {
  const { ms: elapsed, cpuMs, value } = await timed(() => findDueWork(target.handle.db, IMPORT_AT));
  target.firstTick = { ms: elapsed, cpuMs, ...value };
}
const loadAfterImport = load();

// Simulated days: the first tick of each day (00:00:30 local) writes the day's work; then the
// next quarter-hour ticks find nothing. Sizes alternate within each day so that both see the same load.
for (let d = 1; d <= DAYS; d++) {
  const day = addDays(IMPORT_DAY, d);
  for (const target of targets) await liveADay(target.handle, day);
  for (const target of targets) {
    const at = new Date(`${day}T00:00:30+01:00`);
    const { ms: elapsed, cpuMs, value } = await timed(() => findDueWork(target.handle.db, at));
    target.busy.push({ day, ms: elapsed, cpuMs, ...value });
  }
  for (let q = 1; q <= QUIET_TICKS; q++) {
    for (const target of targets) {
      const at = new Date(new Date(`${day}T00:00:30+01:00`).getTime() + q * 15 * 60_000);
      const { ms: elapsed, cpuMs, value } = await timed(() => findDueWork(target.handle.db, at));
      target.quietCpu.push(cpuMs);
      if (value.checkins + value.nudges + value.flags > 0)
        throw new Error(`a quiet tick wrote ${JSON.stringify(value)}`);
      target.quiet.push(elapsed);
    }
  }
}

const lastDay = addDays(IMPORT_DAY, DAYS);
const explained: Record<string, Record<string, string>> = {};
if (kind === "postgres") for (const t of targets) explained[t.size] = await plans(t.handle, lastDay);
const counts: Record<string, Record<string, number>> = {};
for (const t of targets) {
  const [row] = await queryRows<Record<string, number>>(
    t.handle.db,
    sql`select (select count(*)::int from pairs) as pairs, (select count(*)::int from checkins) as checkins,
               (select count(*)::int from outbox) as outbox`,
  );
  counts[t.size] = row ?? {};
}

const rows = targets.map((t) => {
  const busyMs = t.busy.map((b) => b.ms);
  const written = t.busy.map((b) => b.checkins + b.nudges + b.flags);
  return {
    size: t.size,
    seedS: Number((t.seedMs / 1000).toFixed(1)),
    freshImportMs: Math.round(t.freshImport?.ms ?? 0),
    freshImportCpuMs: Math.round(t.freshImport?.cpuMs ?? 0),
    firstTick: { ...t.firstTick, ms: Math.round(t.firstTick?.ms ?? 0), cpuMs: Math.round(t.firstTick?.cpuMs ?? 0) },
    quietMedianMs: Number(median(t.quiet).toFixed(2)),
    quietMaxMs: Number(Math.max(...t.quiet).toFixed(2)),
    quietMedianCpuMs: Number(median(t.quietCpu).toFixed(2)),
    busyMedianMs: Number(median(busyMs).toFixed(1)),
    busyMaxMs: Number(Math.max(...busyMs).toFixed(1)),
    busyMedianCpuMs: Number(median(t.busy.map((b) => b.cpuMs)).toFixed(1)),
    busyMedianWritten: median(written),
    busyMedianCheckins: median(t.busy.map((b) => b.checkins)),
    busyMedianNudges: median(t.busy.map((b) => b.nudges + b.flags)),
    busyTotalMs: Math.round(busyMs.reduce((a, b) => a + b, 0)),
    busyTotalWritten: written.reduce((a, b) => a + b, 0),
    /** Over all the busy days: the days differ (the ladder comes in waves), the sizes' same days do not. */
    msPerWrittenMessage: Number(
      (
        busyMs.reduce((a, b) => a + b, 0) /
        Math.max(
          1,
          written.reduce((a, b) => a + b, 0),
        )
      ).toFixed(3),
    ),
    days: t.busy.map((b) => ({ ...b, ms: Math.round(b.ms), cpuMs: Math.round(b.cpuMs) })),
    tables: counts[t.size],
  };
});

console.log(`\nfindDueWork on ${kind}, ${DAYS} simulated days, ${QUIET_TICKS} quiet ticks a day; load ${load()}`);
console.log(
  "| pairs | quiet tick: median / max | busy day: median / max | written in the busy days | per message | import, pairs new | import, programme running |",
);
console.log(
  "| ----- | ------------------------ | ---------------------- | ------------------------ | ----------- | ----------------- | ------------------------- |",
);
for (const r of rows) {
  const f = r.firstTick;
  const firstWritten = (f.checkins ?? 0) + (f.nudges ?? 0) + (f.flags ?? 0);
  console.log(
    `| ${r.size.toLocaleString("en")} | ${ms(r.quietMedianMs)} / ${ms(r.quietMaxMs)} | ${ms(r.busyMedianMs)} / ${ms(r.busyMaxMs)} | ${r.busyTotalWritten} in ${(r.busyTotalMs / 1000).toFixed(1)} s | ${r.msPerWrittenMessage.toFixed(2)} ms | ${ms(r.freshImportMs)} | ${ms(f.ms)} (${firstWritten} written) |`,
  );
}
const [small, large] = rows;
const growth =
  small && large
    ? {
        sizeRatio: large.size / small.size,
        quiet: Number((large.quietMedianMs / small.quietMedianMs).toFixed(2)),
        busyTotal: Number((large.busyTotalMs / small.busyTotalMs).toFixed(2)),
        busyWritten: Number((large.busyTotalWritten / small.busyTotalWritten).toFixed(2)),
        perMessage: Number((large.msPerWrittenMessage / small.msPerWrittenMessage).toFixed(2)),
        freshImport: Number((large.freshImportMs / (small.freshImportMs || 1)).toFixed(2)),
        firstTick: Number(((large.firstTick.ms ?? 0) / (small.firstTick.ms || 1)).toFixed(2)),
      }
    : undefined;
if (growth)
  console.log(
    `growth ×${growth.sizeRatio} pairs: quiet tick ×${growth.quiet}, busy days ×${growth.busyTotal} for ×${growth.busyWritten} messages (per message ×${growth.perMessage}), import of new pairs ×${growth.freshImport}, import into a running programme ×${growth.firstTick}`,
  );
for (const [size, p] of Object.entries(explained)) {
  console.log(`plans at ${size}:`);
  for (const [name, plan] of Object.entries(p)) console.log(`  ${name}: ${plan}`);
}
console.log(`JSON ${JSON.stringify({ kind, days: DAYS, loadAfterImport, rows, growth, plans: explained })}`);
for (const t of targets) await t.drop();
