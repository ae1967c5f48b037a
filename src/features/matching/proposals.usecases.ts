import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, matchProposals, pairs, participants, programmes } from "../../../db/schema.js";
import { textCard } from "../../core/card.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { formatDate, pickLanguage, t } from "../../core/i18n/index.js";
import { decodePersonRef } from "../../core/ids.js";
import { type Caller, programmesWhere } from "../commands/caller.js";
import type { FeatureDeps } from "../commands/feature.js";
import { introducePairs, tellWaiting } from "../introductions/introductions.usecases.js";
import { enqueue } from "../outbox/outbox.repository.js";
import { foldName, MENTION } from "../participants/names.js";
import { findParticipantByIdentity } from "../participants/participants.repository.js";
import { definitionFromSettings } from "../programmes/programme-file.js";
import { type Proposal, proposeMatches } from "./matching.js";
import { DEFAULT_WEIGHTS, type MatchProfile } from "./profile.js";
import { proposalCard } from "./proposals.cards.js";
import { findProposal, matchingPool, type ProgrammeRow, peopleByIds, saveProposal } from "./proposals.repository.js";
import { scorePair } from "./scoring.js";

/** The programme a coordinator acts on: the one named, or their only one. */
export async function coordinatedProgramme(
  db: Database,
  caller: Caller,
  slug: string | undefined,
): Promise<ProgrammeRow> {
  const ids = programmesWhere(caller, "coordinator");
  if (ids.length === 0)
    throw new UserFacingError("command.forbidden", { role: t(caller.language, "role.coordinator") });
  const rows = await db.select().from(programmes).where(inArray(programmes.id, ids));
  if (slug) {
    const named = rows.find((p) => p.slug === slug.toLowerCase());
    if (!named)
      throw new UserFacingError("match.unknownProgramme", { slug, slugs: rows.map((p) => p.slug).join(", ") });
    return named;
  }
  if (rows.length > 1) throw new UserFacingError("match.whichProgramme", { slugs: rows.map((p) => p.slug).join(", ") });
  return rows[0] as ProgrammeRow;
}

async function names(db: Database, proposal: Proposal): Promise<Map<string, string>> {
  const ids = [
    ...proposal.pairs.flatMap((p) => [p.mentorId, p.menteeId]),
    ...proposal.unmatched.map((u) => u.participantId),
  ];
  return new Map([...(await peopleByIds(db, ids))].map(([id, p]) => [id, p.name]));
}

/**
 * Computes a proposal and shows it to the coordinators: posted in their channel when the
 * programme has one (through the outbox), or answered to the caller. Nobody else is told anything.
 */
async function propose(deps: FeatureDeps, caller: Caller, programme: ProgrammeRow): Promise<Outcome> {
  const { db, clock } = deps;
  const pool = await matchingPool(db, programme);
  const weights = definitionFromSettings(programme.settings)?.matching.weights ?? DEFAULT_WEIGHTS;
  const proposal = proposeMatches({ mentors: pool.mentors, mentees: pool.mentees, weights, at: clock.now() });
  const saved = await saveProposal(db, programme.id, proposal, caller.participant.id, clock.now());
  const lang = pickLanguage(programme.defaultLanguage);
  const card = proposalCard(lang, programme.name, saved.id, proposal, await names(db, proposal));
  if (!programme.coordinatorChannel) return { type: "reply", card };
  await enqueue(
    db,
    [
      {
        key: `proposal:${saved.id}`,
        kind: "proposal",
        programmeId: programme.id,
        channel: programme.coordinatorChannel,
        payload: { card },
        dueAt: clock.now(),
      },
    ],
    clock.now(),
  );
  deps.outboxChanged();
  return { type: "reply", card: textCard(t(caller.language, "match.posted", { pairs: proposal.pairs.length })) };
}

/** `/binome match [programme]`: coordinators only. */
export async function runMatch(deps: FeatureDeps, caller: Caller, args: string): Promise<Outcome> {
  const programme = await coordinatedProgramme(deps.db, caller, args.split(/\s+/)[0] || undefined);
  return propose(deps, caller, programme);
}

