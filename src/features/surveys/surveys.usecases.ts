import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { outbox, programmes, surveyResponses } from "../../../db/schema.js";
import { type Card, textCard } from "../../core/card.js";
import type { Outcome } from "../../core/events.js";
import { formatDate, type Language } from "../../core/i18n/index.js";
import type { Caller } from "../commands/caller.js";
import type { FeatureDeps, FreeTextPass } from "../commands/feature.js";
import { raiseDifficulty } from "../difficulties/difficulties.usecases.js";
import { addDays } from "../engagement/activity.js";
import { enqueue } from "../outbox/outbox.repository.js";
import { localMoment } from "../outbox/working-hours.js";
import type { SurveyDefinition } from "./definition.js";
import {
  answer,
  back,
  currentQuestion,
  isComplete,
  parseReply,
  reportedDifficulties,
  type SurveyState,
  type SurveyStep,
  skip,
} from "./engine.js";
import { closedCard, parseSurveyActionValue, questionCard } from "./survey.cards.js";
import { surveyText } from "./surveys.texts.js";

export type SurveyResponseRow = typeof surveyResponses.$inferSelect;
type ProgrammeRow = typeof programmes.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const stateOf = (row: SurveyResponseRow): SurveyState => ({
  answers: (row.answers ?? {}) as SurveyState["answers"],
  history: (row.history ?? []) as string[],
});

const lang = (row: SurveyResponseRow): Language => (row.language === "en" ? "en" : "fr");

/** A survey is closed once its closing date (in the programme's zone) has come, whether or not the closing task has run. */
export function isClosed(row: SurveyResponseRow, timeZone: string, now: Date): boolean {
  return row.status === "closed" || (row.status !== "completed" && localMoment(now, timeZone).date >= row.closesOn);
}

/** The card for the reminder: a line saying until when, then the question where the person stopped. */
export function reminderCard(row: SurveyResponseRow): Card {
  const l = lang(row);
  const card = questionCard(row.definition as SurveyDefinition, stateOf(row), l, row.id);
  const line = surveyText(l, "reminder", { date: formatDate(l, row.closesOn) });
  return { fallback: `${line}\n${card.fallback}`, blocks: [{ type: "text", text: line }, ...card.blocks] };
}

/**
 * Raises the difficulty a survey reported, once per survey: as soon as the person has moved past
 * the questions that report it (so the details they typed come with it), or when the survey ends
 * or closes with it reported. The caller holds the row's lock.
 */
export async function raiseReported(
  deps: Pick<FeatureDeps, "db" | "clock" | "outboxChanged">,
  row: SurveyResponseRow,
): Promise<void> {
  if (row.difficultyId) return;
  const survey = row.definition as SurveyDefinition;
  const reported = reportedDifficulties(survey, stateOf(row));
  if (reported.length === 0) return;
  const current = currentQuestion(survey, stateOf(row));
  const closing = row.status === "completed" || row.status === "closed";
  // Still on a question that reports it (the details are being typed): wait for them.
  if (!closing && current && "raisesDifficulty" in current && current.raisesDifficulty) return;
  const [programme] = await deps.db.select().from(programmes).where(eq(programmes.id, row.programmeId));
  if (!programme) return;
  const texts = reported
    .filter((r) => survey.questions.find((q) => q.id === r.questionId)?.kind === "text")
    .map((r) => r.value);
  const difficulty = await raiseDifficulty(deps, {
    programme: programme as ProgrammeRow,
    raisedBy: row.participantId,
    pairId: row.pairId,
    source: "survey",
    text: texts.join("\n"),
  });
  await deps.db.update(surveyResponses).set({ difficultyId: difficulty.id }).where(eq(surveyResponses.id, row.id));
}

type Move = { kind: "answer"; questionId: string; raw: string } | { kind: "skip" | "back"; questionId: string };

/**
 * Applies one move to a person's survey, under a row lock so that two quick clicks cannot both
 * answer the same question. Returns the card to show next, or the one-sentence hint when the move
 * was refused. The next card (with `sendNext`) and the difficulty a finished survey reported are
 * written in the same transaction as the answer: a crash after the commit loses neither.
 */
async function move(
  deps: FeatureDeps,
  caller: Caller,
  responseId: string,
  step: Move,
  sendNext: boolean,
): Promise<{ card: Card; moved: boolean }> {
  const now = deps.clock.now();
  let written = false;
  const result = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Database;
    const [found] = UUID.test(responseId)
      ? await tx
          .select({ row: surveyResponses, timeZone: programmes.timeZone })
          .from(surveyResponses)
          .innerJoin(programmes, eq(programmes.id, surveyResponses.programmeId))
          .where(eq(surveyResponses.id, responseId))
          .for("update", { of: surveyResponses })
      : [];
    if (!found || found.row.participantId !== caller.participant.id) {
      return { card: textCard(surveyText(caller.language, "gone")), moved: false };
    }
    const { row, timeZone } = found;
    const survey = row.definition as SurveyDefinition;
    const l = lang(row);
    if (row.status === "completed") return { card: textCard(surveyText(l, "alreadyDone")), moved: false };
    if (isClosed(row, timeZone, now)) return { card: closedCard(survey, l, row.closesOn), moved: false };
    const state = stateOf(row);
    const outcome: SurveyStep =
      step.kind === "answer"
        ? answer(survey, state, step.questionId, step.raw, l)
        : step.kind === "skip"
          ? skip(survey, state, step.questionId)
          : back(survey, state, step.questionId);
    if (!outcome.ok) return { card: textCard(surveyText(l, outcome.hint.key, outcome.hint.params)), moved: false };
    const done = isComplete(survey, outcome.state);
    const [saved] = await tx
      .update(surveyResponses)
      .set({
        answers: outcome.state.answers,
        history: outcome.state.history,
        status: done ? "completed" : "started",
        startedAt: row.startedAt ?? now,
        completedAt: done ? now : null,
        updatedAt: now,
      })
      .where(eq(surveyResponses.id, row.id))
      .returning();
    const card = questionCard(survey, outcome.state, l, row.id);
    if (sendNext) {
      // Through the outbox: the next question is a lasting message in the DM (not an ephemeral answer), and a platform error is retried.
      await enqueue(
        db,
        [
          {
            key: `survey-step:${row.id}:${randomUUID()}`,
            kind: "reply",
            programmeId: row.programmeId,
            recipientId: caller.participant.id,
            payload: { card },
            dueAt: now,
          },
        ],
        now,
      );
      written = true;
    }
    if (saved) {
      const noted = () => {
        written = true;
      };
      await raiseReported({ db, clock: deps.clock, outboxChanged: noted }, saved);
    }
    return { card, moved: true };
  });
  if (written) deps.outboxChanged();
  return result;
}

