// Evidence export for a programme of 1,000 learners (issue 6): total time and peak memory.
// The programme is bulk-seeded with SQL (generate_series): per learner one pair, 8 sessions, 10
// check-ins (every other one with a note), 12 messages sent, one mid-term survey answered; a
// difficulty for one learner in ten. Then `exportEvidence` runs as `binome export evidence` does,
// while RSS is sampled every 20 ms.
// Run: npm run bench:evidence   ·   bench/with-postgres.sh npm run bench:evidence
// Knobs: LEARNERS (1000), MENTORS (100), FONT=<file.ttf> (a TrueType font instead of Helvetica).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { type Database, openDatabase, queryRows } from "../db/client.js";
import { exportEvidence } from "../src/features/evidence/evidence.export.js";
import { defaultSurvey } from "../src/features/surveys/defaults.js";

const LEARNERS = Number(process.env.LEARNERS ?? 1000);
const MENTORS = Number(process.env.MENTORS ?? 100);
const FONT = process.env.FONT;
const MiB = 2 ** 20;

async function seed(db: Database): Promise<void> {
  const [programme] = await queryRows<{ id: string }>(
    db,
    sql`insert into programmes (slug, name, starts_on, ends_on)
        values ('bench', 'Bench 2026', '2026-09-01', '2027-02-26') returning id::text as id`,
  );
  const p = (programme as { id: string }).id;
  await db.execute(sql`insert into participants (name, email) values ('Claire Martin', 'coordination@bench.example')`);
  await db.execute(
    sql`insert into participants (name, email, skills)
        select 'Mentor ' || lpad(i::text, 3, '0'), 'mentor' || i || '@bench.example', '{Excel,CV}'
        from generate_series(1, ${MENTORS}) i`,
  );
  await db.execute(
    sql`insert into participants (name, email)
        select 'Apprenant·e ' || lpad(i::text, 4, '0'), 'learner' || i || '@bench.example'
        from generate_series(1, ${LEARNERS}) i`,
  );
  await db.execute(
    sql`insert into enrolments (programme_id, participant_id, role)
        select ${p}::uuid, id, case when email like 'mentor%' then 'mentor'::role
                                    when email like 'learner%' then 'mentee'::role else 'coordinator'::role end
        from participants`,
  );
  await db.execute(
    sql`insert into pairs (programme_id, mentor_id, mentee_id, created_at)
        select ${p}::uuid, m.id, l.id, timestamptz '2026-09-15 08:00+00'
        from (select id, row_number() over (order by email) - 1 as k from participants where email like 'learner%') l
        join (select id, row_number() over (order by email) - 1 as k from participants where email like 'mentor%') m
          on m.k = l.k % ${MENTORS}`,
  );
  await db.execute(
    sql`insert into sessions (pair_id, logged_by, held_on, duration_minutes, topics, next_steps, source)
        select p.id, p.mentor_id, date '2026-09-20' + s * 14, 30 + 15 * (s % 4),
               'Séance ' || (s + 1) || ' : préparation de l''entretien annuel, prise de parole, organisation du travail',
               case when s % 2 = 0 then 'Relire le CV et préparer trois questions pour la prochaine fois' end, 'command'
        from pairs p cross join generate_series(0, 7) s`,
  );
  await db.execute(
    sql`insert into checkins (programme_id, pair_id, participant_id, round, since, answer, answered_at,
                              usefulness, note, note_shared, created_at)
        select ${p}::uuid, p.id, p.mentee_id, r, date '2026-09-15' + (r - 1) * 14,
               case when r % 3 = 0 then null when r % 3 = 1 then 'met' else 'planned' end,
               case when r % 3 = 0 then null else timestamptz '2026-09-29 12:00+00' + (r - 1) * interval '14 days' end,
               case when r % 3 = 1 then 3 + r % 3 end,
               case when r % 2 = 0 then 'Une note sur cet échange, numéro ' || r end, r % 4 = 0,
               timestamptz '2026-09-29 08:00+00' + (r - 1) * interval '14 days'
        from pairs p cross join generate_series(1, 10) r`,
  );
  await db.execute(
    sql`insert into outbox (key, programme_id, recipient_id, kind, pair_id, payload, status, due_at, created_at, sent_at)
        select 'checkin:' || c.id, ${p}::uuid, c.participant_id, 'checkin', c.pair_id,
               jsonb_build_object('card', jsonb_build_object('fallback',
                 'Bonjour ! Avez-vous échangé avec votre mentor depuis le ' || c.since || ' ?', 'blocks', '[]'::jsonb)),
               'sent', c.created_at, c.created_at, c.created_at + interval '5 minutes'
        from checkins c`,
  );
  await db.execute(
    sql`insert into outbox (key, programme_id, recipient_id, kind, pair_id, payload, status, due_at, created_at, sent_at)
        select 'ladder:' || p.id || ':' || n, ${p}::uuid, p.mentee_id, case when n = 0 then 'nudge' else 'reminder' end,
               p.id, jsonb_build_object('card', jsonb_build_object('fallback',
                 'Cela fait 14 jours sans échange avec votre mentor : un café cette semaine ?', 'blocks', '[]'::jsonb)),
               'sent', now(), now(), timestamptz '2026-11-16 09:00+00' + n * interval '3 days'
        from pairs p cross join generate_series(0, 1) n`,
  );
  const survey = defaultSurvey("midterm", "mentee");
  const answers = Object.fromEntries(
    survey.questions.map((q) => [
      q.id,
      {
        value:
          q.kind === "scale"
            ? "4"
            : q.kind === "yesno"
              ? "no"
              : q.kind === "choice"
                ? (q.options[0]?.id ?? "")
                : "Des échanges concrets et réguliers, merci.",
      },
    ]),
  );
  await db.execute(
    sql`insert into survey_responses (programme_id, participant_id, pair_id, moment, audience, definition, answers,
                                      history, status, language, closes_on, created_at, completed_at, updated_at)
        select ${p}::uuid, p.mentee_id, p.id, 'midterm', 'mentee', ${JSON.stringify(survey)}::jsonb,
               ${JSON.stringify(answers)}::jsonb, '[]'::jsonb, 'completed', 'fr', '2026-11-30',
               timestamptz '2026-11-09 09:00+00', timestamptz '2026-11-10 10:00+00', timestamptz '2026-11-10 10:00+00'
        from pairs p`,
  );
  await db.execute(
    sql`insert into difficulties (programme_id, raised_by, pair_id, source, text, status, created_at, handled_by, handled_at)
        select ${p}::uuid, p.mentee_id, p.id, 'command', 'Mon mentor annule souvent nos rendez-vous',
               case when n % 2 = 0 then 'handled' else 'open' end, timestamptz '2026-10-20 10:00+00',
               case when n % 2 = 0 then (select id from participants where email = 'coordination@bench.example') end,
               case when n % 2 = 0 then timestamptz '2026-10-22 15:00+00' end
        from (select p.*, row_number() over (order by p.id) as n from pairs p) p where n % 10 = 0`,
  );
}

