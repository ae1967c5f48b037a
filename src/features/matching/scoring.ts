import {
  assertValidWeights,
  CRITERIA,
  type Criterion,
  capacityOf,
  DAY_PARTS,
  DAYS,
  type Day,
  type DayPart,
  type MatchingWeights,
  type MatchProfile,
  normaliseLanguage,
  normaliseTag,
  utcOffsetMinutes,
} from "./profile.js";

/** The integer form of a score: tenths of a point, 0..1000, so totals compare exactly. */
export const MAX_SCORE_TENTHS = 1000;

/** Matrix entry of a pair that must not be proposed (hard blocker or below minScore). */
export const FORBIDDEN = -1;

/** Which side of a pair recorded something. */
export type Side = "mentor" | "mentee";

/** Why a criterion raised the score, as data: `points` is its share of the 0..100 score. */
export type Reason =
  | { kind: "skills"; points: number; values: { shared: string[]; wanted: number } }
  | { kind: "availability"; points: number; values: { days: Day[]; parts: DayPart[] } }
  | { kind: "timeZone"; points: number; values: { hoursApart: number } }
  | { kind: "style"; points: number; values: { mentorStyle: number; menteeStyle: number } }
  | { kind: "choice"; points: number; values: { rank: number } }
  | { kind: "domain"; points: number; values: { domain: string } };

/** A constraint that rules a pair out whatever its score. */
export type HardBlocker =
  | { kind: "samePerson"; values: { participantId: string } }
  | { kind: "noSharedLanguage"; values: { mentorLanguages: string[]; menteeLanguages: string[] } }
  | { kind: "sameManager"; values: { managerId: string } }
  | { kind: "lineManager"; values: { managerId: string } }
  | { kind: "previousPartners"; values: { recordedBy: Side[] } }
  | { kind: "notWith"; values: { askedBy: Side[] } }
  | { kind: "noCapacity"; values: { capacity: number } };

/** Why a pair is not proposed; `belowMinScore` appears only when no hard blocker does. */
export type Blocker = HardBlocker | { kind: "belowMinScore"; values: { score: number; minScore: number } };

/** A pair's score with its explanation. */
export interface PairScore {
  allowed: boolean;
  /** 0..100, one decimal. */
  score: number;
  /** The same score in tenths of a point (integer 0..1000). */
  scoreTenths: number;
  /** Criteria that added points, most points first (ties in CRITERIA order). */
  reasons: Reason[];
  blockers: Blocker[];
}

/** Scores of every mentee × mentor pair, with the details computed only when asked for. */
export interface ScoreMatrix {
  readonly nMentees: number;
  readonly nMentors: number;
  /** Row-major, mentee × mentor, in tenths of a point; FORBIDDEN for pairs not to propose. */
  readonly scores: Int32Array;
  /** Capacity of each mentor, in the mentors' order. */
  readonly capacities: Int32Array;
  /** Full score, reasons and blockers of one pair. */
  explain(menteeIndex: number, mentorIndex: number): PairScore;
  /** Only the blockers of one pair (cheaper than explain). */
  blockers(menteeIndex: number, mentorIndex: number): Blocker[];
}

const SAME_PERSON = 1;
const NO_LANGUAGE = 2;
const SAME_MANAGER = 4;
const LINE_MANAGER = 8;
const NO_CAPACITY = 16;
const PREVIOUS_BY_MENTOR = 32;
const PREVIOUS_BY_MENTEE = 64;
const NOT_WITH_BY_MENTOR = 128;
const NOT_WITH_BY_MENTEE = 256;
const MINUTES_PER_DAY = 1440;

/** Scores one pair at instant `at` (time zones are compared at that instant). */
export function scorePair(mentor: MatchProfile, mentee: MatchProfile, weights: MatchingWeights, at: Date): PairScore {
  return scoreMatrix([mentor], [mentee], weights, at).explain(0, 0);
}

