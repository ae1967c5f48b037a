import { sql } from "drizzle-orm";
import {
  date,
  index,
  integer,
  jsonb,
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
  /** The programme file as applied, defaults filled in (`ProgrammeDefinition`); null for imported-only programmes. */
  settings: jsonb("settings"),
  startsOn: date("starts_on", { mode: "string" }),
  endsOn: date("ends_on", { mode: "string" }),
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
  /** `/binome pause 2w`: no check-ins, nudges or surveys before this instant. */
  pausedUntil: timestamp("paused_until", { withTimezone: true }),
  /** `/binome stop`: no check-ins, nudges or surveys at all until `/binome resume`. */
  optedOutAt: timestamp("opted_out_at", { withTimezone: true }),
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
    /** When the platform refused to deliver to this person (Teams 403: bot blocked or removed); cleared when they write again. */
    unreachableAt: timestamp("unreachable_at", { withTimezone: true }),
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
    /** Why they were matched, when binome proposed them: score and reasons as the matching gave them. */
    match: jsonb("match"),
    createdAt: createdAt(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /**
     * Engagement bookkeeping, kept on the pair so that each tick reads only the pairs with work due
     * (see src/features/engagement): the latest activity, the next check-in, the ladder's next step.
     * Null until the first tick after the pair was made fills them in.
     */
    lastActivityOn: date("last_activity_on", { mode: "string" }),
    nextCheckinOn: date("next_checkin_on", { mode: "string" }),
    checkinRound: integer("checkin_round").notNull().default(0),
    /** Steps of the nudge ladder taken since the last activity. */
    ladderStep: integer("ladder_step").notNull().default(0),
    /** When the next step is due; null when the ladder has run out. */
    ladderNextOn: date("ladder_next_on", { mode: "string" }),
  },
  (t) => [
    uniqueIndex("pairs_one_active_mentor").on(t.programmeId, t.menteeId).where(sql`${t.status} = 'active'`),
    index("pairs_mentor").on(t.mentorId),
    index("pairs_checkin_due").on(t.nextCheckinOn).where(sql`${t.status} = 'active'`),
    index("pairs_ladder_due").on(t.ladderNextOn).where(sql`${t.status} = 'active'`),
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

/**
 * Where a platform conversation can be reached later without the person writing first (Teams:
 * service URL, tenant, conversation id, bot id). One row per conversation; `userId` is set for 1:1 chats.
 */
export const conversationReferences = pgTable(
  "conversation_references",
  {
    platform: text("platform").notNull(),
    conversationId: text("conversation_id").notNull(),
    conversationType: text("conversation_type").notNull(),
    /** The person of a 1:1 chat, as the identities table knows them (Teams: AAD object id). */
    userId: text("user_id"),
    /** The platform's own id of that person in the conversation (Teams: `29:…`). */
    channelUserId: text("channel_user_id"),
    tenantId: text("tenant_id"),
    serviceUrl: text("service_url").notNull(),
    botId: text("bot_id").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.conversationId] }),
    index("conversation_references_user").on(t.platform, t.userId),
    index("conversation_references_tenant").on(t.platform, t.tenantId),
  ],
);
