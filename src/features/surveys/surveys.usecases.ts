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

/** Today in the programme's zone, to compare with the survey's closing date. */
async function todayFor(db: Database, programmeId: string, now: Date): Promise<string> {
  const [programme] = await db
    .select({ timeZone: programmes.timeZone })
    .from(programmes)
    .where(eq(programmes.id, programmeId));
  return localMoment(now, programme?.timeZone ?? "Europe/Paris").date;
}

/** A survey is closed once its closing date has come, whether or not the closing task has run. */
export async function isClosed(db: Database, row: SurveyResponseRow, now: Date): Promise<boolean> {
  return (
    row.status === "closed" ||
    (row.status !== "completed" && (await todayFor(db, row.programmeId, now)) >= row.closesOn)
  );
}

/** The card for the reminder: a line saying until when, then the question where the person stopped. */
export function reminderCard(row: SurveyResponseRow): Card {
  const l = lang(row);
  const card = questionCard(row.definition as SurveyDefinition, stateOf(row), l, row.id);
  const line = surveyText(l, "reminder", { date: formatDate(l, row.closesOn) });
  return { fallback: `${line}\n${card.fallback}`, blocks: [{ type: "text", text: line }, ...card.blocks] };
}

/** Raises the difficulties a finished (or closed) survey reported, once: at the status change. */
export async function raiseReported(
  deps: Pick<FeatureDeps, "db" | "clock" | "outboxChanged">,
  row: SurveyResponseRow,
): Promise<void> {
  const survey = row.definition as SurveyDefinition;
  const reported = reportedDifficulties(survey, stateOf(row));
  if (reported.length === 0) return;
  const [programme] = await deps.db.select().from(programmes).where(eq(programmes.id, row.programmeId));
  if (!programme) return;
  const texts = reported
    .map((r) => survey.questions.find((q) => q.id === r.questionId))
    .filter((q) => q?.kind === "text")
    .map((q) => String((stateOf(row).answers[q?.id ?? ""] as { value?: string } | undefined)?.value ?? ""))
    .filter(Boolean);
  await raiseDifficulty(deps, {
    programme: programme as ProgrammeRow,
    raisedBy: row.participantId,
    pairId: row.pairId,
    source: "survey",
    text: texts.join("\n"),
  });
}

type Move = { kind: "answer"; questionId: string; raw: string } | { kind: "skip" | "back"; questionId: string };

/**
 * Applies one move to a person's survey, under a row lock so that two quick clicks cannot both
 * answer the same question; the state is saved before anything is said. Returns the card to show
 * next, or the one-sentence hint when the move was refused.
 */
async function move(
  deps: FeatureDeps,
  caller: Caller,
  responseId: string,
  step: Move,
): Promise<{ card: Card; moved: boolean }> {
  const now = deps.clock.now();
  let completed: SurveyResponseRow | undefined;
  const result = await deps.db.transaction(async (tx) => {
    const [row] = UUID.test(responseId)
      ? await tx.select().from(surveyResponses).where(eq(surveyResponses.id, responseId)).for("update")
      : [];
    if (!row || row.participantId !== caller.participant.id) {
      return { card: textCard(surveyText(caller.language, "gone")), moved: false };
    }
    const survey = row.definition as SurveyDefinition;
    const l = lang(row);
    if (await isClosed(tx as unknown as Database, row, now)) {
      return { card: closedCard(survey, l, row.closesOn), moved: false };
    }
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
    if (done && row.status !== "completed") completed = saved;
    return { card: questionCard(survey, outcome.state, l, row.id), moved: true };
  });
  if (completed) await raiseReported(deps, completed);
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
  const { card, moved } = await move(deps, caller, parsed.surveyResponseId, step);
  if (!moved) return { type: "reply", card };
  const now = deps.clock.now();
  // Through the outbox: the next question is a lasting message in the DM (not an ephemeral answer), and a platform error is retried.
  await enqueue(
    deps.db,
    [
      {
        key: `survey-step:${parsed.surveyResponseId}:${randomUUID()}`,
        kind: "reply",
        recipientId: caller.participant.id,
        payload: { card },
        dueAt: now,
      },
    ],
    now,
  );
  deps.outboxChanged();
  return { type: "none" };
}

/** The caller's survey in progress that was delivered to them and is still open, if any. */
async function openSurvey(db: Database, caller: Caller, now: Date): Promise<SurveyResponseRow | undefined> {
  const rows = await db
    .select({ response: surveyResponses })
    .from(surveyResponses)
    .innerJoin(outbox, eq(outbox.key, sql`'survey:' || ${surveyResponses.id}::text`))
    .where(
      and(
        eq(surveyResponses.participantId, caller.participant.id),
        inArray(surveyResponses.status, ["invited", "started"]),
        eq(outbox.status, "sent"),
      ),
    )
    .orderBy(sql`${surveyResponses.updatedAt} desc`);
  for (const { response } of rows) if (!(await isClosed(db, response, now))) return response;
  return undefined;
}

/**
 * A typed reply to the survey in progress: a free-text question takes any text; other questions
 * take a number, an option's wording, yes or no. On the hint pass, a reply nobody understood gets
 * the current question's hint.
 */
export async function typedSurveyReply(
  deps: FeatureDeps,
  caller: Caller,
  text: string,
  pass: FreeTextPass,
): Promise<Outcome | undefined> {
  const open = await openSurvey(deps.db, caller, deps.clock.now());
  if (!open) return undefined;
  const survey = open.definition as SurveyDefinition;
  const question = currentQuestion(survey, stateOf(open));
  if (!question) return undefined;
  const parsed = parseReply(question, text, lang(open));
  if (pass === "answer" && question.kind !== "text" && !parsed.ok) return undefined;
  const { card } = await move(deps, caller, open.id, { kind: "answer", questionId: question.id, raw: text });
  return { type: "reply", card };
}