/** A click on a survey card: the next question (or the thanks) arrives as a new message in the DM. */
export async function surveyAction(
  deps: FeatureDeps,
  caller: Caller,
  kind: Move["kind"],
  value: string,
): Promise<Outcome> {
  const parsed = parseSurveyActionValue(value);
  if (!parsed) return { type: "reply", card: textCard(surveyText(caller.language, "gone")) };
  const step: Move =
    kind === "answer"
      ? { kind, questionId: parsed.questionId, raw: parsed.value }
      : { kind, questionId: parsed.questionId };
  const { card, moved } = await move(deps, caller, parsed.surveyResponseId, step, true);
  return moved ? { type: "none" } : { type: "reply", card };
}

/** After its deadline, a typed answer that nothing else took is told, for this long, that the survey closed. */
const CLOSED_NOTICE_DAYS = 7;

/** The caller's surveys that reached them and are not completed, the most recently touched first. */
async function deliveredSurveys(
  db: Database,
  caller: Caller,
): Promise<Array<{ row: SurveyResponseRow; timeZone: string; sentAt: Date | null }>> {
  return db
    .select({ row: surveyResponses, timeZone: programmes.timeZone, sentAt: outbox.sentAt })
    .from(surveyResponses)
    .innerJoin(programmes, eq(programmes.id, surveyResponses.programmeId))
    .innerJoin(outbox, eq(outbox.key, sql`'survey:' || ${surveyResponses.id}::text`))
    .where(
      and(
        eq(surveyResponses.participantId, caller.participant.id),
        inArray(surveyResponses.status, ["invited", "started", "closed"]),
        eq(outbox.status, "sent"),
      ),
    )
    .orderBy(sql`${surveyResponses.updatedAt} desc`);
}

/**
 * When the open survey asked its current question: its last answer, or its delivery if none yet.
 * Undefined when no survey waits for the caller.
 */
export async function surveyAwaitingSince(deps: FeatureDeps, caller: Caller): Promise<Date | undefined> {
  const now = deps.clock.now();
  const open = (await deliveredSurveys(deps.db, caller)).find(({ row, timeZone }) => !isClosed(row, timeZone, now));
  if (!open || !currentQuestion(open.row.definition as SurveyDefinition, stateOf(open.row))) return undefined;
  const times = [open.row.updatedAt, open.sentAt].filter((d): d is Date => d instanceof Date);
  return new Date(Math.max(...times.map((d) => d.getTime())));
}

/**
 * A typed reply to the survey in progress: a free-text question takes any text; other questions
 * take a number, an option's wording, yes or no. On the hint pass, a reply nobody understood gets
 * the current question's hint; in the days after a survey closed, a reply that would have answered
 * it gets the sentence saying so.
 */
export async function typedSurveyReply(
  deps: FeatureDeps,
  caller: Caller,
  text: string,
  pass: FreeTextPass,
): Promise<Outcome | undefined> {
  const now = deps.clock.now();
  const delivered = await deliveredSurveys(deps.db, caller);
  const open = delivered.find(({ row, timeZone }) => !isClosed(row, timeZone, now))?.row;
  if (!open) {
    const last = delivered[0];
    if (pass !== "hint" || !last) return undefined;
    if (localMoment(now, last.timeZone).date >= addDays(last.row.closesOn, CLOSED_NOTICE_DAYS)) return undefined;
    // Only a reply that would have answered the question where the person stopped.
    const { row } = last;
    const survey = row.definition as SurveyDefinition;
    const stoppedAt = currentQuestion(survey, stateOf(row));
    if (!stoppedAt || !parseReply(stoppedAt, text, lang(row)).ok) return undefined;
    return { type: "reply", card: closedCard(survey, lang(row), row.closesOn) };
  }
  const survey = open.definition as SurveyDefinition;
  const question = currentQuestion(survey, stateOf(open));
  if (!question) return undefined;
  const parsed = parseReply(question, text, lang(open));
  if (pass === "answer" && question.kind !== "text" && !parsed.ok) return undefined;
  const { card } = await move(deps, caller, open.id, { kind: "answer", questionId: question.id, raw: text }, false);
  return { type: "reply", card };
}
