import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { attentionHandled, outbox, pairs, participants, programmes } from "../../../db/schema.js";
import { type Block, type Card, textCard } from "../../core/card.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { formatDate, pickLanguage, t } from "../../core/i18n/index.js";
import { type Caller, programmesWhere } from "../commands/caller.js";
import { type FeatureDeps, inTransaction } from "../commands/feature.js";
import { markHandled as markDifficultyHandled } from "../difficulties/difficulties.usecases.js";
import { engagementSettings } from "../engagement/settings.js";
import { enqueue, type SentRef } from "../outbox/outbox.repository.js";
import { localMoment } from "../outbox/working-hours.js";
import { buildDigest } from "./digest.build.js";
import { DIGEST_ACTIONS, digestCards } from "./digest.cards.js";

type ProgrammeRow = typeof programmes.$inferSelect;
type PairRow = typeof pairs.$inferSelect;

const UUID_TEXT = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUID = new RegExp(`^${UUID_TEXT}$`, "i");
const DATE_TEXT = "\\d{4}-\\d{2}-\\d{2}";
/** The reason keys the digest writes (see `AttentionReason`); anything else in a click is ignored. */
const REASON = new RegExp(
  `^(quiet:${DATE_TEXT}|low-usefulness:${UUID_TEXT}|difficulty:${UUID_TEXT}|survey:${UUID_TEXT}|unreachable:${UUID_TEXT}:${DATE_TEXT})$`,
  "i",
);

const forbidden = (caller: Caller) =>
  new UserFacingError("command.forbidden", { role: t(caller.language, "role.coordinator") });

/**
 * `/binome digest [programme] [part]`: the digest as of today for a programme the caller
 * coordinates, one part per reply (a hint names the command for the next part).
 */
export async function digestCommand(deps: FeatureDeps, caller: Caller, args: string): Promise<Outcome> {
  const lang = caller.language;
  const coordinated = programmesWhere(caller, "coordinator");
  if (coordinated.length === 0) throw forbidden(caller);
  let page = 1;
  let slug: string | undefined;
  for (const word of args.split(/\s+/).filter(Boolean)) {
    if (/^\d{1,4}$/.test(word)) page = Math.max(1, Number(word));
    else slug = word.toLowerCase();
  }
  const rows = await deps.db.select().from(programmes).where(inArray(programmes.id, coordinated));
  rows.sort((a, b) => a.slug.localeCompare(b.slug));
  let programme: ProgrammeRow | undefined;
  if (slug) {
    programme = rows.find((p) => p.slug === slug);
    if (!programme) throw new UserFacingError("digest.unknownProgramme", { slug: slug.slice(0, 60) });
  } else if (rows.length === 1) {
    programme = rows[0];
  } else {
    const slugs = rows.map((p) => `\`${p.slug}\``).join(", ");
    return { type: "reply", card: textCard(t(lang, "digest.choose", { slug: rows[0]?.slug ?? "", slugs })) };
  }
  const chosen = programme as ProgrammeRow;
  const now = deps.clock.now();
  const today = localMoment(now, engagementSettings(chosen).timeZone).date;
  const digest = await buildDigest(deps.db, chosen, { asOf: today, now });
  const cards = digestCards({ ...digest, language: lang }, { reserve: 1 });
  const card = cards[page - 1];
  if (!card) throw new UserFacingError("digest.noPage", { parts: cards.length });
  if (cards.length === 1) return { type: "reply", card };
  const command = `/binome digest${rows.length > 1 ? ` ${chosen.slug}` : ""} ${page + 1}`;
  const footer =
    page < cards.length
      ? t(lang, "digest.page", { part: page, parts: cards.length, command })
      : t(lang, "digest.page.last", { part: page, parts: cards.length });
  return { type: "reply", card: { ...card, blocks: [...card.blocks, { type: "text", text: footer, style: "muted" }] } };
}

/** A pair named by a button, with its programme, for a coordinator of that programme only. */
async function coordinatedPair(
  db: Database,
  caller: Caller,
  pairId: string,
): Promise<{ pair: PairRow; mentor: string; mentee: { name: string; email: string } }> {
  const [pair] = UUID.test(pairId) ? await db.select().from(pairs).where(eq(pairs.id, pairId)) : [];
  if (!pair) throw new UserFacingError("digest.pairGone");
  if (!programmesWhere(caller, "coordinator").includes(pair.programmeId)) throw forbidden(caller);
  const people = await db
    .select({ id: participants.id, name: participants.name, email: participants.email })
    .from(participants)
    .where(inArray(participants.id, [pair.mentorId, pair.menteeId]));
  const mentor = people.find((p) => p.id === pair.mentorId);
  const mentee = people.find((p) => p.id === pair.menteeId);
  return { pair, mentor: mentor?.name ?? "—", mentee: { name: mentee?.name ?? "—", email: mentee?.email ?? "" } };
}

/**
 * "Mark handled" under a pair of the digest: records each reason the button listed, so that the
 * next digests leave it out (a new reason still shows). A difficulty among them is also marked
 * handled in the difficulties register, with who and when.
 */