/** Scores every mentee × mentor pair into a compact matrix: O(pairs) time, 4 bytes per pair. */
export function scoreMatrix(
  mentors: readonly MatchProfile[],
  mentees: readonly MatchProfile[],
  weights: MatchingWeights,
  at: Date,
): ScoreMatrix {
  const p = prepare(mentors, mentees, weights, at);
  const nMentors = mentors.length;
  const scores = new Int32Array(mentees.length * nMentors);
  const similarities = new Float64Array(CRITERIA.length);
  const rankRow = new Int32Array(nMentors);
  const minTenths = weights.minScore * 10;
  for (let e = 0; e < mentees.length; e++) {
    const choices = p.choicesOf[e]!;
    for (const [t, rank] of choices) rankRow[t] = rank;
    for (let t = 0, cell = e * nMentors; t < nMentors; t++, cell++) {
      if (profileFlags(p, e, t) !== 0) {
        scores[cell] = FORBIDDEN;
        continue;
      }
      similaritiesInto(p, e, t, rankRow[t]!, similarities);
      const tenths = tenthsOf(similarities, p.scaledWeights);
      scores[cell] = tenths < minTenths ? FORBIDDEN : tenths;
    }
    for (const [t] of choices) rankRow[t] = 0;
  }
  for (const cell of p.exclusions.keys()) scores[cell] = FORBIDDEN;
  return {
    nMentees: mentees.length,
    nMentors,
    scores,
    capacities: p.capacities,
    explain: (e, t) => explain(p, e, t),
    blockers: (e, t) => blockersOf(p, e, t, () => tenthsOf(similaritiesOf(p, e, t), p.scaledWeights)),
  };
}

function prepare(
  mentors: readonly MatchProfile[],
  mentees: readonly MatchProfile[],
  weights: MatchingWeights,
  at: Date,
) {
  assertValidWeights(weights);
  if (Number.isNaN(at.getTime())) throw new RangeError("the reference instant `at` is an invalid Date");
  const mentorIndex = indexById(mentors, "mentor");
  const menteeIndex = indexById(mentees, "mentee");
  const vocabularies = { language: new Map<string, number>(), skill: new Map<string, number>() };
  const names = new Map<string, number>();
  const offsets = new Map<string, number>();
  const intern = (vocabulary: Map<string, number>, key: string) => cached(vocabulary, key, () => vocabulary.size);
  const tags = new Map<string, string>();
  const tagOf = (text: string) => cached(tags, text, () => normaliseTag(text));
  const idsOf = (people: readonly MatchProfile[]) =>
    people.map((person) => ({
      languages: person.languages.map((language) => intern(vocabularies.language, normaliseLanguage(language))),
      skills: [...new Set(person.skills.map(tagOf))]
        .filter((tag) => tag !== "")
        .map((tag) => intern(vocabularies.skill, tag)),
    }));
  const mentorIds = idsOf(mentors);
  const menteeIds = idsOf(mentees);
  const languageWords = Math.max(1, Math.ceil(vocabularies.language.size / 32));
  const skillWords = Math.max(1, Math.ceil(vocabularies.skill.size / 32));
  const encode = (people: readonly MatchProfile[], ids: typeof mentorIds, others: Map<string, number>) => {
    const encoded = emptyEncoding(people.length, languageWords, skillWords);
    people.forEach((person, i) => {
      const own = ids[i]!;
      for (const id of own.languages) setBit(encoded.languages, i * languageWords, id);
      for (const id of own.skills) setBit(encoded.skills, i * skillWords, id);
      encoded.skillCount[i] = own.skills.length;
      encoded.days[i] = maskOf(DAYS, person.availability.days);
      encoded.parts[i] = maskOf(DAY_PARTS, person.availability.parts);
      encoded.slotCount[i] = popcount(encoded.days[i]!) * popcount(encoded.parts[i]!);
      encoded.offset[i] = cached(offsets, person.timeZone, () => utcOffsetMinutes(person.timeZone, at));
      encoded.style[i] = Number.isFinite(person.style) ? Math.min(5, Math.max(1, person.style!)) : Number.NaN;
      encoded.domain[i] = person.domain?.trim() ? intern(names, `domain:${tagOf(person.domain)}`) : -1;
      encoded.manager[i] = person.managerId ? intern(names, `manager:${person.managerId}`) : -1;
      encoded.managedBy[i] = person.managerId ? (others.get(person.managerId) ?? -1) : -1;
    });
    return encoded;
  };
  const exclusions = new Map<number, number>();
  const exclude = (e: number | undefined, t: number | undefined, flag: number) => {
    if (e === undefined || t === undefined) return;
    const cell = e * mentors.length + t;
    exclusions.set(cell, (exclusions.get(cell) ?? 0) | flag);
  };
  mentors.forEach((mentor, t) => {
    for (const id of mentor.previousPartners ?? []) exclude(menteeIndex.get(id), t, PREVIOUS_BY_MENTOR);
    for (const id of mentor.notWith ?? []) exclude(menteeIndex.get(id), t, NOT_WITH_BY_MENTOR);
  });
  const choicesOf = mentees.map((mentee, e): [number, number][] => {
    for (const id of mentee.previousPartners ?? []) exclude(e, mentorIndex.get(id), PREVIOUS_BY_MENTEE);
    for (const id of mentee.notWith ?? []) exclude(e, mentorIndex.get(id), NOT_WITH_BY_MENTEE);
    const choices: [number, number][] = [];
    (mentee.rankedChoices ?? []).forEach((id, position) => {
      const t = mentorIndex.get(id);
      if (t !== undefined && !choices.some(([chosen]) => chosen === t)) choices.push([t, position + 1]);
    });
    return choices;
  });
  const totalWeight = CRITERIA.reduce((sum, criterion) => sum + weights[criterion], 0);
  return {
    mentors,
    mentees,
    mentor: encode(mentors, mentorIds, menteeIndex),
    mentee: encode(mentees, menteeIds, mentorIndex),
    languageWords,
    skillWords,
    capacities: Int32Array.from(mentors, capacityOf),
    /** For each mentor, the index of the mentee with the same participantId, or −1. */
    sameMenteeOf: Int32Array.from(mentors, (mentor) => menteeIndex.get(mentor.participantId) ?? -1),
    /** Matrix cell (mentee × nMentors + mentor) → PREVIOUS_* | NOT_WITH_* flags. */
    exclusions,
    /** Per mentee, [mentor index, 1-based rank] of each ranked choice. */
    choicesOf,
    /** Per criterion: weight × 1000 / Σ weights, so Σ scaled × similarity is in tenths. */
    scaledWeights: Float64Array.from(CRITERIA, (c) => (totalWeight > 0 ? (weights[c] * 1000) / totalWeight : 0)),
    minScore: weights.minScore,
  };
}