function peakFromProc(): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const work = mkdtempSync(join(tmpdir(), "binome-bench-evidence-"));
const onPostgres = Boolean(process.env.DATABASE_URL);
const handle = await openDatabase(
  onPostgres ? { url: process.env.DATABASE_URL, poolSize: 1 } : { dataDir: join(work, "data") },
);
const seedStarted = performance.now();
await seed(handle.db);
const seedMs = performance.now() - seedStarted;
const [rows] = await queryRows<Record<string, number>>(
  handle.db,
  sql`select (select count(*)::int from pairs) as pairs, (select count(*)::int from sessions) as sessions,
             (select count(*)::int from checkins) as checkins, (select count(*)::int from outbox) as messages,
             (select count(*)::int from survey_responses) as surveys, (select count(*)::int from difficulties) as difficulties`,
);

(globalThis as { gc?: () => void }).gc?.();
const rssBefore = process.memoryUsage().rss;
// Peaks of the export alone: seeding PGlite leaves a high RSS that falls back once the export starts.
let peakRss = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
  const { rss, heapUsed } = process.memoryUsage();
  if (rss > peakRss) peakRss = rss;
  if (heapUsed > peakHeap) peakHeap = heapUsed;
}, 20);
const rssAt: Record<number, string> = {};
const out = join(work, "export");
const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = await exportEvidence(handle.db, {
  programmeSlug: "bench",
  outDir: out,
  organisation: "Centre de formation Bench",
  now: new Date("2026-11-27T10:00:00Z"),
  fonts: FONT ? { regular: FONT } : undefined,
  onLearner: (done) => {
    if (done % Math.max(1, Math.floor(LEARNERS / 4)) === 0) {
      const m = process.memoryUsage();
      rssAt[done] =
        `rss ${Math.round(m.rss / MiB)} heap ${Math.round(m.heapTotal / MiB)} ext ${Math.round(m.external / MiB)}`;
    }
  },
});
const elapsed = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
const { rss, heapUsed } = process.memoryUsage();
peakRss = Math.max(peakRss, rss);
peakHeap = Math.max(peakHeap, heapUsed);
if (!result.ok) throw new Error("bench programme not found");

