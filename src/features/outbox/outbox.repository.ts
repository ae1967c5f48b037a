import { and, eq, inArray, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.js";
import { outbox } from "../../../db/schema.js";
import type { Card } from "../../core/card.js";

export type OutboxRow = typeof outbox.$inferSelect;

/** Where a sent message is, platform included, so that it can be replaced later. */
export interface SentRef {
  platform: string;
  conversationId: string;
  messageId: string;
}

/**
 * What an outbox row asks to send: one card (or, with `update`, the new content of a message sent
 * before), or for a group a shared card and each member's own.
 */
export type OutboxPayload =
  | {
      card: Card;
      update?: SentRef;
      /** The key of the message to update, when it was still on its way: its place is read at send time. */
      updateOf?: string;
    }
  | {
      group: Card;
      each: Record<string, Card>;
      /** Label, in each member's language, of a link that opens a chat with the others, where a platform offers one. */
      chatLabel?: Record<string, string>;
    };

/** A message to send later; `key` makes writing it twice harmless. */
export interface OutboxMessage {
  key: string;
  kind: string;
  programmeId?: string | null;
  recipientId?: string | null;
  channel?: string | null;
  groupWith?: string[] | null;
  pairId?: string | null;
  payload: OutboxPayload;
  dueAt: Date;
}

/** Writes messages; those whose key exists already are left as they are. Returns how many were new. */
export async function enqueue(db: Database, messages: OutboxMessage[], now: Date): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = await db
    .insert(outbox)
    .values(
      messages.map((m) => ({
        key: m.key,
        kind: m.kind,
        programmeId: m.programmeId ?? null,
        recipientId: m.recipientId ?? null,
        channel: m.channel ?? null,
        groupWith: m.groupWith ?? null,
        pairId: m.pairId ?? null,
        payload: m.payload,
        dueAt: m.dueAt,
        createdAt: now,
      })),
    )
    .onConflictDoNothing({ target: outbox.key })
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * Claims up to `limit` due rows for this worker until `now + leaseMs`. Rows another worker claimed
 * and did not finish in time (it crashed) are due again. `SKIP LOCKED` keeps replicas apart on
 * PostgreSQL; PGlite has one session, where it changes nothing.
 */
export async function claimDue(db: Database, now: Date, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const until = new Date(now.getTime() + leaseMs);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`update outbox set status = 'sending', claimed_until = ${until.toISOString()}::timestamptz, attempts = attempts + 1
        where id in (
          select id from outbox
          where (status = 'pending' and due_at <= ${now.toISOString()}::timestamptz)
             or (status = 'sending' and claimed_until < ${now.toISOString()}::timestamptz)
          order by due_at, id
          limit ${limit}
          for update skip locked)
        returning id`,
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));
  const claimed = await db.select().from(outbox).where(sql`${outbox.id} in ${ids}`);
  return claimed.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

/**
 * The claim a worker holds on a row: its id and the lease it was given. Every update after the
 * send names both, so a worker whose lease ran out (and whose row another worker took over)
 * changes nothing.
 */
export type Claim = Pick<OutboxRow, "id" | "claimedUntil">;

function held(claim: Claim) {
  return and(
    eq(outbox.id, claim.id),
    eq(outbox.status, "sending"),
    claim.claimedUntil ? eq(outbox.claimedUntil, claim.claimedUntil) : sql`false`,
  );
}

/** Records where the platform put the message. */
export async function markSent(db: Database, claim: Claim, sent: unknown, at: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "sent", sent, sentAt: at, claimedUntil: null, lastError: null })
    .where(held(claim));
}

/** Puts a row back for a later try; `refund` gives back the attempt its claim counted. */
export async function retryLater(
  db: Database,
  claim: Claim,
  dueAt: Date,
  error: string,
  refund = false,
): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: "pending",
      dueAt,
      claimedUntil: null,
      lastError: error.slice(0, 500),
      ...(refund ? { attempts: sql`greatest(${outbox.attempts} - 1, 0)` } : {}),
    })
    .where(held(claim));
}

