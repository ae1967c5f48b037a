import { and, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { difficulties, pairs, participants, programmes } from "../../../db/schema.js";
import type { Card } from "../../core/card.js";
import { UserFacingError } from "../../core/errors.js";
import type { Outcome } from "../../core/events.js";
import { formatDate, type Language, pickLanguage, t } from "../../core/i18n/index.js";
import { type Caller, programmesWhere } from "../commands/caller.js";
import { type FeatureDeps, inTransaction } from "../commands/feature.js";
import { enqueue, updateTargetOf } from "../outbox/outbox.repository.js";
import { localMoment } from "../outbox/working-hours.js";

type ProgrammeRow = typeof programmes.$inferSelect;
export type DifficultyRow = typeof difficulties.$inferSelect;
export type DifficultySource = "command" | "checkin" | "survey" | "ladder";

export const DIFFICULTY_FORM = "difficulty.raise";
export const MAX_DIFFICULTY_TEXT = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The card in the coordinators' channel: who, with whom, what they wrote, and its status. */
export function difficultyCard(
  lang: Language,
  input: { difficulty: DifficultyRow; person: string; other?: string; handledBy?: string; timeZone: string },
): Card {
  const { difficulty } = input;
  const names = { person: input.person, other: input.other ?? "" };
  // A tap on "tell the coordinators" carries no text: the card says what the tap meant.
  const head =
    !difficulty.text && difficulty.source === "checkin"
      ? t(lang, "checkin.help.toCoordinators", names)
      : !difficulty.text && difficulty.source === "ladder"
        ? t(lang, "nudge.ask.toCoordinators", names)
        : t(lang, input.other ? "difficulty.card.withPair" : "difficulty.card.alone", {
            ...names,
            source: t(lang, `difficulty.source.${difficulty.source}` as never),
          });
  const text = difficulty.text ? `${head}\n« ${difficulty.text} »` : head;
  const blocks: Card["blocks"] = [{ type: "text", text }];
  if (difficulty.status === "handled" && difficulty.handledAt) {
    const date = formatDate(lang, localMoment(difficulty.handledAt, input.timeZone).date);
    blocks.push({
      type: "text",
      text: t(lang, "difficulty.card.handled", { who: input.handledBy ?? "—", date }),
      style: "muted",
    });
  } else {
    blocks.push({
      type: "actions",
      buttons: [
        {
          actionId: "difficulty.handle",
          label: t(lang, "difficulty.markHandled"),
          value: difficulty.id,
          style: "primary",
        },
      ],
    });
  }
  return { fallback: head, blocks };
}

async function names(db: Database, ids: Array<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = ids.filter((id): id is string => Boolean(id));
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: participants.id, name: participants.name })
    .from(participants)
    .where(inArray(participants.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Who raised a difficulty, about which pair, from where; the text is optional. */
interface NewDifficulty {
  programme: ProgrammeRow;
  raisedBy: string;
  pairId?: string | null;
  source: DifficultySource;
  text?: string;
}

/**
 * Records a difficulty and tells the coordinators in their channel (through the outbox, so a
 * platform error does not lose it). The text is shown to coordinators only.
 */
export async function raiseDifficulty(
  deps: Pick<FeatureDeps, "db" | "clock" | "outboxChanged">,
  input: NewDifficulty,
): Promise<DifficultyRow> {
  return inTransaction(deps, (deps) => insertDifficulty(deps, input));
}

async function insertDifficulty(
  deps: Pick<FeatureDeps, "db" | "clock" | "outboxChanged">,
  input: NewDifficulty,
): Promise<DifficultyRow> {
  const { db, clock } = deps;
  const now = clock.now();
  const [row] = await db
    .insert(difficulties)
    .values({
      programmeId: input.programme.id,
      raisedBy: input.raisedBy,
      pairId: input.pairId ?? null,
      source: input.source,
      text: (input.text ?? "").trim().slice(0, MAX_DIFFICULTY_TEXT),
      createdAt: now,
    })
    .returning();
  const difficulty = row as DifficultyRow;
  if (input.programme.coordinatorChannel) {
    const [pair] = difficulty.pairId ? await db.select().from(pairs).where(eq(pairs.id, difficulty.pairId)) : [];
    const otherId = pair ? (pair.menteeId === input.raisedBy ? pair.mentorId : pair.menteeId) : undefined;
    const known = await names(db, [input.raisedBy, otherId]);
    await enqueue(
      db,
      [
        {
          key: `difficulty:${difficulty.id}`,
          kind: "coordinator-notice",
          programmeId: input.programme.id,
          pairId: difficulty.pairId,
          channel: input.programme.coordinatorChannel,
          payload: {
            card: difficultyCard(pickLanguage(input.programme.defaultLanguage), {
              difficulty,
              person: known.get(input.raisedBy) ?? "—",
              ...(otherId ? { other: known.get(otherId) ?? "—" } : {}),
              timeZone: input.programme.timeZone,
            }),
          },
          dueAt: now,
        },
      ],
      now,
    );
    deps.outboxChanged();
  }
  return difficulty;
}

/** The programme and pair a participant's difficulty belongs to: their first programme as mentee or mentor. */
async function contextOf(db: Database, caller: Caller): Promise<{ programme: ProgrammeRow; pairId: string | null }> {
  const ids = [...programmesWhere(caller, "mentee"), ...programmesWhere(caller, "mentor")];
  if (ids.length === 0) throw new UserFacingError("difficulty.notParticipant");
  const me = caller.participant.id;
  const [pair] = await db
    .select()
    .from(pairs)
    .where(
      and(
        inArray(pairs.programmeId, ids),
        eq(pairs.status, "active"),
        or(eq(pairs.menteeId, me), eq(pairs.mentorId, me)),
      ),
    );
  const programmeId = pair?.programmeId ?? (ids[0] as string);
  const [programme] = await db.select().from(programmes).where(eq(programmes.id, programmeId));
  return { programme: programme as ProgrammeRow, pairId: pair?.id ?? null };
}

/** `/binome help me <text>`: with text, raised at once; without, a form to write it. */
export async function raiseCommand(deps: FeatureDeps, caller: Caller, args: string): Promise<Outcome> {
  const lang = caller.language;
  const { programme, pairId } = await contextOf(deps.db, caller);
  const text = args.trim();
  if (text === "") {
    return {
      type: "form",
      form: {
        formId: DIFFICULTY_FORM,
        title: t(lang, "difficulty.form.title"),
        submitLabel: t(lang, "difficulty.form.submit"),
        cancelLabel: t(lang, "log.form.cancel"),
        blocks: [
          { type: "text", text: t(lang, "difficulty.form.intro"), style: "muted" },
          {
            type: "input",
            id: "text",
            label: t(lang, "difficulty.form.label"),
            kind: "multiline",
            required: true,
            maxLength: MAX_DIFFICULTY_TEXT,
          },
        ],
      },
    };
  }
  if (text.length > MAX_DIFFICULTY_TEXT) throw new UserFacingError("difficulty.tooLong", { max: MAX_DIFFICULTY_TEXT });
  await raiseDifficulty(deps, { programme, raisedBy: caller.participant.id, pairId, source: "command", text });
  return {
    type: "reply",
    card: { fallback: t(lang, "difficulty.raised"), blocks: [{ type: "text", text: t(lang, "difficulty.raised") }] },
  };
}

export async function submitDifficultyForm(
  deps: FeatureDeps,
  caller: Caller,
  values: Record<string, string>,
): Promise<Outcome> {
  const text = (values.text ?? "").trim();
  const lang = caller.language;
  if (text === "") return { type: "formErrors", errors: { text: t(lang, "difficulty.form.empty") } };
  if (text.length > MAX_DIFFICULTY_TEXT)
    return { type: "formErrors", errors: { text: t(lang, "difficulty.tooLong", { max: MAX_DIFFICULTY_TEXT }) } };
  return raiseCommand(deps, caller, text);
}

/** "Mark handled" under a difficulty: coordinators of its programme only; the channel card shows who and when. */
export async function markHandled(deps: FeatureDeps, caller: Caller, id: string): Promise<Outcome> {
  const lang = caller.language;
  const [row] = UUID.test(id) ? await deps.db.select().from(difficulties).where(eq(difficulties.id, id)) : [];
  if (!row) throw new UserFacingError("difficulty.unknown");
  if (!programmesWhere(caller, "coordinator").includes(row.programmeId)) {
    throw new UserFacingError("command.forbidden", { role: t(lang, "role.coordinator") });
  }
  if (row.status === "handled")
    return {
      type: "reply",
      card: {
        fallback: t(lang, "difficulty.alreadyHandled"),
        blocks: [{ type: "text", text: t(lang, "difficulty.alreadyHandled") }],
      },
    };
  // Handled and the card's update go together: a failure keeps neither, so the retry works.
  await inTransaction(deps, async (deps) => {
    const now = deps.clock.now();
    const [saved] = await deps.db
      .update(difficulties)
      .set({ status: "handled", handledBy: caller.participant.id, handledAt: now })
      .where(and(eq(difficulties.id, id), eq(difficulties.status, "open")))
      .returning();
    const [programme] = await deps.db.select().from(programmes).where(eq(programmes.id, row.programmeId));
    const target = await updateTargetOf(deps.db, `difficulty:${id}`);
    if (saved && target && programme) {
      const [pair] = saved.pairId ? await deps.db.select().from(pairs).where(eq(pairs.id, saved.pairId)) : [];
      const otherId = pair ? (pair.menteeId === saved.raisedBy ? pair.mentorId : pair.menteeId) : undefined;
      const known = await names(deps.db, [saved.raisedBy, otherId]);
      await enqueue(
        deps.db,
        [
          {
            key: `update:difficulty:${id}`,
            kind: "update",
            programmeId: programme.id,
            channel: programme.coordinatorChannel,
            payload: {
              card: difficultyCard(pickLanguage(programme.defaultLanguage), {
                difficulty: saved,
                person: known.get(saved.raisedBy) ?? "—",
                ...(otherId ? { other: known.get(otherId) ?? "—" } : {}),
                handledBy: caller.participant.name,
                timeZone: programme.timeZone,
              }),
              ...target,
            },
            dueAt: now,
          },
        ],
        now,
      );
      deps.outboxChanged();
    }
  });
  return {
    type: "reply",
    card: { fallback: t(lang, "difficulty.handled"), blocks: [{ type: "text", text: t(lang, "difficulty.handled") }] },
  };
}
