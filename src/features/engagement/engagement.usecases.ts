import { randomUUID } from "node:crypto";
import { and, eq, gte, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import {
  checkins,
  difficulties,
  enrolments,
  outbox,
  pairs,
  participants,
  programmes,
  sessions,
} from "../../../db/schema.js";
import { type Block, textCard } from "../../core/card.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { formatDate, type Language, pickLanguage, t } from "../../core/i18n/index.js";
import { nextAllowedTime } from "../attention/attention.rules.js";
import { startOfLocalDay } from "../attention/calendar.js";
import { PauseDurationError, parsePause } from "../attention/pause.js";
import { type Caller, hasRole, programmesWhere } from "../commands/caller.js";
import { type FeatureDeps, type FreeTextPass, inTransaction } from "../commands/feature.js";
import { raiseDifficulty } from "../difficulties/difficulties.usecases.js";
import { personInProgramme } from "../matching/proposals.usecases.js";
import { enqueue, type OutboxMessage, updateTargetOf } from "../outbox/outbox.repository.js";
import { localMoment } from "../outbox/working-hours.js";
import { logSession } from "../sessions/sessions.usecases.js";
import { addDays, daysBetween, recordActivity } from "./activity.js";
import { CHECKIN_NOTE_FORM, type CheckinView, checkinCard, noticeCard, reminderCard } from "./engagement.cards.js";
import { engagementSettings } from "./settings.js";

type ProgrammeRow = typeof programmes.$inferSelect;
type PairRow = typeof pairs.$inferSelect;
type CheckinRow = typeof checkins.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A check-in an action or a typed reply refers to, with its pair and the other person. */
interface LoadedCheckin {
  checkin: CheckinRow;
  pair: PairRow;
  programme: ProgrammeRow;
  otherName: string;
  otherId: string;
}

async function loadCheckin(db: Database, caller: Caller, id: string): Promise<LoadedCheckin> {
  const [row] = UUID.test(id)
    ? await db
        .select({ checkin: checkins, pair: pairs, programme: programmes })
        .from(checkins)
        .innerJoin(pairs, eq(checkins.pairId, pairs.id))
        .innerJoin(programmes, eq(checkins.programmeId, programmes.id))
        .where(eq(checkins.id, id))
    : [];
  if (!row || row.checkin.participantId !== caller.participant.id) throw new UserFacingError("checkin.gone");
  if (row.pair.status !== "active") throw new UserFacingError("checkin.pairEnded");
  const otherId = row.pair.menteeId === caller.participant.id ? row.pair.mentorId : row.pair.menteeId;
  const [other] = await db.select({ name: participants.name }).from(participants).where(eq(participants.id, otherId));
  return { ...row, otherId, otherName: other?.name ?? "" };
}

const viewOf = (loaded: LoadedCheckin, checkin: CheckinRow = loaded.checkin): CheckinView => ({
  id: checkin.id,
  otherName: loaded.otherName,
  since: checkin.since,
  answer: checkin.answer,
  usefulness: checkin.usefulness,
  note: checkin.note,
  noteShared: checkin.noteShared,
  help: checkin.help,
});

/**
 * The language the check-in was sent in (stored with it by due-work.ts): its updates keep it, even
 * when the platform's locale says otherwise or the language on file changed since.
 */
function checkinLanguage(checkin: CheckinRow): Language {
  return pickLanguage(checkin.language);
}

/**
 * Shows the answer in the check-in message itself: an update queued in the outbox (so a platform
 * error is retried), replacing any update of the same message still waiting.
 */
async function refreshMessage(deps: FeatureDeps, caller: Caller, loaded: LoadedCheckin, checkin: CheckinRow) {
  const target = await updateTargetOf(deps.db, `checkin:${checkin.id}`);
  if (!target) return;
  const now = deps.clock.now();
  await deps.db
    .update(outbox)
    .set({ status: "cancelled", lastError: "superseded by a later update" })
    .where(and(sql`${outbox.key} like ${`update:checkin:${checkin.id}:%`}`, eq(outbox.status, "pending")));
  await enqueue(
    deps.db,
    [
      {
        key: `update:checkin:${checkin.id}:${randomUUID()}`,
        kind: "update",
        programmeId: checkin.programmeId,
        pairId: checkin.pairId,
        recipientId: caller.participant.id,
        payload: { card: checkinCard(checkinLanguage(checkin), viewOf(loaded, checkin)), ...target },
        dueAt: now,
      },
    ],
    now,
  );
  deps.outboxChanged();
}

async function saveCheckin(deps: FeatureDeps, id: string, values: Partial<CheckinRow>): Promise<CheckinRow> {
  const [row] = await deps.db.update(checkins).set(values).where(eq(checkins.id, id)).returning();
  return row as CheckinRow;
}

export type CheckinAnswer = "met" | "not_yet" | "planned";

/** Records an answer (clicked or typed, on time or late); "we met" is activity for the pair. */
export async function answerCheckin(
  deps: FeatureDeps,
  caller: Caller,
  id: string,
  answer: CheckinAnswer,
): Promise<LoadedCheckin & { saved: CheckinRow }> {
  const loaded = await loadCheckin(deps.db, caller, id);
  const changed = loaded.checkin.answer !== answer;
  const saved = await inTransaction(deps, async (deps) => {
    const saved = await saveCheckin(deps, id, {
      answer,
      answeredAt: deps.clock.now(),
      // A changed answer drops what belonged to the previous one.
      ...(changed ? { usefulness: null, note: null, noteShared: false, help: null } : {}),
    });
    if (answer === "met") {
      const today = localMoment(deps.clock.now(), engagementSettings(loaded.programme).timeZone).date;
      await recordActivity(deps.db, loaded.pair.id, today);
    }
    await refreshMessage(deps, caller, loaded, saved);
    return saved;
  });
  return { ...loaded, saved };
}

/** How useful the meeting was, 1 to 5; only after "we met". */
export async function rateCheckin(deps: FeatureDeps, caller: Caller, id: string, n: number) {
  const loaded = await loadCheckin(deps.db, caller, id);
  if (loaded.checkin.answer !== "met") throw new UserFacingError("checkin.outdated");
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new UserFacingError("checkin.hint.usefulness");
  return inTransaction(deps, async (deps) => {
    const saved = await saveCheckin(deps, id, { usefulness: n });
    await refreshMessage(deps, caller, loaded, saved);
    return saved;
  });
}

/** The note form: private by default, shared only if the person says so. */
export async function noteForm(deps: FeatureDeps, caller: Caller, id: string): Promise<Outcome> {
  const loaded = await loadCheckin(deps.db, caller, id);
  const lang = caller.language;
  return {
    type: "form",
    form: {
      formId: CHECKIN_NOTE_FORM,
      title: t(lang, "checkin.note.title"),
      submitLabel: t(lang, "checkin.note.submit"),
      cancelLabel: t(lang, "log.form.cancel"),
      meta: loaded.checkin.id,
      blocks: [
        {
          type: "input",
          id: "note",
          label: t(lang, "checkin.note.label"),
          kind: "multiline",
          required: true,
          maxLength: 1000,
          initial: loaded.checkin.note ?? undefined,
        },
        {
          type: "input",
          id: "share",
          label: t(lang, "checkin.note.shareLabel"),
          kind: "select",
          required: true,
          initial: loaded.checkin.noteShared ? "shared" : "private",
          options: [
            { label: t(lang, "checkin.note.private"), value: "private" },
            { label: t(lang, "checkin.note.shared"), value: "shared" },
          ],
        },
      ],
    },
  };
}

export async function submitNote(
  deps: FeatureDeps,
  caller: Caller,
  values: Record<string, string>,
  id: string | undefined,
): Promise<Outcome> {
  const loaded = await loadCheckin(deps.db, caller, id ?? "");
  const note = (values.note ?? "").trim();
  const lang = caller.language;
  if (note === "") return { type: "formErrors", errors: { note: t(lang, "checkin.note.empty") } };
  if (note.length > 1000) return { type: "formErrors", errors: { note: t(lang, "checkin.note.tooLong") } };
  const shared = values.share === "shared";
  await inTransaction(deps, async (deps) => {
    const saved = await saveCheckin(deps, loaded.checkin.id, { note, noteShared: shared });
    await refreshMessage(deps, caller, loaded, saved);
    if (shared) {
      await tellCoordinators(
        deps,
        loaded.programme,
        `checkin-note:${saved.id}:${randomUUID()}`,
        (l) => t(l, "checkin.note.toCoordinators", { person: caller.participant.name, other: loaded.otherName, note }),
        loaded.pair.id,
      );
    }
  });
  return { type: "reply", card: textCard(t(lang, shared ? "checkin.note.savedShared" : "checkin.note.savedPrivate")) };
}

async function tellCoordinators(
  deps: FeatureDeps,
  programme: ProgrammeRow,
  key: string,
  text: (lang: Language) => string,
  pairId?: string,
): Promise<boolean> {
  if (!programme.coordinatorChannel) return false;
  const now = deps.clock.now();
  await enqueue(
    deps.db,
    [
      {
        key,
        kind: "coordinator-notice",
        programmeId: programme.id,
        pairId: pairId ?? null,
        channel: programme.coordinatorChannel,
        payload: { card: noticeCard(text(pickLanguage(programme.defaultLanguage))) },
        dueAt: now,
      },
    ],
    now,
  );
  deps.outboxChanged();
  return true;
}

/**
 * Saves "nudge the other person" or "tell the coordinators" with the message it owes, in one
 * transaction. The check-in row is locked first, so two quick clicks raise one difficulty.
 */
async function saveHelp(deps: FeatureDeps, caller: Caller, loaded: LoadedCheckin, help: "nudge" | "coordinator") {
  const id = loaded.checkin.id;
  const [locked] = await deps.db
    .select({ help: checkins.help })
    .from(checkins)
    .where(eq(checkins.id, id))
    .for("update");
  const saved = await saveCheckin(deps, id, { help });
  await refreshMessage(deps, caller, loaded, saved);
  const now = deps.clock.now();
  if (help === "nudge") {
    const [other] = await deps.db.select().from(participants).where(eq(participants.id, loaded.otherId));
    const settings = engagementSettings(loaded.programme);
    const otherLang = pickLanguage(other?.language, settings.language);
    const text = t(otherLang, "checkin.peerNudge", { person: caller.participant.name.split(/\s+/)[0] ?? "" });
    // The key makes a second click a no-op.
    await enqueue(
      deps.db,
      [
        {
          key: `peer-nudge:${id}`,
          kind: "nudge",
          programmeId: loaded.programme.id,
          pairId: loaded.pair.id,
          recipientId: loaded.otherId,
          payload: { card: textCard(text) },
          dueAt: now,
        },
      ],
      now,
    );
    deps.outboxChanged();
  } else if (locked?.help !== "coordinator") {
    // A difficulty in the register (open → handled), not only a line in the channel; once per check-in.
    await raiseDifficulty(deps, {
      programme: loaded.programme,
      raisedBy: caller.participant.id,
      pairId: loaded.pair.id,
      source: "checkin",
    });
  }
}

/** After "not yet": nudge the other person, get conversation starters, or tell the coordinators. */
export async function checkinHelp(deps: FeatureDeps, caller: Caller, id: string, help: string): Promise<Outcome> {
  const loaded = await loadCheckin(deps.db, caller, id);
  const lang = caller.language;
  if (loaded.checkin.answer !== "not_yet" || !["nudge", "starters", "coordinator"].includes(help)) {
    throw new UserFacingError("checkin.outdated");
  }
  if (help === "nudge" || help === "coordinator") {
    await inTransaction(deps, (deps) => saveHelp(deps, caller, loaded, help));
    return { type: "none" };
  }
  await inTransaction(deps, async (deps) =>
    refreshMessage(deps, caller, loaded, await saveCheckin(deps, id, { help })),
  );
  const starters = [
    t(lang, "intro.starter.expectations"),
    t(lang, "intro.starter.journey"),
    t(lang, "intro.starter.format"),
  ];
  return {
    type: "reply",
    card: {
      fallback: starters.join("\n"),
      blocks: [
        { type: "text", text: t(lang, "intro.starters"), style: "bold" },
        { type: "text", text: starters.map((s) => `• ${s}`).join("\n") },
      ],
    },
  };
}

/** The ladder's private question to a mentee: all is well, or ask the coordinators for help. */
export async function ladderReply(deps: FeatureDeps, caller: Caller, value: string): Promise<Outcome> {
  const [pairId, choice] = value.split(":");
  const [row] = UUID.test(pairId ?? "")
    ? await deps.db
        .select({ pair: pairs, programme: programmes })
        .from(pairs)
        .innerJoin(programmes, eq(pairs.programmeId, programmes.id))
        .where(eq(pairs.id, pairId as string))
    : [];
  if (!row || row.pair.menteeId !== caller.participant.id) throw new UserFacingError("checkin.gone");
  if (row.pair.status !== "active") throw new UserFacingError("checkin.pairEnded");
  const lang = caller.language;
  if (choice !== "help") return { type: "reply", card: textCard(t(lang, "nudge.ask.thanks")) };
  const today = localMoment(deps.clock.now(), engagementSettings(row.programme).timeZone).date;
  // Once a day at most: a second tap on the same question adds nothing to the register.
  const [already] = await deps.db
    .select({ id: difficulties.id })
    .from(difficulties)
    .where(
      and(
        eq(difficulties.pairId, row.pair.id),
        eq(difficulties.raisedBy, caller.participant.id),
        eq(difficulties.source, "ladder"),
        gte(difficulties.createdAt, startOfLocalDay(today, engagementSettings(row.programme).timeZone)),
      ),
    );
  if (!already) {
    await raiseDifficulty(deps, {
      programme: row.programme,
      raisedBy: caller.participant.id,
      pairId: row.pair.id,
      source: "ladder",
    });
  }
  return { type: "reply", card: textCard(t(lang, "nudge.ask.sent")) };
}

const ANSWER_WORDS: Record<string, CheckinAnswer> = {
  oui: "met",
  yes: "met",
  y: "met",
  o: "met",
  ouais: "met",
  yep: "met",
  "pas encore": "not_yet",
  non: "not_yet",
  no: "not_yet",
  "not yet": "not_yet",
  "pas encore.": "not_yet",
  prevu: "planned",
  planned: "planned",
  planifie: "planned",
  "c'est prevu": "planned",
  "c’est prevu": "planned",
  scheduled: "planned",
};

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[!.?…]+$/u, "")
    .trim();

