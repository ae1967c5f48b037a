import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { outbox, pairs, participants, programmes, surveyResponses } from "../../../db/schema.js";
import { pickLanguage } from "../../core/i18n/index.js";
import type { ScheduledTask } from "../../scheduler/index.js";
import type { FeatureDeps } from "../commands/feature.js";
import { addDays } from "../engagement/activity.js";
import { engagementSettings } from "../engagement/settings.js";
import { enqueue, type OutboxMessage } from "../outbox/outbox.repository.js";
import { localMoment } from "../outbox/working-hours.js";
import { definitionFromSettings, periodDays } from "../programmes/programme-file.js";
import { defaultSurvey, type SurveyMoment } from "./defaults.js";
import type { SurveyDefinition } from "./definition.js";
import { emptySurveyState } from "./engine.js";
import { questionCard } from "./survey.cards.js";
import { raiseReported, reminderCard, type SurveyResponseRow } from "./surveys.usecases.js";

/** Reminders for a survey not finished: at most two, four and eight days after it was sent. */
export const SURVEY_REMINDERS = 2;
export const REMINDER_EVERY_DAYS = 4;

export interface SurveyTickReport {
  invited: number;
  reminded: number;
  closed: number;
}

type ProgrammeRow = typeof programmes.$inferSelect;

/** Sends a programme's survey to each person of its active pairs (mentee and mentor surveys), once. */
async function invite(
  db: Database,
  programme: ProgrammeRow,
  moment: SurveyMoment,
  closesOn: string,
  now: Date,
): Promise<number> {
  const settings = engagementSettings(programme);
  const active = await db
    .select({ id: pairs.id, mentorId: pairs.mentorId, menteeId: pairs.menteeId })
    .from(pairs)
    .where(and(eq(pairs.programmeId, programme.id), eq(pairs.status, "active")));
  if (active.length === 0) return 0;
  const already = new Set(
    (
      await db
        .select({ id: surveyResponses.participantId })
        .from(surveyResponses)
        .where(and(eq(surveyResponses.programmeId, programme.id), eq(surveyResponses.moment, moment)))
    ).map((r) => r.id),
  );
  const wanted = new Map<string, { audience: "mentee" | "mentor"; pairId: string }>();
  for (const pair of active) {
    if (!already.has(pair.menteeId)) wanted.set(pair.menteeId, { audience: "mentee", pairId: pair.id });
    if (!already.has(pair.mentorId) && !wanted.has(pair.mentorId))
      wanted.set(pair.mentorId, { audience: "mentor", pairId: pair.id });
  }
  if (wanted.size === 0) return 0;
  const people = await db
    .select()
    .from(participants)
    .where(inArray(participants.id, [...wanted.keys()]));
  let written = 0;
  for (let i = 0; i < people.length; i += 500) {
    const batch = people.slice(i, i + 500);
    await db.transaction(async (tx) => {
      const made = await tx
        .insert(surveyResponses)
        .values(
          batch.map((person) => {
            const { audience, pairId } = wanted.get(person.id) as { audience: "mentee" | "mentor"; pairId: string };
            return {
              programmeId: programme.id,
              participantId: person.id,
              pairId,
              moment,
              audience,
              definition: defaultSurvey(moment, audience),
              language: pickLanguage(person.language, settings.language),
              closesOn,
              createdAt: now,
              updatedAt: now,
            };
          }),
        )
        .onConflictDoNothing()
        .returning();
      const messages: OutboxMessage[] = made.map((row) => ({
        key: `survey:${row.id}`,
        kind: "survey",
        programmeId: programme.id,
        pairId: row.pairId,
        recipientId: row.participantId,
        payload: {
          card: questionCard(
            row.definition as SurveyDefinition,
            emptySurveyState(),
            row.language === "en" ? "en" : "fr",
            row.id,
          ),
        },
        dueAt: now,
      }));
      written += await enqueue(tx, messages, now);
    });
  }
  return written;
}

/**
 * Reminders for surveys not finished, every few days after the invitation reached the person, at
 * most SURVEY_REMINDERS. An invitation still held back (weekly cap, pause) or never delivered gets
 * no reminder: a reminder must not arrive before the survey it reminds of.
 */
