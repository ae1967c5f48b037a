import { DEFAULT_WEIGHTS, type MatchingWeights, type MatchProfile, normaliseLanguage } from "./profile.js";
import { type HardBlocker, type Reason, type ScoreMatrix, scoreMatrix } from "./scoring.js";
import { solveAssignment } from "./solver.js";

/** What proposeMatches needs: the two sides, the weights (DEFAULT_WEIGHTS when absent) and the instant to compare time zones at. */
export interface ProposeInput {
  mentors: readonly MatchProfile[];
  mentees: readonly MatchProfile[];
  weights?: MatchingWeights;
  at: Date;
}

/** One proposed pair with its score (0..100) and its three strongest reasons. */
export interface ProposedPair {
  mentorId: string;
  menteeId: string;
  score: number;
  reasons: Reason[];
}

/** Why someone is left without a partner (or, for a mentor, with spare capacity), as data to render. */
export type UnmatchedWhy =
  | { kind: "noCandidates"; values: Record<string, never> }
  | { kind: "noSharedLanguage"; values: { languages: string[] } }
  | { kind: "allExcluded"; values: { blockers: Partial<Record<HardBlocker["kind"], number>> } }
  | { kind: "belowMinScore"; values: { bestScore: number; minScore: number } }
  | { kind: "compatibleMentorsFull"; values: { compatibleMentors: number } }
  | { kind: "compatibleMenteesTaken"; values: { compatibleMentees: number } };

/** A mentee with no mentor, or a mentor with capacity left over. */
export interface UnmatchedParticipant {
  participantId: string;
  role: "mentor" | "mentee";
  /** Mentors only: places still free. */
  spareCapacity?: number;
  why: UnmatchedWhy;
}

/** The proposal a coordinator reviews: pairs by mentee id, then who is left and why. */
export interface Proposal {
  pairs: ProposedPair[];
  unmatched: UnmatchedParticipant[];
}

/**
 * Proposes the optimal pairs: most mentees matched, then the highest total score.
 * Both lists are sorted by participantId first, so their order does not change the result.
 * The `role` field is not read: the list a profile comes in decides its role.
 */
export function proposeMatches({ mentors, mentees, weights = DEFAULT_WEIGHTS, at }: ProposeInput): Proposal {
  const byId = (a: MatchProfile, b: MatchProfile) =>
    a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0;
  const sortedMentors = [...mentors].sort(byId);
  const sortedMentees = [...mentees].sort(byId);
  const matrix = scoreMatrix(sortedMentors, sortedMentees, weights, at);
  const { mentorOf } = solveAssignment(matrix.scores, matrix.nMentees, matrix.nMentors, matrix.capacities);

  const pairs: ProposedPair[] = [];
  const load = new Int32Array(matrix.nMentors);
  const unmatched: UnmatchedParticipant[] = [];
  sortedMentees.forEach((mentee, e) => {
    const t = mentorOf[e]!;
    if (t < 0) {
      const cells = Array.from({ length: matrix.nMentors }, (_, other) => e * matrix.nMentors + other);
      const why = whyUnmatched(matrix, cells, mentee, weights, "mentee");
      unmatched.push({ participantId: mentee.participantId, role: "mentee", why });
      return;
    }
    load[t]!++;
    const { score, reasons } = matrix.explain(e, t);
    pairs.push({
      mentorId: sortedMentors[t]!.participantId,
      menteeId: mentee.participantId,
      score,
      reasons: reasons.slice(0, 3),
    });
  });
  sortedMentors.forEach((mentor, t) => {
    const spareCapacity = matrix.capacities[t]! - load[t]!;
    if (spareCapacity <= 0) return;
    const cells: number[] = [];
    for (let e = 0; e < matrix.nMentees; e++) if (mentorOf[e] !== t) cells.push(e * matrix.nMentors + t);
    const why = whyUnmatched(matrix, cells, mentor, weights, "mentor");
    unmatched.push({ participantId: mentor.participantId, role: "mentor", spareCapacity, why });
  });
  return { pairs, unmatched };
}

/**
 * Picks the most useful explanation from the person's candidate pairs (matrix cells): compatible
 * partners all taken; else nobody shares a language; else the best scored below minScore; else
 * the exclusions, counted.
 */
function whyUnmatched(
  matrix: ScoreMatrix,
  cells: readonly number[],
  person: MatchProfile,
  weights: MatchingWeights,
  role: "mentor" | "mentee",
): UnmatchedWhy {
  if (cells.length === 0) return { kind: "noCandidates", values: {} };
  const compatible = cells.filter((cell) => matrix.scores[cell]! >= 0).length;
  if (compatible > 0) {
    return role === "mentee"
      ? { kind: "compatibleMentorsFull", values: { compatibleMentors: compatible } }
      : { kind: "compatibleMenteesTaken", values: { compatibleMentees: compatible } };
  }
  let withoutLanguage = 0;
  let bestBelowMin = Number.NEGATIVE_INFINITY;
  const counts: Partial<Record<HardBlocker["kind"], number>> = {};
  for (const cell of cells) {
    for (const blocker of matrix.blockers(Math.floor(cell / matrix.nMentors), cell % matrix.nMentors)) {
      if (blocker.kind === "belowMinScore") {
        bestBelowMin = Math.max(bestBelowMin, blocker.values.score);
        continue;
      }
      counts[blocker.kind] = (counts[blocker.kind] ?? 0) + 1;
      if (blocker.kind === "noSharedLanguage") withoutLanguage++;
    }
  }
  if (withoutLanguage === cells.length) {
    return { kind: "noSharedLanguage", values: { languages: [...new Set(person.languages.map(normaliseLanguage))] } };
  }
  if (bestBelowMin > Number.NEGATIVE_INFINITY) {
    return { kind: "belowMinScore", values: { bestScore: bestBelowMin, minScore: weights.minScore } };
  }
  return { kind: "allExcluded", values: { blockers: counts } };
}