/** The caller's most recent check-in of an active pair sent in the last three weeks, and when it was sent. */
async function openCheckin(
  db: Database,
  caller: Caller,
  now: Date,
): Promise<{ checkin: CheckinRow; sentAt: Date | null } | undefined> {
  const [row] = await db
    .select({ checkin: checkins, sentAt: outbox.sentAt })
    .from(checkins)
    .innerJoin(pairs, eq(checkins.pairId, pairs.id))
    .innerJoin(outbox, eq(outbox.key, sql`'checkin:' || ${checkins.id}::text`))
    .where(
      and(
        eq(checkins.participantId, caller.participant.id),
        eq(pairs.status, "active"),
        eq(outbox.status, "sent"),
        gte(outbox.sentAt, new Date(now.getTime() - 21 * 86_400_000)),
      ),
    )
    .orderBy(sql`${outbox.sentAt} desc`)
    .limit(1);
  return row;
}

/** When the caller's open check-in was sent, if it still waits for a typed answer or a usefulness. */
export async function checkinAwaitingSince(deps: FeatureDeps, caller: Caller): Promise<Date | undefined> {
  const open = await openCheckin(deps.db, caller, deps.clock.now());
  if (!open) return undefined;
  const waiting = open.checkin.answer === null || (open.checkin.answer === "met" && open.checkin.usefulness === null);
  return waiting ? (open.sentAt ?? undefined) : undefined;
}