const files = [
  ...readdirSync(out).map((f) => join(out, f)),
  ...readdirSync(join(out, "learners")).map((f) => join(out, "learners", f)),
].filter((f) => statSync(f).isFile());
const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
const pdfBytes = readdirSync(join(out, "learners")).map((f) => statSync(join(out, "learners", f)).size);

const report = {
  database: onPostgres ? "postgres" : "pglite",
  learners: result.learners,
  seeded: rows,
  font: FONT ?? "Helvetica (built in)",
  seedMs: Math.round(seedMs),
  exportMs: Math.round(elapsed),
  msPerLearner: Number((elapsed / Math.max(1, result.learners)).toFixed(1)),
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  rssBeforeMiB: Math.round(rssBefore / MiB),
  peakRssMiB: Math.round(peakRss / MiB),
  peakRssGrowthMiB: Math.round((peakRss - rssBefore) / MiB),
  rssMiBAfterLearners: rssAt,
  peakHeapUsedMiB: Math.round(peakHeap / MiB),
  processPeakRssMiB: Math.round((peakFromProc() ?? 0) / MiB),
  files: files.length,
  totalMiB: Number((bytes / MiB).toFixed(1)),
  pdfKiBMedian: Math.round((pdfBytes.sort((a, b) => a - b)[Math.floor(pdfBytes.length / 2)] ?? 0) / 1024),
  machine: { cpus: cpus().length, node: process.version, loadavg: loadavg().map((l) => Number(l.toFixed(1))) },
};
console.log(
  [
    `Evidence export, ${report.learners} learners on ${report.database} (${report.font})`,
    `  seed                ${report.seedMs} ms`,
    `  export              ${report.exportMs} ms (${report.msPerLearner} ms per learner), CPU ${report.cpuMs} ms`,
    `  RSS before export   ${report.rssBeforeMiB} MiB`,
    `  peak RSS (20 ms)    ${report.peakRssMiB} MiB (${report.peakRssGrowthMiB >= 0 ? "+" : ""}${report.peakRssGrowthMiB} MiB on before), heap used peak ${report.peakHeapUsedMiB} MiB`,
    `  RSS as it went      ${Object.entries(rssAt)
      .map(([n, mib]) => `${n}: ${mib} MiB`)
      .join(", ")}`,
    `  files               ${report.files} (${report.totalMiB} MiB; median sheet ${report.pdfKiBMedian} KiB)`,
    `  load average        ${report.machine.loadavg.join(" ")}`,
  ].join("\n"),
);
console.log(`JSON ${JSON.stringify(report)}`);
await handle.close();
rmSync(work, { recursive: true, force: true });
