import { join, resolve } from "node:path";
import { and, eq, isNotNull, or, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { enrolments, outbox, programmes } from "../../../db/schema.js";
import { pickLanguage } from "../../core/i18n/index.js";
import type { ScheduledTask } from "../../scheduler/index.js";
import { daysBetween } from "../engagement/activity.js";
import { engagementSettings } from "../engagement/settings.js";
import { enqueue, type OutboxMessage } from "../outbox/outbox.repository.js";
import { localMoment } from "../outbox/working-hours.js";
import { attestationFileName, writeAttestation } from "./attestation.pdf.js";
import { resultsCards, thanksCard } from "./closing.cards.js";
import { type MentorContribution, mentorContributions } from "./closing.repository.js";
import { closingResults } from "./closing.results.js";

type ProgrammeRow = typeof programmes.$inferSelect;

/** A programme is closed automatically up to this many days after its end; older ones are left alone. */
export const CLOSING_WINDOW_DAYS = 60;

/** Where a programme's attestations are written under a data folder. */
export const attestationsDir = (dataDir: string, slug: string) => resolve(dataDir, "attestations", slug);

/** The outbox key that marks a programme as closed (its results summary), and its other messages'. */
export const closingKey = (slug: string, ...rest: string[]) => ["closing", slug, ...rest].join(":");

/** Writes one attestation PDF per mentor into `dir`; returns the paths, in the mentors' order. */
export async function writeAttestations(
  programme: ProgrammeRow,
  mentors: MentorContribution[],
  dir: string,
  now: Date,
): Promise<string[]> {
  const settings = engagementSettings(programme);
  const issuedOn = localMoment(now, settings.timeZone).date;
  const paths: string[] = [];
  for (const mentor of mentors) {
    const path = join(dir, attestationFileName(mentor));
    await writeAttestation(path, {
      lang: pickLanguage(mentor.language, settings.language),
      programme: { name: programme.name, startsOn: programme.startsOn, endsOn: programme.endsOn },
      mentor,
      issuedOn,
      issuedAt: now,
    });
    paths.push(path);
  }
  return paths;
}

async function alreadyClosed(db: Database, slug: string): Promise<boolean> {
  const [row] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(or(eq(outbox.key, closingKey(slug)), sql`${outbox.key} like ${`${closingKey(slug)}:%`}`))
    .limit(1);
  return Boolean(row);
}

/**
 * Closes a programme once: writes each mentor's attestation, then in one transaction thanks each
 * mentor in their DM (with their mentees, sessions and hours) and sends the results summary to the
 * coordinators' channel (or to each coordinator when the programme has none). Keys are fixed per
 * programme and person, so running it again writes nothing new. Returns the keys written.
 */
export async function closeProgramme(
  db: Database,
  programme: ProgrammeRow,
  input: { now: Date; dataDir: string },
): Promise<string[]> {
  if (await alreadyClosed(db, programme.slug)) return [];
  const { now } = input;
  const settings = engagementSettings(programme);
  const lang = pickLanguage(settings.language);
  const mentors = await mentorContributions(db, programme.id);
  const dir = attestationsDir(input.dataDir, programme.slug);
  await writeAttestations(programme, mentors, dir, now);
  const results = await closingResults(db, programme);
  const summary = resultsCards(lang, results, { count: mentors.length, where: dir });
  const base = { programmeId: programme.id, dueAt: now };
  const messages: OutboxMessage[] = mentors.map((mentor) => ({
    ...base,
    key: closingKey(programme.slug, "thanks", mentor.id),
    kind: "closing",
    recipientId: mentor.id,
    payload: { card: thanksCard(pickLanguage(mentor.language, settings.language), programme.name, mentor) },
  }));
  if (programme.coordinatorChannel) {
    for (const [i, card] of summary.entries()) {
      messages.push({
        ...base,
        key: i === 0 ? closingKey(programme.slug) : closingKey(programme.slug, "summary", String(i + 1)),
        kind: "closing-summary",
        channel: programme.coordinatorChannel,
        payload: { card },
        dueAt: new Date(now.getTime() + i * 2_000),
      });
    }
  } else {
    const coordinators = await db
      .select({ id: enrolments.participantId })
      .from(enrolments)
      .where(and(eq(enrolments.programmeId, programme.id), eq(enrolments.role, "coordinator")));
    for (const coordinator of coordinators) {
      for (const [i, card] of summary.entries()) {
        messages.push({
          ...base,
          key: closingKey(programme.slug, "summary", coordinator.id, String(i + 1)),
          kind: "closing-summary",
          recipientId: coordinator.id,
          payload: { card },
        });
      }
    }
  }
  const written: string[] = [];
  await db.transaction(async (tx) => {
    if ((await enqueue(tx, messages, now)) > 0) written.push(...messages.map((m) => m.key));
  });
  return written;
}

/**
 * Programmes whose end date has come (in their own zone) in the last `CLOSING_WINDOW_DAYS` days and
 * that are not closed yet are closed. Returns the keys written.
 */
export async function closeEndedProgrammes(db: Database, now: Date, dataDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const programme of await db.select().from(programmes).where(isNotNull(programmes.endsOn))) {
    const today = localMoment(now, engagementSettings(programme).timeZone).date;
    const since = daysBetween(programme.endsOn as string, today);
    if (since < 0 || since > CLOSING_WINDOW_DAYS) continue;
    written.push(...(await closeProgramme(db, programme, { now, dataDir })));
  }
  return written;
}

/** The scheduled task: daily, on one replica; attestations go under `dataDir`. */
export function closingTask(dataDir: string, onWritten: () => void = () => {}): ScheduledTask {
  return {
    name: "closing:daily",
    cron: "40 6 * * *",
    // Whether a programme is due to close is read from its dates and the outbox: one run catches up.
    catchUp: "latest",
    async run(fireAt, { db, log }) {
      const keys = await closeEndedProgrammes(db, fireAt, dataDir);
      if (keys.length === 0) return;
      log.info({ messages: keys.length }, "programmes closed: thanks, attestations and results written");
      onWritten();
    },
  };
}
