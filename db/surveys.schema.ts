import {
  type AnyPgColumn,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { pairs, participants, programmes } from "./core.schema.js";

/**
 * One person's mid-term or end-of-programme survey, taken one question at a time in their DM.
 * `answers` and `history` are the engine's state (src/features/surveys/engine.ts), saved after each
 * answer, so the conversation resumes exactly where it stopped. `definition` is the survey as it
 * was sent: editing the defaults later does not change what someone already answered.
 */
export const surveyResponses = pgTable(
  "survey_responses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    pairId: uuid("pair_id").references(() => pairs.id, { onDelete: "set null" }),
    /** `midterm` or `end`. */
    moment: text("moment").notNull(),
    /** `mentee` or `mentor`. */
    audience: text("audience").notNull(),
    definition: jsonb("definition").notNull(),
    answers: jsonb("answers").notNull().default({}),
    history: jsonb("history").notNull().default([]),
    /** `invited`, `started`, `completed` or `closed` (deadline passed before the end). */
    status: text("status").notNull().default("invited"),
    language: text("language").notNull(),
    /** After this date (programme's zone) the survey no longer takes answers. */
    closesOn: date("closes_on", { mode: "string" }).notNull(),
    remindersSent: integer("reminders_sent").notNull().default(0),
    /** The difficulty this survey raised, once the person moved past its questions (or finished). */
    difficultyId: uuid("difficulty_id").references((): AnyPgColumn => difficulties.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("survey_responses_once").on(t.programmeId, t.participantId, t.moment),
    index("survey_responses_participant").on(t.participantId, t.status),
  ],
);

/**
 * A difficulty a participant raised privately (`/binome help me`, a check-in, a survey answer, the
 * ladder's question) and how it was handled: the register of complaints an auditor asks for.
 */
export const difficulties = pgTable(
  "difficulties",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    raisedBy: uuid("raised_by")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    pairId: uuid("pair_id").references(() => pairs.id, { onDelete: "set null" }),
    /** `command`, `checkin`, `survey` or `ladder`. */
    source: text("source").notNull(),
    /** What the person wrote; empty when they only asked for help. Shown to coordinators only. */
    text: text("text").notNull().default(""),
    /** `open` or `handled`. */
    status: text("status").notNull().default("open"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    handledBy: uuid("handled_by").references(() => participants.id, { onDelete: "set null" }),
    handledAt: timestamp("handled_at", { withTimezone: true }),
  },
  (t) => [index("difficulties_programme").on(t.programmeId, t.status)],
);

/** A coordinator marked a pair's attention reason as handled: the digest stops listing it for that reason. */
export const attentionHandled = pgTable(
  "attention_handled",
  {
    pairId: uuid("pair_id")
      .notNull()
      .references(() => pairs.id, { onDelete: "cascade" }),
    /** The reason as the digest names it, e.g. `quiet:2026-11-02` (quiet since that date). */
    reason: text("reason").notNull(),
    handledBy: uuid("handled_by").references(() => participants.id, { onDelete: "set null" }),
    handledAt: timestamp("handled_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("attention_handled_once").on(t.pairId, t.reason)],
);
