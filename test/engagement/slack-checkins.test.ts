import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkins, difficulties, outbox, pairs } from "../../db/schema.js";
import type { SlackCall } from "../support/fake-slack.js";
import {
  buttonsOf,
  engagementSeed,
  eventually,
  type Journey,
  readableText,
  slackUsersOf,
  startJourney,
} from "./slack-journey.js";

// Pairs are made on Friday 27 November 2026; the programme checks in every two weeks, with the mentee.
const DAY_14 = "2026-12-11T10:00:00Z"; // Friday, 11:00 in Paris

const labels = (call: SlackCall | undefined, actionId: string) =>
  buttonsOf(call)
    .filter((b) => b.action_id === actionId)
    .map((b) => b.label);
const button = (call: SlackCall | undefined, actionId: string, label: string) => {
  const found = buttonsOf(call).find((b) => b.action_id === actionId && b.label === label);
  if (!found) throw new Error(`no ${actionId} button "${label}" in ${readableText(call?.args.blocks)}`);
  return found;
};

describe("check-ins over Slack: the first round, answered by click", () => {
  let j: Journey;
  let first: Map<string, SlackCall>;
  /** The latest chat.update of a message the bot posted. */
  const latestUpdate = (message: SlackCall | undefined) =>
    j.slack.fake
      .callsOf("chat.update")
      .filter((c) => c.args.channel === message?.response?.channel && c.args.ts === message?.response?.ts)
      .at(-1);
  /** Clicks, waits for the message update it writes, delivers it, and returns Slack's chat.update. */
  const clickAndUpdate = async (user: string, label: string, actionId: string, message: SlackCall | undefined) => {
    const current = latestUpdate(message) ?? message;
    const id = button(current, actionId, label).value.split(":")[0] as string;
    const before = await j.updatesOf(id);
    await j.click(user, button(current, actionId, label), message);
    await eventually(async () => (await j.updatesOf(id)) > before);
    const calls = await j.drain();
    const update = calls.find((c) => c.method === "chat.update");
    expect(update, "the check-in message is updated").toBeDefined();
    // The answer shows in place: nothing new is posted.
    expect(calls.filter((c) => c.method === "chat.postMessage")).toEqual([]);
    return update as SlackCall;
  };

  beforeAll(async () => {
    // Hugo's Slack is in English, but binome has no language on file for him: the programme's French applies.
    j = await startJourney({
      users: slackUsersOf(engagementSeed).map((u) => (u.id === "UHUGO" ? { ...u, locale: "en-US" } : u)),
    });
    // The first tick sees the new pairs: nothing is due yet.
    expect(await j.tick("2026-11-27T10:15:00Z")).toEqual([]);
  });
  afterAll(() => j.close());

  it("asks each mentee after 14 days, in their language, once; mentors get no check-in", async () => {
    expect(await j.tick("2026-12-10T16:00:00Z"), "nothing on day 13").toEqual([]);
    const calls = await j.tick(DAY_14);
    first = j.checkinsIn(calls);
    expect([...first.keys()].sort()).toEqual(["UHUGO", "UINES", "ULEA"]);

    const lea = first.get("ULEA");
    expect(lea?.args.text).toBe("Bonjour ! Avez-vous échangé avec Marc depuis le 27 nov. 2026 ?");
    expect(labels(lea, "checkin.answer")).toEqual(["Oui", "Pas encore", "C'est prévu"]);
    expect(readableText(lea?.args.blocks)).toContain("Vous pouvez aussi répondre ici : oui, pas encore ou prévu.");
    expect(first.get("UHUGO")?.args.text).toBe("Bonjour ! Avez-vous échangé avec Marc depuis le 27 nov. 2026 ?");
    const ines = first.get("UINES");
    expect(ines?.args.text).toBe("Hello! Have you met Sophie since 27 Nov 2026?");
    expect(labels(ines, "checkin.answer")).toEqual(["Yes", "Not yet", "Planned"]);

    // Mentors hear from the nudge ladder (14 quiet days), never a check-in question.
    for (const mentor of ["UMARC", "USOPHIE"]) {
      for (const dm of j.dmsTo(mentor)) expect(labels(dm, "checkin.answer")).toEqual([]);
    }

    // Another tick the same day, and one later, send nothing again.
    const posted = j.slack.fake.callsOf("chat.postMessage").length;
    expect(await j.tick(DAY_14)).toEqual([]);
    expect(await j.tick("2026-12-11T15:30:00Z")).toEqual([]);
    expect(j.slack.fake.callsOf("chat.postMessage").length).toBe(posted);
    expect(await j.slack.db.db.select().from(checkins)).toHaveLength(3);
  });

  it("turns a click on « Oui » into an update of the very message, then asks how useful", async () => {
    const message = first.get("ULEA");
    const [pairBefore] = await j.slack.db.db
      .select()
      .from(pairs)
      .where(eq(pairs.id, j.pairIds.lea as string));
    expect(pairBefore?.lastActivityOn).toBe("2026-11-27");

    const update = await clickAndUpdate("ULEA", "Oui", "checkin.answer", message);
    expect(message?.response?.channel).toBe("DLEA");
    expect(update.args.channel).toBe("DLEA");
    expect(update.args.ts).toBe(message?.response?.ts);
    expect(readableText(update.args.blocks)).toContain("✅ Vous avez échangé avec Marc. Merci !");
    expect(readableText(update.args.blocks)).toContain("Cet échange vous a-t-il été utile ?");
    expect(labels(update, "checkin.useful")).toEqual(["1", "2", "3", "4", "5"]);
    expect(labels(update, "checkin.answer")).toEqual([]);

    const [pairAfter] = await j.slack.db.db
      .select()
      .from(pairs)
      .where(eq(pairs.id, j.pairIds.lea as string));
    expect(pairAfter?.lastActivityOn).toBe("2026-12-11");
    expect((await j.checkin("lea", 1)).answer).toBe("met");
  });

  it("records a usefulness of 4 and updates the message again", async () => {
    const message = first.get("ULEA");
    const update = await clickAndUpdate("ULEA", "4", "checkin.useful", message);
    expect(update.args.ts).toBe(message?.response?.ts);
    expect(readableText(update.args.blocks)).toContain("Utilité : 4/5.");
    expect(labels(update, "checkin.useful")).toEqual([]);
    expect(labels(update, "checkin.addNote")).toEqual(["Ajouter une note"]);
    expect((await j.checkin("lea", 1)).usefulness).toBe(4);
  });

  /** Clicks « Ajouter une note », returns the modal Slack was asked to open. */
  const openNote = async (user: string, message: SlackCall | undefined) => {
    const opened = j.slack.fake.callsOf("views.open").length;
    await j.click(user, button(latestUpdate(message), "checkin.addNote", "Ajouter une note"), message);
    const call = await j.slack.fake.waitFor(() => j.slack.fake.callsOf("views.open")[opened]);
    return call;
  };
  /** Submits the note modal as Slack does. */
  const submitNote = async (user: string, modal: SlackCall, note: string, share: "private" | "shared") => {
    const view = modal.args.view as { callback_id: string; private_metadata: string };
    const ack = await j.slack.interact({
      type: "view_submission",
      team: { id: "T0TEST", domain: "test" },
      user: { id: user, team_id: "T0TEST" },
      api_app_id: "A0BINOME",
      trigger_id: "trigger-submit",
      view: {
        id: "V1",
        type: "modal",
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: {
          values: {
            note: { note: { type: "plain_text_input", value: note } },
            share: { share: { type: "static_select", selected_option: { value: share } } },
          },
        },
      },
    });
    expect(ack.status).toBe(200);
  };

  it("keeps a private note out of the coordinators' channel", async () => {
    const message = first.get("ULEA");
    const modal = await openNote("ULEA", message);
    expect(modal.args.trigger_id).toMatch(/^trigger-click-/);
    const view = modal.args.view as { callback_id: string; title: { text: string }; blocks: unknown };
    expect(view.callback_id).toBe("checkin.note");
    expect(view.title.text).toBe("Une note sur cet échange");
    expect(readableText(view.blocks)).toContain("Qui peut la lire ?");

    const ephemerals = j.slack.fake.callsOf("chat.postEphemeral").length;
    await submitNote("ULEA", modal, "Marc m'a aidée à reprendre mon CV, j'ai un peu honte de mon retard.", "private");
    const confirmation = await j.slack.fake.waitFor(() => j.slack.fake.callsOf("chat.postEphemeral")[ephemerals]);
    expect(confirmation.args.channel).toBe("DLEA");
    expect(confirmation.args.text).toBe("Note enregistrée. Elle reste privée.");
    const calls = await j.drain();
    expect(calls.filter((c) => c.args.channel === "C0COORD")).toEqual([]);
    expect(JSON.stringify(j.slack.fake.calls.filter((c) => c.args.channel === "C0COORD"))).not.toContain("honte");
    expect(readableText(calls.find((c) => c.method === "chat.update")?.args.blocks)).toContain(
      "Note enregistrée. Elle reste privée.",
    );
    const saved = await j.checkin("lea", 1);
    expect(saved.note).toBe("Marc m'a aidée à reprendre mon CV, j'ai un peu honte de mon retard.");
    expect(saved.noteShared).toBe(false);
  });

  it("posts a shared note in the coordinators' channel", async () => {
    const message = first.get("UHUGO");
    const answered = await clickAndUpdate("UHUGO", "Oui", "checkin.answer", message);
    // The message keeps the language it was sent in, whatever Hugo's Slack locale.
    expect(readableText(answered.args.blocks)).toContain("✅ Vous avez échangé avec Marc. Merci !");
    await clickAndUpdate("UHUGO", "5", "checkin.useful", message);
    const modal = await openNote("UHUGO", message);
    await submitNote("UHUGO", modal, "Super échange sur la data.", "shared");
    const posted = await eventually(async () => {
      const calls = await j.drain();
      return calls.find((c) => c.method === "chat.postMessage" && c.args.channel === "C0COORD");
    });
    expect(posted.args.text).toBe(
      "Note partagée par Hugo Moreau (binôme avec Marc Dubois) : « Super échange sur la data. »",
    );
    expect((await j.checkin("hugo", 1)).noteShared).toBe(true);
  });

  it("explains a click on a check-in of a pair that has ended, and changes nothing", async () => {
    const message = first.get("UINES");
    await j.slack.db.db
      .update(pairs)
      .set({ status: "ended", endedAt: new Date(DAY_14) })
      .where(eq(pairs.id, j.pairIds.ines as string));
    const before = await j.checkin("ines", 1);
    const click = await j.click("UINES", button(message, "checkin.answer", "Yes"), message);
    expect(await click.reply()).toBe(
      "This pair has ended: nothing was recorded. Type `/binome status` to see your current pairs.",
    );
    expect(await j.checkin("ines", 1)).toEqual(before);
    expect((await j.drain()).filter((c) => c.method === "chat.update")).toEqual([]);
    expect(await j.updatesOf(before.id)).toBe(0);
  });

  it("explains a click with an unknown or someone else's check-in, and changes nothing", async () => {
    const unknown = await j.click("ULEA", {
      action_id: "checkin.answer",
      value: "6f1c2b9e-0000-4000-8000-000000000000:met",
      label: "Oui",
    });
    expect(await unknown.reply()).toBe("Ce point d'étape n'existe plus. Rien n'a été enregistré.");
    const garbage = await j.click("ULEA", { action_id: "checkin.useful", value: "pas-un-id:4", label: "4" });
    expect(await garbage.reply()).toBe("Ce point d'étape n'existe plus. Rien n'a été enregistré.");
    // Léa's own button, clicked by Hugo (a forwarded message): not his check-in. Hugo reads Slack in English.
    const lea = await j.checkin("lea", 1);
    const stolen = await j.click("UHUGO", { action_id: "checkin.useful", value: `${lea.id}:1`, label: "1" });
    expect(await stolen.reply()).toBe("This check-in no longer exists. Nothing was recorded.");
    expect(await j.checkin("lea", 1)).toEqual(lea);
    expect((await j.drain()).filter((c) => c.method === "chat.update")).toEqual([]);
    const pending = await j.slack.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
    expect(pending).toEqual([]);
  });
});

