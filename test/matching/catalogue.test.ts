import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { participants, profiles } from "../../db/schema.js";
import { programmeFixture } from "../support/fixtures.js";
import { type SlackHarness, startSlackHarness } from "../support/slack-harness.js";

describe("the mentor catalogue: a mentee ranks mentors", () => {
  let slack: SlackHarness;
  let clicks = 0;
  beforeAll(async () => {
    slack = await startSlackHarness(programmeFixture, [{ id: "ULEA", name: "Léa Petit", locale: "fr-FR" }]);
  });
  afterAll(() => slack.close());

  const click = async (user: string, actionId: string, value: string) => {
    clicks += 1;
    const ack = await slack.interact({
      type: "block_actions",
      team: { id: "T0TEST", domain: "test" },
      user: { id: user, team_id: "T0TEST" },
      api_app_id: "A0BINOME",
      trigger_id: "trigger-click",
      response_url: slack.fake.responseUrl(`catalogue-${clicks}`),
      actions: [{ type: "button", action_id: actionId, block_id: "b1", value, action_ts: "1" }],
    });
    expect(ack.status).toBe(200);
    const path = `/respond/catalogue-${clicks}`;
    return String((await slack.fake.waitFor(() => slack.fake.responses.find((r) => r.path === path))).body.text);
  };
  const choicesOfLea = async () => {
    const [lea] = await slack.db.db.select().from(participants).where(eq(participants.email, "lea@example.org"));
    const [row] = await slack.db.db
      .select()
      .from(profiles)
      .where(and(eq(profiles.participantId, lea?.id as string), eq(profiles.role, "mentee")));
    return (row?.answers as { rankedChoices?: string[] } | undefined)?.rankedChoices ?? [];
  };

  it("lists the mentors with a button each, records the choices in order, and refuses what does not fit", async () => {
    const command = await slack.command("ULEA", "mentors");
    await command.reply();
    const card = slack.fake.responses.at(-1)?.body as {
      blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ action_id: string; value: string }> }>;
    };
    const texts = card.blocks.map((b) => b.text?.text ?? "").join("\n");
    expect(texts).toContain("Les mentors de Cohorte test");
    expect(texts).toContain("*Marc Dubois*");
    expect(texts).toContain("*Sophie Bernard*");
    const buttons = card.blocks.flatMap((b) => b.elements ?? []).filter((e) => e.action_id === "catalogue.choose");
    expect(buttons).toHaveLength(2);
    const [first, second] = buttons.map((b) => b.value);
    if (!first || !second) throw new Error("two Choose buttons expected");
    const [programmeId, firstMentor] = first.split(":");

    expect(await click("ULEA", "catalogue.choose", second)).toMatch(
      /^Noté : .* est votre choix n° 1\. Vos choix : 1\. /,
    );
    expect(await click("ULEA", "catalogue.choose", first)).toMatch(/est votre choix n° 2\. Vos choix : 1\. .*, 2\. /);
    expect(await choicesOfLea()).toEqual([second.split(":")[1], firstMentor]);
    expect(await click("ULEA", "catalogue.choose", first)).toMatch(/fait déjà partie de vos choix\.$/);
    expect(await click("ULEA", "catalogue.clear", programmeId as string)).toBe(
      "Vos choix sont effacés. Tapez `/binome mentors` pour en faire d'autres.",
    );
    expect(await choicesOfLea()).toEqual([]);
  });

  it("is for mentees only", async () => {
    expect(await (await slack.command("UMARC", "mentors")).reply()).toBe(
      "Le catalogue des mentors est réservé aux mentorés d'un programme.",
    );
  });
});
