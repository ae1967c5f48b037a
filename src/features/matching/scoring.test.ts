import { describe, expect, it } from "vitest";
import { CRITERIA, type Criterion, DEFAULT_WEIGHTS, type MatchingWeights, type MatchProfile } from "./profile.js";
import { FORBIDDEN, scoreMatrix, scorePair } from "./scoring.js";

const AT = new Date("2026-11-27T12:00:00Z");

function person(role: "mentor" | "mentee", participantId: string, extra: Partial<MatchProfile> = {}): MatchProfile {
  return {
    participantId,
    role,
    languages: ["fr"],
    timeZone: "Europe/Paris",
    availability: { days: [], parts: [] },
    skills: [],
    ...extra,
  };
}
const mentor = (extra: Partial<MatchProfile> = {}) => person("mentor", "mentor-a", extra);
const mentee = (extra: Partial<MatchProfile> = {}) => person("mentee", "mentee-a", extra);

/** Weights that count one criterion only, so its points are its similarity × 100. */
function only(criterion: Criterion, minScore = 0): MatchingWeights {
  const weights = { ...DEFAULT_WEIGHTS, minScore };
  for (const other of CRITERIA) weights[other] = other === criterion ? 1 : 0;
  return weights;
}

describe("scorePair: hard constraints", () => {
  it("rules out a pair with no shared language, whatever else they share", () => {
    const result = scorePair(
      mentor({ languages: ["en", "de"], skills: ["Excel"] }),
      mentee({ languages: ["fr"], skills: ["Excel"] }),
      DEFAULT_WEIGHTS,
      AT,
    );
    expect(result.allowed).toBe(false);
    expect(result.blockers).toEqual([
      { kind: "noSharedLanguage", values: { mentorLanguages: ["en", "de"], menteeLanguages: ["fr"] } },
    ]);
  });

  it("compares languages by their primary subtag, in any case", () => {
    const result = scorePair(mentor({ languages: ["FR-ca"] }), mentee({ languages: ["fr"] }), only("timeZone"), AT);
    expect(result.blockers).toEqual([]);
    expect(result.allowed).toBe(true);
  });

  it("rules out two people with the same manager, and a manager with their own report", () => {
    const same = scorePair(mentor({ managerId: "boss" }), mentee({ managerId: "boss" }), only("timeZone"), AT);
    expect(same.blockers).toEqual([{ kind: "sameManager", values: { managerId: "boss" } }]);
    const line = scorePair(mentor(), mentee({ managerId: "mentor-a" }), only("timeZone"), AT);
    expect(line.blockers).toEqual([{ kind: "lineManager", values: { managerId: "mentor-a" } }]);
    const different = scorePair(mentor({ managerId: "boss" }), mentee({ managerId: "other" }), only("timeZone"), AT);
    expect(different.allowed).toBe(true);
  });

  it("rules out previous partners and notWith, recorded on either side", () => {
    const previous = scorePair(mentor(), mentee({ previousPartners: ["mentor-a"] }), only("timeZone"), AT);
    expect(previous.blockers).toEqual([{ kind: "previousPartners", values: { recordedBy: ["mentee"] } }]);
    const refused = scorePair(mentor({ notWith: ["mentee-a"] }), mentee(), only("timeZone"), AT);
    expect(refused.blockers).toEqual([{ kind: "notWith", values: { askedBy: ["mentor"] } }]);
    const both = scorePair(mentor({ notWith: ["mentee-a"] }), mentee({ notWith: ["mentor-a"] }), only("timeZone"), AT);
    expect(both.blockers).toEqual([{ kind: "notWith", values: { askedBy: ["mentor", "mentee"] } }]);
  });

  it("rules out a mentor of capacity 0 and a person paired with themselves", () => {
    expect(scorePair(mentor({ capacity: 0 }), mentee(), only("timeZone"), AT).blockers).toEqual([
      { kind: "noCapacity", values: { capacity: 0 } },
    ]);
    const self = scorePair(mentor(), person("mentee", "mentor-a"), only("timeZone"), AT);
    expect(self.blockers).toEqual([{ kind: "samePerson", values: { participantId: "mentor-a" } }]);
  });

  it("reports belowMinScore only for pairs that no hard constraint rules out", () => {
    const weak = scorePair(mentor(), mentee(), { ...DEFAULT_WEIGHTS, minScore: 20 }, AT);
    expect(weak.score).toBe(10);
    expect(weak.blockers).toEqual([{ kind: "belowMinScore", values: { score: 10, minScore: 20 } }]);
    const excluded = scorePair(mentor({ capacity: 0 }), mentee(), { ...DEFAULT_WEIGHTS, minScore: 20 }, AT);
    expect(excluded.blockers.map((blocker) => blocker.kind)).toEqual(["noCapacity"]);
  });

  it("rejects invalid weights and capacities", () => {
    expect(() => scorePair(mentor(), mentee(), { ...DEFAULT_WEIGHTS, skills: -1 }, AT)).toThrow(RangeError);
    expect(() => scorePair(mentor(), mentee(), { ...DEFAULT_WEIGHTS, minScore: 101 }, AT)).toThrow(RangeError);
    expect(() => scorePair(mentor({ capacity: 1.5 }), mentee(), DEFAULT_WEIGHTS, AT)).toThrow(RangeError);
  });
});