/**
 * A typed DM that is no command: an answer to the person's open check-in ("oui", "pas encore",
 * "prévu", "yes", then a number from 1 to 5), or a short hint about what would be understood.
 * Undefined when the person has no open check-in: the message is then an unknown command.
 */
export async function typedReply(
  deps: FeatureDeps,
  caller: Caller,
  text: string,
  pass: FreeTextPass,
): Promise<Outcome | undefined> {
  const open = (await openCheckin(deps.db, caller, deps.clock.now()))?.checkin;
  if (!open) return undefined;
  const lang = caller.language;
  const words = fold(text);
  if (open.answer === null || (open.answer !== "met" && ANSWER_WORDS[words])) {
    const answer = ANSWER_WORDS[words];
    // A hint only once no other feature took the reply as an answer.
    if (!answer) return pass === "hint" ? { type: "reply", card: textCard(t(lang, "checkin.hint.answer")) } : undefined;
    const { otherName } = await answerCheckin(deps, caller, open.id, answer);
    const other = otherName.split(/\s+/)[0] ?? otherName;
    const key =
      answer === "met" ? "checkin.typed.met" : answer === "not_yet" ? "checkin.typed.notYet" : "checkin.typed.planned";
    return { type: "reply", card: textCard(t(lang, key, { other })) };
  }
  if (open.answer === "met" && open.usefulness === null) {
    const match = /^([1-5])(\s*\/\s*5)?$/.exec(words);
    if (!match)
      return pass === "hint" ? { type: "reply", card: textCard(t(lang, "checkin.hint.usefulness")) } : undefined;
    await rateCheckin(deps, caller, open.id, Number(match[1]));
    return { type: "reply", card: textCard(t(lang, "checkin.typed.rated", { n: Number(match[1]) })) };
  }
  return undefined;
}

