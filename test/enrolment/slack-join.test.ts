import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profiles } from "../../db/schema.js";
import type { FakeSlackUser } from "../support/fake-slack.js";
import { programmeFixture } from "../support/fixtures.js";
import { type SlackHarness, startSlackHarness } from "../support/slack-harness.js";

const users: FakeSlackUser[] = [
  { id: "UMARC", name: "Marc Dubois", locale: "fr-FR", tz: "Europe/Brussels" },
  { id: "ULEA", name: "Léa Petit", locale: "fr-FR" },
];

type ModalBlock = {
  block_id?: string;
  element?: { type: string; initial_value?: string; initial_option?: { value: string } };
};
type Modal = { callback_id: string; private_metadata: string; blocks: ModalBlock[] };

const state = (values: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(values).map(([id, value]) => [
      id,
      {
        [id]:
          id === "style"
            ? { type: "static_select", selected_option: { value } }
            : { type: id === "capacity" ? "number_input" : "plain_text_input", value },
      },
    ]),
  );

describe("Slack: /binome join opens the questionnaire as a modal", () => {
  let slack: SlackHarness;
  const profileCount = async () => (await slack.db.db.select({ n: count() }).from(profiles))[0]?.n;

  beforeAll(async () => {
    slack = await startSlackHarness(programmeFixture, users);
  });
  afterAll(() => slack.close());

  const submission = (view: Modal, values: Record<string, string>) => ({
    type: "view_submission",
    team: { id: "T0TEST", domain: "test" },
    user: { id: "UMARC", team_id: "T0TEST" },
    api_app_id: "A0BINOME",
    trigger_id: "trigger-submit",
    view: {
      id: "V1",
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values: state(values) },
    },
  });

  it("refuses capacity -1 beside its input and saves nothing, then saves good answers and confirms", async () => {
    const opened = await slack.command("UMARC", "join");
    expect(opened.status).toBe(200);
    const call = await slack.fake.waitFor(() => slack.fake.callsOf("views.open")[0]);
    const view = call.args.view as Modal;
    expect(view.callback_id).toBe("profile");
    expect(view.blocks.find((b) => b.block_id === "capacity")?.element).toMatchObject({
      type: "number_input",
      initial_value: "1",
    });
    // The time zone comes prefilled from the person's Slack profile.
    expect(view.blocks.find((b) => b.block_id === "timeZone")?.element?.initial_value).toBe("Europe/Brussels");

    const answers = {
      skills: "CV, entretien",
      domain: "",
      days: "lun-mer",
      parts: "matin",
      timeZone: "Europe/Brussels",
      languages: "fr",
      style: "4",
      capacity: "2",
    };
    const bad = await slack.interact(submission(view, { ...answers, capacity: "-1" }));
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.text)).toEqual({
      response_action: "errors",
      errors: { capacity: "« -1 » ne convient pas : indiquez un nombre entier de 0 à 10." },
    });
    expect(await profileCount()).toBe(0);

    const good = await slack.interact(submission(view, answers));
    expect(good.status).toBe(200);
    const confirmation = await slack.fake.waitFor(() => slack.fake.callsOf("chat.postEphemeral").at(-1));
    expect(confirmation.args).toMatchObject({
      channel: "C0GENERAL",
      user: "UMARC",
      text: "Profil enregistré pour Cohorte test (mentor).",
    });
    expect(JSON.stringify(confirmation.args.blocks)).toContain("lun, mar, mer · matin");
    expect(await profileCount()).toBe(1);
  });

  it("opens the questionnaire prefilled from the profile's edit button", async () => {
    const shown = await slack.command("UMARC", "profile");
    const reply = await slack.fake.waitFor(() =>
      slack.fake.responses.find((r) => r.path === new URL(slack.fake.responseUrl("cmd-2")).pathname),
    );
    expect(shown.status).toBe(200);
    const blocks = reply.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    const edit = blocks.find((b) => b.type === "actions")?.elements?.[0];
    expect(edit?.action_id).toBe("profile.edit");

    const opens = slack.fake.callsOf("views.open").length;
    const click = await slack.interact({
      type: "block_actions",
      team: { id: "T0TEST", domain: "test" },
      user: { id: "UMARC", team_id: "T0TEST" },
      api_app_id: "A0BINOME",
      trigger_id: "trigger-edit",
      channel: { id: "C0GENERAL", name: "general" },
      response_url: slack.fake.responseUrl("edit"),
      container: { type: "message", message_ts: "1700000000.000100", channel_id: "C0GENERAL", is_ephemeral: true },
      actions: [
        {
          type: "button",
          action_id: "profile.edit",
          block_id: "b1",
          value: edit?.value,
          action_ts: "1700000001.000200",
        },
      ],
    });
    expect(click.status).toBe(200);
    const call = await slack.fake.waitFor(() => slack.fake.callsOf("views.open")[opens]);
    expect(call.args.trigger_id).toBe("trigger-edit");
    const view = call.args.view as Modal;
    expect(view.blocks.find((b) => b.block_id === "days")?.element?.initial_value).toBe("lun, mar, mer");
    expect(view.blocks.find((b) => b.block_id === "style")?.element?.initial_option?.value).toBe("4");
  });
});
