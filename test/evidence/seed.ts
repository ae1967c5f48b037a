import { and, eq, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client.js";
import {
  attentionHandled,
  charterAgreements,
  checkins,
  conversationReferences,
  difficulties,
  identities,
  matchProposals,
  outbox,
  pairs,
  profiles,
  programmes,
  sessions,
  surveyResponses,
} from "../../db/schema.js";
import { applySeed } from "../../src/features/participants/seed.js";
import { programmeFixture } from "../support/fixtures.js";

/** Léa's Teams ids, besides her Slack id `ULEA` from the fixture. */
export const LEA_AAD_ID = "7f3c2a10-5b1e-4c7d-9a8e-1d2c3b4a5e6f";
export const LEA_TEAMS_CHAT_ID = "29:1leaTeamsChatUser";

/** The text of Léa's private check-in note: it must never reach an evidence document. */
export const PRIVATE_NOTE = "Je n'ose pas lui dire que je m'ennuie";
export const SHARED_NOTE = "Très utile, merci Marc";

/** A small mid-term survey as it is stored with a response: the definition travels with the answers. */
export const MIDTERM_DEFINITION = {
  id: "midterm-mentee",
  title: { fr: "Bilan de mi-parcours", en: "Mid-programme check-in" },
  audience: "mentee",
  questions: [
    {
      id: "relationship",
      kind: "yesno",
      text: { fr: "Votre relation de mentorat est-elle bien lancée ?", en: "Is your mentoring up and running?" },
      optional: false,
      raisesDifficulty: false,
    },
    {
      id: "satisfaction",
      kind: "scale",
      min: 1,
      max: 5,
      text: { fr: "Comment jugez-vous vos échanges ?", en: "How do you rate your conversations?" },
      labels: { fr: ["décevants", "excellents"], en: ["disappointing", "excellent"] },
      optional: false,
    },
    {
      id: "format",
      kind: "choice",
      text: { fr: "Comment vous rencontrez-vous ?", en: "How do you meet?" },
      options: [
        { id: "onsite", fr: "Sur place", en: "On site" },
        { id: "video", fr: "En visioconférence", en: "By video call" },
      ],
      optional: false,
    },
    {
      id: "comment",
      kind: "text",
      text: { fr: "Un mot sur vos échanges ?", en: "A word about your conversations?" },
      optional: true,
      raisesDifficulty: false,
    },
  ],
};

/** What the seeded programme holds, as the tests compute it themselves. */
export interface EvidenceSeed {
  programmeId: string;
  ids: Record<string, string>;
  pairIds: { lea: string; hugo: string; ines: string };
  sessions: Array<{
    pair: "lea" | "hugo";
    heldOn: string;
    durationMinutes: number;
    topics: string;
    nextSteps?: string;
  }>;
}

const at = (iso: string) => new Date(iso);
const card = (fallback: string) => ({ card: { fallback, blocks: [{ type: "text", text: fallback }] } });

/**
 * The fixture programme (Marc mentors Léa and Hugo, Sophie mentors Inès) with what a few weeks
 * leave behind: sessions, check-ins (one private note, one shared), messages sent and waiting, a
 * survey answered, a difficulty handled and one open, a matching proposal, profiles, a charter, and
 * Léa's Teams identity with its conversation reference.
 */
export async function seedEvidence(db: Database): Promise<EvidenceSeed> {
  const { programmeId, ids } = await applySeed(db, programmeFixture);
  const id = (key: string) => ids[key] as string;
  await db
    .update(programmes)
    .set({ startsOn: "2026-09-01", endsOn: "2027-02-26" })
    .where(eq(programmes.id, programmeId));
  await db
    .insert(identities)
    .values({ participantId: id("lea"), platform: "teams", tenantId: "tenant-1", userId: LEA_AAD_ID });
  await db.insert(conversationReferences).values({
    platform: "teams",
    conversationId: "a:1leaPersonalChat",
    conversationType: "personal",
    userId: LEA_AAD_ID,
    channelUserId: LEA_TEAMS_CHAT_ID,
    tenantId: "tenant-1",
    serviceUrl: "https://smba.example/emea/",
    botId: "28:binome-bot",
    updatedAt: at("2026-09-16T08:00:00Z"),
  });

  const pairOf = async (mentee: string) => {
    const [row] = await db
      .select({ id: pairs.id })
      .from(pairs)
      .where(eq(pairs.menteeId, id(mentee)));
    return (row as { id: string }).id;
  };
  const pairIds = { lea: await pairOf("lea"), hugo: await pairOf("hugo"), ines: await pairOf("ines") };
  await db
    .update(pairs)
    .set({
      createdAt: at("2026-09-15T08:00:00Z"),
      match: { score: 82, reasons: [{ kind: "skills", points: 40, values: { shared: ["CV"], wanted: 1 } }] },
    })
    .where(eq(pairs.id, pairIds.lea));

  const seededSessions: EvidenceSeed["sessions"] = [
    {
      pair: "lea",
      heldOn: "2026-10-05",
      durationMinutes: 60,
      topics: "Préparation de l'entretien annuel",
      nextSteps: "Relire le CV avant le 12/10",
    },
    { pair: "lea", heldOn: "2026-11-02", durationMinutes: 45, topics: "Prise de parole en réunion" },
    { pair: "hugo", heldOn: "2026-10-20", durationMinutes: 30, topics: "Découverte du métier de technicien" },
  ];
  for (const s of seededSessions) {
    await db.insert(sessions).values({
      pairId: pairIds[s.pair],
      loggedBy: id("marc"),
      heldOn: s.heldOn,
      durationMinutes: s.durationMinutes,
      topics: s.topics,
      nextSteps: s.nextSteps ?? null,
      source: "command",
    });
  }

  const [first, second, hugoCheckin] = await db
    .insert(checkins)
    .values([
      {
        programmeId,
        pairId: pairIds.lea,
        participantId: id("lea"),
        round: 1,
        since: "2026-09-15",
        answer: "met",
        answeredAt: at("2026-10-06T12:00:00Z"),
        usefulness: 4,
        note: PRIVATE_NOTE,
        noteShared: false,
        createdAt: at("2026-10-06T08:00:00Z"),
      },
      {
        programmeId,
        pairId: pairIds.lea,
        participantId: id("lea"),
        round: 2,
        since: "2026-10-06",
        answer: "met",
        answeredAt: at("2026-11-03T12:00:00Z"),
        usefulness: 5,
        note: SHARED_NOTE,
        noteShared: true,
        createdAt: at("2026-11-03T08:00:00Z"),
      },
      {
        programmeId,
        pairId: pairIds.hugo,
        participantId: id("hugo"),
        round: 1,
        since: "2026-09-15",
        createdAt: at("2026-10-06T08:00:00Z"),
      },
    ])
    .returning({ id: checkins.id });

  const base = { programmeId, createdAt: at("2026-09-15T08:00:00Z"), dueAt: at("2026-09-15T08:00:00Z") };
  await db.insert(outbox).values([
    {
      ...base,
      key: `checkin:${first?.id}`,
      kind: "checkin",
      recipientId: id("lea"),
      pairId: pairIds.lea,
      payload: card("Bonjour ! Avez-vous échangé avec Marc depuis le 15 sept. ?"),
      status: "sent",
      sentAt: at("2026-10-06T08:05:00Z"),
    },
    {
      ...base,
      key: `checkin:${second?.id}`,
      kind: "checkin",
      recipientId: id("lea"),
      pairId: pairIds.lea,
      payload: card("Bonjour ! Avez-vous échangé avec Marc depuis le 6 oct. ?"),
      status: "sent",
      sentAt: at("2026-11-03T08:05:00Z"),
    },
    {
      ...base,
      key: `ladder:${pairIds.lea}:2026-11-02:0:${id("lea")}`,
      kind: "nudge",
      recipientId: id("lea"),
      pairId: pairIds.lea,
      payload: card("Léa, cela fait 14 jours sans échange avec Marc : un café cette semaine ?"),
      status: "sent",
      sentAt: at("2026-11-16T09:00:00Z"),
    },
    {
      ...base,
      key: `ladder:${pairIds.lea}:2026-11-02:1:${id("lea")}`,
      kind: "nudge",
      recipientId: id("lea"),
      pairId: pairIds.lea,
      payload: card("Message encore en attente, jamais envoyé"),
      status: "pending",
    },
    {
      ...base,
      key: `checkin:${hugoCheckin?.id}`,
      kind: "checkin",
      recipientId: id("hugo"),
      pairId: pairIds.hugo,
      payload: card("Bonjour ! Avez-vous échangé avec Marc depuis le 15 sept. ?"),
      status: "sent",
      sentAt: at("2026-10-06T08:05:00Z"),
    },
    {
      ...base,
      key: `intro:${pairIds.lea}`,
      kind: "introduction",
      groupWith: [id("marc"), id("lea")],
      pairId: pairIds.lea,
      payload: {
        group: card("Léa Petit, voici Marc Dubois, votre mentor."),
        each: {
          [id("marc")]: card("Marc, voici Léa, votre mentorée."),
          [id("lea")]: card("Léa, voici Marc, votre mentor."),
        },
      },
      status: "sent",
      sentAt: at("2026-09-15T08:01:00Z"),
    },
    {
      ...base,
      key: "difficulty:lea-1",
      kind: "coordinator-notice",
      channel: "slack:C0COORD",
      pairId: pairIds.lea,
      payload: card(
        "Léa Petit (binôme avec Marc Dubois) signale une difficulté (ULEA) :\n« Mon mentor annule souvent nos rendez-vous »",
      ),
      status: "sent",
      sentAt: at("2026-10-20T10:01:00Z"),
    },
  ]);

  await db.insert(surveyResponses).values([
    {
      programmeId,
      participantId: id("lea"),
      pairId: pairIds.lea,
      moment: "midterm",
      audience: "mentee",
      definition: MIDTERM_DEFINITION,
      answers: {
        relationship: { value: "yes" },
        satisfaction: { value: "4" },
        format: { value: "video" },
        comment: { value: "Des échanges très concrets" },
      },
      history: ["relationship", "satisfaction", "format", "comment"],
      status: "completed",
      language: "fr",
      closesOn: "2026-11-30",
      createdAt: at("2026-11-09T09:00:00Z"),
      startedAt: at("2026-11-09T09:30:00Z"),
      completedAt: at("2026-11-10T10:00:00Z"),
      updatedAt: at("2026-11-10T10:00:00Z"),
    },
    {
      programmeId,
      participantId: id("hugo"),
      pairId: pairIds.hugo,
      moment: "midterm",
      audience: "mentee",
      definition: MIDTERM_DEFINITION,
      status: "invited",
      language: "fr",
      closesOn: "2026-11-30",
      createdAt: at("2026-11-09T09:00:00Z"),
      updatedAt: at("2026-11-09T09:00:00Z"),
    },
  ]);

  await db.insert(difficulties).values([
    {
      programmeId,
      raisedBy: id("lea"),
      pairId: pairIds.lea,
      source: "command",
      text: "Mon mentor annule souvent nos rendez-vous",
      status: "handled",
      createdAt: at("2026-10-20T10:00:00Z"),
      handledBy: id("claire"),
      handledAt: at("2026-10-22T15:00:00Z"),
    },
    {
      programmeId,
      raisedBy: id("hugo"),
      pairId: pairIds.hugo,
      source: "checkin",
      text: "Pas de nouvelles de mon mentor",
      status: "open",
      createdAt: at("2026-11-05T10:00:00Z"),
    },
  ]);

  await db.insert(profiles).values([
    {
      programmeId,
      participantId: id("lea"),
      role: "mentee",
      answers: { languages: ["fr"], goals: ["Prendre la parole en réunion"] },
      updatedAt: at("2026-09-10T08:00:00Z"),
    },
    {
      programmeId,
      participantId: id("hugo"),
      role: "mentee",
      answers: { languages: ["fr"], goals: ["Découvrir le métier"] },
      updatedAt: at("2026-09-10T08:00:00Z"),
    },
  ]);
  await db.insert(matchProposals).values({
    programmeId,
    status: "approved",
    result: { pairs: [{ mentorId: id("marc"), menteeId: id("lea"), mentee: "Léa Petit", score: 82 }] },
    createdBy: id("claire"),
    createdAt: at("2026-09-14T08:00:00Z"),
    decidedBy: id("claire"),
    decidedAt: at("2026-09-15T08:00:00Z"),
  });
  await db.insert(charterAgreements).values({
    pairId: pairIds.lea,
    participantId: id("lea"),
    agreedAt: at("2026-09-16T08:00:00Z"),
  });
  await db.insert(attentionHandled).values({
    pairId: pairIds.lea,
    reason: "quiet:2026-11-02",
    handledBy: id("claire"),
    handledAt: at("2026-11-17T08:00:00Z"),
  });
  return { programmeId, ids, pairIds, sessions: seededSessions };
}

/** Every row of every table of the public schema as JSON text, by table: the scan the erasure tests rely on. */
export async function everyRow(db: Database): Promise<Array<{ table: string; row: string }>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const all: Array<{ table: string; row: string }> = [];
  for (const { name } of tables) {
    const rows = await queryRows<{ row: string }>(
      db,
      sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t`,
    );
    for (const { row } of rows) all.push({ table: name, row });
  }
  return all;
}

/** What identifies a person in stored text; names and emails in any case. */
export interface Identifiers {
  exact: string[];
  anyCase: string[];
}

/** The rows of the scan that mention the person. */
export function mentioning(rows: Array<{ table: string; row: string }>, who: Identifiers) {
  return rows.filter(
    ({ row }) =>
      who.exact.some((text) => row.includes(text)) ||
      who.anyCase.some((text) => row.toLowerCase().includes(text.toLowerCase())),
  );
}

/** Total minutes of the sessions stored for a programme, read straight from the table. */
export async function storedMinutes(db: Database, programmeId: string): Promise<number> {
  const [row] = await db
    .select({ minutes: sql<number>`coalesce(sum(${sessions.durationMinutes}), 0)::int` })
    .from(sessions)
    .innerJoin(pairs, and(eq(pairs.id, sessions.pairId), eq(pairs.programmeId, programmeId)));
  return Number(row?.minutes ?? 0);
}
