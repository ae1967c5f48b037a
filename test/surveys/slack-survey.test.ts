import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { difficulties, participants, surveyResponses } from "../../db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { formatDate } from "../../src/core/i18n/index.js";
import { addDays } from "../../src/features/engagement/activity.js";
import { applySeed, type SeedSpec } from "../../src/features/participants/seed.js";
import { programmeFileSchema, withDefaults } from "../../src/features/programmes/programme-file.js";
import { applyProgramme } from "../../src/features/programmes/programmes.usecases.js";
import { surveyTick } from "../../src/features/surveys/surveys.task.js";
import { slackUsersOf } from "../engagement/slack-journey.js";
import { FakeSlack, type SlackCall } from "../support/fake-slack.js";
import { programmeFixture } from "../support/fixtures.js";
import { type LastingStore, lastingStore } from "../support/lasting-store.js";
import { type BinomeProcess, startBinome } from "../support/process.js";
import { SIGNING_SECRET } from "../support/slack-harness.js";
import { labels, type SlackFrontDoor, SlackPerson, slackBinomeInProcess, textOf } from "./slack-binome.js";

/**
 * Issue 6, items 1–2: the mid-term survey over Slack's real wiring (signed requests to Bolt's
 * receiver, a fake Web API), taken partly before and partly after binome is restarted as a new
 * process on the same database.
 *
 * The restarted process runs on the real clock, so the survey dates are set from today: the
 * mid-term survey goes out on a Monday more than a week ahead (the steps before and after the
 * restart move a manual clock to it), and is open for two weeks after that.
 */
function mondayAfter(isoDate: string): string {
  let date = isoDate;
  while (new Date(`${date}T00:00:00Z`).getUTCDay() !== 1) date = addDays(date, 1);
  return date;
}
const MIDTERM = mondayAfter(addDays(new Date().toISOString().slice(0, 10), 8));
const CLOSES_ON = addDays(MIDTERM, 14);
const END_SURVEY = addDays(MIDTERM, 30 - 6);
/** 10:00 UTC, 11:00 or 12:00 in Paris: within working hours whatever the season. */
const at = (date: string) => `${date}T10:00:00Z`;

const seed: SeedSpec = {
  ...programmeFixture,
  people: programmeFixture.people.map((p) => (p.key === "ines" ? { ...p, language: "en" } : p)),
};

const LEA_DIFFICULTY = "Mon mentor annule souvent nos rendez-vous au dernier moment.";
const HUGO_WISH = "Des rendez-vous plus réguliers, avec un ordre du jour.";