describe("check-ins over Slack: answers typed in the DM", () => {
  let j: Journey;
  let first: Map<string, SlackCall>;

  beforeAll(async () => {
    j = await startJourney();
    await j.tick("2026-11-27T10:15:00Z");
    first = j.checkinsIn(await j.tick(DAY_14));
    expect(first.size).toBe(3);
  });
  afterAll(() => j.close());

  it("answers « blabla » with the one-sentence hint and records nothing", async () => {
    const before = await j.checkin("hugo", 1);
    expect(await j.type("UHUGO", "blabla")).toBe(
      "Pour répondre au point d'étape, écrivez oui, pas encore ou prévu, ou touchez un bouton.",
    );
    expect(await j.checkin("hugo", 1)).toEqual(before);
    expect(await j.updatesOf(before.id)).toBe(0);
  });

  it("understands « pas encore » and « prévu », and shows each in the message", async () => {
    expect(await j.type("UHUGO", "pas encore")).toBe(
      "Noté : pas encore d'échange avec Marc. Les boutons du message proposent un coup de pouce.",
    );
    expect((await j.checkin("hugo", 1)).answer).toBe("not_yet");
    let update = (await j.drain()).find((c) => c.method === "chat.update");
    expect(update?.args.ts).toBe(first.get("UHUGO")?.response?.ts);
    expect(labels(update, "checkin.help")).toEqual([
      "Relancer Marc",
      "Idées pour démarrer",
      "Prévenir la coordination",
    ]);

    expect(await j.type("UHUGO", "Prévu !")).toBe("Noté : un échange est prévu avec Marc. Bon échange !");
    expect((await j.checkin("hugo", 1)).answer).toBe("planned");
    update = (await j.drain()).find((c) => c.method === "chat.update");
    expect(readableText(update?.args.blocks)).toContain("📅 Un échange est prévu avec Marc.");
    expect(labels(update, "checkin.help")).toEqual([]);
    // Planned is not a meeting: the pair's last activity stays where it was.
    const [pair] = await j.slack.db.db
      .select()
      .from(pairs)
      .where(eq(pairs.id, j.pairIds.hugo as string));
    expect(pair?.lastActivityOn).toBe("2026-11-27");
  });

  it("understands « oui », then « 4 » as the usefulness, with a hint for anything else", async () => {
    expect(await j.type("ULEA", "oui")).toBe("Merci ! Noté : vous avez échangé avec Marc. Quelle utilité, de 1 à 5 ?");
    const met = await j.checkin("lea", 1);
    expect(met.answer).toBe("met");
    const [pair] = await j.slack.db.db
      .select()
      .from(pairs)
      .where(eq(pairs.id, j.pairIds.lea as string));
    expect(pair?.lastActivityOn).toBe("2026-12-11");

    expect(await j.type("ULEA", "blabla")).toBe(
      "Répondez par un chiffre de 1 (pas utile) à 5 (très utile), ou touchez un bouton.",
    );
    expect(await j.checkin("lea", 1)).toEqual(met);

    expect(await j.type("ULEA", "4")).toBe("Merci ! Utilité notée : 4/5.");
    expect((await j.checkin("lea", 1)).usefulness).toBe(4);
    const updates = (await j.drain()).filter((c) => c.method === "chat.update");
    expect(updates.every((u) => u.args.ts === first.get("ULEA")?.response?.ts)).toBe(true);
    expect(readableText(updates.at(-1)?.args.blocks)).toContain("Utilité : 4/5.");
  });

  it("treats a typed word from someone with no open check-in as an unknown command", async () => {
    expect(await j.type("UMARC", "oui")).toBe(
      "Je ne connais pas « oui ». Tapez `/binome help` pour la liste des commandes.",
    );
  });

  it("waits for Slack's Retry-After when updating the message is rate limited", async () => {
    const hugo = first.get("UHUGO");
    // Hugo had answered « prévu »; the meeting took place.
    expect(await j.type("UHUGO", "oui")).toBe("Merci ! Noté : vous avez échangé avec Marc. Quelle utilité, de 1 à 5 ?");
    j.slack.fake.fail("chat.update", {
      status: 429,
      body: { ok: false, error: "ratelimited" },
      headers: { "retry-after": "1" },
    });
    const limited = (await j.drain()).filter((c) => c.method === "chat.update");
    expect(limited.map((c) => c.status)).toEqual([429]);
    j.slack.clock.set(new Date(j.slack.clock.now().getTime() + 1000));
    const retried = (await j.drain()).filter((c) => c.method === "chat.update");
    expect(retried.map((c) => [c.status, c.args.ts])).toEqual([[200, hugo?.response?.ts]]);
    expect(readableText(retried[0]?.args.blocks)).toContain("✅ Vous avez échangé avec Marc. Merci !");
  });

  it("counts a late answer: a click on the first round after the second was sent", async () => {
    // Round two falls on Christmas Day, a public holiday: it goes on Monday 28 December at 09:00 in Paris.
    const christmas = await j.tick("2026-12-25T10:00:00Z");
    expect(j.checkinsIn(christmas).size).toBe(0);
    const second = j.checkinsIn(await j.tick("2026-12-28T08:00:00Z"));
    expect([...second.keys()].sort()).toEqual(["UHUGO", "UINES", "ULEA"]);
    expect(second.get("UINES")?.args.text).toBe("Hello! Have you met Sophie since 11 Dec 2026?");

    const late = first.get("UINES");
    const id = button(late, "checkin.answer", "Yes").value.split(":")[0] as string;
    await j.click("UINES", button(late, "checkin.answer", "Yes"), late);
    await eventually(async () => (await j.updatesOf(id)) > 0);
    const update = (await j.drain()).find((c) => c.method === "chat.update");
    expect(update?.args.ts).toBe(late?.response?.ts);
    expect(readableText(update?.args.blocks)).toContain("✅ You met Sophie. Thank you!");
    expect((await j.checkin("ines", 1)).answer).toBe("met");
    const [pair] = await j.slack.db.db
      .select()
      .from(pairs)
      .where(eq(pairs.id, j.pairIds.ines as string));
    expect(pair?.lastActivityOn).toBe("2026-12-28");

    // A typed answer goes to the latest check-in, in English for Inès.
    expect(await j.type("UINES", "yes")).toBe("Thank you! Noted: you met Sophie. How useful was it, from 1 to 5?");
    expect((await j.checkin("ines", 2)).answer).toBe("met");
  });
});

