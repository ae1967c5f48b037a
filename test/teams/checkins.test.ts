import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../../adapters/teams/renderer.js";
import { pairs, participants, programmes } from "../../db/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { attentionGate } from "../../src/features/attention/gate.js";
import { findDueWork } from "../../src/features/engagement/due-work.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import type { ConnectorCall } from "../support/fake-bot-connector.js";
import { cardActions, type TeamsPerson, teamsClick, teamsMessage } from "../support/teams-activities.js";
import { TEST_TENANT_ID } from "../support/teams-auth.js";
import { NOW, people, startTeamsHarness, type TeamsHarness, visibleText } from "./harness.js";

const DAY_MS = 86_400_000;
const COORDINATION = "19:coordination@thread.tacv2";

/**
 * Issue 5, item 8: the engagement loop on Teams, through the Agents SDK adapter and a loopback Bot
 * Connector. The fixture pairs Marc with Léa and with Hugo, both paired on 27 Nov 2026 (a Friday);
 * two weeks later, at 11:00 in Paris, the first check-in and the ladder's first step come due.
 */
describe("Teams: check-ins and nudges", { timeout: 60_000 }, () => {
  let h: TeamsHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Marc, Léa, Hugo and Claire have written to the bot; the coordinators read a Teams channel. */
  async function programmeOnTeams(): Promise<TeamsHarness> {
    const harness = await startTeamsHarness();
    // Only Marc's two pairs run: Inès has no Teams account, so her pair would only add noise here.
    const [ines] = await harness.db.select().from(participants).where(eq(participants.email, "ines@example.org"));
    await harness.db
      .update(pairs)
      .set({ status: "ended" })
      .where(eq(pairs.menteeId, ines?.id as string));
    await harness.db.update(pairs).set({ createdAt: new Date(NOW) });
    await harness.db.update(programmes).set({ coordinatorChannel: `teams:${COORDINATION}` });
    for (const person of [people.marc, people.lea, people.hugo])
      await harness.post(teamsMessage(person, "help", harness.place(person)));
    const channel = { ...harness.place(people.claire), conversationId: COORDINATION };
    const inChannel = teamsMessage(people.claire, "<at>binome</at> help", channel);
    inChannel.conversation = { id: COORDINATION, conversationType: "channel", tenantId: TEST_TENANT_ID };
    inChannel.entities = [
      ...(inChannel.entities ?? []),
      { type: "mention", text: "<at>binome</at>", mentioned: { id: inChannel.recipient?.id ?? "" } },
    ];
    await harness.post(inChannel);
    harness.connector.reset();
    return harness;
  }

  /** One scheduler tick `days` after the pairs were made, then the outbox delivered as production does. */
  async function tick(harness: TeamsHarness, days: number): Promise<OutboxWorker> {
    harness.clock.set(new Date(Date.parse(NOW) + days * DAY_MS));
    await findDueWork(harness.db, harness.clock.now());
    const worker = workerOf(harness);
    await worker.drain();
    return worker;
  }

  const workerOf = (harness: TeamsHarness) =>
    new OutboxWorker({
      db: harness.db,
      clock: harness.clock,
      log: silentLogger,
      ports: [harness.adapter.chatPort],
      gate: attentionGate(harness.db),
    });

  const conversationOf = (person: TeamsPerson) => `/v3/conversations/a:personal-${person.aadObjectId}/activities`;
  const postedTo = (harness: TeamsHarness, conversation: string) =>
    harness.connector.calls.filter((c) => c.method === "POST" && c.path === conversation);
  const updatesOf = (harness: TeamsHarness, conversation: string, activityId: string | undefined) =>
    harness.connector.calls.filter((c) => c.method === "PUT" && c.path === `${conversation}/${activityId}`);
  const cardOf = (call: ConnectorCall | undefined): AdaptiveCard => {
    const attachments = (call?.body?.attachments ?? []) as Array<{ contentType: string; content: AdaptiveCard }>;
    expect(attachments[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    return attachments[0]?.content as AdaptiveCard;
  };
  const titles = (card: AdaptiveCard) => cardActions(card).map((a) => `${a.type} ${a.title}`);

  it("asks the mentee as an Adaptive Card, records a click and a typed answer, and updates the card in place", async () => {
    h = await programmeOnTeams();
    const harness = h;
    await tick(harness, 13);
    expect(harness.connector.calls).toEqual([]);

    const worker = await tick(harness, 14);
    const toLea = postedTo(harness, conversationOf(people.lea));
    expect(toLea).toHaveLength(2);
    const checkin = toLea.find((c) => visibleText(c.body).startsWith("Bonjour !"));
    expect(visibleText(checkin?.body)).toBe(
      "Bonjour ! Avez-vous échangé avec Marc depuis le 27 nov. 2026 ?\nUn clic suffit. Vous pouvez aussi répondre ici : oui, pas encore ou prévu.",
    );
    const question = cardOf(checkin);
    expect(titles(question)).toEqual(["Action.Submit Oui", "Action.Submit Pas encore", "Action.Submit C'est prévu"]);
    // The ladder's first step (14 quiet days) reaches her too, as a card with an idea to start again.
    const reminder = toLea.find((c) => c !== checkin);
    expect(visibleText(reminder?.body)).toMatch(
      /^Cela fait 14 jours sans échange avec Marc\. Un petit message suffit pour reprendre le fil !\nUne idée pour démarrer : /,
    );
    expect(cardOf(reminder).body).toHaveLength(2);
    // Her mentor gets one for each quiet pair, with a button to log the session they may have had.
    const toMarc = postedTo(harness, conversationOf(people.marc));
    expect(toMarc.map((c) => visibleText(c.body).split("\n")[0]).sort()).toEqual([
      "Cela fait 14 jours sans échange avec Hugo. Un petit message suffit pour reprendre le fil !",
      "Cela fait 14 jours sans échange avec Léa. Un petit message suffit pour reprendre le fil !",
    ]);
    expect(titles(cardOf(toMarc[0]))).toEqual(["Action.Submit Noter une séance"]);

    // Léa clicks "Oui": nothing new is posted; the question turns into the usefulness question.
    harness.connector.reset();
    const place = harness.place(people.lea);
    expect((await harness.post(teamsClick(question, "Oui", people.lea, place))).status).toBe(200);
    await worker.drain();
    expect(postedTo(harness, conversationOf(people.lea))).toEqual([]);
    const [answered] = updatesOf(harness, conversationOf(people.lea), checkin?.activityId);
    expect(visibleText(answered?.body)).toBe(
      "✅ Vous avez échangé avec Marc. Merci !\nCet échange vous a-t-il été utile ?\n1 = pas utile, 5 = très utile",
    );
    const usefulness = cardOf(answered);
    expect(titles(usefulness)).toEqual(["1", "2", "3", "4", "5"].map((n) => `Action.Submit ${n}`));

    harness.connector.reset();
    await harness.post(teamsClick(usefulness, "4", people.lea, place));
    await worker.drain();
    const [rated] = updatesOf(harness, conversationOf(people.lea), checkin?.activityId);
    expect(visibleText(rated?.body)).toBe("✅ Vous avez échangé avec Marc. Merci !\nUtilité : 4/5.");
    expect(titles(cardOf(rated))).toEqual(["Action.Submit Ajouter une note"]);

    // Hugo, asked the same day, types his answer instead of clicking.
    harness.connector.reset();
    const toHugo = conversationOf(people.hugo);
    await harness.post(teamsMessage(people.hugo, "pas encore", harness.place(people.hugo)));
    expect(harness.lastSent()).toBe(
      "Noté : pas encore d'échange avec Marc. Les boutons du message proposent un coup de pouce.",
    );
    await worker.drain();
    const hugoUpdates = harness.connector.calls.filter((c) => c.method === "PUT" && c.path.startsWith(`${toHugo}/`));
    expect(hugoUpdates).toHaveLength(1);
    expect(visibleText(hugoUpdates[0]?.body)).toBe("Pas encore d'échange avec Marc. Besoin d'un coup de pouce ?");
    expect(titles(cardOf(hugoUpdates[0]))).toEqual([
      "Action.Submit Relancer Marc",
      "Action.Submit Idées pour démarrer",
      "Action.Submit Prévenir la coordination",
    ]);

    // A week later, "we met" has reset Léa's ladder; Hugo, still quiet, is asked whether something blocks.
    harness.connector.reset();
    await tick(harness, 21);
    expect(postedTo(harness, conversationOf(people.lea))).toEqual([]);
    const asked = postedTo(harness, toHugo);
    expect(asked.map((c) => visibleText(c.body))).toEqual([
      "Tout va bien avec Marc ? Si quelque chose bloque, la coordination peut vous aider.\nVotre réponse reste entre vous et la coordination.",
    ]);
    expect(titles(cardOf(asked[0]))).toEqual(["Action.Submit Tout va bien", "Action.Submit Prévenir la coordination"]);
  });

  it("waits when Teams answers 429, then delivers each message once", async () => {
    h = await programmeOnTeams();
    const harness = h;
    const toLea = conversationOf(people.lea);
    harness.connector.refuse(`a:personal-${people.lea.aadObjectId}`, 429);
    const worker = await tick(harness, 14);
    expect(postedTo(harness, toLea)).toHaveLength(2);

    harness.connector.refuse(`a:personal-${people.lea.aadObjectId}`, 0);
    harness.connector.reset();
    // Nothing is tried again before Teams' wait is over.
    await worker.drain();
    expect(postedTo(harness, toLea)).toEqual([]);
    harness.clock.advance(5_000);
    await worker.drain();
    expect(
      postedTo(harness, toLea)
        .map((c) => visibleText(c.body).split("\n")[0])
        .sort(),
    ).toEqual([
      "Bonjour ! Avez-vous échangé avec Marc depuis le 27 nov. 2026 ?",
      "Cela fait 14 jours sans échange avec Marc. Un petit message suffit pour reprendre le fil !",
    ]);
    harness.clock.advance(60_000);
    await worker.drain();
    expect(postedTo(harness, toLea)).toHaveLength(2);
  });

  it("marks a mentee who blocked the bot unreachable and tells the coordinators in their Teams channel", async () => {
    h = await programmeOnTeams();
    const harness = h;
    harness.connector.refuse(`a:personal-${people.hugo.aadObjectId}`, 403);

    await tick(harness, 14);
    // The check-in was tried once: a 403 is not retried (the reminder beside it, at most once too).
    const toHugo = harness.connector.calls
      .filter((c) => c.path.startsWith(conversationOf(people.hugo)))
      .map((c) => visibleText(c.body).split("\n")[0]);
    // Whichever of the two goes first draws the 403; the other is then parked without a call, unless
    // both were already on their way (two delivery lanes): never more than once each.
    expect(toHugo.length).toBeGreaterThanOrEqual(1);
    expect(new Set(toHugo).size).toBe(toHugo.length);
    for (const text of toHugo) {
      expect([
        "Bonjour ! Avez-vous échangé avec Marc depuis le 27 nov. 2026 ?",
        "Cela fait 14 jours sans échange avec Marc. Un petit message suffit pour reprendre le fil !",
      ]).toContain(text);
    }
    const notices = postedTo(harness, `/v3/conversations/${COORDINATION}/activities`).map((c) => visibleText(c.body));
    // One notice for the person, not one per message that could not reach them.
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^Message non remis \((point d'étape|relance)\) à Hugo Moreau : la personne a quitté l'espace de travail ou bloqué binome\. binome a cessé d'essayer ; contactez cette personne autrement\.$/,
    );
    // Léa, in the same programme, was not affected.
    expect(postedTo(harness, conversationOf(people.lea))).toHaveLength(2);

    // The coordinator's status counts the messages that could not be delivered.
    await harness.post(teamsMessage(people.claire, "status", harness.place(people.claire)));
    expect(harness.lastSent()).toMatch(/messages non distribués : [1-9]/);

    // Until Hugo writes again, nothing more is tried on Teams.
    harness.connector.reset();
    await tick(harness, 21);
    expect(harness.connector.calls.filter((c) => c.path.startsWith(conversationOf(people.hugo)))).toEqual([]);
  });
});
