import { describe, expect, it } from "vitest";
import { renderMessage as renderSlack, SLACK_LIMITS } from "../../adapters/slack/render.js";
import { renderMessage as renderTeams } from "../../adapters/teams/renderer.js";
import type { AttentionPair, Digest } from "../../src/features/digest/digest.build.js";
import { digestCards } from "../../src/features/digest/digest.cards.js";

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const longName = (who: string, i: number) => `${who} ${i} ${"Éléonore-Marie-Françoise ".repeat(8)}`;

/** The heaviest pairs a digest can list: every reason at once, and names far over the shown length. */
function heavyPair(i: number): AttentionPair {
  const mentor = { id: uuid(2 * i), name: longName("Mentor", i), email: `m${i}@example.org` };
  const mentee = { id: uuid(2 * i + 1), name: longName("Mentee", i), email: `e${i}@example.org` };
  return {
    pairId: uuid(100_000 + i),
    mentor,
    mentee,
    reasons: [
      { key: `unreachable:${mentee.id}:2026-11-21`, kind: "unreachable", personId: mentee.id, since: "2026-11-21" },
      { key: `difficulty:${uuid(200_000 + i)}`, kind: "difficulty", personId: mentee.id, on: "2026-11-24" },
      {
        key: `low-usefulness:${uuid(300_000 + i)}`,
        kind: "low-usefulness",
        personId: mentor.id,
        score: 1,
        on: "2026-11-25",
      },
      { key: `survey:${uuid(400_000 + i)}`, kind: "survey", personId: mentee.id, moment: "end", reminders: 3 },
      { key: "quiet:2026-09-07", kind: "quiet", days: 84, since: "2026-09-07" },
    ],
  };
}

function heavyDigest(pairs: number, language: "fr" | "en"): Digest {
  const figures = {
    activePairs: 1200,
    sessions: 340,
    minutes: 20_400,
    checkinsSent: 600,
    checkinsAnswered: 450,
    usefulness: 3.9,
    surveysInvited: 1200,
    surveysCompleted: 800,
  };
  return {
    programme: { id: uuid(1), slug: "cohorte-test", name: "Un programme au nom très long ".repeat(4).trim() },
    language,
    asOf: "2026-11-30",
    week: {
      from: "2026-11-23",
      to: "2026-11-29",
      start: new Date("2026-11-22T23:00:00Z"),
      end: new Date("2026-11-29T23:00:00Z"),
    },
    figures: { current: figures, previous: { ...figures, sessions: 300, usefulness: null } },
    attention: Array.from({ length: pairs }, (_, i) => heavyPair(i)),
    attentionTotal: pairs + 25,
    milestones: [
      { date: "2026-12-15", kind: "midterm-survey" },
      { date: "2026-12-24", kind: "programme-end" },
    ],
  };
}

describe("digest cards at their heaviest", () => {
  for (const language of ["fr", "en"] as const) {
    it(`fit Slack and Teams when every pair has every reason (${language})`, () => {
      const cards = digestCards(heavyDigest(120, language), { reserve: 1 });
      expect(cards.length).toBeGreaterThan(2);
      let largest = 0;
      for (const card of cards) {
        expect(card.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage - 1);
        const slack = renderSlack(card);
        expect(slack.blocks).toHaveLength(card.blocks.length);
        for (const block of card.blocks) {
          if (block.type === "text") expect(block.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
          if (block.type === "actions") {
            for (const b of block.buttons) expect(b.value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
          }
        }
        largest = Math.max(largest, Buffer.byteLength(JSON.stringify(renderTeams(card)), "utf8"));
      }
      expect(largest).toBeLessThan(24 * 1024);
      // The names are cut; the count of pairs left out is said.
      const all = cards.map((c) => JSON.stringify(c)).join("");
      expect(all).not.toContain("Éléonore-Marie-Françoise ".repeat(4));
      expect(all).toContain(language === "fr" ? "… et 25 autre(s) binôme(s)" : "… and 25 more pair(s)");
    });
  }

  it("shows each change since last week, and a dash where there is nothing to compare", () => {
    const [first] = digestCards(heavyDigest(1, "en"));
    const text = first?.blocks.map((b) => (b.type === "text" ? b.text : "")).join("\n") ?? "";
    expect(text).toContain("• Active pairs: 1,200 (=)");
    expect(text).toContain("• Sessions logged: 340 (+40)");
    expect(text).toContain("• Hours of mentoring: 340 h (=)");
    expect(text).toContain("• Check-in answers: 75 % (450/600) (=)");
    expect(text).toContain("• Average usefulness of meetings: 3.9/5\n");
    expect(text).toContain("• Surveys completed: 800/1200, 67 % (=)");
    expect(text).toContain("• 15 Dec 2026: mid-programme survey\n• 24 Dec 2026: programme ends");
  });
});
