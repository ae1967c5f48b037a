import { and, eq, inArray, isNull, lte, notInArray, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.js";
import { checkins, outbox, pairs, participants, programmes } from "../../../db/schema.js";
import { pickLanguage } from "../../core/i18n/index.js";
import type { ScheduledTask } from "../../scheduler/index.js";
import { enqueue, type OutboxMessage } from "../outbox/outbox.repository.js";
import { localMoment } from "../outbox/working-hours.js";
import { addDays, daysBetween } from "./activity.js";
import { checkinCard, flagCard, ladderAskCard, reminderCard } from "./engagement.cards.js";
import { type EngagementSettings, engagementSettings } from "./settings.js";

type ProgrammeRow = typeof programmes.$inferSelect;
type Person = typeof participants.$inferSelect;

/** Pairs handled per statement: bounds memory and transaction length at any size. */
const BATCH = 500;

export interface DueWorkReport {
  checkins: number;
  nudges: number;
  flags: number;
}

const uuidArray = (ids: string[]) => `{${ids.join(",")}}`;
/** A text[] literal; each element quoted, since an empty string must be written `""` in one. */
const textArray = (values: string[]) => `{${values.map((v) => `"${v}"`).join(",")}}`;

/** Programmes running on their own calendar date `today`. */
function running(settings: EngagementSettings, today: string): boolean {
  return (!settings.startsOn || settings.startsOn <= today) && (!settings.endsOn || today <= settings.endsOn);
}

/**
 * Pairs made since the last tick get their bookkeeping: the latest activity is the day they were
 * paired, the first check-in one period later, the ladder's first step after its delay.
 */
async function initialisePairs(db: Database, programme: ProgrammeRow, settings: EngagementSettings): Promise<void> {
  for (;;) {
    const fresh = await db
      .select({ id: pairs.id, createdAt: pairs.createdAt, lastActivityOn: pairs.lastActivityOn })
      .from(pairs)
      .where(and(eq(pairs.programmeId, programme.id), eq(pairs.status, "active"), isNull(pairs.nextCheckinOn)))
      // Why ordered by the indexed column (here and below): under LIMIT, PostgreSQL otherwise prefers a
      // sequential scan of all pairs (its estimates are table-wide, and postgres.js's prepared statements
      // get generic plans); with the order, the partial index is the cheap plan and a quiet tick reads nothing.
      .orderBy(pairs.nextCheckinOn)
      .limit(BATCH);
    if (fresh.length === 0) return;
    const first = settings.nudgeSteps[0];
    const ids: string[] = [];
    const values: string[][] = [[], [], []];
    for (const pair of fresh) {
      const paired = localMoment(pair.createdAt, settings.timeZone).date;
      const activity = pair.lastActivityOn ?? paired;
      ids.push(pair.id);
      values[0]?.push(activity);
      values[1]?.push(addDays(paired, settings.checkInEveryDays));
      values[2]?.push(first ? addDays(activity, first.afterDays) : "");
    }
    await db.execute(sql`
      update pairs p set last_activity_on = v.activity, next_checkin_on = v.checkin,
        ladder_next_on = nullif(v.ladder, '')::date, ladder_step = 0
      from unnest(${uuidArray(ids)}::uuid[], ${`{${values[0]?.join(",")}}`}::date[],
                  ${`{${values[1]?.join(",")}}`}::date[], ${textArray(values[2] ?? [])}::text[])
        as v(id, activity, checkin, ladder)
      where p.id = v.id`);
  }
}

async function peopleById(db: Database, ids: string[]): Promise<Map<string, Person>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(participants).where(inArray(participants.id, ids));
  return new Map(rows.map((p) => [p.id, p]));
}

const languageOf = (person: Person, settings: EngagementSettings) => pickLanguage(person.language, settings.language);

/**
 * Check-ins due on `today`: for each pair whose next check-in date has come, one question to the
 * mentee (and the mentor, if the programme says so). Rounds missed while binome was stopped are
 * not sent late: the pair gets one check-in, about the time since the previous round.
 */
