import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Database, queryRows } from "../../../db/client.js";
import {
  checkins,
  difficulties,
  enrolments,
  outbox,
  pairs,
  participants,
  programmes,
  sessions,
  surveyResponses,
} from "../../../db/schema.js";
import type { LearnerRecords } from "./follow-up.js";

export type ProgrammeRow = typeof programmes.$inferSelect;

/** The kinds of message that follow a learner up: what the sheet lists as reminders sent. */
export const FOLLOW_UP_KINDS = ["checkin", "nudge", "reminder", "survey"] as const;

export async function findProgrammeBySlug(db: Database, slug: string): Promise<ProgrammeRow | undefined> {
  const [row] = await db.select().from(programmes).where(eq(programmes.slug, slug));
  return row;
}

/** The programme's learners: enrolled as mentee or mentee of one of its pairs. */
const learnersOf = (programmeId: string) =>
  sql`(select ${enrolments.participantId} from ${enrolments}
       where ${enrolments.programmeId} = ${programmeId} and ${enrolments.role} = 'mentee'
       union select ${pairs.menteeId} from ${pairs} where ${pairs.programmeId} = ${programmeId})`;

/**
 * The programme's learners by name, `size` at a time (keyset pagination), so that an export of
 * thousands of learners holds one batch in memory, not the whole programme.
 */
export async function* learnerBatches(
  db: Database,
  programmeId: string,
  size: number,
): AsyncGenerator<Array<{ id: string; name: string; email: string }>> {
  let after: { name: string; id: string } | undefined;
  for (;;) {
    const batch = await db
      .select({ id: participants.id, name: participants.name, email: participants.email })
      .from(participants)
      .where(
        and(
          sql`${participants.id} in ${learnersOf(programmeId)}`,
          after ? sql`(${participants.name}, ${participants.id}) > (${after.name}, ${after.id}::uuid)` : undefined,
        ),
      )
      .orderBy(asc(participants.name), asc(participants.id))
      .limit(size);
    if (batch.length === 0) return;
    yield batch;
    const last = batch.at(-1) as { id: string; name: string };
    after = { name: last.name, id: last.id };
    if (batch.length < size) return;
  }
}

const groupBy = <T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> => {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
};

/** Everything the follow-up sheets of a batch of learners show, six queries for the whole batch. */
export async function loadLearnerRecords(
  db: Database,
  programmeId: string,
  learners: Array<{ id: string; name: string; email: string }>,
): Promise<LearnerRecords[]> {
  const ids = learners.map((l) => l.id);
  if (ids.length === 0) return [];
  const mentor = alias(participants, "mentor");
  const pairRows = await db
    .select({
      id: pairs.id,
      menteeId: pairs.menteeId,
      mentorName: mentor.name,
      mentorEmail: mentor.email,
      status: pairs.status,
      createdAt: pairs.createdAt,
      endedAt: pairs.endedAt,
    })
    .from(pairs)
    .innerJoin(mentor, eq(mentor.id, pairs.mentorId))
    .where(and(eq(pairs.programmeId, programmeId), inArray(pairs.menteeId, ids)));
  const pairIds = pairRows.map((p) => p.id);
  const menteeOfPair = new Map(pairRows.map((p) => [p.id, p.menteeId]));

  const sessionRows =
    pairIds.length === 0
      ? []
      : await db
          .select({
            pairId: sessions.pairId,
            heldOn: sessions.heldOn,
            durationMinutes: sessions.durationMinutes,
            topics: sessions.topics,
            nextSteps: sessions.nextSteps,
          })
          .from(sessions)
          .where(inArray(sessions.pairId, pairIds));

  // The note's text leaves the database only when its author shared it.
  const checkinRows = await db
    .select({
      participantId: checkins.participantId,
      round: checkins.round,
      createdAt: checkins.createdAt,
      sentAt: outbox.sentAt,
      answer: checkins.answer,
      answeredAt: checkins.answeredAt,
      usefulness: checkins.usefulness,
      hasNote: sql<boolean>`(${checkins.note} is not null and ${checkins.note} <> '')`.mapWith(Boolean),
      sharedNote: sql<string | null>`case when ${checkins.noteShared} then ${checkins.note} end`,
      help: checkins.help,
    })
    .from(checkins)
    .leftJoin(outbox, and(eq(outbox.key, sql`'checkin:' || ${checkins.id}::text`), eq(outbox.status, "sent")))
    .where(and(eq(checkins.programmeId, programmeId), inArray(checkins.participantId, ids)));

  const messageRows = await db
    .select({ recipientId: outbox.recipientId, kind: outbox.kind, sentAt: outbox.sentAt, payload: outbox.payload })
    .from(outbox)
    .where(
      and(
        inArray(outbox.recipientId, ids),
        inArray(outbox.kind, [...FOLLOW_UP_KINDS]),
        eq(outbox.status, "sent"),
        pairIds.length === 0
          ? eq(outbox.programmeId, programmeId)
          : or(eq(outbox.programmeId, programmeId), inArray(outbox.pairId, pairIds)),
      ),
    );

  const surveyRows = await db
    .select({
      participantId: surveyResponses.participantId,
      moment: surveyResponses.moment,
      status: surveyResponses.status,
      definition: surveyResponses.definition,
      answers: surveyResponses.answers,
      createdAt: surveyResponses.createdAt,
      completedAt: surveyResponses.completedAt,
    })
    .from(surveyResponses)
    .where(and(eq(surveyResponses.programmeId, programmeId), inArray(surveyResponses.participantId, ids)));

  const handler = alias(participants, "handler");
  const difficultyRows = await db
    .select({
      raisedBy: difficulties.raisedBy,
      createdAt: difficulties.createdAt,
      source: difficulties.source,
      text: difficulties.text,
      status: difficulties.status,
      handledByName: handler.name,
      handledAt: difficulties.handledAt,
    })
    .from(difficulties)
    .leftJoin(handler, eq(handler.id, difficulties.handledBy))
    .where(and(eq(difficulties.programmeId, programmeId), inArray(difficulties.raisedBy, ids)));

  const pairsBy = groupBy(pairRows, (p) => p.menteeId);
  const sessionsBy = groupBy(sessionRows, (s) => menteeOfPair.get(s.pairId));
  const checkinsBy = groupBy(checkinRows, (c) => c.participantId);
  const messagesBy = groupBy(
    messageRows.filter((m): m is typeof m & { sentAt: Date } => m.sentAt !== null),
    (m) => m.recipientId,
  );
  const surveysBy = groupBy(surveyRows, (s) => s.participantId);
  const difficultiesBy = groupBy(difficultyRows, (d) => d.raisedBy);
  return learners.map((learner) => ({
    learner,
    pairs: pairsBy.get(learner.id) ?? [],
    sessions: sessionsBy.get(learner.id) ?? [],
    checkins: checkinsBy.get(learner.id) ?? [],
    messages: messagesBy.get(learner.id) ?? [],
    surveys: surveysBy.get(learner.id) ?? [],
    difficulties: difficultiesBy.get(learner.id) ?? [],
  }));
}

