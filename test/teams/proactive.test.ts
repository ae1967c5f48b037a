import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { renderFormCard } from "../../adapters/teams/renderer.js";
import { conversationReferences, identities } from "../../db/schema.js";
import { textCard } from "../../src/core/card.js";
import { RecipientUnreachableError } from "../../src/core/errors.js";
import type { Outcome } from "../../src/core/events.js";
import { logForm } from "../../src/features/sessions/sessions.cards.js";
import { teamsClick, teamsInstall, teamsMessage, teamsUninstall } from "../support/teams-activities.js";
import { TEST_TENANT_ID } from "../support/teams-auth.js";
import { people, startTeamsHarness, type TeamsHarness, visibleText } from "./harness.js";

const lea = { platform: "teams" as const, tenantId: TEST_TENANT_ID, userId: people.lea.aadObjectId };

describe("Teams: install, conversation references and proactive messages", () => {
  let h: TeamsHarness;
  afterEach(() => h.close());

  it("welcomes a person once when they install the app, and keeps the conversation reference", async () => {
    h = await startTeamsHarness();
    for (const activity of teamsInstall(people.lea, h.place(people.lea)))
      expect((await h.post(activity)).status).toBe(200);
    const sent = h.connector.sent();
    expect(sent).toHaveLength(1);
    expect(visibleText(sent[0])).toBe(
      "Bienvenue dans binome\nJe vous aide à suivre votre mentorat : notez vos séances et retrouvez-les ici. Écrivez `help` pour voir ce que vous pouvez faire.",
    );
    const [reference] = await h.db.select().from(conversationReferences);
    expect(reference).toMatchObject({
      conversationId: `a:personal-${people.lea.aadObjectId}`,
      conversationType: "personal",
      userId: people.lea.aadObjectId,
      tenantId: TEST_TENANT_ID,
      serviceUrl: h.connector.serviceUrl,
      botId: "28:3f1c2a9e-0b7d-4c55-9d0e-7a1b2c3d4e5f",
    });
  });

  it("sends to a person later through the stored reference", async () => {
    h = await startTeamsHarness();
    await h.post(teamsMessage(people.lea, "help", h.place(people.lea)));
    h.connector.reset();
    const sent = await h.adapter.chatPort.sendDirect(lea, textCard("Votre binôme vous attend jeudi."));
    expect(sent.conversationId).toBe(`a:personal-${people.lea.aadObjectId}`);
    expect(h.connector.calls).toMatchObject([
      {
        method: "POST",
        path: `/v3/conversations/a:personal-${people.lea.aadObjectId}/activities`,
        body: { type: "message", text: "Votre binôme vous attend jeudi." },
      },
    ]);
  });

  it("opens a 1:1 chat with someone binome has not talked to, through their tenant's service URL", async () => {
    h = await startTeamsHarness();
    await h.post(teamsMessage(people.marc, "help", h.place(people.marc)));
    h.connector.reset();
    const sent = await h.adapter.chatPort.sendDirect(lea, textCard("Bienvenue !"));
    expect(h.connector.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /v3/conversations",
      `POST /v3/conversations/${sent.conversationId}/activities`,
    ]);
    expect(h.connector.calls[0]?.body).toMatchObject({
      isGroup: false,
      members: [{ id: people.lea.aadObjectId }],
      tenantId: TEST_TENANT_ID,
    });
    h.connector.reset();
    await h.adapter.chatPort.sendDirect(lea, textCard("Et encore."));
    expect(h.connector.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v3/conversations/${sent.conversationId}/activities`,
    ]);
  });

  it("marks a person unreachable on a 403 and stops messaging them until they write again", async () => {
    h = await startTeamsHarness();
    await h.post(teamsMessage(people.lea, "help", h.place(people.lea)));
    h.connector.refuse(`a:personal-${people.lea.aadObjectId}`, 403);
    await expect(h.adapter.chatPort.sendDirect(lea, textCard("Rappel"))).rejects.toBeInstanceOf(
      RecipientUnreachableError,
    );
    const [identity] = await h.db.select().from(identities).where(eq(identities.userId, people.lea.aadObjectId));
    expect(identity?.unreachableAt).toEqual(new Date("2026-11-27T10:00:00Z"));
    h.connector.reset();
    await expect(h.adapter.chatPort.sendDirect(lea, textCard("Rappel"))).rejects.toBeInstanceOf(
      RecipientUnreachableError,
    );
    expect(h.connector.calls).toHaveLength(0);

    h.connector.refuse(`a:personal-${people.lea.aadObjectId}`, 0);
    await h.post(teamsMessage(people.lea, "help", h.place(people.lea)));
    await h.adapter.chatPort.sendDirect(lea, textCard("Rappel"));
    expect(h.lastSent()).toBe("Rappel");
  });

  it("marks a person unreachable when they remove the app", async () => {
    h = await startTeamsHarness();
    for (const activity of teamsInstall(people.lea, h.place(people.lea))) await h.post(activity);
    await h.post(teamsUninstall(people.lea, h.place(people.lea)));
    await expect(h.adapter.chatPort.sendDirect(lea, textCard("Rappel"))).rejects.toBeInstanceOf(
      RecipientUnreachableError,
    );
  });

  it("posts to a channel where the app is installed", async () => {
    h = await startTeamsHarness();
    const channel = { ...h.place(people.claire), conversationId: "19:coordination@thread.tacv2" };
    const activity = teamsMessage(people.claire, "<at>binome</at> help", channel);
    activity.conversation = { id: channel.conversationId, conversationType: "channel", tenantId: TEST_TENANT_ID };
    await h.post(activity);
    h.connector.reset();
    await h.adapter.chatPort.postToChannel(
      "teams:19:coordination@thread.tacv2",
      textCard("Léa n'est plus joignable sur Teams."),
    );
    expect(h.connector.calls).toMatchObject([
      { method: "POST", path: "/v3/conversations/19:coordination@thread.tacv2/activities" },
    ]);
  });

  it("answers an Action.Execute within Teams' 5 seconds even when the core is slow, then posts the result", async () => {
    let release: (outcome: Outcome) => void = () => {};
    h = await startTeamsHarness({
      invokeDeadlineMs: 200,
      bot: (real) => ({
        handle: (event) =>
          event.type === "form" ? new Promise<Outcome>((resolve) => (release = resolve)) : real.handle(event),
      }),
    });
    const form = renderFormCard(logForm("fr", [], "2026-11-27"));
    const answer = await h.post(
      teamsClick(form, "Enregistrer", people.marc, h.place(people.marc), { inputs: { duration: "45m" } }),
    );
    expect(answer.body).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value: "C'est noté, je vous réponds dans un instant.",
    });
    release({ type: "reply", card: textCard("Séance notée.") });
    await expect.poll(() => h.lastSent()).toBe("Séance notée.");
  });
});
