import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, participants } from "../../db/schema.js";
import type { SlackCall } from "../support/fake-slack.js";
import { SIGNING_SECRET } from "../support/slack-harness.js";
import { postSigned } from "../support/slack-requests.js";
import { buttonsOf, eventually, type Journey, readableText, startJourney } from "./slack-journey.js";

/** The Events API envelope Slack sends when a person opens binome's App Home. */
function homeOpenedBody(userId: string, eventId: string, tab: "home" | "messages" = "home"): string {
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: "T0TEST",
    api_app_id: "A0BINOME",
    type: "event_callback",
    event_id: eventId,
    event_time: now,
    authorizations: [{ team_id: "T0TEST", user_id: "UBOT", is_bot: true }],
    event: { type: "app_home_opened", user: userId, channel: `D${userId.slice(1)}`, tab, event_ts: `${now}.000300` },
  });
}

describe("/binome status, /binome nudge and the App Home over Slack", () => {
  let j: Journey;
  let homes = 0;

  /** `/binome status` as `user`: the blocks of the private answer, as text. */
  const status = async (user: string) => {
    const before = j.slack.fake.responses.length;
    const command = await j.slack.command(user, "status");
    expect(command.status).toBe(200);
    await command.reply();
    const response = j.slack.fake.responses.slice(before).at(-1);
    return readableText(response?.body.blocks);
  };
  /** Opens the Home tab as `user`; resolves with the views.publish call binome made. */
  const openHome = async (user: string): Promise<SlackCall> => {
    homes += 1;
    const published = j.slack.fake.callsOf("views.publish").length;
    const result = await postSigned(
      j.slack.url,
      SIGNING_SECRET,
      homeOpenedBody(user, `EvHome${homes}`),
      "application/json",
    );
    expect(result.status).toBe(200);
    return j.slack.fake.waitFor(() => j.slack.fake.callsOf("views.publish").slice(published).find(Boolean));
  };
  const outboxSize = async () => (await j.slack.db.db.select({ n: count() }).from(outbox))[0]?.n ?? 0;

  beforeAll(async () => {
    j = await startJourney();
    await j.tick("2026-11-27T10:15:00Z");
    // Friday 11 December: the first check-ins. Léa met Marc (useful: 4), Hugo has one planned, Inès says nothing.
    expect(j.checkinsIn(await j.tick("2026-12-11T10:00:00Z")).size).toBe(3);
    await j.type("ULEA", "oui");
    await j.type("ULEA", "4");
    await j.type("UHUGO", "prévu");
    await (await j.slack.command("UINES", "pause 2w")).reply();
    await (await j.slack.command("USOPHIE", "stop")).reply();
    // Tuesday 15 December: Marc logs an hour with Hugo.
    j.slack.clock.set("2026-12-15T10:00:00Z");
    expect(await (await j.slack.command("UMARC", "log <@UHUGO|hugo> 1h data")).reply()).toMatch(
      /^Séance notée avec Hugo Moreau : 15 déc\. 2026, 1 h\./,
    );
    await j.tick("2026-12-18T10:00:00Z");
  });
  afterAll(() => j.close());

  it("shows a coordinator the programme's health with the numbers of the story", async () => {
    const sent = j.checkinsIn(j.slack.fake.calls).size;
    expect(sent).toBe(3);
    const answered = 2; // Léa and Hugo
    const rate = `${Math.round((100 * answered) / sent)} %`;
    const text = await status("UCLAIRE");
    expect(text.split("\n")).toEqual([
      "*Cohorte test : 3 binômes actifs*",
      // Friday 18 December: Inès and Sophie have shown nothing for 21 days; Léa met Marc a week ago, Hugo on Tuesday.
      "• Sans activité depuis 14 jours ou plus : 1 · 21 jours : 1 · 28 jours : 0",
      "• Séances sur 30 jours : 1 (1 h)",
      `• Points d'étape sur 4 semaines : ${sent} envoyés, ${answered} réponses (${rate}), utilité moyenne 4/5`,
      "• En pause : 1 · désinscrits : 1 · messages non distribués : 0",
    ]);
  });

  it("shows a mentee their pair, last session and next check-in", async () => {
    const lea = await status("ULEA");
    expect(lea).toContain("*Mentor*\nMarc Dubois");
    expect(lea).toContain("*Dernière séance*\naucune pour l'instant");
    // The next round is due on Christmas Day, a public holiday: it will come on Monday 28.
    expect(lea).toContain("*Prochain point d'étape*\n28 déc. 2026");
    expect(lea).not.toContain("binômes actifs");
    const hugo = await status("UHUGO");
    expect(hugo).toContain("*Dernière séance*\n15 déc. 2026");
  });

  it("lets a coordinator nudge a pair now: Léa and Marc get a reminder", async () => {
    const reply = await (await j.slack.command("UCLAIRE", "nudge <@ULEA>")).reply();
    expect(reply).toBe(
      "Relance envoyée à Marc Dubois et Léa Petit, pendant leurs heures de travail et dans la limite de 2 messages par semaine.",
    );
    const calls = await j.drain();
    expect(j.dmsTo("ULEA", calls).map((c) => c.args.text)).toEqual([
      "Cela fait 7 jours sans échange avec Marc. Un petit message suffit pour reprendre le fil !",
    ]);
    expect(j.dmsTo("UMARC", calls).map((c) => c.args.text)).toEqual([
      "Cela fait 7 jours sans échange avec Léa. Un petit message suffit pour reprendre le fil !",
    ]);
    expect(j.dmsTo("UHUGO", calls)).toEqual([]);
  });

  it("refuses /binome nudge to a mentee, and sends nothing", async () => {
    const before = await outboxSize();
    expect(await (await j.slack.command("ULEA", "nudge <@UHUGO>")).reply()).toBe(
      "Cette commande est réservée aux coordinateurs.",
    );
    expect(await outboxSize()).toBe(before);
    expect(await j.drain()).toEqual([]);
  });

  it("publishes a mentee's App Home with the pair and the next check-in", async () => {
    const home = await openHome("ULEA");
    expect(home.args.user_id).toBe("ULEA");
    const view = home.args.view as { type: string; blocks: unknown };
    expect(view.type).toBe("home");
    const text = readableText(view.blocks);
    expect(text).toContain("*Mentor*\nMarc Dubois");
    expect(text).toContain("*Programme*\nCohorte test");
    expect(text).toContain("*Prochain point d'étape*\n28 déc. 2026");
    expect(buttonsOf({ ...home, args: { blocks: view.blocks } }).map((b) => b.label)).toEqual(["Pause 2 semaines"]);
  });

  it("publishes a coordinator's App Home with the programme's health", async () => {
    const text = readableText((((await openHome("UCLAIRE")).args.view ?? {}) as { blocks: unknown }).blocks);
    expect(text).toContain("*Cohorte test : 3 binômes actifs*");
    expect(text).toContain("• Séances sur 30 jours : 1 (1 h)");
  });

  it("shows a paused person the end of the pause in their language", async () => {
    const view = (await openHome("UINES")).args.view as { blocks: unknown };
    expect(readableText(view.blocks)).toContain("⏸ Paused until 25 Dec 2026.");
    expect(
      buttonsOf({ method: "", args: { blocks: view.blocks }, token: "", status: 200 }).map((b) => b.label),
    ).toEqual(["Resume"]);
  });

  it("publishes nothing when the Messages tab is opened", async () => {
    const published = j.slack.fake.callsOf("views.publish").length;
    homes += 1;
    await postSigned(
      j.slack.url,
      SIGNING_SECRET,
      homeOpenedBody("ULEA", `EvHome${homes}`, "messages"),
      "application/json",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(j.slack.fake.callsOf("views.publish").length).toBe(published);
  });

  it("pauses from the Home button, then shows the pause in the Home and confirms in the DM", async () => {
    const home = await openHome("ULEA");
    const view = home.args.view as { blocks: unknown };
    const pause = buttonsOf({ ...home, args: { blocks: view.blocks } }).find((b) => b.label === "Pause 2 semaines");
    const published = j.slack.fake.callsOf("views.publish").length;
    const posted = j.slack.fake.callsOf("chat.postMessage").length;
    // A click in the Home tab carries the view, and neither a channel nor a response_url.
    const ack = await j.slack.interact({
      type: "block_actions",
      team: { id: "T0TEST", domain: "test" },
      user: { id: "ULEA", team_id: "T0TEST" },
      api_app_id: "A0BINOME",
      trigger_id: "trigger-home",
      container: { type: "view", view_id: "VHOME" },
      view: { id: "VHOME", type: "home", blocks: view.blocks },
      actions: [{ type: "button", action_id: pause?.action_id, block_id: "b1", value: pause?.value, action_ts: "1" }],
    });
    expect(ack.status).toBe(200);
    const until = await eventually(async () => {
      const [row] = await j.slack.db.db
        .select({ until: participants.pausedUntil })
        .from(participants)
        .where(eq(participants.id, j.ids.lea as string));
      return row?.until ?? undefined;
    });
    expect(until.toISOString()).toBe("2027-01-01T10:00:00.000Z");
    const republished = await j.slack.fake.waitFor(() => j.slack.fake.callsOf("views.publish")[published]);
    expect(republished.args.user_id).toBe("ULEA");
    const text = readableText((republished.args.view as { blocks: unknown }).blocks);
    expect(text).toContain("⏸ En pause jusqu'au 1 janv. 2027.");
    const confirmation = await j.slack.fake.waitFor(() => j.slack.fake.callsOf("chat.postMessage")[posted]);
    expect(confirmation.args.channel).toBe("ULEA");
    expect(confirmation.args.text).toBe(
      "C'est noté : pas de point d'étape ni de relance avant le 1 janv. 2027. `/binome resume` pour reprendre plus tôt.",
    );
  });
});