async function dueCheckins(
  db: Database,
  programme: ProgrammeRow,
  settings: EngagementSettings,
  today: string,
  now: Date,
): Promise<number> {
  let written = 0;
  for (;;) {
    const due = await db
      .select()
      .from(pairs)
      .where(and(eq(pairs.programmeId, programme.id), eq(pairs.status, "active"), lte(pairs.nextCheckinOn, today)))
      .orderBy(pairs.nextCheckinOn)
      .limit(BATCH);
    if (due.length === 0) return written;
    const people = await peopleById(
      db,
      due.flatMap((p) => [p.mentorId, p.menteeId]),
    );
    const every = settings.checkInEveryDays;
    const plans = due.map((pair) => {
      const dueOn = pair.nextCheckinOn as string;
      const skipped = Math.floor(daysBetween(dueOn, today) / every);
      const round = pair.checkinRound + 1 + skipped;
      const since = addDays(dueOn, (skipped - 1) * every);
      return { pair, round, since, next: addDays(dueOn, (skipped + 1) * every) };
    });
    await db.transaction(async (tx) => {
      const rows = plans.flatMap(({ pair, round, since }) =>
        (settings.checkInAudience === "both" ? [pair.menteeId, pair.mentorId] : [pair.menteeId]).map((personId) => ({
          programmeId: programme.id,
          pairId: pair.id,
          participantId: personId,
          round,
          since,
          language: people.get(personId) ? languageOf(people.get(personId) as Person, settings) : settings.language,
          createdAt: now,
        })),
      );
      const made = await tx.insert(checkins).values(rows).onConflictDoNothing().returning({
        id: checkins.id,
        pairId: checkins.pairId,
        participantId: checkins.participantId,
        since: checkins.since,
      });
      const messages: OutboxMessage[] = made.flatMap((c) => {
        const plan = plans.find((p) => p.pair.id === c.pairId);
        const person = people.get(c.participantId);
        if (!plan || !person) return [];
        const otherId = plan.pair.menteeId === person.id ? plan.pair.mentorId : plan.pair.menteeId;
        const other = people.get(otherId);
        const lang = languageOf(person, settings);
        return [
          {
            key: `checkin:${c.id}`,
            kind: "checkin",
            programmeId: programme.id,
            pairId: plan.pair.id,
            recipientId: person.id,
            payload: {
              card: checkinCard(lang, {
                id: c.id,
                otherName: other?.name ?? "",
                since: c.since,
                answer: null,
                usefulness: null,
                note: null,
                noteShared: false,
                help: null,
              }),
            },
            dueAt: now,
          },
        ];
      });
      written += await enqueue(tx, messages, now);
      // An older check-in still waiting (held by a pause or the cap) is replaced by the new one. Only
      // for the check-ins this run made: a replica that lost the race to a round cancels nothing.
      if (messages.length > 0) {
        await tx
          .update(outbox)
          .set({ status: "cancelled", lastError: "replaced by a later check-in" })
          .where(
            and(
              inArray(outbox.pairId, [...new Set(messages.map((m) => m.pairId as string))]),
              eq(outbox.kind, "checkin"),
              eq(outbox.status, "pending"),
              notInArray(
                outbox.key,
                messages.map((m) => m.key),
              ),
            ),
          );
      }
      await tx.execute(sql`
        update pairs p set checkin_round = v.round, next_checkin_on = v.next
        from unnest(${uuidArray(plans.map((p) => p.pair.id))}::uuid[], ${`{${plans.map((p) => p.round).join(",")}}`}::int[],
                    ${`{${plans.map((p) => p.next).join(",")}}`}::date[]) as v(id, round, next)
        where p.id = v.id`);
    });
  }
}

/**
 * The nudge ladder: pairs whose next step is due take the highest step their quiet days reach
 * (a pair found 30 days quiet is flagged, not reminded three times at once), then wait for the next.
 */
