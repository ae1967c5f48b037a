import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { pairs, programmes } from "../../../db/schema.js";
import { cancelPending } from "../outbox/outbox.repository.js";
import { engagementSettings } from "./settings.js";

/** Messages of the ladder that activity makes pointless. */
export const LADDER_KINDS = ["nudge", "pair-flag"];

/** `YYYY-MM-DD` plus days. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (`YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * A pair showed activity on `onDate` (a logged session, a check-in answered "we met"): the latest
 * activity moves forward (never back), the nudge ladder starts again from it, and the nudges still
 * waiting in the outbox are cancelled. Returns how many were cancelled.
 */
export async function recordActivity(db: Database, pairId: string, onDate: string): Promise<number> {
  const [row] = await db
    .select({ pair: pairs, programme: programmes })
    .from(pairs)
    .innerJoin(programmes, eq(pairs.programmeId, programmes.id))
    .where(eq(pairs.id, pairId));
  if (!row) return 0;
  const latest = row.pair.lastActivityOn && row.pair.lastActivityOn > onDate ? row.pair.lastActivityOn : onDate;
  const first = engagementSettings(row.programme).nudgeSteps[0];
  await db
    .update(pairs)
    .set({
      lastActivityOn: latest,
      ladderStep: 0,
      ladderNextOn: first ? addDays(latest, first.afterDays) : null,
    })
    .where(eq(pairs.id, pairId));
  return cancelPending(db, pairId, LADDER_KINDS, "the pair showed activity");
}
