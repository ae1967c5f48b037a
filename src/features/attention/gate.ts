import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { pairs, participants, programmes } from "../../../db/schema.js";
import { DEFAULT_TIME_ZONE } from "../commands/caller.js";
import { engagementSettings } from "../engagement/settings.js";
import { sentToPerson } from "../outbox/outbox.repository.js";
import type { GateDecision, OutboxGate } from "../outbox/outbox.worker.js";
import { DEFAULT_WORKING_HOURS } from "../outbox/working-hours.js";
import {
  type AttentionPerson,
  CAPPED_KINDS,
  capDecision,
  type MessageKind,
  nextAllowedTime,
} from "./attention.rules.js";
import { startOfNextWeek, startOfWeek } from "./calendar.js";

/** Kinds that are answers to something the person just did: they go at once, whatever the hour. */
const ANSWERS = new Set(["update", "reply"]);

const SEND: GateDecision = { action: "send" };

/**
 * Scheduled posts in the coordinators' channel (a quiet pair flagged by the ladder): written at the
 * first tick after midnight, they wait for the programme's working hours in its own time zone.
 * Notices that follow someone's action or a failed delivery go at once.
 */
const HELD_IN_CHANNELS = new Set(["pair-flag"]);

async function channelHours(db: Database, programmeId: string, now: Date): Promise<GateDecision> {
  const [programme] = await db.select().from(programmes).where(eq(programmes.id, programmeId));
  if (!programme) return SEND;
  const settings = engagementSettings(programme);
  const allowed = nextAllowedTime(now, { timeZone: settings.timeZone }, settings.rules);
  return allowed.getTime() > now.getTime() ? { action: "defer", until: allowed, why: "outside working hours" } : SEND;
}

/**
 * The attention rules applied by the outbox worker just before a message to a person goes:
 * - an opted-out person gets no check-in, nudge, reminder or survey (the row is cancelled), nor
 *   does anyone about a pair that has ended;
 * - a paused person gets nothing unsolicited before the pause ends;
 * - nothing unsolicited outside the programme's working hours, on weekends or on public holidays,
 *   in the person's own time zone;
 * - at most the programme's weekly cap of check-ins, nudges, reminders and surveys per person and
 *   ISO week; one over the cap waits for the next week.
 * Checked at send time, not when the row was written, so a pause or a retry is always honoured.
 * Answers to a person's own action are not held; in the coordinators' channel, only the ladder's
 * flags wait for working hours (see HELD_IN_CHANNELS).
 */
export function attentionGate(db: Database): OutboxGate {
  return async (row, now) => {
    if (row.channel && HELD_IN_CHANNELS.has(row.kind) && row.programmeId) return channelHours(db, row.programmeId, now);
    if (!row.recipientId || row.channel || ANSWERS.has(row.kind)) return SEND;
    const [person] = await db
      .select({
        timeZone: participants.timeZone,
        pausedUntil: participants.pausedUntil,
        optedOutAt: participants.optedOutAt,
      })
      .from(participants)
      .where(eq(participants.id, row.recipientId));
    if (!person) return SEND;
    const [programme] = row.programmeId
      ? await db.select().from(programmes).where(eq(programmes.id, row.programmeId))
      : [];
    const settings = programme ? engagementSettings(programme) : undefined;
    const capped = CAPPED_KINDS.has(row.kind as MessageKind);
    if (capped && person.optedOutAt) return { action: "cancel", why: "opted out" };
    if (capped && row.pairId) {
      // A check-in or nudge about a pair that has ended since it was written has nothing left to ask.
      const [pair] = await db.select({ status: pairs.status }).from(pairs).where(eq(pairs.id, row.pairId));
      if (pair && pair.status !== "active") return { action: "cancel", why: "the pair has ended" };
    }
    if (person.pausedUntil && person.pausedUntil.getTime() > now.getTime()) {
      return { action: "defer", until: person.pausedUntil, why: "paused" };
    }
    const where: AttentionPerson = { timeZone: person.timeZone ?? settings?.timeZone ?? DEFAULT_TIME_ZONE };
    const rules = settings?.rules ?? { workingHours: DEFAULT_WORKING_HOURS, skipHolidays: false };
    const allowed = nextAllowedTime(now, where, rules);
    if (allowed.getTime() > now.getTime()) return { action: "defer", until: allowed, why: "outside working hours" };
    if (!capped) return SEND;
    const cap = settings?.weeklyCap ?? 2;
    const sentThisWeek = await sentToPerson(db, {
      recipientId: row.recipientId,
      kinds: [...CAPPED_KINDS],
      from: startOfWeek(now, where.timeZone),
      to: startOfNextWeek(now, where.timeZone),
      beforeId: row.id,
      dueBy: now,
    });
    const decision = capDecision({ sentThisWeek, cap, kind: row.kind as MessageKind, at: now, person: where, rules });
    return decision.action === "send" ? SEND : { action: "defer", until: decision.until, why: "weekly cap reached" };
  };
}