async function dueLadder(
  db: Database,
  programme: ProgrammeRow,
  settings: EngagementSettings,
  today: string,
  now: Date,
): Promise<{ nudges: number; flags: number }> {
  const report = { nudges: 0, flags: 0 };
  const steps = settings.nudgeSteps;
  for (;;) {
    const due = await db
      .select()
      .from(pairs)
      .where(and(eq(pairs.programmeId, programme.id), eq(pairs.status, "active"), lte(pairs.ladderNextOn, today)))
      .orderBy(pairs.ladderNextOn)
      .limit(BATCH);
    if (due.length === 0) return report;
    const people = await peopleById(
      db,
      due.flatMap((p) => [p.mentorId, p.menteeId]),
    );
    const messages: OutboxMessage[] = [];
    const updates: Array<{ id: string; seen: string; step: number; next: string }> = [];
    for (const pair of due) {
      const anchor = pair.lastActivityOn ?? today;
      const quiet = daysBetween(anchor, today);
      let reached = -1;
      steps.forEach((s, i) => {
        if (s.afterDays <= quiet) reached = i;
      });
      const following = steps[reached + 1];
      updates.push({
        id: pair.id,
        seen: pair.lastActivityOn ?? "",
        step: Math.max(pair.ladderStep, reached + 1),
        next: following ? addDays(anchor, following.afterDays) : "",
      });
      const step = steps[reached];
      if (!step || reached < pair.ladderStep) continue;
      const mentor = people.get(pair.mentorId);
      const mentee = people.get(pair.menteeId);
      if (!mentor || !mentee) continue;
      const key = `ladder:${pair.id}:${anchor}:${reached}`;
      const base = { kind: "nudge", programmeId: programme.id, pairId: pair.id, dueAt: now };
      if (step.action === "remind-both") {
        for (const [person, other] of [
          [mentor, mentee],
          [mentee, mentor],
        ] as const) {
          messages.push({
            ...base,
            key: `${key}:${person.id}`,
            recipientId: person.id,
            payload: {
              card: reminderCard(languageOf(person, settings), {
                otherName: other.name,
                quietDays: quiet,
                pairId: pair.id,
                isMentor: person.id === mentor.id,
                skills: [...new Set([...mentor.skills.filter((s) => mentee.skills.includes(s))])],
              }),
            },
          });
        }
      } else if (step.action === "ask-mentee") {
        messages.push({
          ...base,
          key: `${key}:${mentee.id}`,
          recipientId: mentee.id,
          payload: { card: ladderAskCard(languageOf(mentee, settings), { otherName: mentor.name, pairId: pair.id }) },
        });
      } else if (programme.coordinatorChannel) {
        messages.push({
          ...base,
          kind: "pair-flag",
          key,
          channel: programme.coordinatorChannel,
          payload: {
            card: flagCard(pickLanguage(settings.language), {
              mentorName: mentor.name,
              menteeName: mentee.name,
              quietDays: quiet,
              pairId: pair.id,
            }),
          },
        });
      }
    }
    await db.transaction(async (tx) => {
      // The pair's row first, and only if no activity came in since it was read: the row stays
      // locked until the messages below are committed, so an activity recorded meanwhile waits,
      // then cancels them (recordActivity); one recorded before makes this run skip the pair.
      const kept = await queryRows<{ id: string }>(
        tx as unknown as Database,
        sql`
        update pairs p set ladder_step = v.step, ladder_next_on = nullif(v.next, '')::date
        from unnest(${uuidArray(updates.map((u) => u.id))}::uuid[], ${textArray(updates.map((u) => u.seen))}::text[],
                    ${`{${updates.map((u) => u.step).join(",")}}`}::int[], ${textArray(updates.map((u) => u.next))}::text[])
          as v(id, seen, step, next)
        where p.id = v.id and p.last_activity_on is not distinct from nullif(v.seen, '')::date
        returning p.id`,
      );
      const current = new Set(kept.map((r) => String(r.id)));
      const fresh = messages.filter((m) => current.has(m.pairId as string));
      report.nudges += await enqueue(
        tx,
        fresh.filter((m) => m.kind === "nudge"),
        now,
      );
      report.flags += await enqueue(
        tx,
        fresh.filter((m) => m.kind === "pair-flag"),
        now,
      );
    });
  }
}

/**
 * One tick of the engagement loop: for every running programme, on its own calendar date, the
 * check-ins and ladder steps that have come due are written to the outbox with unique keys. The
 * outbox worker sends them within each person's working hours and weekly cap (see attention/gate.ts).
 */
export async function findDueWork(db: Database, now: Date): Promise<DueWorkReport> {
  const report: DueWorkReport = { checkins: 0, nudges: 0, flags: 0 };
  for (const programme of await db.select().from(programmes)) {
    const settings = engagementSettings(programme);
    const today = localMoment(now, settings.timeZone).date;
    if (!running(settings, today)) continue;
    await initialisePairs(db, programme, settings);
    report.checkins += await dueCheckins(db, programme, settings, today, now);
    const ladder = await dueLadder(db, programme, settings, today, now);
    report.nudges += ladder.nudges;
    report.flags += ladder.flags;
  }
  return report;
}

/** The scheduled task: every quarter of an hour, on one replica. */
export function engagementTask(onWritten: () => void = () => {}): ScheduledTask {
  return {
    name: "engagement:due-work",
    cron: "*/15 * * * *",
    // Due work is read from the pairs' state: after a gap, one run does what every missed one would have.
    catchUp: "latest",
    async run(fireAt, { db, log }) {
      const report = await findDueWork(db, fireAt);
      if (report.checkins + report.nudges + report.flags > 0) {
        log.info(report, "engagement work written to the outbox");
        onWritten();
      }
    },
  };
}