/** Parks a row that cannot be delivered: a dead letter, shown to coordinators. */
export async function markDead(db: Database, claim: Claim, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "dead", claimedUntil: null, lastError: error.slice(0, 500) })
    .where(held(claim));
}

/** Drops a claimed row that must not go any more (the person opted out): kept, marked cancelled, with why. */
export async function markCancelled(db: Database, claim: Claim, why: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "cancelled", claimedUntil: null, lastError: why.slice(0, 500) })
    .where(held(claim));
}

/** Cancels a pair's messages of these kinds still waiting to be sent; returns how many. */
export async function cancelPending(db: Database, pairId: string, kinds: string[], why: string): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ status: "cancelled", lastError: why })
    .where(and(eq(outbox.pairId, pairId), eq(outbox.status, "pending"), inArray(outbox.kind, kinds)))
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * How many messages of these kinds a person got in [from, to), counting also those with a smaller
 * id that are due by `dueBy` and not settled yet (being sent by a worker, or about to be claimed):
 * the older message has priority, so that two workers (or two lanes) never both take the last
 * place under a cap, whichever of them claims or checks first.
 */
export async function sentToPerson(
  db: Database,
  input: { recipientId: string; kinds: readonly string[]; from: Date; to: Date; beforeId: number; dueBy: Date },
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(outbox)
    .where(
      and(
        eq(outbox.recipientId, input.recipientId),
        inArray(outbox.kind, [...input.kinds]),
        sql`((${outbox.status} = 'sent' and ${outbox.sentAt} >= ${input.from.toISOString()}::timestamptz and ${outbox.sentAt} < ${input.to.toISOString()}::timestamptz)
          or (${outbox.status} = 'sending' and ${outbox.id} < ${input.beforeId})
          or (${outbox.status} = 'pending' and ${outbox.id} < ${input.beforeId} and ${outbox.dueAt} <= ${input.dueBy.toISOString()}::timestamptz))`,
      ),
    );
  return row?.n ?? 0;
}

/**
 * How to update a message known by its key: where it was sent, or, while it is still waiting or
 * on its way, its key (the worker sends the update once the message has gone). Undefined when
 * there is nothing to update (never written, cancelled, or parked as a dead letter).
 */
export async function updateTargetOf(
  db: Database,
  key: string,
): Promise<{ update: SentRef } | { updateOf: string } | undefined> {
  const [row] = await db.select({ sent: outbox.sent, status: outbox.status }).from(outbox).where(eq(outbox.key, key));
  if (row?.status === "pending" || row?.status === "sending") return { updateOf: key };
  const ref = await sentRefOf(db, key);
  return ref ? { update: ref } : undefined;
}

/** The latest place a message was sent to, by its key, to update it. */
export async function sentRefOf(db: Database, key: string): Promise<SentRef | undefined> {
  const [row] = await db.select({ sent: outbox.sent, status: outbox.status }).from(outbox).where(eq(outbox.key, key));
  const sent = row?.status === "sent" ? (row.sent as Partial<SentRef> | null) : null;
  return sent?.platform && sent.conversationId && sent.messageId ? (sent as SentRef) : undefined;
}

/** When the worker should next look: the next pending row's due time, or a claim that runs out. */
export async function nextDueAt(db: Database): Promise<Date | undefined> {
  const [row] = await db
    .select({
      due: sql<string | null>`min(${outbox.dueAt}) filter (where ${outbox.status} = 'pending')`,
      lease: sql<string | null>`min(${outbox.claimedUntil}) filter (where ${outbox.status} = 'sending')`,
    })
    .from(outbox)
    .where(sql`${outbox.status} in ('pending', 'sending')`);
  const times = [row?.due, row?.lease].filter((t): t is string => Boolean(t)).map((t) => new Date(t).getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

/** Counts by status, for tests, the playground and health views. */
export async function outboxCounts(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: outbox.status, n: sql<number>`count(*)`.mapWith(Number) })
    .from(outbox)
    .groupBy(outbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
