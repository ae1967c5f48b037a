import { and, eq, inArray } from "drizzle-orm";
import { charterAgreements, pairs, participants, profiles } from "../../../db/schema.js";
import { textCard } from "../../core/card.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { formatDate, pickLanguage, t } from "../../core/i18n/index.js";
import type { Caller } from "../commands/caller.js";
import type { FeatureDeps } from "../commands/feature.js";
import type { UnmatchedParticipant } from "../matching/matching.js";
import type { ProgrammeRow } from "../matching/proposals.repository.js";
import { unmatchedText } from "../matching/reasons.js";
import type { Reason } from "../matching/scoring.js";
import { enqueue, type OutboxMessage } from "../outbox/outbox.repository.js";
import { DEFAULT_WORKING_HOURS, nextWorkingTime } from "../outbox/working-hours.js";
import { definitionFromSettings } from "../programmes/programme-file.js";
import { groupIntroCard, type IntroContext, personalIntroCard, waitingCard } from "./introductions.cards.js";

type ParticipantRow = typeof participants.$inferSelect;

function programmeRules(programme: ProgrammeRow) {
  const definition = definitionFromSettings(programme.settings);
  return {
    cadence: definition?.cadence.every ?? "4w",
    workingHours: definition?.workingHours ?? DEFAULT_WORKING_HOURS,
  };
}

/**
 * Writes the introductions of the given pairs to the outbox: one group message per pair (the
 * worker falls back to one card each where no group conversation is possible), due in the
 * mentee's working hours. Keys are per pair, so approving twice or restarting sends nothing new.
 */
export async function introducePairs(deps: FeatureDeps, programme: ProgrammeRow, pairIds: string[]): Promise<number> {
  if (pairIds.length === 0) return 0;
  const { db, clock } = deps;
  const rows = await db.select().from(pairs).where(inArray(pairs.id, pairIds));
  const ids = rows.flatMap((p) => [p.mentorId, p.menteeId]);
  const people = new Map(
    (await db.select().from(participants).where(inArray(participants.id, ids))).map((p) => [p.id, p]),
  );
  const answers = await db
    .select()
    .from(profiles)
    .where(and(eq(profiles.programmeId, programme.id), inArray(profiles.participantId, ids)));
  const domainOf = (id: string) =>
    (answers.find((a) => a.participantId === id)?.answers as { domain?: string } | undefined)?.domain;
  const { cadence, workingHours } = programmeRules(programme);
  const now = clock.now();
  const messages: OutboxMessage[] = [];
  for (const pair of rows) {
    const mentor = people.get(pair.mentorId) as ParticipantRow;
    const mentee = people.get(pair.menteeId) as ParticipantRow;
    const context: IntroContext = {
      pairId: pair.id,
      programmeName: programme.name,
      cadence,
      mentor: { id: mentor.id, name: mentor.name, skills: mentor.skills, domain: domainOf(mentor.id) },
      mentee: { id: mentee.id, name: mentee.name, skills: mentee.skills, domain: domainOf(mentee.id) },
      reasons: ((pair.match as { reasons?: Reason[] } | null)?.reasons ?? []) as Reason[],
    };
    const mentorLang = pickLanguage(mentor.language, programme.defaultLanguage);
    const menteeLang = pickLanguage(mentee.language, programme.defaultLanguage);
    // Together, they read the programme's language unless they share another one.
    const groupLang = mentorLang === menteeLang ? mentorLang : pickLanguage(programme.defaultLanguage);
    messages.push({
      key: `intro:${pair.id}`,
      kind: "introduction",
      programmeId: programme.id,
      groupWith: [mentor.id, mentee.id],
      payload: {
        group: groupIntroCard(groupLang, context),
        each: {
          [mentor.id]: personalIntroCard(mentorLang, context, "mentor"),
          [mentee.id]: personalIntroCard(menteeLang, context, "mentee"),
        },
        chatLabel: {
          [mentor.id]: t(mentorLang, "intro.openChat", { other: mentee.name }),
          [mentee.id]: t(menteeLang, "intro.openChat", { other: mentor.name }),
        },
      },
      dueAt: nextWorkingTime(now, mentee.timeZone ?? programme.timeZone, workingHours),
    });
  }
  const written = await enqueue(db, messages, now);
  deps.outboxChanged();
  return written;
}

/**
 * Tells mentees left without a mentor, kindly and with the reason: once per programme, however many
 * proposals leave them waiting, since each unsolicited message costs their attention.
 */
export async function tellWaiting(
  deps: FeatureDeps,
  programme: ProgrammeRow,
  unmatched: UnmatchedParticipant[],
): Promise<number> {
  const waiting = unmatched.filter((u) => u.role === "mentee");
  if (waiting.length === 0) return 0;
  const { db, clock } = deps;
  const people = await db
    .select()
    .from(participants)
    .where(
      inArray(
        participants.id,
        waiting.map((w) => w.participantId),
      ),
    );
  const { workingHours } = programmeRules(programme);
  const now = clock.now();
  const messages: OutboxMessage[] = waiting.flatMap((w) => {
    const person = people.find((p) => p.id === w.participantId);
    if (!person) return [];
    const lang = pickLanguage(person.language, programme.defaultLanguage);
    return [
      {
        key: `waiting:${programme.id}:${person.id}`,
        kind: "waiting",
        programmeId: programme.id,
        recipientId: person.id,
        payload: { card: waitingCard(lang, person.name, programme.name, unmatchedText(lang, w.why)) },
        dueAt: nextWorkingTime(now, person.timeZone ?? programme.timeZone, workingHours),
      },
    ];
  });
  const written = await enqueue(db, messages, now);
  deps.outboxChanged();
  return written;
}

/** "I agree" under the charter: recorded once per person and pair, with its date. */
export async function agreeToCharter(deps: FeatureDeps, caller: Caller, pairId: string): Promise<Outcome> {
  const { db, clock } = deps;
  const [pair] = /^[0-9a-f-]{36}$/i.test(pairId) ? await db.select().from(pairs).where(eq(pairs.id, pairId)) : [];
  const me = caller.participant.id;
  if (!pair || (pair.mentorId !== me && pair.menteeId !== me)) throw new UserFacingError("intro.charter.notYours");
  const inserted = await db
    .insert(charterAgreements)
    .values({ pairId, participantId: me, agreedAt: clock.now() })
    .onConflictDoNothing()
    .returning();
  const [agreement] =
    inserted.length > 0
      ? inserted
      : await db
          .select()
          .from(charterAgreements)
          .where(and(eq(charterAgreements.pairId, pairId), eq(charterAgreements.participantId, me)));
  const date = formatDate(caller.language, (agreement?.agreedAt ?? clock.now()).toISOString().slice(0, 10));
  const key = inserted.length > 0 ? "intro.charter.recorded" : "intro.charter.already";
  return { type: "reply", card: textCard(t(caller.language, key, { date })) };
}