// ——— Attention: pause, resume, stop ———

export async function pause(deps: FeatureDeps, caller: Caller, args: string): Promise<Outcome> {
  const lang = caller.language;
  if (args.trim() === "") throw new UserFacingError("pause.usage");
  let until: Date;
  try {
    until = parsePause(args, deps.clock.now());
  } catch (error) {
    if (error instanceof PauseDurationError) throw new UserFacingError(error.code, error.params);
    throw error;
  }
  await deps.db.update(participants).set({ pausedUntil: until }).where(eq(participants.id, caller.participant.id));
  const date = formatDate(lang, localMoment(until, caller.timeZone).date);
  return { type: "reply", card: textCard(t(lang, "pause.done", { date })) };
}

export async function resume(deps: FeatureDeps, caller: Caller): Promise<Outcome> {
  await deps.db
    .update(participants)
    .set({ pausedUntil: null, optedOutAt: null })
    .where(eq(participants.id, caller.participant.id));
  deps.outboxChanged();
  return { type: "reply", card: textCard(t(caller.language, "pause.resumed")) };
}

export async function optOut(deps: FeatureDeps, caller: Caller): Promise<Outcome> {
  await deps.db
    .update(participants)
    .set({ optedOutAt: deps.clock.now() })
    .where(eq(participants.id, caller.participant.id));
  return { type: "reply", card: textCard(t(caller.language, "pause.optedOut")) };
}