export async function markAttentionHandled(deps: FeatureDeps, caller: Caller, value: string): Promise<Outcome> {
  const [pairId = "", ...words] = value.split(/\s+/).filter(Boolean);
  const { pair, mentor, mentee } = await coordinatedPair(deps.db, caller, pairId);
  const reasons = [...new Set(words.filter((w) => REASON.test(w)))];
  const now = deps.clock.now();
  // The record, the register and the digest's update go together: a failure keeps none, so a retry works.
  const added = await inTransaction(deps, async (deps) => {
    const added =
      reasons.length === 0
        ? []
        : await deps.db
            .insert(attentionHandled)
            .values(
              reasons.map((reason) => ({ pairId: pair.id, reason, handledBy: caller.participant.id, handledAt: now })),
            )
            .onConflictDoNothing()
            .returning({ reason: attentionHandled.reason });
    for (const { reason } of added) {
      if (!reason.startsWith("difficulty:")) continue;
      try {
        await markDifficultyHandled(deps, caller, reason.slice("difficulty:".length));
      } catch (error) {
        // Gone since the digest was written: the digest's own record above is what matters here.
        if (!(error instanceof UserFacingError)) throw error;
      }
    }
    if (added.length > 0) await showHandledInDigest(deps, pair, caller.participant.name);
    return added;
  });
  const lang = caller.language;
  if (added.length === 0) return { type: "reply", card: textCard(t(lang, "digest.handled.already")) };
  return {
    type: "reply",
    card: textCard(t(lang, "digest.handled", { mentor, mentee: mentee.name, n: added.length })),
  };
}

/** "Reassign" under a pair: the exact command that gives the mentee another mentor. */
export async function reassignHint(deps: FeatureDeps, caller: Caller, value: string): Promise<Outcome> {
  const { mentor, mentee } = await coordinatedPair(deps.db, caller, value.trim());
  const lang = caller.language;
  return {
    type: "reply",
    card: textCard(
      t(lang, "digest.reassign", {
        mentee: mentee.name,
        mentor,
        command: `/binome reassign ${mentee.email} ${t(lang, "digest.reassign.placeholder")}`,
      }),
    ),
  };
}

/**
 * Shows in the digest message itself, for everyone in the channel, that a pair was handled: its
 * buttons give way to who did it and when. The latest digest that lists the pair is updated
 * through the outbox (a platform error is retried); a later update of the same message builds on
 * this one, so two pairs handled in turn both show.
 */
async function showHandledInDigest(deps: FeatureDeps, pair: PairRow, handledBy: string): Promise<void> {
  const [programme] = await deps.db.select().from(programmes).where(eq(programmes.id, pair.programmeId));
  if (!programme?.coordinatorChannel) return;
  const [sentDigest] = await deps.db
    .select({ id: outbox.id, payload: outbox.payload, sent: outbox.sent })
    .from(outbox)
    .where(
      and(
        eq(outbox.programmeId, programme.id),
        eq(outbox.kind, "digest"),
        eq(outbox.status, "sent"),
        sql`${outbox.payload}::text like ${`%${pair.id}%`}`,
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(1);
  const ref = sentDigest?.sent as Partial<SentRef> | null | undefined;
  if (!sentDigest || !ref?.platform || !ref.conversationId || !ref.messageId) return;
  const lang = pickLanguage(programme.defaultLanguage);
  const now = deps.clock.now();
  const line = t(lang, "digest.handledBy", {
    person: handledBy,
    date: formatDate(lang, localMoment(now, engagementSettings(programme).timeZone).date),
  });
  const prefix = `update:digest:${sentDigest.id}:`;
  await inTransaction(deps, async (deps) => {
    // The digest's row is locked, so two coordinators' clicks update the message one after the other.
    await deps.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.id, sentDigest.id)).for("update");
    const [latest] = await deps.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(sql`${outbox.key} like ${`${prefix}%`}`)
      .orderBy(desc(outbox.id))
      .limit(1);
    const current = ((latest ?? sentDigest).payload as { card: Card }).card;
    const card = withPairHandled(current, pair.id, line);
    if (!card) return;
    await deps.db
      .update(outbox)
      .set({ status: "cancelled", lastError: "superseded by a later update" })
      .where(and(sql`${outbox.key} like ${`${prefix}%`}`, eq(outbox.status, "pending")));
    await enqueue(
      deps.db,
      [
        {
          key: `${prefix}${randomUUID()}`,
          kind: "update",
          programmeId: programme.id,
          pairId: pair.id,
          channel: programme.coordinatorChannel,
          payload: { card, update: ref as SentRef },
          dueAt: now,
        },
      ],
      now,
    );
    deps.outboxChanged();
  });
}

/** The card with the pair's buttons replaced by `line`; undefined when the card has no buttons for it. */
export function withPairHandled(card: Card, pairId: string, line: string): Card | undefined {
  const isPairs = (block: Block) =>
    block.type === "actions" &&
    block.buttons.some((b) => b.actionId === DIGEST_ACTIONS.handled && b.value.split(" ")[0] === pairId);
  const at = card.blocks.findIndex(isPairs);
  if (at < 0) return undefined;
  const blocks = card.blocks.slice();
  blocks[at] = { type: "text", text: line, style: "muted" };
  return { ...card, blocks };
}
