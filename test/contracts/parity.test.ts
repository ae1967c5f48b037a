import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client.js";
import { identities, pairs, participants, sessions } from "../../db/schema.js";
import { applySeed, type SeedSpec } from "../../src/features/participants/seed.js";
import type { FakeSlackUser } from "../support/fake-slack.js";
import { programmeFixture } from "../support/fixtures.js";
import { startSlackHarness } from "../support/slack-harness.js";
import { teamsMessage } from "../support/teams-activities.js";
import { TEST_TENANT_ID } from "../support/teams-auth.js";
import { startTeamsHarness, people as teamsPeople } from "../teams/harness.js";

type Key = Exclude<keyof typeof teamsPeople, "stranger">;

/** The shared fixture with every person on Slack and on Teams (same people, same pairs). */
const parityFixture: SeedSpec = {
  ...programmeFixture,
  people: programmeFixture.people.map((person) => ({
    ...person,
    identities: [
      ...(person.identities ?? []),
      { platform: "teams" as const, tenantId: TEST_TENANT_ID, userId: teamsPeople[person.key as Key].aadObjectId },
    ],
  })),
};

const slackIdOf = (key: Key) =>
  programmeFixture.people.find((p) => p.key === key)?.identities?.[0]?.userId ?? `U${key.toUpperCase()}`;

/** What each person's client tells the platform: Sophie uses English, the others French; all in Paris. */
const clients: Record<Key, { locale: string; timeZone: string }> = {
  claire: { locale: "fr-FR", timeZone: "Europe/Paris" },
  marc: { locale: "fr-FR", timeZone: "Europe/Paris" },
  sophie: { locale: "en-US", timeZone: "Europe/Paris" },
  lea: { locale: "fr-FR", timeZone: "Europe/Paris" },
  hugo: { locale: "fr-FR", timeZone: "Europe/Paris" },
  ines: { locale: "fr-FR", timeZone: "Europe/Paris" },
};

/** One thing a person types; `{@key}` is a real mention of that person, written the way each platform writes it. */
interface Step {
  who: Key;
  typed: string;
}

const journey: Step[] = [
  { who: "marc", typed: "help" },
  { who: "lea", typed: "aide" },
  { who: "marc", typed: "log lea 45m révision du CV; next: simulation d'entretien" },
  { who: "marc", typed: "log lea abc CV" },
  { who: "marc", typed: "log {@ines} 45m CV" },
  { who: "marc", typed: "log ines 45m CV" },
  { who: "marc", typed: "log {@hugo} 2026-11-20 1h30 projet professionnel" },
  { who: "sophie", typed: "log ines yesterday 1h mock interview" },
  { who: "lea", typed: "sessions" },
  { who: "hugo", typed: "sessions" },
  { who: "ines", typed: "séances" },
  { who: "claire", typed: "sessions" },
];

/** What the people saw, step by step, and the database at the end. */
interface Run {
  texts: string[];
  sessions: Array<Record<string, unknown>>;
  identities: Array<Record<string, unknown>>;
}

async function databaseState(db: Database): Promise<Omit<Run, "texts">> {
  const mentor = alias(participants, "mentor");
  const mentee = alias(participants, "mentee");
  const author = alias(participants, "author");
  const rows = await db
    .select({
      mentor: mentor.email,
      mentee: mentee.email,
      loggedBy: author.email,
      heldOn: sessions.heldOn,
      durationMinutes: sessions.durationMinutes,
      topics: sessions.topics,
      nextSteps: sessions.nextSteps,
      source: sessions.source,
    })
    .from(sessions)
    .innerJoin(pairs, eq(sessions.pairId, pairs.id))
    .innerJoin(mentor, eq(pairs.mentorId, mentor.id))
    .innerJoin(mentee, eq(pairs.menteeId, mentee.id))
    .leftJoin(author, eq(sessions.loggedBy, author.id));
  const linked = await db
    .select({ email: participants.email, platform: identities.platform, userId: identities.userId })
    .from(identities)
    .innerJoin(participants, eq(identities.participantId, participants.id));
  const order = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    JSON.stringify(a).localeCompare(JSON.stringify(b));
  return { sessions: rows.sort(order), identities: linked.sort(order) };
}

async function runOnSlack(): Promise<Run> {
  const users: FakeSlackUser[] = (Object.keys(clients) as Key[]).map((key) => ({
    id: slackIdOf(key),
    name: teamsPeople[key].name,
    locale: clients[key].locale,
    tz: clients[key].timeZone,
  }));
  const slack = await startSlackHarness(parityFixture, users);
  try {
    const texts: string[] = [];
    for (const step of journey) {
      const typed = step.typed.replace(/\{@(\w+)\}/g, (_m, key: Key) => `<@${slackIdOf(key)}|${key}>`);
      const sent = await slack.command(slackIdOf(step.who), typed);
      expect(sent.status).toBe(200);
      texts.push(await sent.reply());
      // Transport: every answer to a slash command is private to the person.
      expect(slack.fake.responses.at(-1)?.body.response_type).toBe("ephemeral");
    }
    return { texts, ...(await databaseState(slack.db.db)) };
  } finally {
    await slack.close();
  }
}