/** Everything the pair functions read, built once per matrix. */
type Prepared = ReturnType<typeof prepare>;

/** One side's profiles as typed arrays over vocabularies shared by both sides. */
function emptyEncoding(n: number, languageWords: number, skillWords: number) {
  return {
    languages: new Uint32Array(n * languageWords),
    skills: new Uint32Array(n * skillWords),
    skillCount: new Int32Array(n),
    days: new Uint8Array(n),
    parts: new Uint8Array(n),
    slotCount: new Int32Array(n),
    offset: new Float64Array(n),
    style: new Float64Array(n),
    domain: new Int32Array(n),
    manager: new Int32Array(n),
    /** Index of this person's manager on the other side, or −1. */
    managedBy: new Int32Array(n),
  };
}

function cached<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  cache.set(key, value);
  return value;
}

function indexById(people: readonly MatchProfile[], side: Side): Map<string, number> {
  const index = new Map<string, number>();
  people.forEach((person, i) => {
    if (index.has(person.participantId)) throw new RangeError(`${person.participantId} appears twice among ${side}s`);
    index.set(person.participantId, i);
  });
  return index;
}

/** The hard blockers found in the two profiles themselves (exclusion lists aside), as bit flags. */
function profileFlags(p: Prepared, e: number, t: number): number {
  let flags = 0;
  if (p.sameMenteeOf[t] === e) flags |= SAME_PERSON;
  if (!intersects(p.mentor.languages, t * p.languageWords, p.mentee.languages, e * p.languageWords, p.languageWords)) {
    flags |= NO_LANGUAGE;
  }
  const manager = p.mentor.manager[t]!;
  if (manager >= 0 && manager === p.mentee.manager[e]) flags |= SAME_MANAGER;
  if (p.mentee.managedBy[e] === t || p.mentor.managedBy[t] === e) flags |= LINE_MANAGER;
  if (p.capacities[t] === 0) flags |= NO_CAPACITY;
  return flags;
}

