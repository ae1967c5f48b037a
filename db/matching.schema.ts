import { index, jsonb, pgEnum, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { pairs, participants, programmes, roleEnum } from "./core.schema.js";

/** What a person told binome when enrolling (`/binome join`), per programme and role. */
export const profiles = pgTable(
  "profiles",
  {
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    /** Languages, availability, skills or goals, domain, style, capacity, choices, exclusions. */
    answers: jsonb("answers").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programmeId, t.participantId, t.role] })],
);

export const proposalStatusEnum = pgEnum("proposal_status", ["pending", "approved", "superseded"]);

/** A matching proposal awaiting a coordinator's decision; nobody is told anything before approval. */
export const matchProposals = pgTable(
  "match_proposals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    status: proposalStatusEnum("status").notNull().default("pending"),
    /** Proposed pairs with scores and reasons, and unmatched people with why. */
    result: jsonb("result").notNull(),
    createdBy: uuid("created_by").references(() => participants.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    decidedBy: uuid("decided_by").references(() => participants.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [index("match_proposals_programme").on(t.programmeId, t.status)],
);

/** A participant's "I agree" to the programme's charter, for one pair. */
export const charterAgreements = pgTable(
  "charter_agreements",
  {
    pairId: uuid("pair_id")
      .notNull()
      .references(() => pairs.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    agreedAt: timestamp("agreed_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pairId, t.participantId] })],
);
