import { describe, expect, it } from "vitest";
import { logForm } from "../../src/features/sessions/sessions.cards.js";
import { teamsClick, teamsInstall, teamsMessage, teamsUninstall } from "../../test/support/teams-activities.js";
import { TEST_TENANT_ID } from "../../test/support/teams-auth.js";
import type { TeamsActivity } from "./activity.js";
import { parseActivity } from "./parser.js";
import { renderAdaptiveCard, renderFormCard } from "./renderer.js";

const place = { serviceUrl: "https://smba.trafficmanager.net/emea/", conversationId: "a:chat-marc" };
const marc = { aadObjectId: "aad-marc", name: "Marc Dubois" };
const actor = {
  platform: "teams",
  tenantId: TEST_TENANT_ID,
  userId: "aad-marc",
  locale: "fr-FR",
  timeZone: "Europe/Paris",
  displayName: "Marc Dubois",
};

const commandOf = (activity: TeamsActivity) => {
  const parsed = parseActivity(activity);
  return parsed.kind === "event" && parsed.event.type === "command" ? parsed.event.text : parsed;
};

describe("the Teams activity parser", () => {
  it("turns a typed message into a command by the AAD object id, with locale, time zone and delivery id", () => {
    expect(parseActivity(teamsMessage(marc, "log lea 45m CV", place, "act-1"))).toEqual({
      kind: "event",
      via: "message",
      event: {
        type: "command",
        text: "log lea 45m CV",
        actor,
        origin: { conversationId: "a:chat-marc" },
        deliveryId: "act-1",
      },
    });
  });

  it.each([
    ["help", "help"],
    ["binome help", "help"],
    ["/binome sessions", "sessions"],
    ["Binome  log lea&nbsp;45m CV &amp; entretien", "log lea 45m CV & entretien"],
    ["", ""],
  ])("reads the same grammar as Slack's /binome (%s)", (typed, command) => {
    expect(commandOf(teamsMessage(marc, typed, place))).toBe(command);
  });

  it("drops the bot's mention and turns a person's mention into the core's mention", () => {
    const activity = teamsMessage(marc, "<at>binome</at> log <at>Léa Petit</at> 45m CV", place);
    activity.entities = [
      { type: "mention", text: "<at>binome</at>", mentioned: { id: activity.recipient?.id ?? "", name: "binome" } },
      {
        type: "mention",
        text: "<at>Léa Petit</at>",
        mentioned: { id: "29:lea", name: "Léa Petit", aadObjectId: "aad-lea" },
      },
    ];
    expect(commandOf(activity)).toBe(`log <@teams:${TEST_TENANT_ID}:aad-lea> 45m CV`);
    activity.entities[1] = {
      type: "mention",
      text: "<at>Léa Petit</at>",
      mentioned: { id: "29:lea", name: "Léa Petit" },
    };
    expect(commandOf(activity)).toBe("log @LéaPetit 45m CV");
  });

  it("reads the tenant from channelData when the conversation does not give it", () => {
    const activity = teamsMessage(marc, "help", place);
    delete activity.conversation?.tenantId;
    const parsed = parseActivity(activity);
    expect(parsed.kind === "event" && parsed.event.actor.tenantId).toBe(TEST_TENANT_ID);
  });

  it("turns a click on a rendered button into the button's action, as Action.Submit", () => {
    const card = renderAdaptiveCard({
      fallback: "?",
      blocks: [{ type: "actions", buttons: [{ actionId: "checkin.yes", label: "Oui", value: "pair-9" }] }],
    });
    const parsed = parseActivity(teamsClick(card, "Oui", marc, place, { id: "click-1" }));
    expect(parsed).toEqual({
      kind: "event",
      via: "message",
      event: {
        type: "action",
        actionId: "checkin.yes",
        value: "pair-9",
        actor,
        origin: { conversationId: "a:chat-marc" },
        deliveryId: "click-1",
      },
    });
  });

  it("turns a form submission into a form event, through Action.Execute and through its Action.Submit fallback", () => {
    const form = { ...logForm("fr", [], "2026-11-27"), meta: "m1" };
    const inputs = { pair: "p1", date: "2026-11-26", duration: "45m", topics: "CV", rating: 4 };
    const expected = {
      type: "form",
      formId: "log-session",
      meta: "m1",
      values: { pair: "p1", date: "2026-11-26", duration: "45m", topics: "CV", rating: "4" },
    };
    const executed = parseActivity(teamsClick(renderFormCard(form), "Enregistrer", marc, place, { inputs }));
    expect(executed).toMatchObject({ kind: "event", via: "invoke", event: expected });
    const submitted = parseActivity(
      teamsClick(renderFormCard(form), "Enregistrer", marc, place, { inputs, useFallback: true }),
    );
    expect(submitted).toMatchObject({ kind: "event", via: "message", event: expected });
  });

  it("ignores card data that binome did not render, and other invokes", () => {
    expect(parseActivity({ ...teamsMessage(marc, "", place), value: { foo: "bar" } }).kind).toBe("ignored");
    expect(
      parseActivity({ ...teamsMessage(marc, "", place), type: "invoke", name: "composeExtension/query", value: {} })
        .kind,
    ).toBe("ignored");
    expect(parseActivity({ ...teamsMessage(marc, "", place), type: "typing" }).kind).toBe("ignored");
  });

  it("recognises an install, by installationUpdate or by the bot joining, and an uninstall", () => {
    const [installation, update] = teamsInstall(marc, place);
    expect(parseActivity(installation as TeamsActivity)).toEqual({ kind: "installed", actor });
    expect(parseActivity(update as TeamsActivity)).toEqual({ kind: "installed", actor });
    expect(parseActivity({ ...(update as TeamsActivity), membersAdded: [{ id: "29:someone" }] }).kind).toBe("ignored");
    expect(parseActivity(teamsUninstall(marc, place))).toEqual({ kind: "uninstalled", actor });
  });
});