async function proposalForCoordinator(deps: FeatureDeps, caller: Caller, proposalId: string) {
  const proposal = await findProposal(deps.db, proposalId);
  if (!proposal) throw new UserFacingError("match.unknownProposal");
  if (!programmesWhere(caller, "coordinator").includes(proposal.programmeId)) {
    throw new UserFacingError("command.forbidden", { role: t(caller.language, "role.coordinator") });
  }
  const [programme] = await deps.db.select().from(programmes).where(eq(programmes.id, proposal.programmeId));
  return { proposal, programme: programme as ProgrammeRow };
}

/** The "run again" button. */
export async function rerunMatch(deps: FeatureDeps, caller: Caller, proposalId: string): Promise<Outcome> {
  const { programme } = await proposalForCoordinator(deps, caller, proposalId);
  return propose(deps, caller, programme);
}

/**
 * The "approve" button: turns a pending proposal into pairs and writes their introductions in the
 * same transaction. A second click, or a click on an outdated proposal, changes nothing.
 */
export async function approveMatch(deps: FeatureDeps, caller: Caller, proposalId: string): Promise<Outcome> {
  const { proposal: found, programme } = await proposalForCoordinator(deps, caller, proposalId);
  const now = deps.clock.now();
  const outcome = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Database;
    const [approved] = await db
      .update(matchProposals)
      .set({ status: "approved", decidedBy: caller.participant.id, decidedAt: now })
      .where(and(eq(matchProposals.id, found.id), eq(matchProposals.status, "pending")))
      .returning();
    if (!approved) return { created: -1, waiting: 0 };
    const result = approved.result as Proposal;
    const taken = new Set(
      (
        await db
          .select({ menteeId: pairs.menteeId })
          .from(pairs)
          .where(and(eq(pairs.programmeId, programme.id), eq(pairs.status, "active")))
      ).map((p) => p.menteeId),
    );
    const fresh = result.pairs.filter((p) => !taken.has(p.menteeId));
    const inserted =
      fresh.length === 0
        ? []
        : await db
            .insert(pairs)
            .values(
              fresh.map((p) => ({
                programmeId: programme.id,
                mentorId: p.mentorId,
                menteeId: p.menteeId,
                match: { score: p.score, reasons: p.reasons, proposalId: approved.id },
                // The injected clock, not the database's: the playground's moved clock dates pairs as it lives them.
                createdAt: deps.clock.now(),
              })),
            )
            .returning({ id: pairs.id });
    const txDeps = { ...deps, db };
    await introducePairs(
      txDeps,
      programme,
      inserted.map((p) => p.id),
    );
    const waiting = await tellWaiting(txDeps, programme, result.unmatched);
    return { created: inserted.length, waiting };
  });
  deps.outboxChanged();
  if (outcome.created < 0) {
    const date = found.decidedAt ? formatDate(caller.language, found.decidedAt.toISOString().slice(0, 10)) : "";
    return {
      type: "reply",
      card: textCard(
        t(caller.language, found.status === "approved" ? "match.alreadyApproved" : "match.superseded", { date }),
      ),
    };
  }
  return {
    type: "reply",
    card: textCard(t(caller.language, "match.approved", { pairs: outcome.created, waiting: outcome.waiting })),
  };
}

/** A person of the programme named by a mention, a first name, a full name or an email. */
export async function personInProgramme(db: Database, programme: ProgrammeRow, word: string, lang: Caller["language"]) {
  const members = await db
    .select({ participant: participants, role: enrolments.role })
    .from(enrolments)
    .innerJoin(participants, eq(enrolments.participantId, participants.id))
    .where(eq(enrolments.programmeId, programme.id));
  const mention = MENTION.exec(word);
  let found: Array<(typeof members)[number]>;
  if (mention?.[1]) {
    const user = decodePersonRef(mention[1]);
    const participant = user ? await findParticipantByIdentity(db, user.platform, user.userId) : undefined;
    found = members.filter((m) => m.participant.id === participant?.id);
  } else {
    const wanted = foldName(word);
    found = members.filter((m) => {
      const full = foldName(m.participant.name);
      return (
        wanted === full ||
        wanted === full.split(/\s+/)[0] ||
        wanted === m.participant.email ||
        wanted === m.participant.email.split("@")[0]
      );
    });
  }
  const ids = new Set(found.map((m) => m.participant.id));
  if (ids.size === 0)
    throw new UserFacingError("match.pair.unknownPerson", {
      name: word.startsWith("<@") ? t(lang, "log.unknownPerson") : word,
      programme: programme.name,
    });
  if (ids.size > 1) throw new UserFacingError("match.pair.ambiguous", { name: word });
  const participant = (found[0] as (typeof members)[number]).participant;
  return { participant, roles: found.map((m) => m.role) };
}