/** The programme's figures, counted by the database. */
export interface ProgrammeFigures {
  learners: number;
  mentors: number;
  pairs: number;
  pairsActive: number;
  pairsEnded: number;
  sessions: number;
  minutes: number;
  learnersWithSession: number;
  checkinsSent: number;
  checkinsAnswered: number;
  /** Average of the usefulness given after a meeting, or null when nobody gave one. */
  usefulness: number | null;
  messagesSent: number;
  surveysSent: number;
  surveysCompleted: number;
  difficulties: number;
  difficultiesOpen: number;
  difficultiesHandled: number;
}

export async function programmeFigures(db: Database, programmeId: string): Promise<ProgrammeFigures> {
  const [row] = await queryRows<Record<keyof ProgrammeFigures, string | number | null>>(
    db,
    sql`select
      (select count(*) from ${learnersOf(programmeId)} l) as "learners",
      (select count(distinct participant_id) from enrolments
        where programme_id = ${programmeId} and role = 'mentor') as "mentors",
      (select count(*) from pairs where programme_id = ${programmeId}) as "pairs",
      (select count(*) from pairs where programme_id = ${programmeId} and status = 'active') as "pairsActive",
      (select count(*) from pairs where programme_id = ${programmeId} and status = 'ended') as "pairsEnded",
      (select count(*) from sessions s join pairs p on p.id = s.pair_id
        where p.programme_id = ${programmeId}) as "sessions",
      (select coalesce(sum(s.duration_minutes), 0) from sessions s join pairs p on p.id = s.pair_id
        where p.programme_id = ${programmeId}) as "minutes",
      (select count(distinct p.mentee_id) from sessions s join pairs p on p.id = s.pair_id
        where p.programme_id = ${programmeId}) as "learnersWithSession",
      (select count(*) from checkins where programme_id = ${programmeId}) as "checkinsSent",
      (select count(*) from checkins where programme_id = ${programmeId} and answer is not null) as "checkinsAnswered",
      (select avg(usefulness)::float8 from checkins
        where programme_id = ${programmeId} and usefulness is not null) as "usefulness",
      (select count(*) from outbox where programme_id = ${programmeId} and status = 'sent'
        and recipient_id is not null
        and kind in ('checkin', 'nudge', 'reminder', 'survey')) as "messagesSent",
      (select count(*) from survey_responses where programme_id = ${programmeId}) as "surveysSent",
      (select count(*) from survey_responses
        where programme_id = ${programmeId} and status = 'completed') as "surveysCompleted",
      (select count(*) from difficulties where programme_id = ${programmeId}) as "difficulties",
      (select count(*) from difficulties where programme_id = ${programmeId} and status = 'open') as "difficultiesOpen",
      (select count(*) from difficulties
        where programme_id = ${programmeId} and status = 'handled') as "difficultiesHandled"`,
  );
  const figures = {} as ProgrammeFigures;
  for (const [key, value] of Object.entries(row ?? {})) {
    (figures as unknown as Record<string, number | null>)[key] =
      key === "usefulness" ? (value === null ? null : Number(value)) : Number(value ?? 0);
  }
  return figures;
}
