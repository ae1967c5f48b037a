import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TeamsActivity } from "../../adapters/teams/activity.js";
import { createTeamsAdapter } from "../../adapters/teams/index.js";
import type { AdaptiveCard } from "../../adapters/teams/renderer.js";
import type { DatabaseHandle } from "../../db/client.js";
import { pairs, participants, surveyResponses } from "../../db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { attentionGate } from "../../src/features/attention/gate.js";
import { createBot } from "../../src/features/commands/router.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import { applySeed } from "../../src/features/participants/seed.js";
import { programmeFileSchema, withDefaults } from "../../src/features/programmes/programme-file.js";
import { applyProgramme } from "../../src/features/programmes/programmes.usecases.js";
import { surveyTick } from "../../src/features/surveys/surveys.task.js";
import { createHttpServer } from "../../src/http/server.js";
import { type FakeBotConnector, startFakeBotConnector } from "../support/fake-bot-connector.js";
import { type LastingStore, lastingStore } from "../support/lasting-store.js";
import { cardActions, type TeamsPerson, teamsClick, teamsMessage } from "../support/teams-activities.js";
import { people, teamsFixture, visibleText } from "./harness.js";

/** Monday 14 December 2026, 11:00 in Paris: the programme's mid-term survey date. */
const MIDTERM = "2026-12-14";
const AT_MIDTERM = "2026-12-14T10:00:00Z";