describe("a survey over Slack, with binome restarted as a new process in the middle", () => {
  let store: LastingStore;
  let fake: FakeSlack;
  let db: DatabaseHandle | undefined;
  let clock: ManualClock;
  let door: SlackFrontDoor | undefined;
  let binome: BinomeProcess | undefined;
  const ids: Record<string, string> = {};
  const person = (userId: string) => new SlackPerson(userId, fake, () => door as SlackFrontDoor);
  let lea: SlackPerson;
  let hugo: SlackPerson;
  let marc: SlackPerson;
  let ines: SlackPerson;
  /** Survey cards clicked again in later steps. */
  const cards: Record<string, SlackCall> = {};

  /** binome in this process on the store, its clock at `when`. */
  async function startInProcess(when: string): Promise<void> {
    db = await store.open();
    clock = new ManualClock(when);
    door = await slackBinomeInProcess(db, fake, clock);
  }
  async function stopInProcess(): Promise<void> {
    await door?.close();
    await db?.close();
    door = undefined;
    db = undefined;
  }
  const open = () => (db as DatabaseHandle).db;
  const tick = () => surveyTick({ db: open(), clock, outboxChanged: () => {} }, clock.now());
  async function responseOf(key: string, moment = "midterm") {
    const [row] = await open()
      .select()
      .from(surveyResponses)
      .where(and(eq(surveyResponses.participantId, ids[key] as string), eq(surveyResponses.moment, moment)));
    if (!row) throw new Error(`no ${moment} survey for ${key}`);
    return row;
  }

  // A fresh PGlite folder runs initdb: seconds, more on a busy machine.
  beforeAll(async () => {
    store = await lastingStore();
    fake = await new FakeSlack(slackUsersOf(seed)).start();
    const handle = await store.open();
    await applySeed(handle.db, seed);
    const programme = withDefaults(
      programmeFileSchema.parse({
        slug: seed.programme.slug,
        name: seed.programme.name,
        start: addDays(MIDTERM, -30),
        end: addDays(MIDTERM, 30),
        surveys: { midterm: MIDTERM },
        coordinators: ["claire@example.org"],
        coordinatorChannel: "slack:C0COORD",
        // A public holiday on the chosen Monday would hold the survey back a day.
        attention: { holidays: false },
      }),
    );
    expect((await applyProgramme({ db: handle.db }, programme)).ok).toBe(true);
    for (const row of await handle.db.select().from(participants)) {
      const key = seed.people.find((p) => p.email === row.email)?.key;
      if (key) ids[key] = row.id;
    }
    // Sophie is on a break until the Saturday after the survey date: her survey waits for her.
    await handle.db
      .update(participants)
      .set({ pausedUntil: new Date(at(addDays(MIDTERM, 5))) })
      .where(eq(participants.id, ids.sophie as string));
    await handle.close();
    lea = person("ULEA");
    hugo = person("UHUGO");
    marc = person("UMARC");
    ines = person("UINES");
  }, 180_000);

  afterAll(async () => {
    await binome?.stop("SIGKILL");
    await stopInProcess();
    await fake?.stop();
    await store?.cleanup();
  });

  it("sends the mid-term survey on its date, once, to each person in their language", async () => {
    await startInProcess(at(addDays(MIDTERM, -1)));
    expect(await tick(), "nothing the day before").toEqual({ invited: 0, reminded: 0, closed: 0 });

    clock.set(at(MIDTERM));
    expect(await tick()).toEqual({ invited: 5, reminded: 0, closed: 0 });
    cards.first = await lea.nextPost(0);
    expect(textOf(cards.first)).toBe(
      [
        "Bilan de mi-parcours",
        "Quelques questions sur votre binôme, deux minutes au plus. Vous pouvez passer une question à tout moment.",
        "Question 1/5",
        "*Votre relation de mentorat est-elle bien lancée (premiers échanges faits, rythme trouvé) ?*",
        "Oui",
        "Non",
        "Passer",
      ].join("\n"),
    );
    // The first question has nothing to go back to.
    expect(labels(cards.first)).toEqual(["Oui", "Non", "Passer"]);

    const toInes = await ines.nextPost(0);
    expect(textOf(toInes).split("\n").slice(0, 4)).toEqual([
      "Mid-programme check-in",
      "A few questions about your mentoring, two minutes at most. You may skip any question.",
      "Question 1/5",
      "*Is your mentoring relationship up and running (first conversations held, a rhythm found)?*",
    ]);
    expect(labels(toInes)).toEqual(["Yes", "No", "Skip"]);
    expect(person("USOPHIE").posted(), "Sophie is on a break").toEqual([]);
    // Mentors get the mentors' survey, once even with two mentees.
    const toMarc = await marc.nextPost(0);
    expect(textOf(toMarc)).toContain("Question 1/4");
    expect(textOf(toMarc)).toContain("*Votre binôme est-il bien lancé (premiers échanges faits, rythme trouvé) ?*");
    expect(marc.posted()).toHaveLength(1);

    // Later ticks the same day send nothing again.
    const posts = fake.callsOf("chat.postMessage").length;
    expect(await tick()).toEqual({ invited: 0, reminded: 0, closed: 0 });
    await door?.deliver();
    expect(fake.callsOf("chat.postMessage")).toHaveLength(posts);
  });

  it("takes clicks and typed answers, hints at a reply it cannot read, goes back, and asks a follow-up only after a low score", async () => {
    cards.satisfaction = await lea.click(cards.first, "Oui");
    expect(textOf(cards.satisfaction)).toBe(
      [
        "Bilan de mi-parcours · Question 2/5",
        "*Jusqu'ici, comment jugez-vous vos échanges avec votre mentor ?*",
        "1 = décevants · 5 = excellents",
        "1",
        "2",
        "3",
        "4",
        "5",
        "Passer",
        "Retour",
      ].join("\n"),
    );

    const hint = await lea.type("douze");
    expect(hint.args.text).toBe("Répondez par un nombre de 1 (décevants) à 5 (excellents), ou touchez un bouton.");
    expect((await responseOf("lea")).answers).toEqual({ relationship: { value: "yes" } });

    // A low score brings the follow-up question.
    const followUp = await lea.click(cards.satisfaction, "2");
    expect(textOf(followUp)).toBe(
      [
        "Bilan de mi-parcours · Question 3/5",
        "*Qu'est-ce qui rendrait ces échanges plus utiles pour vous ? (facultatif)*",
        "Répondez par un message dans cette conversation.",
        "Passer",
        "Retour",
      ].join("\n"),
    );
    // Léa changes her mind: back to the score, which is forgotten.
    const again = await lea.click(followUp, "Retour");
    expect(textOf(again).split("\n").slice(0, 2)).toEqual([
      "Bilan de mi-parcours · Question 2/5",
      "*Jusqu'ici, comment jugez-vous vos échanges avec votre mentor ?*",
    ]);
    expect((await responseOf("lea")).answers).toEqual({ relationship: { value: "yes" } });

    // A typed 4: no follow-up, and the count of questions shrinks.
    cards.difficulty = await lea.type("4");
    expect(textOf(cards.difficulty)).toBe(
      [
        "Bilan de mi-parcours · Question 3/4",
        "*Rencontrez-vous une difficulté que vous souhaitez signaler à l'équipe du programme ?*",
        "Oui",
        "Non",
        "Passer",
        "Retour",
      ].join("\n"),
    );
    // A button of a question already answered changes nothing.
    expect(await lea.click(cards.satisfaction, "1", "reply")).toBe(
      "Cette question n'est plus celle en cours : répondez à la dernière question affichée.",
    );
    const saved = await responseOf("lea");
    expect(saved.answers).toEqual({ relationship: { value: "yes" }, satisfaction: { value: "4" } });
    expect(saved.status).toBe("started");
  });

  it("lets Hugo skip a question, answer the follow-up in his own words and finish", async () => {
    const first = hugo.posted()[0];
    const second = await hugo.click(first, "Passer");
    expect(textOf(second).split("\n")[0]).toBe("Bilan de mi-parcours · Question 2/5");
    const followUp = await hugo.click(second, "1");
    expect(textOf(followUp).split("\n").slice(0, 2)).toEqual([
      "Bilan de mi-parcours · Question 3/5",
      "*Qu'est-ce qui rendrait ces échanges plus utiles pour vous ? (facultatif)*",
    ]);
    const difficulty = await hugo.type(HUGO_WISH);
    expect(textOf(difficulty).split("\n")[0]).toBe("Bilan de mi-parcours · Question 4/5");
    const done = await hugo.type("non");
    expect(textOf(done)).toBe("Bilan de mi-parcours\n*Merci ! Vos réponses sont enregistrées.*");

    const row = await responseOf("hugo");
    expect(row.status).toBe("completed");
    expect(row.answers).toEqual({
      relationship: { skipped: true },
      satisfaction: { value: "1" },
      "what-would-help": { value: HUGO_WISH },
      difficulty: { value: "no" },
    });
    expect(await open().select().from(difficulties)).toEqual([]);
  });

  // Starting a process takes seconds on a busy machine.
  it("resumes at the right question in a new process on the same database", async () => {
    await stopInProcess();
    binome = await startBinome(
      {
        ...store.env,
        PLAYGROUND: "off",
        SCHEDULER: "off",
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        OUTBOX_POLL_MS: "200",
      },
      60_000,
    );
    const running = binome;
    door = { url: `${running.url}/slack/events`, deliver: async () => {}, close: async () => {} };

    // An old button still changes nothing: the new process knows the score was given.
    expect(await lea.click(cards.satisfaction, "5", "reply")).toBe(
      "Cette question n'est plus celle en cours : répondez à la dernière question affichée.",
    );
    // A typed « oui » answers the question where she stopped, and its follow-up comes next.
    const details = await lea.type("oui");
    expect(textOf(details)).toBe(
      [
        "Bilan de mi-parcours · Question 4/4",
        "*Décrivez-la en quelques mots : l'équipe du programme reviendra vers vous. (facultatif)*",
        "Répondez par un message dans cette conversation.",
        "Passer",
        "Retour",
      ].join("\n"),
    );
    const done = await lea.type(LEA_DIFFICULTY);
    expect(textOf(done)).toBe(
      [
        "Bilan de mi-parcours",
        "*Merci ! Vos réponses sont enregistrées.*",
        "Vous avez signalé une difficulté : votre coordinateur ou coordinatrice va revenir vers vous.",
      ].join("\n"),
    );
    // Her survey is over: a button of an earlier card says so.
    expect(await lea.click(cards.difficulty, "Non", "reply")).toBe(
      "Vous avez déjà répondu à ce questionnaire : vos réponses sont enregistrées. Merci !",
    );
    // The coordinators read it in their channel.
    const notice = await fake.waitFor(
      () => fake.callsOf("chat.postMessage").find((c) => c.args.channel === "C0COORD"),
      10_000,
    );
    expect(textOf(notice)).toContain(
      `🔔 Difficulté signalée par Léa Petit (binôme avec Marc Dubois), via un questionnaire :\n« ${LEA_DIFFICULTY} »`,
    );

    // Marc answers the first question of the invitation the first process sent, then stops there.
    const marcSecond = await marc.click(marc.posted()[0], "Oui");
    expect(textOf(marcSecond).split("\n").slice(0, 2)).toEqual([
      "Bilan de mi-parcours · Question 2/4",
      "*Le rythme de vos échanges vous paraît-il adapté aux besoins de votre mentoré ?*",
    ]);
    expect(await running.stop("SIGTERM")).toBe(0);
    binome = undefined;

    // Each answer is saved exactly once, in the order given.
    await startInProcess(at(MIDTERM));
    const row = await responseOf("lea");
    expect(row.status).toBe("completed");
    expect(row.answers).toEqual({
      relationship: { value: "yes" },
      satisfaction: { value: "4" },
      difficulty: { value: "yes" },
      "difficulty-details": { value: LEA_DIFFICULTY },
    });
    expect(row.history).toEqual(["relationship", "satisfaction", "difficulty", "difficulty-details"]);
    const raised = await open().select().from(difficulties);
    expect(raised.map((d) => ({ by: d.raisedBy, source: d.source, text: d.text }))).toEqual([
      { by: ids.lea, source: "survey", text: LEA_DIFFICULTY },
    ]);
    expect((await responseOf("marc")).answers).toEqual({ relationship: { value: "yes" } });
  }, 120_000);

  it("reminds those who have not finished four days after their survey reached them, where they stopped, twice at most", async () => {
    const until = formatDate("fr", CLOSES_ON);
    const sophie = person("USOPHIE");
    clock.set(at(addDays(MIDTERM, 3)));
    expect(await tick()).toEqual({ invited: 0, reminded: 0, closed: 0 });

    clock.set(at(addDays(MIDTERM, 4)));
    // Marc stopped at question 2 and Inès never started; Léa and Hugo have finished; Sophie's
    // survey has not reached her yet.
    expect(await tick()).toEqual({ invited: 0, reminded: 2, closed: 0 });
    const reminder = await marc.nextPost(marc.posted().length);
    expect(textOf(reminder).split("\n").slice(0, 3)).toEqual([
      `Petit rappel : votre questionnaire vous attend, jusqu'au ${until}. Vous reprenez là où vous vous étiez arrêté·e.`,
      "Bilan de mi-parcours · Question 2/4",
      "*Le rythme de vos échanges vous paraît-il adapté aux besoins de votre mentoré ?*",
    ]);
    expect(labels(reminder)).toEqual(["1", "2", "3", "4", "5", "Passer", "Retour"]);
    const toInes = ines.posted().at(-1);
    expect(textOf(toInes).split("\n").slice(0, 3)).toEqual([
      `A gentle reminder: your survey is waiting for you until ${formatDate("en", CLOSES_ON)}. You pick up where you left off.`,
      "Mid-programme check-in",
      "A few questions about your mentoring, two minutes at most. You may skip any question.",
    ]);
    expect(sophie.posted()).toEqual([]);
    expect(
      lea
        .posted()
        .map(textOf)
        .filter((t) => t.startsWith("Petit rappel")),
    ).toEqual([]);
    expect(
      hugo
        .posted()
        .map(textOf)
        .filter((t) => t.startsWith("Petit rappel")),
    ).toEqual([]);

    // The reminder's buttons answer the survey.
    cards.marcDifficulty = await marc.click(reminder, "4");
    expect(textOf(cards.marcDifficulty).split("\n")[0]).toBe("Bilan de mi-parcours · Question 3/4");
    expect(await tick(), "once per step").toEqual({ invited: 0, reminded: 0, closed: 0 });

    // Back from her break, Sophie gets her survey; Marc and Inès their second reminder.
    clock.set(at(addDays(MIDTERM, 8)));
    expect(await tick()).toEqual({ invited: 0, reminded: 2, closed: 0 });
    await door?.deliver();
    expect(sophie.posted().map((m) => textOf(m).split("\n")[0])).toEqual(["Mid-programme check-in"]);

    // Four days after it reached her, a Saturday, Sophie's reminder is written; it waits for Monday.
    clock.set(at(addDays(MIDTERM, 12)));
    expect(await tick()).toEqual({ invited: 0, reminded: 1, closed: 0 });
    await door?.deliver();
    expect(sophie.posted()).toHaveLength(1);
  });

  it("closes at the deadline: a late click is told so and changes nothing", async () => {
    clock.set(at(CLOSES_ON));
    expect(await tick()).toEqual({ invited: 0, reminded: 0, closed: 3 });
    // On Monday the survey is closed: Sophie's reminder, still waiting, is not sent.
    await door?.deliver();
    expect(person("USOPHIE").posted()).toHaveLength(1);
    const before = await responseOf("marc");
    expect(before.status).toBe("closed");
    expect(await marc.click(cards.marcDifficulty, "Non", "reply")).toBe(
      `Ce questionnaire est clos depuis le ${formatDate("fr", CLOSES_ON)} : il n'accepte plus de réponses.`,
    );
    const after = await responseOf("marc");
    expect(after.answers).toEqual({ relationship: { value: "yes" }, frequency: { value: "4" } });
    expect(after.updatedAt).toEqual(before.updatedAt);
    // A typed answer is not taken either, and is told why.
    expect(textOf(await ines.type("yes"))).toBe(
      `Mid-programme check-in\nThis survey closed on ${formatDate("en", CLOSES_ON)}: it no longer accepts answers.`,
    );
    expect((await responseOf("ines")).answers).toEqual({});
  });

  it("reads an option's wording as the answer to a choice question (end-of-programme survey, in English)", async () => {
    clock.set(at(END_SURVEY));
    expect((await tick()).invited).toBe(5);
    const first = await ines.nextPost(ines.posted().length);
    expect(textOf(first)).toContain(
      "*To what extent have you reached the objectives set at the start of the programme?*",
    );
    // The label of a scale's end is an answer too.
    expect(textOf(await ines.type("fully")).split("\n")[0]).toBe("End-of-programme review · Question 2/6");
    expect(textOf(await ines.type("4")).split("\n")[0]).toBe("End-of-programme review · Question 3/6");
    const impact = await ines.type("3 out of 5");
    expect(textOf(impact).split("\n").slice(0, 2)).toEqual([
      "End-of-programme review · Question 4/6",
      "*Has the mentoring had a concrete effect yet? Choose the main one.*",
    ]);
    expect(labels(impact)).toEqual([
      "A new job or role",
      "A certification obtained",
      "Better performance at work",
      "Not yet",
      "Other",
      "Skip",
      "Back",
    ]);
    expect((await ines.type("Maybe")).args.text).toBe(
      "Reply with the number of an option or its wording, or tap a button: 1. A new job or role · 2. A certification obtained · 3. Better performance at work · 4. Not yet · 5. Other",
    );
    const comment = await ines.type("a new job or role");
    expect(textOf(comment).split("\n").slice(0, 2)).toEqual([
      "End-of-programme review · Question 5/5",
      "*Anything else you would like to say about the programme or your mentor? (optional)*",
    ]);
    const done = await ines.click(comment, "Skip");
    expect(textOf(done)).toBe("End-of-programme review\n*Thank you! Your answers have been saved.*");
    const row = await responseOf("ines", "end");
    expect(row.status).toBe("completed");
    expect(row.answers).toEqual({
      objectives: { value: "5" },
      competence: { value: "4" },
      confidence: { value: "3" },
      impact: { value: "new-job" },
      comment: { skipped: true },
    });
  });
});
