import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pairs } from "../../db/schema.js";
import { writeDueDigests } from "../../src/features/digest/digest.task.js";
import { buttonsOf, type Journey, readableText, startJourney } from "../engagement/slack-journey.js";
import type { SlackCall } from "../support/fake-slack.js";

/** Monday 30 November 2026, 09:00 in Paris: the default digest time. */
const DIGEST_AT = "2026-11-30T08:00:00Z";

/**
 * The digest in the coordinators' channel over Slack: « Marquer comme traité » answers the
 * coordinator privately and changes the message itself, so that the other coordinators reading
 * the channel see the pair was taken care of, by whom and when.
 */
describe("the weekly digest over Slack: a pair marked handled shows in the message", () => {
  let j: Journey;
  let digest: SlackCall;
  const handledButton = (call: SlackCall | undefined, mentee: string) => {
    const button = buttonsOf(call).find(
      (b) => b.action_id === "digest.handled" && b.value.split(" ")[0] === j.pairIds[mentee],
    );
    if (!button) throw new Error(`no « Marquer comme traité » for ${mentee} in ${readableText(call?.args.blocks)}`);
    return button;
  };
  const updatesOfDigest = (calls: SlackCall[]) =>
    calls.filter(
      (c) => c.method === "chat.update" && c.args.channel === "C0COORD" && c.args.ts === digest.response?.ts,
    );

  beforeAll(async () => {
    j = await startJourney();
    // All three pairs have been quiet since 2 November: each is listed with its buttons.
    await j.slack.db.db.update(pairs).set({ lastActivityOn: "2026-11-02" });
    j.slack.clock.set(DIGEST_AT);
    expect(await writeDueDigests(j.slack.db.db, j.slack.clock.now())).toHaveLength(1);
    const calls = await j.drain();
    const posted = calls.filter((c) => c.method === "chat.postMessage" && c.args.channel === "C0COORD");
    expect(posted).toHaveLength(1);
    digest = posted[0] as SlackCall;
  });
  afterAll(() => j.close());

  it("replaces the pair's buttons with who handled it and when, and leaves the other pairs as they were", async () => {
    expect(buttonsOf(digest).filter((b) => b.action_id === "digest.handled")).toHaveLength(3);
    const click = await j.click("UCLAIRE", handledButton(digest, "lea"), digest);
    expect(await click.reply()).toContain("C'est noté : Marc Dubois et Léa Petit ne seront plus signalés");
    const updates = updatesOfDigest(await j.drain());
    expect(updates).toHaveLength(1);
    const text = readableText(updates[0]?.args.blocks);
    // The handled line takes the place of Léa's pair's buttons, under its reason.
    expect(text).toMatch(
      /Marc Dubois ↔ Léa Petit\n• aucune activité depuis 28 jours \(depuis le 2 nov\. 2026\)\n✅ Traité par Claire Martin le 30 nov\. 2026\.(\n|$)/,
    );
    const left = buttonsOf(updates[0]).filter((b) => b.action_id === "digest.handled");
    expect(left.map((b) => b.value.split(" ")[0]).sort()).toEqual([j.pairIds.hugo, j.pairIds.ines].sort());
    // Nothing new is posted in the channel: the message changed in place.
    expect(j.slack.fake.callsOf("chat.postMessage").filter((c) => c.args.channel === "C0COORD")).toHaveLength(1);
  });

  it("keeps the first pair handled when a second one is, a day later", async () => {
    j.slack.clock.set("2026-12-01T10:00:00Z");
    const click = await j.click("UCLAIRE", handledButton(digest, "ines"), digest);
    expect(await click.reply()).toContain("C'est noté : Sophie Bernard et Inès Laurent");
    const [update] = updatesOfDigest(await j.drain());
    const text = readableText(update?.args.blocks);
    expect(text).toContain("✅ Traité par Claire Martin le 30 nov. 2026.");
    expect(text).toContain("✅ Traité par Claire Martin le 1 déc. 2026.");
    const left = buttonsOf(update).filter((b) => b.action_id === "digest.handled");
    expect(left.map((b) => b.value.split(" ")[0])).toEqual([j.pairIds.hugo]);
  });

  it("changes nothing when a mentor clicks, or when the pair was already handled", async () => {
    const mentor = await j.click("UMARC", handledButton(digest, "hugo"), digest);
    expect(await mentor.reply()).toBe("Cette commande est réservée aux coordinateurs.");
    const again = await j.click("UCLAIRE", handledButton(digest, "lea"), digest);
    expect(await again.reply()).toBe("C'était déjà noté comme traité.");
    expect(updatesOfDigest(await j.drain())).toEqual([]);
  });
});