async function runOnTeams(): Promise<Run> {
  const teams = await startTeamsHarness();
  try {
    // The harness seeds the Teams fixture; the parity fixture adds what it lacks (Inès on Teams).
    await applySeed(teams.db, parityFixture);
    const texts: string[] = [];
    for (const step of journey) {
      const person = teamsPeople[step.who];
      const mentioned: Key[] = [];
      const typed = step.typed.replace(/\{@(\w+)\}/g, (_m, key: Key) => {
        mentioned.push(key);
        return `<at>${teamsPeople[key].name}</at>`;
      });
      const activity = teamsMessage(person, typed, { ...teams.place(person), ...clients[step.who] });
      activity.entities = [
        ...(activity.entities ?? []),
        ...mentioned.map((key) => ({
          type: "mention",
          text: `<at>${teamsPeople[key].name}</at>`,
          mentioned: {
            id: `29:${teamsPeople[key].aadObjectId}`,
            name: teamsPeople[key].name,
            aadObjectId: teamsPeople[key].aadObjectId,
          },
        })),
      ];
      const before = teams.connector.sent().length;
      const response = await teams.post(activity);
      expect(response.status).toBe(200);
      const replies = teams.connector.sent().slice(before);
      expect(replies).toHaveLength(1);
      // Transport: a one-line answer is the message's text; a card's text for notifications is its summary.
      const reply = replies[0] ?? {};
      texts.push(String(reply.text ?? reply.summary ?? ""));
    }
    return { texts, ...(await databaseState(teams.db)) };
  } finally {
    await teams.close();
  }
}

describe("parity: the same journey on Slack and on Teams", () => {
  let slack: Run;
  let teams: Run;
  // One after the other: on PGlite, a test worker's databases share one instance, emptied for each harness.
  beforeAll(async () => {
    slack = await runOnSlack();
    teams = await runOnTeams();
  });

  it.each(journey.map((step, index) => [index + 1, step.who, step.typed, index] as const))(
    "step %i: %s types `%s` and reads the same answer on both",
    (_n, _who, _typed, index) => {
      expect(teams.texts[index]).toBe(slack.texts[index]);
    },
  );

  it("answers what a person would expect (not the same error twice)", () => {
    const [
      marcHelp,
      leaHelp,
      logged,
      badDuration,
      notHisByMention,
      notHisByName,
      loggedByMention,
      english,
      leaSees,
      hugoSees,
      inesSees,
      claireSees,
    ] = slack.texts;
    expect(marcHelp).toContain("binome : ce que vous pouvez faire");
    expect(marcHelp).toContain("/binome log");
    expect(leaHelp).not.toContain("/binome log");
    expect(logged).toBe("Séance notée avec Léa Petit : 27 nov. 2026, 45 min.");
    expect(badDuration).toBe("« abc » n'est pas une durée. Écrivez par exemple `45m`, `1h` ou `1h30`.");
    expect(notHisByMention).toBe(
      "« @Inès Laurent » n'est pas l'un de vos mentorés. Vos mentorés : Hugo Moreau, Léa Petit.",
    );
    expect(notHisByName).toBe("« ines » n'est pas l'un de vos mentorés. Vos mentorés : Hugo Moreau, Léa Petit.");
    expect(loggedByMention).toBe("Séance notée avec Hugo Moreau : 20 nov. 2026, 1 h 30.");
    expect(english).toBe("Session with Inès Laurent recorded: 26 Nov 2026, 1 h.");
    expect(leaSees).toContain("Marc Dubois → Léa Petit");
    expect(leaSees).not.toContain("Inès");
    expect(hugoSees).toContain("Marc Dubois → Hugo Moreau");
    expect(inesSees).toContain("Sophie Bernard → Inès Laurent");
    expect(inesSees).not.toContain("Léa");
    expect(claireSees).toContain("Séances récentes du programme Cohorte test");
    for (const pair of ["Marc Dubois → Léa Petit", "Marc Dubois → Hugo Moreau", "Sophie Bernard → Inès Laurent"])
      expect(claireSees).toContain(pair);
  });

  it("ends with the same sessions in the database, each marked with the platform it came from", () => {
    expect(slack.sessions).toHaveLength(3);
    expect(slack.sessions.map((s) => s.source)).toEqual(["slack", "slack", "slack"]);
    expect(teams.sessions.map((s) => s.source)).toEqual(["teams", "teams", "teams"]);
    const withoutSource = (rows: Array<Record<string, unknown>>) => rows.map(({ source: _s, ...row }) => row);
    expect(withoutSource(teams.sessions)).toEqual(withoutSource(slack.sessions));
    expect(slack.sessions).toContainEqual({
      mentor: "marc@example.org",
      mentee: "lea@example.org",
      loggedBy: "marc@example.org",
      heldOn: "2026-11-27",
      durationMinutes: 45,
      topics: "révision du CV",
      nextSteps: "simulation d'entretien",
      source: "slack",
    });
  });

  it("links no one new on either platform: the identities are the seeded ones", () => {
    expect(teams.identities).toEqual(slack.identities);
    expect(slack.identities).toHaveLength(12);
  });
});
