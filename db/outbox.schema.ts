import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { pairs, participants, programmes } from "./core.schema.js";

export const outboxStatusEnum = pgEnum("outbox_status", ["pending", "sending", "sent", "dead", "cancelled"]);

/**
 * Every message binome sends on its own initiative, written before it is sent. The unique key
 * (`intro:<pair>:<person>`) makes a repeated tick, a second replica or a restart harmless.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull().unique(),
    programmeId: uuid("programme_id").references(() => programmes.id, { onDelete: "cascade" }),
    /** A person (sent where they are), or a neutral channel reference; exactly one is set. */
    recipientId: uuid("recipient_id").references(() => participants.id, { onDelete: "cascade" }),
    channel: text("channel"),
    /** Several people together (an introduction): a group conversation where the platform has one. */
    groupWith: uuid("group_with").array(),
    kind: text("kind").notNull(),
    /** The pair a message is about (check-ins, nudges): lets activity cancel the nudges still waiting. */
    pairId: uuid("pair_id").references(() => pairs.id, { onDelete: "cascade" }),
    /** The card to send, or for a group the card per language. */
    payload: jsonb("payload").notNull(),
    status: outboxStatusEnum("status").notNull().default("pending"),
    /** Not before this instant: working hours in the recipient's time zone, and retry backoff. */
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** A worker that claimed the row owns it until then; after that, another may take it over. */
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    lastError: text("last_error"),
    /** Where the platform put the message (conversation and message ids), to update it later. */
    sent: jsonb("sent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("outbox_due").on(t.status, t.dueAt),
    index("outbox_recipient").on(t.recipientId, t.sentAt),
    index("outbox_pair").on(t.pairId),
  ],
);
