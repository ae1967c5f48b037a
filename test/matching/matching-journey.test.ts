import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { charterAgreements, outbox, pairs, profiles } from "../../db/schema.js";
import { silentLogger } from "../../src/core/logger.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import type { SeedSpec } from "../../src/features/participants/seed.js";
import type { FakeSlackUser } from "../support/fake-slack.js";
import { type SlackHarness, startSlackHarness } from "../support/slack-harness.js";

const slackId = (key: string) => `U${key.toUpperCase()}`;
const person = (
  key: string,
  name: string,
  roles: SeedSpec["people"][number]["roles"],
  extra: Partial<SeedSpec["people"][number]> = {},
) => ({
  key,
  name,
  email: `${key}@example.org`,
  roles,
  identities: [{ platform: "slack" as const, tenantId: "T0TEST", userId: slackId(key) }],
  ...extra,
});

const seed: SeedSpec = {
  programme: { slug: "promo", name: "Promo 2027", coordinatorChannel: "slack:C0COORD" },
  people: [
    person("claire", "Claire Martin", ["coordinator"]),
    person("marc", "Marc Dubois", ["mentor"], { skills: ["cv", "entretien"] }),
    person("nadia", "Nadia Benali", ["mentor"], { skills: ["sql", "data"] }),
    person("lea", "Léa Petit", ["mentee"], { skills: ["cv"] }),
    person("hugo", "Hugo Moreau", ["mentee"], { skills: ["data"] }),
    person("ines", "Inès Laurent", ["mentee"], { skills: ["sql"] }),
    person("john", "John Smith", ["mentee"], { language: "en", skills: ["cv"] }),
  ],
};

const users: FakeSlackUser[] = seed.people.map((p) => ({
  id: slackId(p.key),
  name: p.name,
  locale: p.language === "en" ? "en-US" : "fr-FR",
}));

