import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import {
  checkins,
  difficulties,
  outbox,
  pairs,
  participants,
  programmes,
  sessions,
  surveyResponses,
} from "../../db/schema.js";
import type { Block, Card } from "../../src/core/card.js";
import type { Actor } from "../../src/core/events.js";
import { applySeed, type SeedSpec } from "../../src/features/participants/seed.js";
import { parseProgrammeFile } from "../../src/features/programmes/programme-file.js";
import { applyProgramme } from "../../src/features/programmes/programmes.usecases.js";
import { programmeFixture } from "../support/fixtures.js";

export type ProgrammeRow = typeof programmes.$inferSelect;

/** Monday 30 November 2026, 09:00 in Paris: the default digest time of week 2026-W49. */
export const DIGEST_AT = new Date("2026-11-30T08:00:00Z");
export const WEEK = "2026-W49";
/** The week the digest of DIGEST_AT reports, and the one before, as Paris midnights written by hand. */
export const BOUNDS = {
  weekStart: "2026-11-23T00:00:00+01:00",
  weekEnd: "2026-11-30T00:00:00+01:00",
  previousStart: "2026-11-16T00:00:00+01:00",
};
/** Pairs are made on Monday 7 September 2026, unless a test says otherwise. */
export const PAIRED_AT = "2026-09-07T10:00:00+02:00";

export const slackActor = (userId: string): Actor => ({ platform: "slack", tenantId: "T0TEST", userId });

/** The test programme's file: the fixture's programme, with dates, objectives and survey dates. */
export function programmeFile(extra: string[] = []): string {
  return [
    "slug: cohorte-test",
    "name: Cohorte test",
    "objectives:",
    "  - Un échange par mois au moins",
    "  - Un premier entretien décroché",
    "start: 2026-09-01",
    "end: 2027-06-30",
    "surveys:",
    "  midterm: 2026-12-15",
    "coordinators:",
    "  - claire@example.org",
    "coordinatorChannel: slack:C0COORD",
    ...extra,
  ].join("\n");
}

/**
 * The fixture (Claire coordinates; Marc, Sophie mentor Léa, Hugo, Inès) plus `extraPairs` pairs of
 * generated people (mentor `m<i>`, mentee `e<i>`, one mentor per three mentees), under the programme
 * file. Every pair was made on PAIRED_AT and was last active on 27 November (nobody quiet).
 */
export async function seedProgramme(
  db: Database,
  options: { extraPairs?: number; file?: string } = {},
): Promise<{ programme: ProgrammeRow; ids: Record<string, string>; pairIds: Record<string, string> }> {
  const extra = options.extraPairs ?? 0;
  const mentors = Math.ceil(extra / 3);
  const spec: SeedSpec = {
    ...programmeFixture,
    people: [
      ...programmeFixture.people,
      ...Array.from({ length: mentors }, (_, i) => ({
        key: `m${i}`,
        name: `Mentor${String(i).padStart(3, "0")} Test`,
        email: `m${i}@example.org`,
        roles: ["mentor" as const],
        identities: [{ platform: "slack" as const, tenantId: "T0TEST", userId: `UM${i}` }],
      })),
      ...Array.from({ length: extra }, (_, i) => ({
        key: `e${i}`,
        name: `Mentee${String(i).padStart(3, "0")} Test`,
        email: `e${i}@example.org`,
        roles: ["mentee" as const],
        identities: [{ platform: "slack" as const, tenantId: "T0TEST", userId: `UE${i}` }],
      })),
    ],
    pairs: [
      ...(programmeFixture.pairs ?? []),
      ...Array.from({ length: extra }, (_, i) => [`m${i % mentors}`, `e${i}`] as [string, string]),
    ],
  };
  const { ids } = await applySeed(db, spec);
  const parsed = parseProgrammeFile(options.file ?? programmeFile());
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const applied = await applyProgramme({ db }, parsed.programme, parsed.lineOf);
  if (!applied.ok) throw new Error(JSON.stringify(applied));
  const [programme] = await db.select().from(programmes).where(eq(programmes.id, applied.programme.id));
  await db
    .update(pairs)
    .set({ createdAt: new Date(PAIRED_AT), lastActivityOn: "2026-11-27", nextCheckinOn: "2026-12-10" })
    .where(eq(pairs.programmeId, applied.programme.id));
  const rows = await db.select().from(pairs).where(eq(pairs.programmeId, applied.programme.id));
  const keyOf = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
  const pairIds = Object.fromEntries(rows.map((p) => [keyOf.get(p.menteeId) as string, p.id]));
  return { programme: programme as ProgrammeRow, ids, pairIds };
}