// ——— Coordinators: nudge now, status ———

async function coordinatorOf(db: Database, caller: Caller, programmeId: string): Promise<ProgrammeRow> {
  if (!programmesWhere(caller, "coordinator").includes(programmeId)) {
    throw new UserFacingError("command.forbidden", { role: t(caller.language, "role.coordinator") });
  }
  const [programme] = await db.select().from(programmes).where(eq(programmes.id, programmeId));
  return programme as ProgrammeRow;
}

/** Writes a reminder to both people of a pair now; it still waits for their working hours and weekly cap. */
async function remindPair(deps: FeatureDeps, programme: ProgrammeRow, pair: PairRow): Promise<[string, string]> {
  const people = await deps.db
    .select()
    .from(participants)
    .where(inArray(participants.id, [pair.mentorId, pair.menteeId]));
  const mentor = people.find((p) => p.id === pair.mentorId);
  const mentee = people.find((p) => p.id === pair.menteeId);
  if (!mentor || !mentee) throw new UserFacingError("checkin.gone");
  const settings = engagementSettings(programme);
  const now = deps.clock.now();
  const today = localMoment(now, settings.timeZone).date;
  const quiet = daysBetween(pair.lastActivityOn ?? localMoment(pair.createdAt, settings.timeZone).date, today);
  const shared = mentor.skills.filter((s) => mentee.skills.includes(s));
  const minute = now.toISOString().slice(0, 16);
  const messages: OutboxMessage[] = [
    [mentor, mentee],
    [mentee, mentor],
  ].map(([person, other]) => ({
    key: `nudge-now:${pair.id}:${minute}:${person?.id}`,
    kind: "nudge",
    programmeId: programme.id,
    pairId: pair.id,
    recipientId: person?.id ?? null,
    payload: {
      card: reminderCard(pickLanguage(person?.language, settings.language), {
        otherName: other?.name ?? "",
        quietDays: Math.max(quiet, 0),
        pairId: pair.id,
        isMentor: person?.id === mentor.id,
        skills: shared,
      }),
    },
    dueAt: now,
  }));
  await enqueue(deps.db, messages, now);
  deps.outboxChanged();
  return [mentor.name, mentee.name];
}

