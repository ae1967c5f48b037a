/** An optimal assignment of mentees to mentors. */
export interface Assignment {
  /** Mentor index of each mentee, −1 when unmatched. */
  mentorOf: Int32Array;
  /** How many mentees are matched. */
  matched: number;
  /** Sum of the scores of the matched pairs. */
  total: number;
}

/**
 * Assigns mentees to mentors: as many mentees as possible, then the largest total score,
 * each mentor taking at most its capacity, never a pair whose score is negative (forbidden).
 * `scores` is row-major mentee × mentor, integers (tenths of a point in binome).
 *
 * Method: the graph of allowed pairs is split into connected groups (a language minority is
 * often one), each solved alone. In a group, a capacity-aware shortest augmenting path
 * (Hungarian / Jonker-Volgenant family, in the form of Crouse 2016 that SciPy's
 * linear_sum_assignment uses) runs with the side of fewer units (mentor places or mentees) as
 * rows. A mentor is one node whatever its capacity: its places would be identical rows or
 * columns with identical duals, so it is scanned once where a place-expanded matrix scans each
 * place. A mentor counts at most as many places as it has allowed mentees. Forbidden pairs
 * cost more than any matching of allowed pairs can gain, so the optimum uses as few as
 * possible, and they are dropped at the end. Time O(n·m) to prepare, then per group
 * O(U·R·C) in the worst case for U row units over R rows and C columns (a search scans each
 * row at most once), usually far less since a search stops at the first free column;
 * memory: R·C doubles for the group's costs.
 *
 * Deterministic: rows are processed in index order (mentors, or mentees, as given); among
 * columns at equal distance the search takes a free one, then the lowest index. With equal
 * optima, the input order therefore decides; sort the input to make it not matter.
 */
export function solveAssignment(
  scores: Int32Array,
  nMentees: number,
  nMentors: number,
  capacities: ArrayLike<number>,
): Assignment {
  if (scores.length !== nMentees * nMentors) {
    throw new RangeError(`scores has ${scores.length} entries, expected ${nMentees} × ${nMentors}`);
  }
  if (capacities.length !== nMentors) throw new RangeError(`expected ${nMentors} capacities, got ${capacities.length}`);
  const capacity = Int32Array.from({ length: nMentors }, (_, t) => {
    const value = capacities[t];
    if (value === undefined || !Number.isInteger(value) || value < 0) {
      throw new RangeError(`capacity of mentor ${t} must be an integer ≥ 0 (got ${value})`);
    }
    return value;
  });
  const { groups, mentorDegree, maxScore } = allowedGroups(scores, nMentees, nMentors, capacity);
  const mentorOf = new Int32Array(nMentees).fill(-1);
  for (const { mentees, mentors } of groups) {
    const mentorUnits = mentors.map((t) => Math.min(capacity[t]!, mentorDegree[t]!));
    assignGroup(scores, nMentors, mentees, mentors, mentorUnits, maxScore, mentorOf);
  }
  return withoutForbidden(scores, nMentors, mentorOf);
}

/**
 * Splits the graph of allowed pairs (mentors of capacity 0 have none) into connected groups
 * with at least one mentee and one mentor, ordered by their first mentee; counts each mentor's
 * allowed pairs and finds the best score.
 */