/** Fills `out` with each criterion's similarity in 0..1, in CRITERIA order. */
function similaritiesInto(p: Prepared, e: number, t: number, rank: number, out: Float64Array): void {
  const { mentor, mentee, skillWords } = p;
  const wanted = mentee.skillCount[e]!;
  const shared = wanted > 0 ? sharedCount(mentor.skills, t * skillWords, mentee.skills, e * skillWords, skillWords) : 0;
  out[0] = wanted > 0 ? shared / wanted : 0;
  const fewerSlots = Math.min(mentor.slotCount[t]!, mentee.slotCount[e]!);
  const sharedSlots = popcount(mentor.days[t]! & mentee.days[e]!) * popcount(mentor.parts[t]! & mentee.parts[e]!);
  out[1] = fewerSlots > 0 ? sharedSlots / fewerSlots : 0;
  const minutesApart = clockDistance(mentor.offset[t]!, mentee.offset[e]!);
  out[2] = Number.isNaN(minutesApart) ? 0 : Math.max(0, 1 - minutesApart / (MINUTES_PER_DAY / 2));
  const styleGap = Math.abs(mentor.style[t]! - mentee.style[e]!);
  out[3] = Number.isNaN(styleGap) ? 0 : 1 - styleGap / 4;
  out[4] = rank > 0 ? 1 / rank : 0;
  const domain = mentor.domain[t]!;
  out[5] = domain >= 0 && domain === mentee.domain[e] ? 1 : 0;
}

function similaritiesOf(p: Prepared, e: number, t: number): Float64Array {
  const similarities = new Float64Array(CRITERIA.length);
  similaritiesInto(p, e, t, rankOf(p, e, t), similarities);
  return similarities;
}

function rankOf(p: Prepared, e: number, t: number): number {
  return p.choicesOf[e]?.find(([chosen]) => chosen === t)?.[1] ?? 0;
}

function tenthsOf(similarities: Float64Array, scaledWeights: Float64Array): number {
  let sum = 0;
  for (let c = 0; c < similarities.length; c++) sum += scaledWeights[c]! * similarities[c]!;
  return Math.round(sum);
}

function explain(p: Prepared, e: number, t: number): PairScore {
  const similarities = similaritiesOf(p, e, t);
  const scoreTenths = tenthsOf(similarities, p.scaledWeights);
  const blockers = blockersOf(p, e, t, () => scoreTenths);
  const reasons: Reason[] = [];
  CRITERIA.forEach((criterion, c) => {
    const points = Math.round(p.scaledWeights[c]! * similarities[c]!) / 10;
    if (points > 0) reasons.push(reasonFor(criterion, points, p, e, t));
  });
  reasons.sort((a, b) => b.points - a.points);
  return { allowed: blockers.length === 0, score: scoreTenths / 10, scoreTenths, reasons, blockers };
}

function reasonFor(criterion: Criterion, points: number, p: Prepared, e: number, t: number): Reason {
  const mentor = p.mentors[t]!;
  const mentee = p.mentees[e]!;
  switch (criterion) {
    case "skills": {
      const offered = new Set(mentor.skills.map(normaliseTag));
      const seen = new Set<string>();
      const shared = mentee.skills.filter((skill) => {
        const tag = normaliseTag(skill);
        if (!offered.has(tag) || seen.has(tag)) return false;
        seen.add(tag);
        return true;
      });
      const values = { shared: shared.map((skill) => skill.trim()), wanted: p.mentee.skillCount[e]! };
      return { kind: "skills", points, values };
    }
    case "availability": {
      const both =
        <T extends string>(of: (person: MatchProfile) => readonly T[]) =>
        (value: T) =>
          of(mentor).includes(value) && of(mentee).includes(value);
      const values = {
        days: DAYS.filter(both((person) => person.availability.days)),
        parts: DAY_PARTS.filter(both((person) => person.availability.parts)),
      };
      return { kind: "availability", points, values };
    }
    case "timeZone":
      return {
        kind: "timeZone",
        points,
        values: { hoursApart: clockDistance(p.mentor.offset[t]!, p.mentee.offset[e]!) / 60 },
      };
    case "style":
      return { kind: "style", points, values: { mentorStyle: p.mentor.style[t]!, menteeStyle: p.mentee.style[e]! } };
    case "choice":
      return { kind: "choice", points, values: { rank: rankOf(p, e, t) } };
    case "domain":
      return { kind: "domain", points, values: { domain: mentee.domain?.trim() ?? "" } };
  }
}