describe("check-ins over Slack: help after « pas encore »", () => {
  let j: Journey;
  let first: Map<string, SlackCall>;
  const clickThenDrain = async (user: string, label: string, actionId: string, message: SlackCall | undefined) => {
    const current =
      j.slack.fake
        .callsOf("chat.update")
        .filter((c) => c.args.ts === message?.response?.ts)
        .at(-1) ?? message;
    const id = button(current, actionId, label).value.split(":")[0] as string;
    const before = await j.updatesOf(id);
    const click = await j.click(user, button(current, actionId, label), message);
    await eventually(async () => (await j.updatesOf(id)) > before);
    return { click, calls: await j.drain() };
  };

  beforeAll(async () => {
    j = await startJourney();
    await j.tick("2026-11-27T10:15:00Z");
    first = j.checkinsIn(await j.tick(DAY_14));
  });
  afterAll(() => j.close());

  it("offers three kinds of help after « Pas encore »", async () => {
    const { calls } = await clickThenDrain("ULEA", "Pas encore", "checkin.answer", first.get("ULEA"));
    const update = calls.find((c) => c.method === "chat.update");
    expect(readableText(update?.args.blocks)).toContain("Pas encore d'échange avec Marc. Besoin d'un coup de pouce ?");
    expect(labels(update, "checkin.help")).toEqual([
      "Relancer Marc",
      "Idées pour démarrer",
      "Prévenir la coordination",
    ]);
  });

  it("« Relancer Marc » writes to Marc once, as soon as his weekly cap allows", async () => {
    const message = first.get("ULEA");
    const { calls } = await clickThenDrain("ULEA", "Relancer Marc", "checkin.help", message);
    const update = calls.find((c) => c.method === "chat.update");
    expect(readableText(update?.args.blocks)).toContain("Marc recevra un petit message de relance");
    // Marc already had this week's two unsolicited messages (the ladder's reminders about Léa and Hugo).
    expect(j.dmsTo("UMARC")).toHaveLength(2);
    expect(j.dmsTo("UMARC", calls)).toEqual([]);
    // A second click on the same button (Slack users double-click) writes nothing more.
    await j.click("ULEA", { action_id: "checkin.help", value: `${(await j.checkin("lea", 1)).id}:nudge`, label: "" });
    await eventually(async () => (await j.updatesOf((await j.checkin("lea", 1)).id)) >= 3);
    expect(j.dmsTo("UMARC", await j.drain())).toEqual([]);
    expect(await j.tick("2026-12-13T10:00:00Z"), "nothing on a Sunday").toEqual([]);

    const monday = await j.tick("2026-12-14T08:00:00Z");
    const toMarc = j.dmsTo("UMARC", monday);
    expect(toMarc.map((c) => c.args.text)).toEqual([
      "Léa aimerait échanger avec vous. Un petit message pour convenir d'un moment ?",
    ]);
    expect(await j.tick("2026-12-15T08:00:00Z")).toEqual([]);
  });

  it("« Prévenir la coordination » posts in C0COORD with names only", async () => {
    await clickThenDrain("UHUGO", "Pas encore", "checkin.answer", first.get("UHUGO"));
    const id = (await j.checkin("hugo", 1)).id;
    const tell = { action_id: "checkin.help", value: `${id}:coordinator`, label: "Prévenir la coordination" };
    // The database fails while the difficulty is written: Hugo is told to try again, and nothing of
    // his click is kept (neither his choice nor the update of his message), so his retry counts.
    const db = j.slack.db.db;
    await db.execute(sql`create function refuse_difficulty() returns trigger language plpgsql as $$
      begin raise exception 'disk full'; end $$`);
    await db.execute(
      sql`create trigger refuse_difficulty before insert on difficulties execute function refuse_difficulty()`,
    );
    const before = await j.updatesOf(id);
    const failed = await j.click("UHUGO", tell);
    expect(await failed.reply()).toBe("Quelque chose s'est mal passé de notre côté. Réessayez dans un instant.");
    await db.execute(sql`drop trigger refuse_difficulty on difficulties`);
    await db.execute(sql`drop function refuse_difficulty`);
    expect((await j.checkin("hugo", 1)).help).toBeNull();
    expect(await j.updatesOf(id)).toBe(before);

    // Hugo tries again with a double-click: both clicks arrive at once, and the coordinators hear once.
    await Promise.all([j.click("UHUGO", tell), j.click("UHUGO", tell)]);
    await eventually(async () => (await j.updatesOf(id)) >= before + 2);
    const calls = await j.drain();
    const posts = calls.filter((c) => c.method === "chat.postMessage" && c.args.channel === "C0COORD");
    expect(posts.map((c) => c.args.text)).toEqual([
      "Hugo Moreau n'a pas encore échangé avec Marc Dubois et demande un coup de main.",
    ]);
    // The card is a difficulty in the register: coordinators can mark it handled.
    expect(readableText(posts[0]?.args.blocks)).toBe(
      "Hugo Moreau n'a pas encore échangé avec Marc Dubois et demande un coup de main.\nMarquer comme traitée",
    );
    const raised = await j.slack.db.db.select().from(difficulties);
    expect(raised.map((d) => [d.source, d.status, d.text])).toEqual([["checkin", "open", ""]]);
    const update = calls.find((c) => c.method === "chat.update");
    expect(readableText(update?.args.blocks)).toContain("La coordination est prévenue et reviendra vers vous.");
  });

  it("explains a stale usefulness button after « Pas encore », and records nothing", async () => {
    const before = await j.checkin("hugo", 1);
    expect(before.answer).toBe("not_yet");
    const click = await j.click("UHUGO", { action_id: "checkin.useful", value: `${before.id}:4`, label: "4" });
    expect(await click.reply()).toBe(
      "Ce bouton ne correspond plus à votre réponse actuelle. Répondez depuis le message mis à jour.",
    );
    expect(await j.checkin("hugo", 1)).toEqual(before);
  });

  it("« Ideas to start » answers Inès privately with conversation starters", async () => {
    await clickThenDrain("UINES", "Not yet", "checkin.answer", first.get("UINES"));
    const { click } = await clickThenDrain("UINES", "Ideas to start", "checkin.help", first.get("UINES"));
    expect(await click.reply()).toContain("What does each of you expect from this mentoring?");
  });
});
