import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { difficulties, outbox, surveyResponses } from "../../db/schema.js";
import type { Card } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import type { Outcome } from "../../src/core/events.js";
import { silentLogger } from "../../src/core/logger.js";
import { type Bot, createBot } from "../../src/features/commands/router.js";
import { validateSurveyDefinition } from "../../src/features/surveys/definition.js";
import { surveyActionValue } from "../../src/features/surveys/survey.cards.js";
import { cardText, rowsFor, seedProgramme, slackActor } from "../digest/seed.js";
import { createTestDatabase } from "../support/db.js";

/**
 * A programme's own survey may ask about difficulties before its other questions. The coordinators
 * hear as soon as the person has moved past the difficulty's questions, not when (or if) they
 * finish the survey; and once only, even when the survey ends later or closes unfinished.
 */
const parsed = validateSurveyDefinition({
  id: "point-etape",
  title: { fr: "Point d'étape", en: "Check-point" },
  audience: "mentee",
  questions: [
    {
      id: "difficulty",
      kind: "yesno",
      text: { fr: "Une difficulté à signaler ?", en: "Any difficulty to report?" },
      raisesDifficulty: true,
    },
    {
      id: "details",
      kind: "text",
      text: { fr: "Décrivez-la.", en: "Describe it." },
      optional: true,
      askIf: { question: "difficulty", op: "=", value: "yes" },
      raisesDifficulty: true,
    },
    { id: "rhythm", kind: "yesno", text: { fr: "Le rythme vous convient-il ?", en: "Does the pace suit you?" } },
    { id: "wish", kind: "text", text: { fr: "Un souhait ?", en: "A wish?" } },
  ],
});
if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
const survey = parsed.survey;

describe("a difficulty reported early in a survey", () => {
  let handle: DatabaseHandle;
  let bot: Bot;
  let responseId: string;
  const clock = new ManualClock("2026-12-15T10:00:00Z");

  const click = (questionId: string, value: string): Promise<Outcome> =>
    bot.handle({
      type: "action",
      actionId: "survey.answer",
      value: surveyActionValue(responseId, questionId, value),
      actor: slackActor("ULEA"),
      origin: {},
    });
  const type = (text: string) => bot.handle({ type: "command", text, actor: slackActor("ULEA"), origin: {} });
  const raised = () => handle.db.select().from(difficulties);
  const toCoordinators = async () =>
    (await handle.db.select().from(outbox).where(eq(outbox.channel, "slack:C0COORD"))).map((r) =>
      cardText((r.payload as { card: Card }).card),
    );

  beforeAll(async () => {
    handle = await createTestDatabase();
    const { programme, ids, pairIds } = await seedProgramme(handle.db);
    bot = createBot({ db: handle.db, clock, log: silentLogger });
    responseId = await rowsFor(handle.db, programme.id).survey(ids.lea as string, {
      pairId: pairIds.lea as string,
      createdAt: "2026-12-15T08:00:00Z",
      closesOn: "2026-12-29",
    });
    await handle.db.update(surveyResponses).set({ definition: survey }).where(eq(surveyResponses.id, responseId));
    // Delivered: a typed reply finds the survey by its sent invitation.
    await handle.db.insert(outbox).values({
      key: `survey:${responseId}`,
      kind: "survey",
      programmeId: programme.id,
      recipientId: ids.lea as string,
      payload: {},
      status: "sent",
      dueAt: clock.now(),
      sentAt: clock.now(),
      createdAt: clock.now(),
    });
  });
  afterAll(() => handle.close());

  it("waits for the details while they are being asked for", async () => {
    await click("difficulty", "yes");
    expect(await raised()).toEqual([]);
  });

  it("tells the coordinators once the details are given, before the rest of the survey", async () => {
    await type("Mon mentor ne répond plus depuis trois semaines.");
    const [difficulty] = await raised();
    expect(difficulty).toMatchObject({ source: "survey", text: "Mon mentor ne répond plus depuis trois semaines." });
    expect(await toCoordinators()).toEqual([
      expect.stringContaining("« Mon mentor ne répond plus depuis trois semaines. »"),
    ]);
    const [row] = await handle.db.select().from(surveyResponses).where(eq(surveyResponses.id, responseId));
    expect(row?.status).toBe("started");
  });

  it("does not tell them again when the survey ends", async () => {
    await click("rhythm", "no");
    await type("Des rendez-vous fixes.");
    const [row] = await handle.db.select().from(surveyResponses).where(eq(surveyResponses.id, responseId));
    expect(row?.status).toBe("completed");
    expect(await raised()).toHaveLength(1);
    expect(await toCoordinators()).toHaveLength(1);
  });
});
