import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.js";

/** A week of a programme as the digest counts it: local dates and the instants that bound them. */
export interface DigestWeek {
  /** First and last local date of the week, both included. */
  from: string;
  to: string;
  /** Local midnight opening `from`, and the one closing `to`. */
  start: Date;
  end: Date;
}

/** What a programme did in one week. Private text is never read here: counts and 1–5 scores only. */
export interface WeekFigures {
  /** Pairs active at the end of the week. */
  activePairs: number;
  /** Sessions held during the week (by their date), and their minutes. */
  sessions: number;
  minutes: number;
  /** Check-in questions delivered during the week, and how many of those have an answer. */
  checkinsSent: number;
  checkinsAnswered: number;
  /** Mean of the usefulness scores given during the week; null without any. */
  usefulness: number | null;
  /** Surveys sent so far at the end of the week, and how many were completed by then. */
  surveysInvited: number;
  surveysCompleted: number;
}

const iso = (d: Date) => d.toISOString();
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The headline figures of `week` and of the week before it, in five aggregate queries. */
export async function weekFigures(
  db: Database,
  programmeId: string,
  week: DigestWeek,
  previous: DigestWeek,
): Promise<{ current: WeekFigures; previous: WeekFigures }> {
  const [pairsRow, sessionsRow, checkinsRow, usefulRow, surveysRow] = await Promise.all([
    queryRows(
      db,
      sql`select
            count(*) filter (where created_at < ${iso(week.end)}::timestamptz
              and ((ended_at is null and status = 'active') or ended_at >= ${iso(week.end)}::timestamptz))::int as now,
            count(*) filter (where created_at < ${iso(previous.end)}::timestamptz
              and ((ended_at is null and status = 'active') or ended_at >= ${iso(previous.end)}::timestamptz))::int as before
          from pairs where programme_id = ${programmeId}`,
    ),
    queryRows(
      db,
      sql`select
            count(*) filter (where s.held_on >= ${week.from}::date)::int as now,
            coalesce(sum(s.duration_minutes) filter (where s.held_on >= ${week.from}::date), 0)::int as now_minutes,
            count(*) filter (where s.held_on <= ${previous.to}::date)::int as before,
            coalesce(sum(s.duration_minutes) filter (where s.held_on <= ${previous.to}::date), 0)::int as before_minutes
          from sessions s join pairs p on p.id = s.pair_id
          where p.programme_id = ${programmeId} and s.held_on between ${previous.from}::date and ${week.to}::date`,
    ),
    // A check-in's outbox row is keyed `checkin:<id>`: the join goes by the check-in's primary key.
    queryRows(
      db,
      sql`select
            count(*) filter (where o.sent_at >= ${iso(week.start)}::timestamptz)::int as now,
            count(*) filter (where o.sent_at >= ${iso(week.start)}::timestamptz and c.answer is not null)::int as now_answered,
            count(*) filter (where o.sent_at < ${iso(previous.end)}::timestamptz)::int as before,
            count(*) filter (where o.sent_at < ${iso(previous.end)}::timestamptz and c.answer is not null)::int as before_answered
          from outbox o join checkins c on c.id = substr(o.key, 9)::uuid
          where o.programme_id = ${programmeId} and o.kind = 'checkin' and o.key like 'checkin:%' and o.status = 'sent'
            and o.sent_at >= ${iso(previous.start)}::timestamptz and o.sent_at < ${iso(week.end)}::timestamptz`,
    ),
    queryRows(
      db,
      sql`select
            avg(usefulness) filter (where answered_at >= ${iso(week.start)}::timestamptz)::float8 as now,
            avg(usefulness) filter (where answered_at < ${iso(previous.end)}::timestamptz)::float8 as before
          from checkins
          where programme_id = ${programmeId} and usefulness is not null
            and answered_at >= ${iso(previous.start)}::timestamptz and answered_at < ${iso(week.end)}::timestamptz`,
    ),
    queryRows(
      db,
      sql`select
            count(*) filter (where created_at < ${iso(week.end)}::timestamptz)::int as now,
            count(*) filter (where status = 'completed' and completed_at < ${iso(week.end)}::timestamptz)::int as now_completed,
            count(*) filter (where created_at < ${iso(previous.end)}::timestamptz)::int as before,
            count(*) filter (where status = 'completed' and completed_at < ${iso(previous.end)}::timestamptz)::int as before_completed
          from survey_responses where programme_id = ${programmeId}`,
    ),
  ]);
  const side = (which: "now" | "before"): WeekFigures => ({
    activePairs: num(pairsRow[0]?.[which]),
    sessions: num(sessionsRow[0]?.[which]),
    minutes: num(sessionsRow[0]?.[`${which}_minutes`]),
    checkinsSent: num(checkinsRow[0]?.[which]),
    checkinsAnswered: num(checkinsRow[0]?.[`${which}_answered`]),
    usefulness: numOrNull(usefulRow[0]?.[which]),
    surveysInvited: num(surveysRow[0]?.[which]),
    surveysCompleted: num(surveysRow[0]?.[`${which}_completed`]),
  });
  return { current: side("now"), previous: side("before") };
}

