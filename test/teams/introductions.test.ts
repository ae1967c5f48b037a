import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { pairs, participants, programmes } from "../../db/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { introducePairs } from "../../src/features/introductions/introductions.usecases.js";
import type { ProgrammeRow } from "../../src/features/matching/proposals.repository.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import { teamsMessage } from "../support/teams-activities.js";
import { people, startTeamsHarness, type TeamsHarness } from "./harness.js";

describe("Teams: introducing a pair", () => {
  let h: TeamsHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("sends each person their own card with a link that opens a chat with the other", async () => {
    h = await startTeamsHarness();
    const harness = h;
    // Both have written to the bot once, so binome holds a conversation with each.
    await harness.post(teamsMessage(people.marc, "help", harness.place(people.marc)));
    await harness.post(teamsMessage(people.lea, "help", harness.place(people.lea)));
    harness.connector.reset();

    const [programme] = await harness.db.select().from(programmes);
    const [lea] = await harness.db.select().from(participants).where(eq(participants.email, "lea@example.org"));
    const marcLea = await harness.db
      .select()
      .from(pairs)
      .where(eq(pairs.menteeId, lea?.id as string));
    const deps = { db: harness.db, clock: harness.clock, log: silentLogger, outboxChanged: () => {} };
    await introducePairs(deps, programme as ProgrammeRow, [marcLea[0]?.id as string]);
    const worker = new OutboxWorker({
      db: harness.db,
      clock: harness.clock,
      log: silentLogger,
      ports: [harness.adapter.chatPort],
    });
    await worker.drain();

    const sent = harness.connector.calls.filter((c) => c.method === "POST" && c.path.endsWith("/activities"));
    expect(sent).toHaveLength(2);
    const byConversation = new Map(sent.map((c) => [c.path.split("/")[3], JSON.stringify(c.body)]));
    const toMarc = byConversation.get(`a:personal-${people.marc.aadObjectId}`) ?? "";
    const toLea = byConversation.get(`a:personal-${people.lea.aadObjectId}`) ?? "";
    expect(toMarc).toContain("Voici votre mentoré dans le programme Cohorte test : Léa Petit.");
    expect(toMarc).toContain(
      '"type":"Action.OpenUrl","title":"Écrire à Léa Petit","url":"https://teams.microsoft.com/l/chat/0/0?users=lea%40example.org"',
    );
    expect(toLea).toContain("Voici votre mentor dans le programme Cohorte test : Marc Dubois.");
    expect(toLea).toContain('"url":"https://teams.microsoft.com/l/chat/0/0?users=marc%40example.org"');
    expect(toLea).toContain("J'accepte la charte");
  });
});