async function remind(db: Database, programme: ProgrammeRow, today: string, now: Date): Promise<number> {
  const waiting = await db
    .select({ response: surveyResponses, invitedAt: outbox.sentAt })
    .from(surveyResponses)
    .innerJoin(outbox, eq(outbox.key, sql`'survey:' || ${surveyResponses.id}::text`))
    .where(
      and(
        eq(surveyResponses.programmeId, programme.id),
        inArray(surveyResponses.status, ["invited", "started"]),
        sql`${surveyResponses.remindersSent} < ${SURVEY_REMINDERS}`,
        sql`${surveyResponses.closesOn} > ${today}`,
        eq(outbox.status, "sent"),
      ),
    );
  const due = waiting
    .filter(
      ({ response, invitedAt }) =>
        invitedAt !== null &&
        now.getTime() >= invitedAt.getTime() + (response.remindersSent + 1) * REMINDER_EVERY_DAYS * 86_400_000,
    )
    .map(({ response }) => response);
  if (due.length === 0) return 0;
  await db.transaction(async (tx) => {
    await enqueue(
      tx,
      due.map((row: SurveyResponseRow) => ({
        key: `survey-reminder:${row.id}:${row.remindersSent + 1}`,
        kind: "reminder",
        programmeId: programme.id,
        pairId: row.pairId,
        recipientId: row.participantId,
        payload: { card: reminderCard(row) },
        dueAt: now,
      })),
      now,
    );
    await tx
      .update(surveyResponses)
      .set({ remindersSent: sql`${surveyResponses.remindersSent} + 1` })
      .where(
        inArray(
          surveyResponses.id,
          due.map((r) => r.id),
        ),
      );
  });
  return due.length;
}

/**
 * Surveys past their closing date stop taking answers; their messages still waiting are cancelled.
 * Each survey closes in its own transaction with the difficulty it reported, so that a crash
 * between the two cannot leave a closed survey whose difficulty never reached the coordinators.
 */
async function close(
  deps: Pick<FeatureDeps, "db" | "clock" | "outboxChanged">,
  programme: ProgrammeRow,
  today: string,
): Promise<number> {
  const due = await deps.db
    .select({ id: surveyResponses.id })
    .from(surveyResponses)
    .where(
      and(
        eq(surveyResponses.programmeId, programme.id),
        inArray(surveyResponses.status, ["invited", "started"]),
        lte(surveyResponses.closesOn, today),
      ),
    );
  let closed = 0;
  let noticed = false;
  const noted = () => {
    noticed = true;
  };
  for (const { id } of due) {
    await deps.db.transaction(async (tx) => {
      const db = tx as unknown as Database;
      const [row] = await tx
        .update(surveyResponses)
        .set({ status: "closed", updatedAt: deps.clock.now() })
        .where(and(eq(surveyResponses.id, id), inArray(surveyResponses.status, ["invited", "started"])))
        .returning();
      if (!row) return;
      closed += 1;
      // A difficulty reported in a survey left unfinished still reaches the coordinators.
      await raiseReported({ db, clock: deps.clock, outboxChanged: noted }, row);
      await tx
        .update(outbox)
        .set({ status: "cancelled", lastError: "survey closed" })
        .where(
          and(
            eq(outbox.status, "pending"),
            sql`(${outbox.key} = ${`survey:${row.id}`} or ${outbox.key} like ${`survey-reminder:${row.id}:%`})`,
          ),
        );
    });
  }
  if (noticed) deps.outboxChanged();
  return closed;
}

/**
 * One tick of the surveys: for each programme with a programme file, on its own calendar date —
 * invitations on the survey dates (mid-term, end), reminders for unfinished ones, closing at the
 * deadline. Survey messages and reminders count against the weekly cap (attention/gate.ts).
 */
export async function surveyTick(
  deps: Pick<FeatureDeps, "db" | "clock" | "outboxChanged">,
  now: Date,
): Promise<SurveyTickReport> {
  const report: SurveyTickReport = { invited: 0, reminded: 0, closed: 0 };
  for (const programme of await deps.db.select().from(programmes)) {
    const definition = definitionFromSettings(programme.settings);
    if (!definition) continue;
    const today = localMoment(now, definition.timeZone).date;
    const openDays = periodDays(definition.surveys.openFor ?? "2w");
    for (const moment of ["midterm", "end"] as const) {
      const sendOn = definition.surveys[moment];
      const closesOn = addDays(sendOn, openDays);
      if (sendOn <= today && today < closesOn)
        report.invited += await invite(deps.db, programme, moment, closesOn, now);
    }
    report.reminded += await remind(deps.db, programme, today, now);
    report.closed += await close(deps, programme, today);
  }
  return report;
}

/** The scheduled task: every quarter of an hour, on one replica; after a gap, the latest run does it all. */
export function surveysTask(onWritten: () => void = () => {}): ScheduledTask {
  return {
    name: "surveys:due",
    cron: "*/15 * * * *",
    catchUp: "latest",
    async run(fireAt, { db, clock }) {
      const report = await surveyTick({ db, clock, outboxChanged: onWritten }, fireAt);
      if (report.invited + report.reminded > 0) onWritten();
    },
  };
}