function allowedGroups(scores: Int32Array, nMentees: number, nMentors: number, capacity: Int32Array) {
  const parent = Int32Array.from({ length: nMentees + nMentors }, (_, node) => node);
  const root = (node: number): number => {
    let at = node;
    while (parent[at] !== at) {
      parent[at] = parent[parent[at]!]!;
      at = parent[at]!;
    }
    return at;
  };
  const mentorDegree = new Int32Array(nMentors);
  let maxScore = 0;
  for (let e = 0; e < nMentees; e++) {
    for (let t = 0, at = e * nMentors; t < nMentors; t++, at++) {
      const score = scores[at]!;
      if (score < 0 || capacity[t] === 0) continue;
      mentorDegree[t]!++;
      if (score > maxScore) maxScore = score;
      const a = root(e);
      const b = root(nMentees + t);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const groupOf = new Map<number, { mentees: number[]; mentors: number[] }>();
  for (let node = 0; node < nMentees + nMentors; node++) {
    const top = root(node);
    if (top === node && node >= nMentees) continue;
    const group = groupOf.get(top) ?? { mentees: [], mentors: [] };
    groupOf.set(top, group);
    if (node < nMentees) group.mentees.push(node);
    else group.mentors.push(node - nMentees);
  }
  const groups = [...groupOf.values()]
    .filter((group) => group.mentees.length > 0 && group.mentors.length > 0)
    .map((group) => ({ mentees: Int32Array.from(group.mentees), mentors: Int32Array.from(group.mentors) }));
  return { groups, mentorDegree, maxScore };
}

/** Solves one connected group and records its pairs (forbidden ones included) in mentorOf. */
function assignGroup(
  scores: Int32Array,
  nMentors: number,
  mentees: Int32Array,
  mentors: Int32Array,
  mentorUnits: Int32Array,
  maxScore: number,
  mentorOf: Int32Array,
): void {
  // Rows are the side with fewer units; every row unit gets a column, forbidden or not.
  const totalMentorUnits = mentorUnits.reduce((sum, units) => sum + units, 0);
  const mentorsAreRows = totalMentorUnits <= mentees.length;
  const nRows = mentorsAreRows ? mentors.length : mentees.length;
  const nCols = mentorsAreRows ? mentees.length : mentors.length;
  const ones = new Int32Array(mentees.length).fill(1);
  const rowUnits = Math.min(totalMentorUnits, mentees.length);
  const forbiddenCost = maxScore * rowUnits + 1;
  if (forbiddenCost * rowUnits * 4 > Number.MAX_SAFE_INTEGER) throw new RangeError("scores too large to sum exactly");
  const cost = costMatrix(scores, nMentors, mentees, mentors, mentorsAreRows, maxScore, forbiddenCost);
  const rowCap = mentorsAreRows ? mentorUnits : ones;
  const rowMates = assignRows(cost, nRows, nCols, rowCap, mentorsAreRows ? ones : mentorUnits);
  for (const [r, mates] of rowMates.entries()) {
    for (const c of mates) mentorOf[mentees[mentorsAreRows ? c : r]!] = mentors[mentorsAreRows ? r : c]!;
  }
}

/** Unmatches the mentees placed on forbidden pairs (the solver fills every row) and sums the rest. */
function withoutForbidden(scores: Int32Array, nMentors: number, mentorOf: Int32Array): Assignment {
  let matched = 0;
  let total = 0;
  for (let e = 0; e < mentorOf.length; e++) {
    const t = mentorOf[e]!;
    if (t < 0) continue;
    const score = scores[e * nMentors + t]!;
    if (score < 0) {
      mentorOf[e] = -1;
      continue;
    }
    matched++;
    total += score;
  }
  return { mentorOf, matched, total };
}

/** Costs (maxScore − score, or `forbiddenCost`) in the solver's orientation, row-major. */
function costMatrix(
  scores: Int32Array,
  nMentors: number,
  mentees: Int32Array,
  mentors: Int32Array,
  mentorsAreRows: boolean,
  maxScore: number,
  forbiddenCost: number,
): Float64Array {
  const nRows = mentorsAreRows ? mentors.length : mentees.length;
  const nCols = mentorsAreRows ? mentees.length : mentors.length;
  const cost = new Float64Array(nRows * nCols);
  if (mentorsAreRows) {
    // A transpose, by blocks of mentees so that the rows read stay in cache.
    for (let from = 0; from < nCols; from += 64) {
      const to = Math.min(nCols, from + 64);
      for (let r = 0; r < nRows; r++) {
        const mentor = mentors[r]!;
        for (let c = from; c < to; c++) {
          const score = scores[mentees[c]! * nMentors + mentor]!;
          cost[r * nCols + c] = score >= 0 ? maxScore - score : forbiddenCost;
        }
      }
    }
  } else {
    for (let r = 0; r < nRows; r++) {
      const rowOfScores = mentees[r]! * nMentors;
      for (let c = 0; c < nCols; c++) {
        const score = scores[rowOfScores + mentors[c]!]!;
        cost[r * nCols + c] = score >= 0 ? maxScore - score : forbiddenCost;
      }
    }
  }
  return cost;
}

/**
 * Minimum-cost assignment filling every row unit (Σ rowCap ≤ Σ colCap, cost ≥ 0, complete):
 * one Dijkstra per row unit over columns with potentials u (rows) and v (columns).
 */
function assignRows(
  cost: Float64Array,
  nRows: number,
  nCols: number,
  rowCap: Int32Array,
  colCap: Int32Array,
): Int32Array[] {
  const pairing = emptyPairing(rowCap, colCap);
  const { rowStart, rowMates, rowUsed, colStart, colMates, colUsed, free } = pairing;
  const u = new Float64Array(nRows);
  const v = new Float64Array(nCols);
  const dist = new Float64Array(nCols);
  const pred = new Int32Array(nCols);
  const remaining = Int32Array.from({ length: nCols }, (_, c) => c);
  const where = Int32Array.from({ length: nCols }, (_, c) => c);
  const poppedAt = new Int32Array(nCols);
  const popped = new Int32Array(nCols);
  const via = new Int32Array(nRows);
  const scannedAt = new Int32Array(nRows);
  const scanned = new Int32Array(nRows);
  const queue = new Int32Array(nRows);
  let search = 0;

  for (let source = 0; source < nRows; source++) {
    for (let unit = 0; unit < rowCap[source]!; unit++) {
      search++;
      // `remaining` stays a permutation of all columns between searches; its order does not
      // matter (ties break on the column index), so a new search only resets the count.
      let nRemaining = nCols;
      let nPopped = 0;
      let nScanned = 0;
      let sink = -1;
      let length = 0;
      // Rows enter the tree through the column just popped (-1: the source, at distance 0).
      let enteringFrom = -1;
      let enteringAt = 0;
      for (;;) {
        let nQueued = 0;
        const first = enteringFrom < 0 ? -1 : colStart[enteringFrom]!;
        const end = enteringFrom < 0 ? 0 : first + colUsed[enteringFrom]!;
        for (let i = first; i < end; i++) {
          const r = i < 0 ? source : colMates[i]!;
          if (scannedAt[r] === search) continue;
          scannedAt[r] = search;
          via[r] = enteringFrom;
          scanned[nScanned++] = r;
          queue[nQueued++] = r;
          // The row's other columns are tight, hence at the same distance: settle them now
          // (they lead back to this row only, since a row with several columns has unit columns).
          for (let m = rowStart[r]!, mEnd = m + rowUsed[r]!; m < mEnd; m++) {
            const c = rowMates[m]!;
            if (c === enteringFrom || poppedAt[c] === search) continue;
            dist[c] = enteringAt;
            poppedAt[c] = search;
            popped[nPopped++] = c;
            swapOut(remaining, where, c, --nRemaining);
          }
        }
        for (let q = 0; q < nQueued - 1; q++) {
          const r = queue[q]!;
          relax(cost, r * nCols, enteringAt - u[r]!, r, v, dist, pred, remaining, nRemaining);
        }
        const lastRow = nQueued > 0 ? queue[nQueued - 1]! : -1;
        const offset = lastRow < 0 ? 0 : enteringAt - u[lastRow]!;
        const fresh = enteringFrom < 0;
        const k = relaxAndPickNearest(
          cost,
          lastRow * nCols,
          offset,
          lastRow,
          v,
          dist,
          pred,
          remaining,
          nRemaining,
          free,
          fresh,
        );
        if (k < 0) throw new Error("assignment search found no column: the cost matrix is not complete");
        const nearest = remaining[k]!;
        swapOut(remaining, where, nearest, --nRemaining);
        poppedAt[nearest] = search;
        popped[nPopped++] = nearest;
        if (free[nearest] === 1) {
          sink = nearest;
          length = dist[nearest]!;
          break;
        }
        enteringFrom = nearest;
        enteringAt = dist[nearest]!;
      }
      u[source] = u[source]! + length;
      for (let i = 1; i < nScanned; i++) {
        const r = scanned[i]!;
        u[r] = u[r]! + length - dist[via[r]!]!;
      }
      for (let i = 0; i < nPopped; i++) {
        const c = popped[i]!;
        v[c] = v[c]! - (length - dist[c]!);
      }
      for (let c = sink; ; ) {
        const r = pred[c]!;
        if (r === source) {
          assign(pairing, r, c);
          break;
        }
        const previous = via[r]!;
        unassign(pairing, r, previous);
        assign(pairing, r, c);
        c = previous;
      }
    }
  }
  return Array.from({ length: nRows }, (_, r) => rowMates.slice(rowStart[r], rowStart[r]! + rowUsed[r]!));
}

/** Who is assigned to whom: per row and per column, a segment of `capacity` slots of which `used` are filled. */
function emptyPairing(rowCap: Int32Array, colCap: Int32Array) {
  const rowStart = startsOf(rowCap);
  const colStart = startsOf(colCap);
  return {
    rowStart,
    rowMates: new Int32Array(rowStart[rowCap.length]!),
    rowUsed: new Int32Array(rowCap.length),
    colStart,
    colMates: new Int32Array(colStart[colCap.length]!),
    colUsed: new Int32Array(colCap.length),
    colCap,
    /** 1 while the column has room left. */
    free: Uint8Array.from(colCap, (capacity) => (capacity > 0 ? 1 : 0)),
  };
}

type Pairing = ReturnType<typeof emptyPairing>;

function assign(p: Pairing, r: number, c: number): void {
  p.rowMates[p.rowStart[r]! + p.rowUsed[r]!++] = c;
  p.colMates[p.colStart[c]! + p.colUsed[c]!++] = r;
  p.free[c] = p.colUsed[c]! < p.colCap[c]! ? 1 : 0;
}

function unassign(p: Pairing, r: number, c: number): void {
  p.rowUsed[r] = removeFrom(p.rowMates, p.rowStart[r]!, p.rowUsed[r]!, c);
  p.colUsed[c] = removeFrom(p.colMates, p.colStart[c]!, p.colUsed[c]!, r);
  p.free[c] = 1;
}

/** Lowers each remaining column's distance to the path through `row` when shorter. */
function relax(
  cost: Float64Array,
  base: number,
  offset: number,
  row: number,
  v: Float64Array,
  dist: Float64Array,
  pred: Int32Array,
  remaining: Int32Array,
  nRemaining: number,
): void {
  for (let k = 0; k < nRemaining; k++) {
    const c = remaining[k]!;
    const candidate = offset + cost[base + c]! - v[c]!;
    if (candidate < dist[c]!) {
      dist[c] = candidate;
      pred[c] = row;
    }
  }
}

/**
 * Relaxes from `row` (when ≥ 0; `fresh`: distances not set yet in this search) and returns
 * the position in `remaining` of the nearest column: shortest distance, then free, then lowest index.
 */
function relaxAndPickNearest(
  cost: Float64Array,
  base: number,
  offset: number,
  row: number,
  v: Float64Array,
  dist: Float64Array,
  pred: Int32Array,
  remaining: Int32Array,
  nRemaining: number,
  free: Uint8Array,
  fresh: boolean,
): number {
  let best = Number.POSITIVE_INFINITY;
  let bestK = -1;
  let bestCol = -1;
  let bestFree = 0;
  for (let k = 0; k < nRemaining; k++) {
    const c = remaining[k]!;
    let d = fresh ? Number.POSITIVE_INFINITY : dist[c]!;
    if (row >= 0) {
      const candidate = offset + cost[base + c]! - v[c]!;
      if (candidate < d) {
        d = candidate;
        dist[c] = candidate;
        pred[c] = row;
      }
    }
    if (d > best) continue;
    const isFree = free[c]!;
    if (d < best || isFree > bestFree || (isFree === bestFree && c < bestCol)) {
      best = d;
      bestK = k;
      bestCol = c;
      bestFree = isFree;
    }
  }
  return bestK;
}

/** Moves `column` to position `to` of the permutation `order` (whose inverse is `where`). */
function swapOut(order: Int32Array, where: Int32Array, column: number, to: number): void {
  const from = where[column]!;
  const other = order[to]!;
  order[from] = other;
  where[other] = from;
  order[to] = column;
  where[column] = to;
}

function startsOf(capacities: Int32Array): Int32Array {
  const starts = new Int32Array(capacities.length + 1);
  for (let i = 0; i < capacities.length; i++) starts[i + 1] = starts[i]! + capacities[i]!;
  return starts;
}

/** Removes `value` from the segment [start, start + used) by swapping in the last one; returns the new count. */
function removeFrom(segments: Int32Array, start: number, used: number, value: number): number {
  for (let i = start; i < start + used; i++) {
    if (segments[i] === value) {
      segments[i] = segments[start + used - 1]!;
      return used - 1;
    }
  }
  throw new Error(`assignment bookkeeping lost ${value}`);
}