/** An active pair with the date its quiet time is counted from. */
export interface QuietPair {
  id: string;
  /** The latest activity, or the day the pair was made. */
  since: string;
}

/** Active pairs with no activity since `onOrBefore` (or made then, and quiet since). */
export async function quietPairs(
  db: Database,
  programmeId: string,
  timeZone: string,
  onOrBefore: string,
): Promise<QuietPair[]> {
  const rows = await queryRows<{ id: string; since: string }>(
    db,
    sql`select id, to_char(since, 'YYYY-MM-DD') as since from (
          select id, coalesce(last_activity_on, (created_at at time zone ${timeZone})::date) as since
          from pairs where programme_id = ${programmeId} and status = 'active') p
        where since <= ${onOrBefore}::date`,
  );
  return rows.map((r) => ({ id: r.id, since: String(r.since) }));
}

/**
 * The latest usefulness score of each active pair, when it is `max` or lower: the low scores, less
 * those the pair has rated again since (an index probe per low score, not a sort of every check-in).
 */
export async function lowUsefulness(
  db: Database,
  programmeId: string,
  max: number,
): Promise<Array<{ pairId: string; checkinId: string; personId: string; score: number; answeredAt: Date }>> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select c.pair_id, c.id, c.participant_id, c.usefulness, c.answered_at
        from checkins c join pairs p on p.id = c.pair_id and p.status = 'active'
        where c.programme_id = ${programmeId} and c.usefulness <= ${max} and c.answered_at is not null
          and not exists (
            select 1 from checkins later
            where later.pair_id = c.pair_id and later.usefulness is not null and later.answered_at is not null
              and (later.answered_at > c.answered_at or (later.answered_at = c.answered_at and later.id > c.id)))`,
  );
  return rows.map((r) => ({
    pairId: String(r.pair_id),
    checkinId: String(r.id),
    personId: String(r.participant_id),
    score: Number(r.usefulness),
    answeredAt: new Date(r.answered_at as string),
  }));
}

/** Difficulties of active pairs still open; their text is not read. */
export async function openDifficulties(
  db: Database,
  programmeId: string,
): Promise<Array<{ id: string; pairId: string; personId: string; createdAt: Date }>> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select d.id, d.pair_id, d.raised_by, d.created_at
        from difficulties d join pairs p on p.id = d.pair_id and p.status = 'active'
        where d.programme_id = ${programmeId} and d.status = 'open'
        order by d.created_at`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    pairId: String(r.pair_id),
    personId: String(r.raised_by),
    createdAt: new Date(r.created_at as string),
  }));
}

/**
 * Surveys still open on `onDate` and unanswered after `reminders` reminders, with the active pair
 * they concern: the survey's own pair, else the person's pair as mentee, else their first as mentor.
 */