/** `/binome nudge @person`: a coordinator reminds a pair (named by either of its people) now. */
export async function nudgeCommand(deps: FeatureDeps, caller: Caller, args: string): Promise<Outcome> {
  const lang = caller.language;
  const coordinated = programmesWhere(caller, "coordinator");
  if (coordinated.length === 0) throw new UserFacingError("command.forbidden", { role: t(lang, "role.coordinator") });
  const words = args.split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new UserFacingError("nudge.usage");
  const rows = await deps.db.select().from(programmes).where(inArray(programmes.id, coordinated));
  const found: Array<{ programme: ProgrammeRow; ids: string[] }> = [];
  for (const programme of rows) {
    const ids: string[] = [];
    for (const word of words) {
      try {
        ids.push((await personInProgramme(deps.db, programme, word, lang)).participant.id);
      } catch (error) {
        if (!(error instanceof UserFacingError)) throw error;
      }
    }
    if (ids.length === words.length) found.push({ programme, ids });
  }
  if (found.length === 0) throw new UserFacingError("nudge.unknown", { name: args.trim().slice(0, 60) });
  const candidates: Array<{ programme: ProgrammeRow; pair: PairRow }> = [];
  for (const { programme, ids } of found) {
    const active = await deps.db
      .select()
      .from(pairs)
      .where(and(eq(pairs.programmeId, programme.id), eq(pairs.status, "active")));
    for (const pair of active) {
      if (ids.every((id) => id === pair.mentorId || id === pair.menteeId)) candidates.push({ programme, pair });
    }
  }
  if (candidates.length === 0) throw new UserFacingError("nudge.noPair", { name: args.trim().slice(0, 60) });
  if (candidates.length > 1) throw new UserFacingError("nudge.whichPair", { name: args.trim().slice(0, 60) });
  const { programme, pair } = candidates[0] as { programme: ProgrammeRow; pair: PairRow };
  const [mentor, mentee] = await remindPair(deps, programme, pair);
  return {
    type: "reply",
    card: textCard(t(lang, "nudge.sent", { mentor, mentee, cap: engagementSettings(programme).weeklyCap })),
  };
}

/** "Nudge now" under a flagged pair in the coordinators' channel. */
export async function nudgeButton(deps: FeatureDeps, caller: Caller, pairId: string): Promise<Outcome> {
  const [pair] = UUID.test(pairId) ? await deps.db.select().from(pairs).where(eq(pairs.id, pairId)) : [];
  if (!pair) throw new UserFacingError("checkin.gone");
  const programme = await coordinatorOf(deps.db, caller, pair.programmeId);
  if (pair.status !== "active") throw new UserFacingError("checkin.pairEnded");
  const [mentor, mentee] = await remindPair(deps, programme, pair);
  return {
    type: "reply",
    card: textCard(t(caller.language, "nudge.sent", { mentor, mentee, cap: engagementSettings(programme).weeklyCap })),
  };
}

/** The button under a reminder: opens the log form. */
export function logFromReminder(deps: FeatureDeps, caller: Caller): Promise<Outcome> {
  return logSession(deps, caller, "");
}

/** A programme's health, as `/binome status`, the App Home and (later) the digest show it. */
export interface ProgrammeHealth {
  name: string;
  activePairs: number;
  quiet: { d14: number; d21: number; d28: number };
  sessions30: number;
  minutes30: number;
  checkinsSent28: number;
  checkinsAnswered28: number;
  usefulnessAverage: number | null;
  paused: number;
  optedOut: number;
  deadLetters: number;
}