/** Seeding helpers that write rows as binome's features would have. */
export function rowsFor(db: Database, programmeId: string) {
  let round = 0;
  return {
    async session(pairId: string, heldOn: string, minutes: number) {
      await db.insert(sessions).values({ pairId, heldOn, durationMinutes: minutes, topics: "CV", source: "test" });
    },
    /** A check-in question delivered at `sentAt` (or still waiting), answered or not. */
    async checkin(
      pairId: string,
      personId: string,
      input: {
        sentAt?: string;
        answer?: string;
        answeredAt?: string;
        usefulness?: number;
        note?: string;
        noteShared?: boolean;
      },
    ) {
      round += 1;
      const created = new Date(input.sentAt ?? "2026-11-01T09:00:00Z");
      const [row] = await db
        .insert(checkins)
        .values({
          programmeId,
          pairId,
          participantId: personId,
          round,
          since: "2026-11-01",
          answer: input.answer ?? null,
          answeredAt: input.answeredAt ? new Date(input.answeredAt) : null,
          usefulness: input.usefulness ?? null,
          note: input.note ?? null,
          noteShared: input.noteShared ?? false,
          createdAt: created,
        })
        .returning();
      const id = row?.id as string;
      await db.insert(outbox).values({
        key: `checkin:${id}`,
        kind: "checkin",
        programmeId,
        pairId,
        recipientId: personId,
        payload: {},
        status: input.sentAt ? "sent" : "pending",
        dueAt: created,
        createdAt: created,
        sentAt: input.sentAt ? created : null,
      });
      return id;
    },
    async survey(
      personId: string,
      input: {
        pairId?: string;
        moment?: "midterm" | "end";
        audience?: "mentee" | "mentor";
        status?: string;
        createdAt: string;
        completedAt?: string;
        reminders?: number;
        closesOn?: string;
        answers?: Record<string, unknown>;
      },
    ) {
      const [row] = await db
        .insert(surveyResponses)
        .values({
          programmeId,
          participantId: personId,
          pairId: input.pairId ?? null,
          moment: input.moment ?? "midterm",
          audience: input.audience ?? "mentee",
          definition: {},
          answers: input.answers ?? {},
          status: input.status ?? "invited",
          language: "fr",
          closesOn: input.closesOn ?? "2026-12-31",
          remindersSent: input.reminders ?? 0,
          createdAt: new Date(input.createdAt),
          completedAt: input.completedAt ? new Date(input.completedAt) : null,
          updatedAt: new Date(input.createdAt),
        })
        .returning({ id: surveyResponses.id });
      return row?.id as string;
    },
    async difficulty(pairId: string, personId: string, text: string, createdAt: string) {
      const [row] = await db
        .insert(difficulties)
        .values({ programmeId, raisedBy: personId, pairId, source: "command", text, createdAt: new Date(createdAt) })
        .returning({ id: difficulties.id });
      return row?.id as string;
    },
    async deadLetter(personId: string, createdAt: string) {
      await db.insert(outbox).values({
        key: `test-dead:${personId}:${createdAt}`,
        kind: "nudge",
        programmeId,
        recipientId: personId,
        payload: {},
        status: "dead",
        dueAt: new Date(createdAt),
        createdAt: new Date(createdAt),
      });
    },
    async quietSince(pairId: string, date: string) {
      await db.update(pairs).set({ lastActivityOn: date }).where(eq(pairs.id, pairId));
    },
    async unreachable(personId: string, at: string) {
      await db.execute(
        sql`update identities set unreachable_at = ${at}::timestamptz where participant_id = ${personId}`,
      );
    },
    async rename(personId: string, name: string) {
      await db.update(participants).set({ name }).where(eq(participants.id, personId));
    },
  };
}

/** Everything a reader can see of a card, and every value a click would send. */
export function cardText(card: Card): string {
  const blockText = (b: Block): string => {
    switch (b.type) {
      case "header":
      case "text":
        return b.text;
      case "fields":
        return b.fields.map((f) => `${f.label}: ${f.value}`).join("\n");
      case "actions":
        return b.buttons.map((x) => `[${x.label}|${x.actionId}|${x.value}]`).join(" ");
      case "choice":
        return `${b.label} ${b.options.map((o) => o.label).join(" ")}`;
      default:
        return "";
    }
  };
  return [card.fallback, ...card.blocks.map(blockText)].join("\n");
}