describe("scorePair: criteria", () => {
  it("skills: the share of the mentee's goals the mentor offers, ignoring case, accents and separators", () => {
    const result = scorePair(
      mentor({ skills: ["negociation", "PRISE-DE-PAROLE", "Python"] }),
      mentee({ skills: ["Négociation", "Prise de parole", "Excel", "CV"] }),
      only("skills"),
      AT,
    );
    expect(result.score).toBe(50);
    expect(result.reasons).toEqual([
      { kind: "skills", points: 50, values: { shared: ["Négociation", "Prise de parole"], wanted: 4 } },
    ]);
  });

  it("skills: a mentee without goals gets no skill points", () => {
    expect(scorePair(mentor({ skills: ["Excel"] }), mentee(), only("skills"), AT).score).toBe(0);
  });

  it("availability: shared slots (days × parts) over the slots of the less available person", () => {
    const result = scorePair(
      mentor({ availability: { days: ["mon", "tue"], parts: ["morning", "evening"] } }),
      mentee({ availability: { days: ["tue", "wed", "mon", "fri"], parts: ["evening"] } }),
      only("availability"),
      AT,
    );
    // Mentor has 4 slots, mentee 4; they share mon and tue evening: 2 of 4.
    expect(result.score).toBe(50);
    expect(result.reasons[0]).toEqual({
      kind: "availability",
      points: 50,
      values: { days: ["mon", "tue"], parts: ["evening"] },
    });
  });

  it("time zone: full points for the same offset, falling linearly to none at 12 hours apart", () => {
    const score = (mentorZone: string, menteeZone: string, at = AT) =>
      scorePair(mentor({ timeZone: mentorZone }), mentee({ timeZone: menteeZone }), only("timeZone"), at).score;
    expect(score("Europe/Paris", "Europe/Berlin")).toBe(100);
    expect(score("Europe/Paris", "America/New_York")).toBe(50);
    expect(score("Europe/Paris", "Asia/Kolkata")).toBe(62.5);
    expect(score("Pacific/Kiritimati", "Pacific/Honolulu")).toBe(100);
  });

  it("time zone: compares offsets at the instant given, daylight saving included", () => {
    const gap = (at: Date) =>
      scorePair(mentor({ timeZone: "Europe/Paris" }), mentee({ timeZone: "America/New_York" }), only("timeZone"), at)
        .reasons[0];
    expect(gap(new Date("2026-03-20T12:00:00Z"))).toMatchObject({ values: { hoursApart: 5 } });
    expect(gap(new Date("2026-07-01T12:00:00Z"))).toMatchObject({ values: { hoursApart: 6 } });
  });

  it("time zone: an unknown zone scores nothing and throws nothing", () => {
    const result = scorePair(mentor({ timeZone: "Mars/Olympus" }), mentee(), only("timeZone"), AT);
    expect(result).toMatchObject({ allowed: true, score: 0, reasons: [] });
  });

  it("style: closer is better, nothing when either style is unknown", () => {
    const score = (a: number | undefined, b: number | undefined) =>
      scorePair(
        mentor(a === undefined ? {} : { style: a }),
        mentee(b === undefined ? {} : { style: b }),
        only("style"),
        AT,
      ).score;
    expect(score(3, 3)).toBe(100);
    expect(score(2, 3)).toBe(75);
    expect(score(1, 5)).toBe(0);
    expect(score(undefined, 3)).toBe(0);
  });

  it("choice: the mentee's first choice weighs most", () => {
    const score = (choices: string[]) => scorePair(mentor(), mentee({ rankedChoices: choices }), only("choice"), AT);
    expect(score(["mentor-a", "x", "y"]).score).toBe(100);
    expect(score(["x", "mentor-a"]).score).toBe(50);
    expect(score(["x", "y", "mentor-a"]).reasons).toEqual([{ kind: "choice", points: 33.3, values: { rank: 3 } }]);
    expect(score(["x"]).score).toBe(0);
  });

  it("domain: the same domain, ignoring case and accents", () => {
    const result = scorePair(mentor({ domain: "Santé" }), mentee({ domain: "sante " }), only("domain"), AT);
    expect(result.reasons).toEqual([{ kind: "domain", points: 100, values: { domain: "sante" } }]);
    expect(scorePair(mentor({ domain: "banque" }), mentee({ domain: "santé" }), only("domain"), AT).score).toBe(0);
  });

  it("weighs criteria by their share of the total weight and orders reasons by points", () => {
    const result = scorePair(
      mentor({ skills: ["Excel", "CV"], style: 2, domain: "banque", timeZone: "America/New_York" }),
      mentee({ skills: ["excel", "cv"], style: 3, domain: "Banque", rankedChoices: ["mentor-a"] }),
      DEFAULT_WEIGHTS,
      AT,
    );
    // skills 40 + timeZone 10 × 0.5 + style 10 × 0.75 + choice 15 + domain 5 (availability 0).
    expect(result.score).toBe(72.5);
    expect(result.scoreTenths).toBe(725);
    expect(result.reasons.map((reason) => [reason.kind, reason.points])).toEqual([
      ["skills", 40],
      ["choice", 15],
      ["style", 7.5],
      ["timeZone", 5],
      ["domain", 5],
    ]);
  });

  it("scores 0 when every weight is 0", () => {
    const zero = { ...only("skills"), skills: 0 };
    expect(scorePair(mentor({ skills: ["a"] }), mentee({ skills: ["a"] }), zero, AT)).toMatchObject({
      score: 0,
      reasons: [],
      allowed: true,
    });
  });
});