export async function programmeHealth(db: Database, programme: ProgrammeRow, now: Date): Promise<ProgrammeHealth> {
  const settings = engagementSettings(programme);
  const today = localMoment(now, settings.timeZone).date;
  const active = await db
    .select({ createdAt: pairs.createdAt, lastActivityOn: pairs.lastActivityOn })
    .from(pairs)
    .where(and(eq(pairs.programmeId, programme.id), eq(pairs.status, "active")));
  const quiet = { d14: 0, d21: 0, d28: 0 };
  for (const pair of active) {
    const days = daysBetween(pair.lastActivityOn ?? localMoment(pair.createdAt, settings.timeZone).date, today);
    if (days >= 14) quiet.d14 += 1;
    if (days >= 21) quiet.d21 += 1;
    if (days >= 28) quiet.d28 += 1;
  }
  const [logged] = await db
    .select({
      n: sql<number>`count(*)`.mapWith(Number),
      minutes: sql<number>`coalesce(sum(${sessions.durationMinutes}), 0)`.mapWith(Number),
    })
    .from(sessions)
    .innerJoin(pairs, eq(sessions.pairId, pairs.id))
    .where(and(eq(pairs.programmeId, programme.id), gte(sessions.heldOn, addDays(today, -30))));
  const since = new Date(now.getTime() - 28 * 86_400_000);
  const [sent] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(outbox)
    .where(
      and(
        eq(outbox.programmeId, programme.id),
        eq(outbox.kind, "checkin"),
        eq(outbox.status, "sent"),
        gte(outbox.sentAt, since),
      ),
    );
  const [answered] = await db
    .select({
      n: sql<number>`count(*) filter (where ${checkins.answer} is not null)`.mapWith(Number),
      useful: sql<string | null>`avg(${checkins.usefulness})`,
    })
    .from(checkins)
    .innerJoin(outbox, eq(outbox.key, sql`'checkin:' || ${checkins.id}::text`))
    .where(and(eq(checkins.programmeId, programme.id), eq(outbox.status, "sent"), gte(outbox.sentAt, since)));
  const [people] = await db
    .select({
      paused:
        sql<number>`count(distinct ${participants.id}) filter (where ${participants.pausedUntil} > ${now.toISOString()}::timestamptz)`.mapWith(
          Number,
        ),
      optedOut:
        sql<number>`count(distinct ${participants.id}) filter (where ${participants.optedOutAt} is not null)`.mapWith(
          Number,
        ),
    })
    .from(enrolments)
    .innerJoin(participants, eq(enrolments.participantId, participants.id))
    .where(
      and(
        eq(enrolments.programmeId, programme.id),
        or(isNotNull(participants.pausedUntil), isNotNull(participants.optedOutAt)),
      ),
    );
  const [dead] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(outbox)
    .where(and(eq(outbox.programmeId, programme.id), eq(outbox.status, "dead")));
  return {
    name: programme.name,
    activePairs: active.length,
    quiet,
    sessions30: logged?.n ?? 0,
    minutes30: logged?.minutes ?? 0,
    checkinsSent28: sent?.n ?? 0,
    checkinsAnswered28: answered?.n ?? 0,
    usefulnessAverage: answered?.useful === null || answered?.useful === undefined ? null : Number(answered.useful),
    paused: people?.paused ?? 0,
    optedOut: people?.optedOut ?? 0,
    deadLetters: dead?.n ?? 0,
  };
}

