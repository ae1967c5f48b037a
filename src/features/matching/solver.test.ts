import { describe, expect, it } from "vitest";
import { solveAssignment } from "./solver.js";

interface Instance {
  scores: Int32Array;
  nMentees: number;
  nMentors: number;
  capacities: Int32Array;
}

interface Optimum {
  matched: number;
  total: number;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function randomInstance(seed: number, nMentees: number, nMentors: number, forbiddenShare: number): Instance {
  const random = seededRandom(seed);
  const scores = new Int32Array(nMentees * nMentors);
  // Few distinct values, so that many assignments tie and the tie-breaking is exercised too.
  for (let i = 0; i < scores.length; i++) scores[i] = random() < forbiddenShare ? -1 : Math.floor(random() * 12) * 50;
  const capacities = Int32Array.from({ length: nMentors }, () => 1 + Math.floor(random() * 4));
  if (seed % 3 === 0) capacities[Math.floor(random() * nMentors)] = 0;
  return { scores, nMentees, nMentors, capacities };
}

/** Every way to give each mentee a mentor or nobody, within capacities: for tiny instances. */
function bruteForce({ scores, nMentees, nMentors, capacities }: Instance): Optimum {
  const used = new Int32Array(nMentors);
  let best: Optimum = { matched: 0, total: 0 };
  const visit = (e: number, matched: number, total: number) => {
    if (e === nMentees) {
      if (matched > best.matched || (matched === best.matched && total > best.total)) best = { matched, total };
      return;
    }
    visit(e + 1, matched, total);
    for (let t = 0; t < nMentors; t++) {
      const score = scores[e * nMentors + t] ?? -1;
      if (score < 0 || (used[t] ?? 0) >= (capacities[t] ?? 0)) continue;
      used[t] = (used[t] ?? 0) + 1;
      visit(e + 1, matched + 1, total + score);
      used[t] = (used[t] ?? 0) - 1;
    }
  };
  visit(0, 0, 0);
  return best;
}

/**
 * Min-cost max-flow by successive shortest paths found with Bellman-Ford on an explicit
 * residual graph (source → mentee → mentor → sink, cost −score): slow, simple, independent.
 */
function bellmanFordFlow({ scores, nMentees, nMentors, capacities }: Instance): Optimum {
  const source = nMentees + nMentors;
  const sink = source + 1;
  const to: number[] = [];
  const capacity: number[] = [];
  const cost: number[] = [];
  const edgesOf: number[][] = Array.from({ length: sink + 1 }, () => []);
  const addEdge = (from: number, target: number, cap: number, edgeCost: number) => {
    edgesOf[from]?.push(to.length);
    to.push(target);
    capacity.push(cap);
    cost.push(edgeCost);
    edgesOf[target]?.push(to.length);
    to.push(from);
    capacity.push(0);
    cost.push(-edgeCost);
  };
  for (let e = 0; e < nMentees; e++) addEdge(source, e, 1, 0);
  for (let t = 0; t < nMentors; t++) addEdge(nMentees + t, sink, capacities[t] ?? 0, 0);
  for (let e = 0; e < nMentees; e++) {
    for (let t = 0; t < nMentors; t++) {
      const score = scores[e * nMentors + t] ?? -1;
      if (score >= 0) addEdge(e, nMentees + t, 1, -score);
    }
  }
  let matched = 0;
  let totalCost = 0;
  for (;;) {
    const distance = new Array<number>(sink + 1).fill(Number.POSITIVE_INFINITY);
    const via = new Array<number>(sink + 1).fill(-1);
    distance[source] = 0;
    for (let round = 0; round <= sink; round++) {
      let changed = false;
      for (let node = 0; node <= sink; node++) {
        const here = distance[node] ?? Number.POSITIVE_INFINITY;
        if (here === Number.POSITIVE_INFINITY) continue;
        for (const edge of edgesOf[node] ?? []) {
          const target = to[edge] ?? 0;
          if ((capacity[edge] ?? 0) > 0 && here + (cost[edge] ?? 0) < (distance[target] ?? 0)) {
            distance[target] = here + (cost[edge] ?? 0);
            via[target] = edge;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    if (distance[sink] === Number.POSITIVE_INFINITY) return { matched, total: -totalCost };
    for (let node = sink; node !== source; ) {
      const edge = via[node] ?? 0;
      capacity[edge] = (capacity[edge] ?? 0) - 1;
      capacity[edge ^ 1] = (capacity[edge ^ 1] ?? 0) + 1;
      node = to[edge ^ 1] ?? 0;
    }
    matched++;
    totalCost += distance[sink] ?? 0;
  }
}

/** Checks feasibility and recomputes matched and total from mentorOf alone. */
function checkedOutcome(instance: Instance, mentorOf: Int32Array): Optimum {
  const { scores, nMentees, nMentors, capacities } = instance;
  expect(mentorOf).toHaveLength(nMentees);
  const load = new Int32Array(nMentors);
  let matched = 0;
  let total = 0;
  mentorOf.forEach((t, e) => {
    if (t === -1) return;
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThan(nMentors);
    const score = scores[e * nMentors + t] ?? -1;
    expect(score, `mentee ${e} got forbidden mentor ${t}`).toBeGreaterThanOrEqual(0);
    load[t] = (load[t] ?? 0) + 1;
    matched++;
    total += score;
  });
  load.forEach((n, t) => {
    expect(n, `mentor ${t} over capacity`).toBeLessThanOrEqual(capacities[t] ?? 0);
  });
  return { matched, total };
}

function solve(instance: Instance) {
  return solveAssignment(instance.scores, instance.nMentees, instance.nMentors, instance.capacities);
}

describe("solveAssignment", () => {
  it("finds the optimum of tiny instances, checked by brute force", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const random = seededRandom(seed * 7919);
      const instance = randomInstance(seed, 1 + Math.floor(random() * 7), 1 + Math.floor(random() * 3), random() * 0.6);
      const result = solve(instance);
      const outcome = checkedOutcome(instance, result.mentorOf);
      expect({ seed, ...outcome }).toEqual({ seed, ...bruteForce(instance) });
      expect({ matched: result.matched, total: result.total }).toEqual(outcome);
    }
  });

  it("finds the optimum up to 60 mentees × 20 mentors, checked by a Bellman-Ford min-cost flow", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed * 104729);
      const nMentees = 5 + Math.floor(random() * 56);
      const nMentors = 1 + Math.floor(random() * 20);
      const instance = randomInstance(seed, nMentees, nMentors, [0, 0.2, 0.5, 0.85][seed % 4] ?? 0);
      const result = solve(instance);
      const outcome = checkedOutcome(instance, result.mentorOf);
      expect({ seed, ...outcome }).toEqual({ seed, ...bellmanFordFlow(instance) });
      expect({ matched: result.matched, total: result.total }).toEqual(outcome);
    }
  });

  it("finds the optimum when the pairs fall into separate groups, as language groups do", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const instance = randomInstance(seed, 40, 16, 0.2);
      const random = seededRandom(seed);
      const groupOfMentee = Int32Array.from({ length: 40 }, () => Math.floor(random() * 3));
      const groupOfMentor = Int32Array.from({ length: 16 }, () => Math.floor(random() * 3));
      for (let e = 0; e < 40; e++) {
        for (let t = 0; t < 16; t++) if (groupOfMentee[e] !== groupOfMentor[t]) instance.scores[e * 16 + t] = -1;
      }
      const outcome = checkedOutcome(instance, solve(instance).mentorOf);
      expect({ seed, ...outcome }).toEqual({ seed, ...bellmanFordFlow(instance) });
    }
  });

  it("prefers one more matched mentee to a higher total", () => {
    // Mentee 0 could take mentor 0 for 1000, but then mentee 1 (who only fits mentor 0) is left out.
    const instance: Instance = {
      scores: Int32Array.from([1000, 1, 5, -1]),
      nMentees: 2,
      nMentors: 2,
      capacities: Int32Array.from([1, 1]),
    };
    expect(Array.from(solve(instance).mentorOf)).toEqual([1, 0]);
    expect(solve(instance).total).toBe(6);
  });

  it("gives the same pairs for the same input", () => {
    const instance = randomInstance(42, 60, 20, 0.3);
    const first = solve(instance);
    const second = solve({ ...instance, scores: instance.scores.slice() });
    expect(Array.from(second.mentorOf)).toEqual(Array.from(first.mentorOf));
  });

  it("breaks ties between equal mentors by the lowest index", () => {
    const instance: Instance = {
      scores: Int32Array.from([7, 7, 7]),
      nMentees: 1,
      nMentors: 3,
      capacities: Int32Array.from([1, 1, 1]),
    };
    expect(Array.from(solve(instance).mentorOf)).toEqual([0]);
  });

  it("matches nobody when there are no mentors or no mentees", () => {
    expect(solveAssignment(new Int32Array(0), 3, 0, [])).toEqual({
      mentorOf: Int32Array.from([-1, -1, -1]),
      matched: 0,
      total: 0,
    });
    expect(solveAssignment(new Int32Array(0), 0, 2, [1, 1])).toEqual({
      mentorOf: new Int32Array(0),
      matched: 0,
      total: 0,
    });
  });

  it("matches nobody when every pair is forbidden", () => {
    const result = solveAssignment(new Int32Array(12).fill(-1), 4, 3, [2, 2, 2]);
    expect(Array.from(result.mentorOf)).toEqual([-1, -1, -1, -1]);
    expect(result.total).toBe(0);
  });

  it("never uses a mentor of capacity 0", () => {
    const result = solveAssignment(Int32Array.from([900, 10, 900, 10]), 2, 2, [0, 1]);
    expect(Array.from(result.mentorOf).sort()).toEqual([-1, 1]);
    expect(result.matched).toBe(1);
  });

  it("matches everyone when capacity exceeds the mentees", () => {
    const instance = randomInstance(7, 12, 10, 0);
    instance.capacities.fill(4);
    const result = solve(instance);
    expect(result.matched).toBe(12);
    expect(checkedOutcome(instance, result.mentorOf)).toEqual(bellmanFordFlow(instance));
  });

  it("rejects a score matrix of the wrong size and a negative capacity", () => {
    expect(() => solveAssignment(new Int32Array(5), 2, 2, [1, 1])).toThrow(RangeError);
    expect(() => solveAssignment(new Int32Array(4), 2, 2, [1, -1])).toThrow(RangeError);
  });
});