function profileOf(
  pool: { mentors: MatchProfile[]; mentees: MatchProfile[] },
  id: string,
  side: "mentor" | "mentee",
): MatchProfile | undefined {
  return (side === "mentor" ? pool.mentors : pool.mentees).find((p) => p.participantId === id);
}

/**
 * `/binome pair <mentor> <mentee>` pairs two people by hand, and `/binome reassign <mentee> <mentor>`
 * gives a paired mentee a new mentor (the old pair ends, its sessions stay). Both introduce the new pair.
 */
export async function pairByHand(
  deps: FeatureDeps,
  caller: Caller,
  args: string,
  mode: "pair" | "reassign",
): Promise<Outcome> {
  const words = args.split(/\s+/).filter(Boolean);
  const slug = words.length === 3 ? words[2] : undefined;
  if (words.length < 2 || words.length > 3)
    throw new UserFacingError(mode === "pair" ? "match.pair.usage" : "match.reassign.usage");
  const programme = await coordinatedProgramme(deps.db, caller, slug);
  const [first, second] = [words[0] as string, words[1] as string];
  const mentor = await personInProgramme(deps.db, programme, mode === "pair" ? first : second, caller.language);
  const mentee = await personInProgramme(deps.db, programme, mode === "pair" ? second : first, caller.language);
  if (!mentor.roles.includes("mentor"))
    throw new UserFacingError("match.pair.notMentor", { name: mentor.participant.name });
  if (!mentee.roles.includes("mentee"))
    throw new UserFacingError("match.pair.notMentee", { name: mentee.participant.name });
  const now = deps.clock.now();
  const pool = await matchingPool(deps.db, programme);
  const mentorProfile = profileOf(pool, mentor.participant.id, "mentor");
  const menteeProfile = profileOf(pool, mentee.participant.id, "mentee") ?? {
    ...(mentorProfile as MatchProfile),
    participantId: mentee.participant.id,
    role: "mentee" as const,
  };
  const score = mentorProfile
    ? scorePair(
        { ...mentorProfile, capacity: Math.max(1, mentorProfile.capacity ?? 1) },
        menteeProfile,
        DEFAULT_WEIGHTS,
        now,
      )
    : undefined;

  const created = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Database;
    const [current] = await db
      .select()
      .from(pairs)
      .where(
        and(eq(pairs.programmeId, programme.id), eq(pairs.menteeId, mentee.participant.id), eq(pairs.status, "active")),
      );
    if (current && mode === "pair") {
      const [other] = await db.select().from(participants).where(eq(participants.id, current.mentorId));
      throw new UserFacingError("match.pair.alreadyPaired", {
        name: mentee.participant.name,
        mentor: other?.name ?? "?",
      });
    }
    if (!current && mode === "reassign")
      throw new UserFacingError("match.reassign.notPaired", { name: mentee.participant.name });
    if (current?.mentorId === mentor.participant.id)
      throw new UserFacingError("match.reassign.same", { name: mentor.participant.name });
    if (current) await db.update(pairs).set({ status: "ended", endedAt: now }).where(eq(pairs.id, current.id));
    const [pair] = await db
      .insert(pairs)
      .values({
        programmeId: programme.id,
        mentorId: mentor.participant.id,
        menteeId: mentee.participant.id,
        match: { manual: true, score: score?.score, reasons: score?.reasons.slice(0, 3) ?? [] },
        createdAt: deps.clock.now(),
      })
      .returning();
    if (!pair) throw new Error("pair not written");
    await introducePairs({ ...deps, db }, programme, [pair.id]);
    return pair;
  });
  deps.outboxChanged();
  return {
    type: "reply",
    card: textCard(
      t(caller.language, mode === "pair" ? "match.pair.done" : "match.reassign.done", {
        mentor: mentor.participant.name,
        mentee: mentee.participant.name,
        id: created.id.slice(0, 8),
      }),
    ),
  };
}