function blockersOf(p: Prepared, e: number, t: number, tenths: () => number): Blocker[] {
  const mentor = p.mentors[t];
  const mentee = p.mentees[e];
  if (!mentor || !mentee) throw new RangeError(`no pair (mentee ${e}, mentor ${t}) in this matrix`);
  const flags = profileFlags(p, e, t) | (p.exclusions.get(e * p.mentors.length + t) ?? 0);
  const sides = (byMentor: number, byMentee: number): Side[] => [
    ...(flags & byMentor ? (["mentor"] as const) : []),
    ...(flags & byMentee ? (["mentee"] as const) : []),
  ];
  const languages = (person: MatchProfile) => [...new Set(person.languages.map(normaliseLanguage))];
  const blockers: Blocker[] = [];
  if (flags & SAME_PERSON) blockers.push({ kind: "samePerson", values: { participantId: mentor.participantId } });
  if (flags & NO_LANGUAGE) {
    const values = { mentorLanguages: languages(mentor), menteeLanguages: languages(mentee) };
    blockers.push({ kind: "noSharedLanguage", values });
  }
  if (flags & SAME_MANAGER) blockers.push({ kind: "sameManager", values: { managerId: mentor.managerId! } });
  if (flags & LINE_MANAGER) {
    const managerId = p.mentee.managedBy[e] === t ? mentor.participantId : mentee.participantId;
    blockers.push({ kind: "lineManager", values: { managerId } });
  }
  if (flags & (PREVIOUS_BY_MENTOR | PREVIOUS_BY_MENTEE)) {
    blockers.push({ kind: "previousPartners", values: { recordedBy: sides(PREVIOUS_BY_MENTOR, PREVIOUS_BY_MENTEE) } });
  }
  if (flags & (NOT_WITH_BY_MENTOR | NOT_WITH_BY_MENTEE)) {
    blockers.push({ kind: "notWith", values: { askedBy: sides(NOT_WITH_BY_MENTOR, NOT_WITH_BY_MENTEE) } });
  }
  if (flags & NO_CAPACITY) blockers.push({ kind: "noCapacity", values: { capacity: 0 } });
  if (blockers.length > 0) return blockers;
  const score = tenths();
  if (score < p.minScore * 10)
    blockers.push({ kind: "belowMinScore", values: { score: score / 10, minScore: p.minScore } });
  return blockers;
}

/** Minutes between two clock offsets (each within ±14 h), the short way round the day; NaN when either is unknown. */
function clockDistance(a: number, b: number): number {
  const apart = Math.abs(a - b);
  const gap = apart > MINUTES_PER_DAY ? apart - MINUTES_PER_DAY : apart;
  return Math.min(gap, MINUTES_PER_DAY - gap);
}

function maskOf<T extends string>(order: readonly T[], values: readonly T[]): number {
  return order.reduce((mask, value, bit) => (values.includes(value) ? mask | (1 << bit) : mask), 0);
}

function setBit(words: Uint32Array, offset: number, bit: number): void {
  words[offset + (bit >>> 5)]! |= 1 << (bit & 31);
}

function intersects(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number, words: number): boolean {
  for (let w = 0; w < words; w++) if ((a[aOffset + w]! & b[bOffset + w]!) !== 0) return true;
  return false;
}

function sharedCount(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number, words: number): number {
  let count = 0;
  for (let w = 0; w < words; w++) count += popcount(a[aOffset + w]! & b[bOffset + w]!);
  return count;
}

function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