describe("scoreMatrix", () => {
  it("holds, for every pair, scorePair's score in tenths or FORBIDDEN", () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const tags = ["Excel", "excel ", "CV", "Négociation", "negociation", "SQL", "Python", "RH"];
    const profile = (role: "mentor" | "mentee", i: number): MatchProfile => ({
      participantId: `${role}-${i}`,
      role,
      languages: [pick(["fr", "fr", "en", "es"])],
      timeZone: pick(["Europe/Paris", "Europe/London", "America/Montreal", "Nowhere/Land"]),
      availability: { days: [pick(["mon", "tue"] as const), pick(["tue", "fri"] as const)], parts: ["morning"] },
      skills: [pick(tags), pick(tags)],
      ...(random() < 0.7 ? { style: 1 + Math.floor(random() * 5) } : {}),
      ...(random() < 0.5 ? { domain: pick(["banque", "Banque", "santé"]) } : {}),
      ...(random() < 0.3 ? { managerId: pick(["m1", "m2", "mentor-1"]) } : {}),
      ...(role === "mentor" ? { capacity: Math.floor(random() * 3) } : {}),
      ...(random() < 0.2
        ? { notWith: [`${role === "mentor" ? "mentee" : "mentor"}-${Math.floor(random() * 6)}`] }
        : {}),
      ...(role === "mentee" ? { rankedChoices: [`mentor-${Math.floor(random() * 6)}`, "mentor-2"] } : {}),
    });
    const mentors = Array.from({ length: 6 }, (_, i) => profile("mentor", i));
    const mentees = Array.from({ length: 9 }, (_, i) => profile("mentee", i));
    const weights = { ...DEFAULT_WEIGHTS, minScore: 15 };
    const matrix = scoreMatrix(mentors, mentees, weights, AT);
    expect(matrix.scores).toHaveLength(54);
    expect(Array.from(matrix.capacities)).toEqual(mentors.map((m) => m.capacity));
    mentees.forEach((e, i) => {
      mentors.forEach((t, j) => {
        const single = scorePair(t, e, weights, AT);
        expect(matrix.scores[i * 6 + j]).toBe(single.allowed ? single.scoreTenths : FORBIDDEN);
        expect(matrix.explain(i, j)).toEqual(single);
        expect(matrix.blockers(i, j)).toEqual(single.blockers);
      });
    });
  });

  it("rejects a participant listed twice on one side and an invalid instant", () => {
    expect(() => scoreMatrix([mentor(), mentor()], [mentee()], DEFAULT_WEIGHTS, AT)).toThrow(/twice/);
    expect(() => scoreMatrix([mentor()], [mentee()], DEFAULT_WEIGHTS, new Date("nope"))).toThrow(RangeError);
  });
});