const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((100 * part) / whole)} %`);

export function healthBlocks(lang: Language, h: ProgrammeHealth): Block[] {
  const useful =
    h.usefulnessAverage === null
      ? "—"
      : new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 1 }).format(
          h.usefulnessAverage,
        );
  return [
    { type: "text", text: t(lang, "status.title", { programme: h.name, pairs: h.activePairs }), style: "bold" },
    {
      type: "text",
      text: [
        t(lang, "status.quiet", { d14: h.quiet.d14, d21: h.quiet.d21, d28: h.quiet.d28 }),
        t(lang, "status.sessions", { n: h.sessions30, hours: Math.round((h.minutes30 / 60) * 10) / 10 }),
        t(lang, "status.checkins", {
          sent: h.checkinsSent28,
          answered: h.checkinsAnswered28,
          rate: percent(h.checkinsAnswered28, h.checkinsSent28),
          useful,
        }),
        t(lang, "status.attention", { paused: h.paused, optedOut: h.optedOut, dead: h.deadLetters }),
      ]
        .map((line) => `• ${line}`)
        .join("\n"),
    },
  ];
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A participant's own pairs: the other person, last activity, next check-in. */
async function personalBlocks(db: Database, caller: Caller, now: Date): Promise<Block[]> {
  const lang = caller.language;
  const me = caller.participant.id;
  const rows = await db
    .select({ pair: pairs, programme: programmes })
    .from(pairs)
    .innerJoin(programmes, eq(pairs.programmeId, programmes.id))
    .where(and(eq(pairs.status, "active"), or(eq(pairs.mentorId, me), eq(pairs.menteeId, me))));
  const blocks: Block[] = [];
  if (caller.participant.optedOutAt) blocks.push({ type: "text", text: t(lang, "home.optedOut") });
  else if (caller.participant.pausedUntil && caller.participant.pausedUntil > now) {
    const date = formatDate(lang, localMoment(caller.participant.pausedUntil, caller.timeZone).date);
    blocks.push({ type: "text", text: t(lang, "home.paused", { date }) });
  }
  if (rows.length === 0) {
    blocks.push({ type: "text", text: t(lang, "home.noPair") });
    return blocks;
  }
  const others = await db
    .select({ id: participants.id, name: participants.name })
    .from(participants)
    .where(
      inArray(
        participants.id,
        rows.flatMap((r) => [r.pair.mentorId, r.pair.menteeId]),
      ),
    );
  for (const { pair, programme } of rows) {
    const settings = engagementSettings(programme);
    const otherId = pair.mentorId === me ? pair.menteeId : pair.mentorId;
    const [last] = await db
      .select({ heldOn: sql<string | null>`max(${sessions.heldOn})` })
      .from(sessions)
      .where(eq(sessions.pairId, pair.id));
    const due =
      pair.nextCheckinOn ?? addDays(localMoment(pair.createdAt, settings.timeZone).date, settings.checkInEveryDays);
    // The day it will really come: a check-in due on a weekend or a public holiday waits for a working day.
    const zone = caller.participant.timeZone ?? settings.timeZone;
    const nextCheckin = localMoment(
      nextAllowedTime(startOfLocalDay(due, zone), { timeZone: zone }, settings.rules),
      zone,
    ).date;
    const getsCheckins = pair.menteeId === me || settings.checkInAudience === "both";
    blocks.push({
      type: "fields",
      fields: [
        {
          label: capitalised(t(lang, pair.mentorId === me ? "intro.role.mentee" : "intro.role.mentor")),
          value: others.find((o) => o.id === otherId)?.name ?? "—",
        },
        { label: t(lang, "home.programme"), value: programme.name },
        {
          label: t(lang, "home.lastSession"),
          value: last?.heldOn ? formatDate(lang, last.heldOn) : t(lang, "home.none"),
        },
        {
          label: t(lang, "home.nextCheckin"),
          value: getsCheckins ? formatDate(lang, nextCheckin) : t(lang, "home.noCheckins"),
        },
      ],
    });
  }
  const buttons = [
    ...(hasRole(caller, "mentor") ? [{ actionId: "engagement.log", label: t(lang, "home.log"), value: "home" }] : []),
    caller.participant.pausedUntil && caller.participant.pausedUntil > now
      ? { actionId: "engagement.resume", label: t(lang, "home.resume"), value: "resume" }
      : { actionId: "engagement.pause", label: t(lang, "home.pause"), value: "2w" },
  ];
  blocks.push({ type: "actions", buttons });
  return blocks;
}

/** `/binome status`: coordinators see each programme's health; others their own pairs. */
export async function status(deps: FeatureDeps, caller: Caller): Promise<Outcome> {
  const blocks = await homeBlocks(deps, caller);
  const first = blocks.find((b) => b.type === "text");
  return { type: "reply", card: { fallback: first?.type === "text" ? first.text : "binome", blocks } };
}

/** What a person sees in binome's home (Slack App Home) and in `/binome status`. */
export async function homeBlocks(deps: FeatureDeps, caller: Caller): Promise<Block[]> {
  const now = deps.clock.now();
  const blocks: Block[] = [];
  const coordinated = programmesWhere(caller, "coordinator");
  if (coordinated.length > 0) {
    const rows = await deps.db.select().from(programmes).where(inArray(programmes.id, coordinated));
    for (const programme of rows)
      blocks.push(...healthBlocks(caller.language, await programmeHealth(deps.db, programme, now)));
  }
  if (hasRole(caller, "mentor") || hasRole(caller, "mentee")) {
    if (blocks.length > 0) blocks.push({ type: "divider" });
    blocks.push(...(await personalBlocks(deps.db, caller, now)));
  }
  return blocks;
}