export async function unansweredSurveys(
  db: Database,
  programmeId: string,
  onDate: string,
  reminders: number,
): Promise<Array<{ id: string; pairId: string; personId: string; moment: string; reminders: number }>> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select * from (
          select r.id, r.participant_id, r.moment, r.reminders_sent,
                 coalesce(own.id, as_mentee.id, as_mentor.id) as pair_id
          from survey_responses r
          left join pairs own on own.id = r.pair_id and own.status = 'active'
          left join pairs as_mentee on as_mentee.programme_id = r.programme_id
            and as_mentee.mentee_id = r.participant_id and as_mentee.status = 'active'
          left join lateral (
            select m.id from pairs m
            where own.id is null and as_mentee.id is null
              and m.mentor_id = r.participant_id and m.programme_id = r.programme_id and m.status = 'active'
            order by m.created_at, m.id limit 1) as_mentor on true
          where r.programme_id = ${programmeId} and r.status in ('invited', 'started')
            and r.reminders_sent >= ${reminders} and r.closes_on >= ${onDate}::date) s
        where pair_id is not null`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    pairId: String(r.pair_id),
    personId: String(r.participant_id),
    moment: String(r.moment),
    reminders: Number(r.reminders_sent),
  }));
}

/**
 * People of the programme's active pairs binome cannot reach, each with the pairs they are in and
 * the latest sign of it: every identity they have was refused by its platform, or a message to
 * them in this programme became a dead letter since `deadSince`.
 */
export async function unreachablePeople(
  db: Database,
  programmeId: string,
  deadSince: Date,
): Promise<Array<{ personId: string; pairId: string; since: Date }>> {
  const rows = await queryRows<{ person_id: string; pair_id: string; since: string }>(
    db,
    sql`with signs as (
          select i.participant_id as person_id, max(i.unreachable_at) as since from identities i
          where i.participant_id in (select participant_id from identities where unreachable_at is not null)
          group by i.participant_id having bool_and(i.unreachable_at is not null)
          union all
          select recipient_id, max(created_at) from outbox
          where status = 'dead' and programme_id = ${programmeId} and recipient_id is not null
            and created_at >= ${iso(deadSince)}::timestamptz
          group by recipient_id),
        people as (select person_id, max(since) as since from signs group by person_id)
        select people.person_id, p.id as pair_id, people.since from people
        join pairs p on p.programme_id = ${programmeId} and p.status = 'active' and p.mentor_id = people.person_id
        union all
        select people.person_id, p.id, people.since from people
        join pairs p on p.programme_id = ${programmeId} and p.status = 'active' and p.mentee_id = people.person_id`,
  );
  return rows.map((r) => ({ personId: r.person_id, pairId: r.pair_id, since: new Date(r.since) }));
}

/** Reasons coordinators marked handled, as `<pairId> <reason>`, for the programme's active pairs. */
export async function handledReasons(db: Database, programmeId: string): Promise<Set<string>> {
  const rows = await queryRows<{ pair_id: string; reason: string }>(
    db,
    sql`select h.pair_id, h.reason from attention_handled h join pairs p on p.id = h.pair_id
        where p.programme_id = ${programmeId} and p.status = 'active'`,
  );
  return new Set(rows.map((r) => `${r.pair_id} ${r.reason}`));
}

/** A pair's two people, by name and email. */
export interface PairPeople {
  mentor: { id: string; name: string; email: string };
  mentee: { id: string; name: string; email: string };
}

/** The people of the given pairs, by pair id. */
export async function pairPeople(db: Database, pairIds: string[]): Promise<Map<string, PairPeople>> {
  if (pairIds.length === 0) return new Map();
  const rows = await queryRows<Record<string, string>>(
    db,
    sql`select p.id, m.id as mentor_id, m.name as mentor_name, m.email as mentor_email,
               e.id as mentee_id, e.name as mentee_name, e.email as mentee_email
        from pairs p join participants m on m.id = p.mentor_id join participants e on e.id = p.mentee_id
        where p.id = any(${`{${[...new Set(pairIds)].join(",")}}`}::uuid[])`,
  );
  return new Map(
    rows.map((r) => [
      r.id as string,
      {
        mentor: { id: r.mentor_id as string, name: r.mentor_name as string, email: r.mentor_email as string },
        mentee: { id: r.mentee_id as string, name: r.mentee_name as string, email: r.mentee_email as string },
      },
    ]),
  );
}
