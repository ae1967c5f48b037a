import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { difficulties, participants } from "../../db/schema.js";
import { programmeFixture } from "../support/fixtures.js";
import { type SlackHarness, startSlackHarness } from "../support/slack-harness.js";

describe("a private route for difficulties, over Slack", () => {
  let slack: SlackHarness;
  let clicks = 0;

  beforeAll(async () => {
    slack = await startSlackHarness(programmeFixture, [
      { id: "ULEA", name: "Léa Petit" },
      { id: "UCLAIRE", name: "Claire Martin" },
    ]);
  });
  afterAll(() => slack.close());

  const click = async (user: string, actionId: string, value: string) => {
    clicks += 1;
    const path = `/respond/difficulty-${clicks}`;
    const ack = await slack.interact({
      type: "block_actions",
      team: { id: "T0TEST", domain: "test" },
      user: { id: user, team_id: "T0TEST" },
      api_app_id: "A0BINOME",
      trigger_id: `trigger-${clicks}`,
      response_url: slack.fake.responseUrl(`difficulty-${clicks}`),
      channel: { id: "C0COORD" },
      actions: [{ type: "button", action_id: actionId, block_id: "b1", value, action_ts: "1" }],
    });
    expect(ack.status).toBe(200);
    const response = await slack.fake.waitFor(() => slack.fake.responses.find((r) => r.path === path));
    return String(response.body.text);
  };
  const channelPosts = () => slack.fake.callsOf("chat.postMessage").filter((c) => c.args.channel === "C0COORD");

  it("takes `/binome help me …` to the coordinators only, acknowledges it, and lets a coordinator mark it handled", async () => {
    const answer = await (await slack.command("ULEA", "help me Marc annule nos rendez-vous au dernier moment")).reply();
    expect(answer).toBe(
      "Merci, c'est transmis à la coordination, qui reviendra vers vous. Personne d'autre ne le voit.",
    );
    await slack.worker.drain();
    const posts = channelPosts();
    expect(posts).toHaveLength(1);
    expect(String(posts[0]?.args.text)).toContain("Difficulté signalée par Léa Petit (binôme avec Marc Dubois)");
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain("Marc annule nos rendez-vous au dernier moment");
    // Nobody else heard of it: the only message binome sent is the one in the coordinators' channel.
    expect(slack.fake.callsOf("chat.postMessage").filter((c) => c.args.channel !== "C0COORD")).toEqual([]);

    const [row] = await slack.db.db.select().from(difficulties);
    expect(row).toMatchObject({ status: "open", source: "command", handledBy: null });

    // A mentee cannot close it.
    expect(await click("ULEA", "difficulty.handle", row?.id as string)).toBe(
      "Cette commande est réservée aux coordinateurs.",
    );
    expect((await slack.db.db.select().from(difficulties))[0]?.status).toBe("open");

    expect(await click("UCLAIRE", "difficulty.handle", row?.id as string)).toBe("Difficulté marquée comme traitée.");
    const [handled] = await slack.db.db.select().from(difficulties);
    const [claire] = await slack.db.db.select().from(participants).where(eq(participants.email, "claire@example.org"));
    expect(handled).toMatchObject({ status: "handled", handledBy: claire?.id });
    expect(handled?.handledAt?.toISOString()).toBe(slack.clock.now().toISOString());
    // The card in the channel now says who handled it, and its button is gone.
    await slack.worker.drain();
    const update = slack.fake.callsOf("chat.update").at(-1);
    expect(update?.args.channel).toBe("C0COORD");
    expect(update?.args.ts).toBe(channelPosts().at(-1)?.response?.ts);
    expect(JSON.stringify(update?.args.blocks)).toContain("Traitée par Claire Martin");
    expect(JSON.stringify(update?.args.blocks)).not.toContain("difficulty.handle");
    // A second click changes nothing.
    expect(await click("UCLAIRE", "difficulty.handle", row?.id as string)).toBe(
      "Cette difficulté était déjà marquée comme traitée.",
    );
  });

  it("opens a form for `/binome aide moi` alone, and refuses an empty one beside the field", async () => {
    const before = (await slack.db.db.select().from(difficulties)).length;
    const sent = await slack.command("ULEA", "aide moi");
    expect(sent.status).toBe(200);
    const opened = await slack.fake.waitFor(() => slack.fake.callsOf("views.open").at(-1));
    expect(JSON.stringify(opened.args.view)).toContain("Signaler une difficulté");
    expect((await slack.db.db.select().from(difficulties)).length).toBe(before);
  });

  it("keeps `/binome help` the list of commands, now with the help-me line", async () => {
    const answer = await (await slack.command("ULEA", "help")).reply();
    expect(answer).toContain("/binome help me");
    expect(answer).toContain("/binome pause 2w");
  });
});