describe("matching: proposal, approval and introductions through Slack", () => {
  let slack: SlackHarness;
  let ids: Record<string, string>;

  beforeAll(async () => {
    slack = await startSlackHarness(seed, users);
    const { applySeed } = await import("../../src/features/participants/seed.js");
    ({ ids } = await applySeed(slack.db.db, seed));
    const programmeId = (await slack.db.db.query.programmes.findFirst())?.id as string;
    const answers = (languages: string[], capacity?: number) => ({
      languages,
      timeZone: "Europe/Paris",
      availability: { days: ["tue", "thu"], parts: ["morning"] },
      skills: [],
      ...(capacity !== undefined ? { capacity } : {}),
    });
    // Marc takes one mentee, Nadia two; nobody speaks English but John, who is left waiting.
    await slack.db.db.insert(profiles).values([
      {
        programmeId,
        participantId: ids.marc as string,
        role: "mentor",
        answers: { ...answers(["fr"], 1), skills: ["cv", "entretien"] },
        updatedAt: new Date(),
      },
      {
        programmeId,
        participantId: ids.nadia as string,
        role: "mentor",
        answers: { ...answers(["fr"], 2), skills: ["sql", "data"] },
        updatedAt: new Date(),
      },
      {
        programmeId,
        participantId: ids.lea as string,
        role: "mentee",
        answers: { ...answers(["fr"]), skills: ["cv"] },
        updatedAt: new Date(),
      },
      {
        programmeId,
        participantId: ids.hugo as string,
        role: "mentee",
        answers: { ...answers(["fr"]), skills: ["data"] },
        updatedAt: new Date(),
      },
      {
        programmeId,
        participantId: ids.ines as string,
        role: "mentee",
        answers: { ...answers(["fr"]), skills: ["sql"] },
        updatedAt: new Date(),
      },
      {
        programmeId,
        participantId: ids.john as string,
        role: "mentee",
        answers: { ...answers(["en"]), skills: ["cv"] },
        updatedAt: new Date(),
      },
    ]);
  });
  afterAll(() => slack.close());

  let clicks = 0;
  /** Clicks a button as `user`; resolves with the private answer binome gives on response_url. */
  const click = async (user: string, actionId: string, value: string) => {
    clicks += 1;
    const path = `/respond/click-${clicks}`;
    const ack = await slack.interact({
      type: "block_actions",
      team: { id: "T0TEST", domain: "test" },
      user: { id: user, team_id: "T0TEST" },
      api_app_id: "A0BINOME",
      trigger_id: "trigger-click",
      response_url: slack.fake.responseUrl(`click-${clicks}`),
      channel: { id: "C0COORD" },
      actions: [{ type: "button", action_id: actionId, block_id: "b1", value, action_ts: "1" }],
    });
    expect(ack.status).toBe(200);
    const response = await slack.fake.waitFor(() => slack.fake.responses.find((r) => r.path === path));
    return String(response.body.text);
  };
  const pairCount = async () => (await slack.db.db.select({ n: count() }).from(pairs))[0]?.n;

  it("refuses /binome match to anyone but a coordinator, changing nothing", async () => {
    expect(await (await slack.command("UMARC", "match")).reply()).toBe(
      "Cette commande est réservée aux coordinateurs.",
    );
    expect((await slack.db.db.select({ n: count() }).from(outbox))[0]?.n).toBe(0);
  });

  it("posts the proposal to the coordinators only, then introduces each pair once on approval", async () => {
    const reply = await (await slack.command("UCLAIRE", "match")).reply();
    expect(reply).toBe(
      "Proposition de 3 binôme(s) publiée dans le canal des coordinateurs. Personne n'est prévenu avant votre validation.",
    );
    await slack.worker.drain();
    const posts = slack.fake.callsOf("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe("C0COORD");
    const text = JSON.stringify(posts[0]?.args.blocks);
    expect(text).toContain("Marc Dubois → Léa Petit");
    expect(text).toContain("Compétences en commun : cv");
    expect(text).toContain("En attente : John Smith (aucun mentor ne parle en)");
    expect(slack.fake.callsOf("conversations.open")).toHaveLength(0);
    expect(await pairCount()).toBe(0);

    const blocks = (posts[0]?.args.blocks ?? []) as Array<{
      type: string;
      elements?: Array<{ action_id: string; value: string }>;
    }>;
    const approve = (blocks.find((b) => b.type === "actions")?.elements ?? []).find(
      (e) => e.action_id === "match.approve",
    );
    expect(approve).toBeDefined();
    expect(await click("UCLAIRE", "match.approve", approve?.value as string)).toMatch(
      /^C'est validé : 3 binôme\(s\) formé\(s\).*1 personne\(s\) en attente prévenue\(s\)\.$/,
    );
    expect(await pairCount()).toBe(3);

    // 11:00 in Paris on a Friday is inside working hours: everything goes out now.
    await slack.worker.drain();
    const groups = slack.fake
      .callsOf("conversations.open")
      .map((c) => String(c.args.users).split(",").sort().join(","));
    expect(groups.sort()).toEqual(["UHUGO,UNADIA", "UINES,UNADIA", "ULEA,UMARC"]);
    const intro = slack.fake.callsOf("chat.postMessage").find((c) => c.args.channel === "GUMARCULEA");
    expect(intro?.args.text).toBe(
      "Bonjour Marc et Léa ! Vous formez désormais un binôme dans le programme Promo 2027.",
    );
    expect(JSON.stringify(intro?.args.blocks)).toContain("J'accepte la charte");
    const waiting = slack.fake.callsOf("chat.postMessage").find((c) => c.args.channel === "UJOHN");
    expect(waiting?.args.text).toContain("We don't have a mentor for you yet in Promo 2027: no mentor speaks en.");

    const sentBefore = slack.fake.calls.length;
    expect(await click("UCLAIRE", "match.approve", approve?.value as string)).toMatch(
      /^Cette proposition a déjà été validée le .*: rien de plus n'est envoyé\.$/,
    );
    await slack.worker.drain();
    // A restarted worker on the same database finds nothing left to send.
    await new OutboxWorker({ db: slack.db.db, clock: slack.clock, log: silentLogger, ports: [] }).drain();
    expect(slack.fake.calls.length).toBe(sentBefore);
    expect(await pairCount()).toBe(3);
  });

  it("records the charter agreement of a member of the pair, once", async () => {
    const [pair] = await slack.db.db
      .select()
      .from(pairs)
      .where(eq(pairs.menteeId, ids.lea as string));
    expect(await click("ULEA", "charter.agree", pair?.id as string)).toMatch(
      /^Merci ! Votre accord avec la charte est enregistré/,
    );
    expect(await click("ULEA", "charter.agree", pair?.id as string)).toMatch(/^Vous avez déjà accepté la charte le/);
    expect(await click("UHUGO", "charter.agree", pair?.id as string)).toBe(
      "Cette charte concerne un binôme dont vous ne faites pas partie.",
    );
    expect((await slack.db.db.select({ n: count() }).from(charterAgreements))[0]?.n).toBe(1);
  });

  it.each([
    ["pair marc nadia", "Nadia Benali n'est pas mentoré dans ce programme. Le second nom doit être celui du mentoré."],
    ["pair nadia lea", "Léa Petit est déjà en binôme avec Marc Dubois. Pour changer de mentor : `/binome reassign`."],
    ["pair marc", "Écrivez `/binome pair @mentor @mentoré` (et le programme si vous en coordonnez plusieurs)."],
    [
      "pair personne lea",
      "Je ne trouve pas « personne » dans le programme Promo 2027. Utilisez une mention, le prénom ou l'e-mail.",
    ],
  ])("refuses `/binome %s` with one sentence, changing nothing", async (text, expected) => {
    expect(await (await slack.command("UCLAIRE", text)).reply()).toBe(expected);
    expect(await pairCount()).toBe(3);
  });

  it("tells a waiting mentee once, however many proposals leave them waiting", async () => {
    expect(await (await slack.command("UCLAIRE", "match")).reply()).toMatch(/^Proposition de 0 binôme\(s\)/);
    await slack.worker.drain();
    const card = slack.fake.callsOf("chat.postMessage").at(-1);
    expect(JSON.stringify(card?.args.blocks)).toContain("En attente : John Smith");
    // Every approval tells the waiting mentees (tellWaiting): John, already told, is not written to again.
    const toJohn = () => slack.fake.callsOf("chat.postMessage").filter((c) => c.args.channel === "UJOHN").length;
    expect(toJohn()).toBe(1);
    const { tellWaiting } = await import("../../src/features/introductions/introductions.usecases.js");
    const programme = (await slack.db.db.query.programmes.findFirst()) as Parameters<typeof tellWaiting>[1];
    const deps = { db: slack.db.db, clock: slack.clock, log: silentLogger, outboxChanged: () => {} };
    const why = { kind: "noSharedLanguage" as const, values: { languages: ["en"] } };
    expect(await tellWaiting(deps, programme, [{ participantId: ids.john as string, role: "mentee", why }])).toBe(0);
    await slack.worker.drain();
    expect(toJohn()).toBe(1);
  });

  it("reassigns a mentee to another mentor and introduces the new pair", async () => {
    expect(await (await slack.command("UCLAIRE", "reassign <@UJOHN|john> marc")).reply()).toBe(
      "John Smith n'a pas encore de mentor : utilisez `/binome pair`.",
    );
    const reply = await (await slack.command("UCLAIRE", "reassign lea <@UNADIA|nadia>")).reply();
    expect(reply).toMatch(/^Léa Petit a désormais pour mentor Nadia Benali\./);
    const active = await slack.db.db
      .select()
      .from(pairs)
      .where(eq(pairs.menteeId, ids.lea as string));
    expect(active.map((p) => p.status).sort()).toEqual(["active", "ended"]);
    await slack.worker.drain();
    expect(slack.fake.callsOf("conversations.open").at(-1)?.args.users).toBe("UNADIA,ULEA");
  });
});
