import { sql } from "drizzle-orm";
import {
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** A person's part in a programme. Exported so that drizzle-kit keeps the enum. */
export const roleEnum = pgEnum("role", ["coordinator", "mentor", "mentee"]);
export const pairStatusEnum = pgEnum("pair_status", ["active", "ended"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A mentoring programme run by a training organisation. */
export const programmes = pgTable("programmes", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  defaultLanguage: text("default_language").notNull().default("fr"),
  timeZone: text("time_zone").notNull().default("Europe/Paris"),
  /** Neutral channel reference (`slack:C123`, `playground:coordinateurs`) where coordinators read binome. */
  coordinatorChannel: text("coordinator_channel"),
  createdAt: createdAt(),
});

/** A person, whatever platforms and programmes they are in. Email is their stable key. */
export const participants = pgTable("participants", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  language: text("language"),
  timeZone: text("time_zone"),
  skills: text("skills").array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** How a platform knows a participant. Slack user ids and AAD object ids are unique across workspaces. */
export const identities = pgTable(
  "identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    platform: text("platform").notNull(),
    tenantId: text("tenant_id"),
    userId: text("user_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("identities_platform_user").on(t.platform, t.userId),
    index("identities_participant").on(t.participantId),
  ],
);

/** A participant's role in a programme; one person may hold several. */
export const enrolments = pgTable(
  "enrolments",
  {
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.programmeId, t.participantId, t.role] }),
    index("enrolments_participant").on(t.participantId),
  ],
);

/** A mentor and a mentee paired in a programme. A mentee has at most one active mentor per programme. */
export const pairs = pgTable(
  "pairs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id, { onDelete: "cascade" }),
    mentorId: uuid("mentor_id")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    menteeId: uuid("mentee_id")
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    status: pairStatusEnum("status").notNull().default("active"),
    createdAt: createdAt(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("pairs_one_active_mentor")
      .on(t.programmeId, t.menteeId)
      .where(sql`${t.status} = 'active'`),
    index("pairs_mentor").on(t.mentorId),
  ],
);

/** A mentoring session a mentor recorded. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pairId: uuid("pair_id")
      .notNull()
      .references(() => pairs.id, { onDelete: "cascade" }),
    loggedBy: uuid("logged_by").references(() => participants.id, { onDelete: "set null" }),
    heldOn: date("held_on", { mode: "string" }).notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    topics: text("topics").notNull(),
    nextSteps: text("next_steps"),
    source: text("source").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_pair_held").on(t.pairId, t.heldOn)],
);

/** Platform deliveries already handled, so that a retried event has its effect once. */
export const inboundEvents = pgTable("inbound_events", {
  key: text("key").primaryKey(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
});
