import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { pairs, participants, programmes } from "./core.schema.js";

/**
 * One check-in question sent to one person of a pair ("Did you meet since …?") and their answer.
 * Written with its outbox row; `round` counts the programme's check-in periods since the pair began.
 */
export const checkins = pgTable(
  "checkins",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    pairId: uuid("pair_id")
      .notNull()
      .references(() => pairs.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    round: integer("round").notNull(),
    /** The question asks about meetings since this date (the previous round, or the pair's start). */
    since: date("since", { mode: "string" }).notNull(),
    /** The language the question was sent in: its updates keep it, whatever the person's platform says later. */
    language: text("language").notNull().default("fr"),
    /** `met`, `not_yet` or `planned`; null until answered. */
    answer: text("answer"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    /** How useful the meeting was, 1 to 5, after `met`. */
    usefulness: integer("usefulness"),
    /** Private unless `noteShared`: never shown to coordinators otherwise. */
    note: text("note"),
    noteShared: boolean("note_shared").notNull().default(false),
    /** What the person asked for after `not_yet`: `nudge`, `starters`, `coordinator`. */
    help: text("help"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("checkins_round").on(t.pairId, t.participantId, t.round),
    index("checkins_participant").on(t.participantId, t.createdAt),
  ],
);
