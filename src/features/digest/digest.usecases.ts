import { eq, inArray } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { attentionHandled, pairs, participants, programmes } from "../../../db/schema.js";
import { textCard } from "../../core/card.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { t } from "../../core/i18n/index.js";
import { type Caller, programmesWhere } from "../commands/caller.js";
import type { FeatureDeps } from "../commands/feature.js";
import { markHandled as markDifficultyHandled } from "../difficulties/difficulties.usecases.js";
import { engagementSettings } from "../engagement/settings.js";
import { localMoment } from "../outbox/working-hours.js";
import { buildDigest } from "./digest.build.js";
import { digestCards } from "./digest.cards.js";

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