/** binome's Teams front door in this process (core, Agents SDK adapter, outbox worker) on an open database. */
async function teamsBinome(handle: DatabaseHandle, clock: ManualClock) {
  const bot = createBot({ db: handle.db, clock, log: silentLogger });
  const adapter = createTeamsAdapter({
    bot,
    db: handle.db,
    clock,
    log: silentLogger,
    env: { NODE_ENV: "test", TEAMS_DEV_NO_AUTH: true },
  });
  const worker = new OutboxWorker({
    db: handle.db,
    clock,
    log: silentLogger,
    ports: [adapter.chatPort],
    gate: attentionGate(handle.db),
  });
  const server: Server = createHttpServer([...adapter.routes], silentLogger);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    worker,
    async post(activity: TeamsActivity): Promise<number> {
      const response = await fetch(`${base}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(activity),
      });
      await response.text();
      return response.status;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await adapter.stop?.();
    },
  };
}

/**
 * Issue 6, item 2 on Teams: Léa takes the mid-term survey in her 1:1 chat with the bot, by
 * `Action.Submit` clicks and typed replies, and binome is rebuilt (new core and adapter, database
 * closed and reopened) between two questions.
 */
describe("Teams: a survey taken by clicks and typed replies, across a restart", () => {
  let store: LastingStore;
  let connector: FakeBotConnector;
  let handle: DatabaseHandle | undefined;
  let binome: Awaited<ReturnType<typeof teamsBinome>> | undefined;
  const clock = new ManualClock(AT_MIDTERM);
  let leaId: string;
  const lea = people.lea;
  const place = (person: TeamsPerson) => ({
    serviceUrl: connector.serviceUrl,
    conversationId: `a:personal-${person.aadObjectId}`,
  });
  const inLeaChat = () =>
    connector.calls.filter(
      (c) => c.method === "POST" && c.path.startsWith(`/v3/conversations/a:personal-${lea.aadObjectId}/activities`),
    );
  const cardOf = (body: Record<string, unknown> | undefined): AdaptiveCard => {
    const attachments = (body?.attachments ?? []) as Array<{ content: AdaptiveCard }>;
    return attachments[0]?.content as AdaptiveCard;
  };
  const titles = (card: AdaptiveCard) => cardActions(card).map((a) => `${a.type} ${a.title}`);
  /** The next message in Léa's chat: a reply in the turn, or a message the outbox delivers. */
  async function next(act: () => Promise<unknown>): Promise<Record<string, unknown>> {
    const before = inLeaChat().length;
    await act();
    await binome?.worker.drain();
    const sent = inLeaChat().slice(before);
    expect(sent, "one message in Léa's chat").toHaveLength(1);
    return sent[0]?.body ?? {};
  }
  const click = (card: AdaptiveCard, title: string) =>
    next(async () => expect(await binome?.post(teamsClick(card, title, lea, place(lea)))).toBe(200));
  const type = (text: string) =>
    next(async () => expect(await binome?.post(teamsMessage(lea, text, place(lea)))).toBe(200));
  const saved = async () => {
    const [row] = await (handle as DatabaseHandle).db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.participantId, leaId));
    return row;
  };

  // A fresh PGlite folder runs initdb: seconds, more on a busy machine.
  beforeAll(async () => {
    store = await lastingStore();
    connector = await startFakeBotConnector();
    handle = await store.open();
    await applySeed(handle.db, teamsFixture);
    const programme = withDefaults(
      programmeFileSchema.parse({
        slug: teamsFixture.programme.slug,
        name: teamsFixture.programme.name,
        start: "2026-11-16",
        end: "2027-01-15",
        surveys: { midterm: MIDTERM },
        attention: { holidays: false },
      }),
    );
    expect((await applyProgramme({ db: handle.db }, programme)).ok).toBe(true);
    const [row] = await handle.db.select().from(participants).where(eq(participants.email, "lea@example.org"));
    leaId = row?.id as string;
    // Only Léa's pair runs: the survey of one person is what this test follows.
    await handle.db.update(pairs).set({ status: "ended" });
    await handle.db.update(pairs).set({ status: "active" }).where(eq(pairs.menteeId, leaId));
    binome = await teamsBinome(handle, clock);
    // Léa has written to the bot once: binome knows where to reach her.
    expect(await binome.post(teamsMessage(lea, "help", place(lea)))).toBe(200);
    connector.reset();
  }, 180_000);

  afterAll(async () => {
    await binome?.close();
    await handle?.close();
    await connector?.close();
    await store?.cleanup();
  });

  let current: AdaptiveCard;

  it("asks the first question as an Adaptive Card and takes a click, a hint and a typed answer", async () => {
    const invitation = await next(async () =>
      expect(
        await surveyTick({ db: (handle as DatabaseHandle).db, clock, outboxChanged: () => {} }, clock.now()),
      ).toEqual({ invited: 2, reminded: 0, closed: 0 }),
    );
    expect(visibleText(invitation)).toBe(
      [
        "Bilan de mi-parcours",
        "Quelques questions sur votre binôme, deux minutes au plus. Vous pouvez passer une question à tout moment.",
        "Question 1/5",
        "Votre relation de mentorat est-elle bien lancée (premiers échanges faits, rythme trouvé) ?",
      ].join("\n"),
    );
    expect(titles(cardOf(invitation))).toEqual(["Action.Submit Oui", "Action.Submit Non", "Action.Submit Passer"]);

    const satisfaction = await click(cardOf(invitation), "Oui");
    expect(visibleText(satisfaction)).toBe(
      [
        "Bilan de mi-parcours · Question 2/5",
        "Jusqu'ici, comment jugez-vous vos échanges avec votre mentor ?",
        "1 = décevants · 5 = excellents",
      ].join("\n"),
    );
    expect(titles(cardOf(satisfaction))).toEqual(
      ["1", "2", "3", "4", "5", "Passer", "Retour"].map((t) => `Action.Submit ${t}`),
    );

    expect(visibleText(await type("douze"))).toBe(
      "Répondez par un nombre de 1 (décevants) à 5 (excellents), ou touchez un bouton.",
    );
    expect((await saved())?.answers).toEqual({ relationship: { value: "yes" } });

    const followUp = await type("2");
    expect(visibleText(followUp)).toBe(
      [
        "Bilan de mi-parcours · Question 3/5",
        "Qu'est-ce qui rendrait ces échanges plus utiles pour vous ? (facultatif)",
        "Répondez par un message dans cette conversation.",
      ].join("\n"),
    );
    const difficulty = await type("Plus de temps pour préparer nos échanges.");
    expect(visibleText(difficulty).split("\n")).toEqual([
      "Bilan de mi-parcours · Question 4/5",
      "Rencontrez-vous une difficulté que vous souhaitez signaler à l'équipe du programme ?",
    ]);
    current = cardOf(difficulty);
  });

  it("resumes at the right question after binome is rebuilt on the same database", async () => {
    await binome?.close();
    await handle?.close();
    handle = await store.open();
    binome = await teamsBinome(handle, clock);

    // Back, from the card the first binome sent: the follow-up again, its answer forgotten.
    const followUp = await click(current, "Retour");
    expect(visibleText(followUp).split("\n").slice(0, 2)).toEqual([
      "Bilan de mi-parcours · Question 3/5",
      "Qu'est-ce qui rendrait ces échanges plus utiles pour vous ? (facultatif)",
    ]);
    expect((await saved())?.answers).toEqual({ relationship: { value: "yes" }, satisfaction: { value: "2" } });

    const difficulty = await click(cardOf(followUp), "Passer");
    expect(visibleText(difficulty).split("\n")[0]).toBe("Bilan de mi-parcours · Question 4/5");
    // A button of a question no longer current changes nothing and says why.
    expect(visibleText(await click(cardOf(followUp), "Passer"))).toBe(
      "Cette question n'est plus celle en cours : répondez à la dernière question affichée.",
    );
    expect(visibleText(await type("non"))).toBe("Bilan de mi-parcours\nMerci ! Vos réponses sont enregistrées.");

    const row = await saved();
    expect(row?.status).toBe("completed");
    expect(row?.answers).toEqual({
      relationship: { value: "yes" },
      satisfaction: { value: "2" },
      "what-would-help": { skipped: true },
      difficulty: { value: "no" },
    });
    expect(row?.history).toEqual(["relationship", "satisfaction", "what-would-help", "difficulty"]);
  });
});
