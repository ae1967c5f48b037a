import { count } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessions } from "../../db/schema.js";
import type { FakeSlackUser } from "../support/fake-slack.js";
import { programmeFixture } from "../support/fixtures.js";
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from "../support/slack-harness.js";
import { dmEventBody, postSigned, slackSignature } from "../support/slack-requests.js";

const users: FakeSlackUser[] = [
  { id: "UCLAIRE", name: "Claire Martin", locale: "fr-FR" },
  { id: "UMARC", name: "Marc Dubois", locale: "fr-FR" },
  { id: "USOPHIE", name: "Sophie Bernard", locale: "en-US", tz: "Europe/London" },
  { id: "ULEA", name: "Léa Petit", locale: "fr-FR" },
  { id: "UHUGO", name: "Hugo Moreau", locale: "fr-FR" },
  { id: "UINES", name: "Inès Laurent", locale: "fr-FR" },
  { id: "USTRANGER", name: "Paul Inconnu", locale: "fr-FR", email: "paul@elsewhere.org" },
];

describe("Slack: /binome through Bolt's receiver", () => {
  let slack: SlackHarness;
  const sessionCount = async () => (await slack.db.db.select({ n: count() }).from(sessions))[0]?.n;

  beforeAll(async () => {
    slack = await startSlackHarness(programmeFixture, users);
  });
  afterAll(() => slack.close());
  beforeEach(async () => {
    await slack.db.db.delete(sessions);
  });

  it("acknowledges at once and answers help privately, by role", async () => {
    const mentor = await slack.command("UMARC", "help");
    expect(mentor.status).toBe(200);
    const text = await mentor.reply();
    expect(text).toContain("binome : ce que vous pouvez faire");
    expect(text).toContain("/binome log @personne 45m");
    const mentee = await (await slack.command("ULEA", "aide")).reply();
    expect(mentee).not.toContain("/binome log");
    const response = slack.fake.responses.at(-1)?.body;
    expect(response?.response_type).toBe("ephemeral");
  });

  it("logs a session from one line with a real mention, in the caller's language", async () => {
    const reply = await (
      await slack.command("UMARC", "log <@ULEA|lea> 45m révision du CV; next: simulation d'entretien")
    ).reply();
    expect(reply).toBe("Séance notée avec Léa Petit : 27 nov. 2026, 45 min.");
    expect(await sessionCount()).toBe(1);
    const english = await (await slack.command("USOPHIE", "log ines yesterday 1h mock interview")).reply();
    expect(english).toBe("Session with Inès Laurent recorded: 26 Nov 2026, 1 h.");
    expect(await sessionCount()).toBe(2);
  });

  it("opens the log form as a modal and records its submission", async () => {
    const opened = await slack.command("UMARC", "log");
    expect(opened.status).toBe(200);
    const call = await slack.fake.waitFor(() => slack.fake.callsOf("views.open")[0]);
    const view = call.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<{ block_id?: string; element?: { options?: Array<{ value: string; text: { text: string } }> } }>;
    };
    expect(call.args.trigger_id).toMatch(/^trigger-UMARC/);
    expect(view.callback_id).toBe("log-session");
    const menteeOptions = view.blocks.find((b) => b.block_id === "pair")?.element?.options ?? [];
    expect(menteeOptions.map((o) => o.text.text)).toEqual(["Hugo Moreau", "Léa Petit"]);
    const leaPair = menteeOptions.find((o) => o.text.text === "Léa Petit")?.value;

    const submission = (values: Record<string, unknown>) => ({
      type: "view_submission",
      team: { id: "T0TEST", domain: "test" },
      user: { id: "UMARC", team_id: "T0TEST" },
      api_app_id: "A0BINOME",
      trigger_id: "trigger-2",
      view: {
        id: "V1",
        type: "modal",
        callback_id: "log-session",
        private_metadata: view.private_metadata,
        state: { values },
      },
    });
    const bad = await slack.interact(
      submission({
        pair: { pair: { type: "static_select", selected_option: { value: leaPair } } },
        date: { date: { type: "datepicker", selected_date: "2026-12-24" } },
        duration: { duration: { type: "plain_text_input", value: "abc" } },
        topics: { topics: { type: "plain_text_input", value: "Projet professionnel" } },
        next: { next: { type: "plain_text_input", value: null } },
      }),
    );
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.text)).toEqual({
      response_action: "errors",
      errors: {
        date: "La date est dans le futur. Notez la séance une fois qu'elle a eu lieu.",
        duration: "« abc » n'est pas une durée. Écrivez par exemple `45m`, `1h` ou `1h30`.",
      },
    });
    expect(await sessionCount()).toBe(0);

    const good = await slack.interact(
      submission({
        pair: { pair: { type: "static_select", selected_option: { value: leaPair } } },
        date: { date: { type: "datepicker", selected_date: "2026-11-25" } },
        duration: { duration: { type: "plain_text_input", value: "1h30" } },
        topics: { topics: { type: "plain_text_input", value: "Projet professionnel" } },
        next: { next: { type: "plain_text_input", value: "Contacter deux entreprises" } },
      }),
    );
    expect(good.status).toBe(200);
    const confirmation = await slack.fake.waitFor(() => slack.fake.callsOf("chat.postEphemeral").at(-1));
    expect(confirmation.args).toMatchObject({
      channel: "C0GENERAL",
      user: "UMARC",
      text: "Séance notée avec Léa Petit : 25 nov. 2026, 1 h 30.",
    });
    expect(await sessionCount()).toBe(1);
  });

  it("shows sessions by role: mentees their own, coordinators the programme's", async () => {
    await (await slack.command("UMARC", "log lea 45m CV")).reply();
    await (await slack.command("USOPHIE", "log ines 30m LinkedIn profile")).reply();
    const lea = await (await slack.command("ULEA", "sessions")).reply();
    expect(lea).toContain("Marc Dubois → Léa Petit");
    expect(lea).not.toContain("Inès");
    const hugo = await (await slack.command("UHUGO", "sessions")).reply();
    expect(hugo).toContain("Aucune séance notée");
    const coordinator = await (await slack.command("UCLAIRE", "sessions")).reply();
    expect(coordinator).toContain("Séances récentes du programme Cohorte test");
    expect(coordinator).toContain("Marc Dubois → Léa Petit");
    expect(coordinator).toContain("Sophie Bernard → Inès Laurent");
  });

  it.each([
    ["UMARC", "dance", "Je ne connais pas « dance ». Tapez `/binome help` pour la liste des commandes."],
    [
      "UMARC",
      "log <@UINES|ines> 45m CV",
      "« @Inès Laurent » n'est pas l'un de vos mentorés. Vos mentorés : Hugo Moreau, Léa Petit.",
    ],
    ["UMARC", "log lea abc CV", "« abc » n'est pas une durée. Écrivez par exemple `45m`, `1h` ou `1h30`."],
    ["UMARC", "log lea 0 CV", "Une séance dure au moins 5 minutes. Écrivez par exemple `45m`."],
    ["UMARC", "log lea 20h CV", "Une séance dure au plus 8 heures. Pour une journée entière, notez plusieurs séances."],
    ["UMARC", "log lea 2026-11-28 45m CV", "La date est dans le futur. Notez la séance une fois qu'elle a eu lieu."],
    ["UMARC", "", "Tapez `/binome help` pour voir ce que vous pouvez faire."],
    [
      "UMARC",
      `log lea 45m ${"é".repeat(5000)}`,
      "Sujets et prochaines étapes : 2000 caractères au plus. Raccourcissez votre texte.",
    ],
    [
      "USTRANGER",
      "log lea 45m CV",
      "Vous ne faites partie d'aucun programme binome. Demandez à votre coordinateur ou coordinatrice de vous inscrire.",
    ],
    [
      "ULEA",
      "log hugo 45m CV",
      "Seuls les mentors notent des séances. Si vous êtes mentoré, votre mentor la notera pour vous deux.",
    ],
    ["USOPHIE", "log lea 45m CV", "“lea” is not one of your mentees. Your mentees: Inès Laurent."],
  ])("answers %s `/binome %s` with one sentence and changes nothing", async (user, text, expected) => {
    const result = await slack.command(user, text);
    expect(result.status).toBe(200);
    expect(await result.reply()).toBe(expected);
    expect(await sessionCount()).toBe(0);
  });

  it("refuses a forged signature and a stale timestamp with 401, changing nothing", async () => {
    const answered = slack.fake.responses.length;
    const forged = await slack.command("UMARC", "log lea 45m CV", {
      signature: slackSignature("not-the-secret", Math.floor(Date.now() / 1000), "x"),
    });
    expect(forged.status).toBe(401);
    const stale = await slack.command("UMARC", "log lea 45m CV", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await sessionCount()).toBe(0);
    expect(slack.fake.responses.length).toBe(answered);
  });

  it("has the effect of an event delivered twice once", async () => {
    const body = dmEventBody({ eventId: "Ev0DUPLICATE", userId: "UMARC", text: "binome log lea 45m CV" });
    const posts = () => slack.fake.callsOf("chat.postMessage").length;
    const before = posts();
    const first = await postSigned(slack.url, SIGNING_SECRET, body, "application/json");
    expect(first.status).toBe(200);
    await slack.fake.waitFor(() => posts() === before + 1);
    const retry = await postSigned(slack.url, SIGNING_SECRET, body, "application/json", { retryNum: 1 });
    expect(retry.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await sessionCount()).toBe(1);
    expect(posts()).toBe(before + 1);
    expect(slack.fake.callsOf("chat.postMessage").at(-1)?.args.text).toBe(
      "Séance notée avec Léa Petit : 27 nov. 2026, 45 min.",
    );
  });
});
