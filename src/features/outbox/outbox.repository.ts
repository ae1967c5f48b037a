import { and, eq, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.js";
import { outbox } from "../../../db/schema.js";
import type { Card } from "../../core/card.js";

export type OutboxRow = typeof outbox.$inferSelect;

/** What an outbox row asks to send: one card, or for a group a shared card and each member's own. */
export type OutboxPayload =
  | { card: Card }
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

/** Records where the platform put the message. Only the worker holding the claim may do so. */
export async function markSent(db: Database, id: number, sent: unknown, at: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "sent", sent, sentAt: at, claimedUntil: null, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
}

/** Puts a row back for a later try. */
export async function retryLater(db: Database, id: number, dueAt: Date, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "pending", dueAt, claimedUntil: null, lastError: error.slice(0, 500) })
    .where(eq(outbox.id, id));
}

/** Parks a row that cannot be delivered: a dead letter, shown to coordinators. */
export async function markDead(db: Database, id: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "dead", claimedUntil: null, lastError: error.slice(0, 500) })
    .where(eq(outbox.id, id));
}

/** When the next pending row falls due, if any. */
export async function nextDueAt(db: Database): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: sql<string | null>`min(${outbox.dueAt})` })
    .from(outbox)
    .where(eq(outbox.status, "pending"));
  return row?.at ? new Date(row.at) : undefined;
}

/** Counts by status, for tests, the playground and health views. */
export async function outboxCounts(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: outbox.status, n: sql<number>`count(*)`.mapWith(Number) })
    .from(outbox)
    .groupBy(outbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
