import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../../adapters/teams/renderer.js";
import { pairs, programmes } from "../../db/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import { applySeed } from "../../src/features/participants/seed.js";
import { teamsClick, teamsMessage } from "../support/teams-activities.js";
import { TEST_TENANT_ID } from "../support/teams-auth.js";
import { people, startTeamsHarness, type TeamsHarness, teamsFixture } from "./harness.js";

const paul = { aadObjectId: "0c1a0000-0000-4000-8000-00000000ba01", name: "Paul Girard" };
const nina = { aadObjectId: "0c1a0000-0000-4000-8000-00000000ba02", name: "Nina Roux" };

describe("Teams: a match proposal, its approval and the introductions", () => {
  let h: TeamsHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("proposes to the coordinator, forms the pair on approval, introduces it once", async () => {
    h = await startTeamsHarness();
    const harness = h;
    // A mentor and a mentee who are not paired yet, both on Teams; the programme has no channel,
    // so the proposal comes back to the coordinator who asked.
    await applySeed(harness.db, {
      programme: teamsFixture.programme,
      people: [
        {
          key: "paul",
          name: paul.name,
          email: "paul@example.org",
          roles: ["mentor"],
          skills: ["cv"],
          identities: [{ platform: "teams", tenantId: TEST_TENANT_ID, userId: paul.aadObjectId }],
        },
        {
          key: "nina",
          name: nina.name,
          email: "nina@example.org",
          roles: ["mentee"],
          skills: ["cv"],
          identities: [{ platform: "teams", tenantId: TEST_TENANT_ID, userId: nina.aadObjectId }],
        },
      ],
    });
    await harness.db.update(programmes).set({ coordinatorChannel: null });
    for (const person of [paul, nina, people.claire])
      await harness.post(teamsMessage(person, "help", harness.place(person)));
    const pairCount = async () =>
      (await harness.db.select({ n: count() }).from(pairs).where(eq(pairs.status, "active")))[0]?.n;
    const before = await pairCount();

    await harness.post(teamsMessage(people.marc, "match", harness.place(people.marc)));
    expect(harness.lastSent()).toBe("Cette commande est réservée aux coordinateurs.");

    await harness.post(teamsMessage(people.claire, "match", harness.place(people.claire)));
    const attachments = (harness.connector.sent().at(-1)?.attachments ?? []) as Array<{ content: AdaptiveCard }>;
    const proposal = attachments[0]?.content as AdaptiveCard;
    expect(JSON.stringify(proposal)).toContain("Paul Girard → Nina Roux");
    expect(await pairCount()).toBe(before);

    await harness.post(teamsClick(proposal, "Valider tout", people.claire, harness.place(people.claire)));
    expect(harness.lastSent()).toMatch(/^C'est validé : 1 binôme\(s\) formé\(s\)/);
    expect(await pairCount()).toBe((before ?? 0) + 1);

    harness.connector.reset();
    const worker = new OutboxWorker({
      db: harness.db,
      clock: harness.clock,
      log: silentLogger,
      ports: [harness.adapter.chatPort],
    });
    await worker.drain();
    const intros = harness.connector.calls.filter((c) => c.method === "POST" && c.path.endsWith("/activities"));
    expect(intros.map((c) => c.path.split("/")[3]).sort()).toEqual(
      [`a:personal-${nina.aadObjectId}`, `a:personal-${paul.aadObjectId}`].sort(),
    );
    expect(JSON.stringify(intros)).toContain("https://teams.microsoft.com/l/chat/0/0?users=nina%40example.org");

    harness.connector.reset();
    await harness.post(teamsClick(proposal, "Valider tout", people.claire, harness.place(people.claire)));
    expect(harness.lastSent()).toMatch(/^Cette proposition a déjà été validée le .*: rien de plus n'est envoyé\.$/);
    await worker.drain();
    // Only the answer to Claire: nothing more reached Paul or Nina.
    const toPair = harness.connector.calls.filter(
      (c) => c.path.includes(paul.aadObjectId) || c.path.includes(nina.aadObjectId),
    );
    expect(toPair).toEqual([]);
    expect(await pairCount()).toBe((before ?? 0) + 1);
  });
});
