import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.js";

/** What one mentor did in a programme: their mentees, and the sessions logged for their pairs. */
export interface MentorContribution {
  id: string;
  name: string;
  email: string;
  language: string | null;
  /** Names of the people they mentored, alphabetical. */
  mentees: string[];
  sessions: number;
  minutes: number;
}

/** Every mentor who had at least one pair in the programme (ended pairs included). */
export async function mentorContributions(db: Database, programmeId: string): Promise<MentorContribution[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select m.id, m.name, m.email, m.language,
          array_agg(distinct e.name) as mentees,
          coalesce(sum(s.n), 0)::int as sessions,
          coalesce(sum(s.minutes), 0)::int as minutes
        from pairs p
        join participants m on m.id = p.mentor_id
        join participants e on e.id = p.mentee_id
        left join lateral (
          select count(*) as n, sum(duration_minutes) as minutes from sessions where pair_id = p.id) s on true
        where p.programme_id = ${programmeId}
        group by m.id, m.name, m.email, m.language
        order by m.name, m.id`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    email: String(r.email),
    language: r.language === null ? null : String(r.language),
    mentees: [...(r.mentees as string[])].sort((a, b) => a.localeCompare(b)),
    sessions: Number(r.sessions),
    minutes: Number(r.minutes),
  }));
}

/** One pair as the results summary measures it. */
export interface PairRecord {
  /** Local dates the pair began and (if it did) ended. */
  createdOn: string;
  endedOn: string | null;
  mentorId: string;
  menteeId: string;
  sessions: number;
  minutes: number;
}

export async function pairRecords(db: Database, programmeId: string, timeZone: string): Promise<PairRecord[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select p.mentor_id, p.mentee_id,
          to_char((p.created_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as created_on,
          to_char((p.ended_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as ended_on,
          coalesce(s.n, 0)::int as sessions, coalesce(s.minutes, 0)::int as minutes
        from pairs p
        left join (select pair_id, count(*) as n, sum(duration_minutes) as minutes from sessions group by pair_id) s
          on s.pair_id = p.id
        where p.programme_id = ${programmeId}`,
  );
  return rows.map((r) => ({
    createdOn: String(r.created_on),
    endedOn: r.ended_on === null ? null : String(r.ended_on),
    mentorId: String(r.mentor_id),
    menteeId: String(r.mentee_id),
    sessions: Number(r.sessions),
    minutes: Number(r.minutes),
  }));
}

/** Check-ins of the whole programme: delivered, answered, and the mean usefulness. */
export async function checkinTotals(
  db: Database,
  programmeId: string,
): Promise<{ sent: number; answered: number; usefulness: number | null }> {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select count(*)::int as sent, count(*) filter (where c.answer is not null)::int as answered,
          avg(c.usefulness)::float8 as usefulness
        from outbox o join checkins c on c.id = substr(o.key, 9)::uuid
        where o.programme_id = ${programmeId} and o.kind = 'checkin' and o.key like 'checkin:%' and o.status = 'sent'`,
  );
  return {
    sent: Number(row?.sent ?? 0),
    answered: Number(row?.answered ?? 0),
    usefulness: row?.usefulness === null || row?.usefulness === undefined ? null : Number(row.usefulness),
  };
}

/**
 * The measurable survey answers: for each response, its moment, audience and status, and the values
 * of the scale and yes/no questions the results use. Free-text answers are never read.
 */
export interface SurveyScores {
  moment: string;
  audience: string;
  status: string;
  objectives: string | null;
  confidence: string | null;
  competence: string | null;
  mentorAgain: string | null;
}

export async function surveyScores(db: Database, programmeId: string): Promise<SurveyScores[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select moment, audience, status,
          answers -> 'objectives' ->> 'value' as objectives,
          answers -> 'confidence' ->> 'value' as confidence,
          answers -> 'competence' ->> 'value' as competence,
          answers -> 'mentor-again' ->> 'value' as mentor_again
        from survey_responses where programme_id = ${programmeId}`,
  );
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return rows.map((r) => ({
    moment: String(r.moment),
    audience: String(r.audience),
    status: String(r.status),
    objectives: text(r.objectives),
    confidence: text(r.confidence),
    competence: text(r.competence),
    mentorAgain: text(r.mentor_again),
  }));
}

/** Difficulties raised in the programme, and how many were handled. */
export async function difficultyTotals(
  db: Database,
  programmeId: string,
): Promise<{ raised: number; handled: number }> {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select count(*)::int as raised, count(*) filter (where status = 'handled')::int as handled
        from difficulties where programme_id = ${programmeId}`,
  );
  return { raised: Number(row?.raised ?? 0), handled: Number(row?.handled ?? 0) };
}
