import { describe, expect, it } from "vitest";
import { proposeMatches } from "./matching.js";
import { DEFAULT_WEIGHTS, type MatchProfile } from "./profile.js";

const AT = new Date("2026-11-27T12:00:00Z");

function person(role: "mentor" | "mentee", participantId: string, extra: Partial<MatchProfile> = {}): MatchProfile {
  return {
    participantId,
    role,
    languages: ["fr"],
    timeZone: "Europe/Paris",
    availability: { days: ["mon"], parts: ["morning"] },
    skills: [],
    ...extra,
  };
}
const mentor = (id: string, extra: Partial<MatchProfile> = {}) => person("mentor", id, extra);
const mentee = (id: string, extra: Partial<MatchProfile> = {}) => person("mentee", id, extra);

describe("proposeMatches", () => {
  it("gives up a mentee's best pair when that lets one more mentee be matched", () => {
    const proposal = proposeMatches({
      mentors: [mentor("anne", { skills: ["Excel", "CV"] }), mentor("bruno", { skills: ["CV"] })],
      mentees: [
        mentee("chloe", { skills: ["excel", "cv"] }),
        mentee("david", { skills: ["Excel"], notWith: ["bruno"] }),
      ],
      at: AT,
    });
    expect(proposal.pairs.map(({ mentorId, menteeId, score }) => ({ mentorId, menteeId, score }))).toEqual([
      { mentorId: "bruno", menteeId: "chloe", score: 50 },
      { mentorId: "anne", menteeId: "david", score: 70 },
    ]);
    expect(proposal.unmatched).toEqual([]);
  });

  it("explains each pair with its three strongest reasons", () => {
    const { pairs } = proposeMatches({
      mentors: [mentor("anne", { skills: ["Excel"], style: 3, domain: "banque" })],
      mentees: [mentee("chloe", { skills: ["Excel"], style: 3, domain: "banque", rankedChoices: ["anne"] })],
      at: AT,
    });
    expect(pairs[0]?.score).toBe(100);
    expect(pairs[0]?.reasons).toEqual([
      { kind: "skills", points: 40, values: { shared: ["Excel"], wanted: 1 } },
      { kind: "availability", points: 20, values: { days: ["mon"], parts: ["morning"] } },
      { kind: "choice", points: 15, values: { rank: 1 } },
    ]);
  });

  it("tells why each mentee is left without a mentor", () => {
    const proposal = proposeMatches({
      mentors: [mentor("m-fr", { skills: ["Excel"] }), mentor("m-de", { languages: ["de"], capacity: 2 })],
      mentees: [
        mentee("e-best", { skills: ["Excel"] }),
        mentee("e-second"),
        mentee("e-en", { languages: ["en"] }),
        mentee("e-excluded", { notWith: ["m-fr"] }),
        mentee("e-weak", { timeZone: "Pacific/Noumea", availability: { days: [], parts: [] } }),
      ],
      at: AT,
    });
    expect(proposal.pairs.map((pair) => [pair.mentorId, pair.menteeId])).toEqual([["m-fr", "e-best"]]);
    expect(proposal.unmatched).toEqual([
      { participantId: "e-en", role: "mentee", why: { kind: "noSharedLanguage", values: { languages: ["en"] } } },
      {
        participantId: "e-excluded",
        role: "mentee",
        why: { kind: "allExcluded", values: { blockers: { noSharedLanguage: 1, notWith: 1 } } },
      },
      {
        participantId: "e-second",
        role: "mentee",
        why: { kind: "compatibleMentorsFull", values: { compatibleMentors: 1 } },
      },
      {
        participantId: "e-weak",
        role: "mentee",
        why: { kind: "belowMinScore", values: { bestScore: 1.7, minScore: DEFAULT_WEIGHTS.minScore } },
      },
      {
        participantId: "m-de",
        role: "mentor",
        spareCapacity: 2,
        why: { kind: "noSharedLanguage", values: { languages: ["de"] } },
      },
    ]);
  });

  it("tells a mentor with places left that the compatible mentees went elsewhere", () => {
    const proposal = proposeMatches({
      mentors: [mentor("xavier", { capacity: 2 }), mentor("yves", { capacity: 0 }), mentor("zoe")],
      mentees: [mentee("lea", { rankedChoices: ["zoe"] })],
      at: AT,
    });
    expect(proposal.pairs.map((pair) => pair.mentorId)).toEqual(["zoe"]);
    expect(proposal.unmatched).toEqual([
      {
        participantId: "xavier",
        role: "mentor",
        spareCapacity: 2,
        why: { kind: "compatibleMenteesTaken", values: { compatibleMentees: 1 } },
      },
    ]);
  });

  it("says there are no candidates when the other side is empty", () => {
    expect(proposeMatches({ mentors: [], mentees: [mentee("lea")], at: AT })).toEqual({
      pairs: [],
      unmatched: [{ participantId: "lea", role: "mentee", why: { kind: "noCandidates", values: {} } }],
    });
    expect(proposeMatches({ mentors: [mentor("zoe")], mentees: [], at: AT }).unmatched).toEqual([
      { participantId: "zoe", role: "mentor", spareCapacity: 1, why: { kind: "noCandidates", values: {} } },
    ]);
  });

  it("counts the exclusions when every candidate is ruled out", () => {
    const proposal = proposeMatches({
      mentors: [mentor("anne", { managerId: "boss" }), mentor("bruno"), mentor("carla", { capacity: 0 })],
      mentees: [mentee("lea", { managerId: "boss", previousPartners: ["bruno"] })],
      at: AT,
    });
    expect(proposal.unmatched[0]).toEqual({
      participantId: "lea",
      role: "mentee",
      why: { kind: "allExcluded", values: { blockers: { sameManager: 1, previousPartners: 1, noCapacity: 1 } } },
    });
  });

  it("gives the same proposal whatever the order of the input lists", () => {
    const mentors = ["m1", "m2", "m3", "m4"].map((id, i) =>
      mentor(id, { capacity: 1 + (i % 2), skills: ["Excel", "CV", "SQL"].slice(i % 3) }),
    );
    const mentees = ["e1", "e2", "e3", "e4", "e5", "e6", "e7"].map((id, i) =>
      mentee(id, { skills: [["Excel"], ["CV"], ["SQL"]][i % 3]! }),
    );
    const forward = proposeMatches({ mentors, mentees, at: AT });
    const backward = proposeMatches({ mentors: [...mentors].reverse(), mentees: [...mentees].reverse(), at: AT });
    expect(backward).toEqual(forward);
    expect(forward.pairs).toHaveLength(6);
  });
});
