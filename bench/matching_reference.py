"""Reference optimum and timing for bench/matching.bench.ts, with SciPy's linear_sum_assignment.

Usage: python3 matching_reference.py INSTANCE_FILE
Reads a binary instance (little-endian int32: n_mentees, n_mentors, capacities[n_mentors],
scores[n_mentees * n_mentors] row-major, negative = forbidden), then answers each line
"run" on stdin with one JSON line on stdout, so that the caller can interleave its own runs
with ours on a shared machine. Building the expanded matrix is done once and not timed.

Objective, made identical to binome's (most matched mentees, then the largest total):
each mentor becomes as many identical columns as its capacity; allowed pairs weigh their
score, forbidden pairs weigh -BIG with BIG = max score x min(rows, columns) + 1, more than
any sum of allowed scores. On a rectangular matrix linear_sum_assignment returns a full
matching of the smaller side (here minimising the negated weights); the weight of such a
matching is S - BIG x (forbidden pairs used), so the best one uses the fewest forbidden
pairs (= the most allowed pairs, since any matching of allowed pairs extends to a full one)
and then has the largest S. Pairs on forbidden cells are dropped afterwards; what is left
is the matched set we report.
"""

import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def load(path: str):
    raw = np.fromfile(path, dtype="<i4")
    n_mentees, n_mentors = int(raw[0]), int(raw[1])
    capacities = raw[2 : 2 + n_mentors]
    scores = raw[2 + n_mentors :].reshape(n_mentees, n_mentors)
    return scores, capacities


def expand(scores, capacities):
    slot_mentor = np.repeat(np.arange(len(capacities)), capacities)
    weights = scores[:, slot_mentor].astype(np.float64)
    forbidden = weights < 0
    big = float(max(int(scores.max(initial=0)), 0) * min(weights.shape) + 1)
    weights[forbidden] = -big
    # Handed over the way linear_sum_assignment works on it (minimising, no more rows than
    # columns, C-contiguous float64), so that the timed call makes no copy of its own.
    transpose = weights.shape[0] > weights.shape[1]
    cost = np.ascontiguousarray(-(weights.T if transpose else weights))
    return cost, transpose, forbidden, slot_mentor


def main(path: str) -> None:
    scores, capacities = load(path)
    cost, transpose, forbidden, slot_mentor = expand(scores, capacities)
    print(json.dumps({"slots": int(len(slot_mentor)), "scipy": scipy.__version__, "numpy": np.__version__}), flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        wall, cpu = time.perf_counter(), time.process_time()
        first, second = linear_sum_assignment(cost)
        wall_ms = (time.perf_counter() - wall) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        rows, cols = (second, first) if transpose else (first, second)
        allowed = ~forbidden[rows, cols]
        total = int(scores[rows[allowed], slot_mentor[cols[allowed]]].sum())
        result = {"wallMs": wall_ms, "cpuMs": cpu_ms, "matched": int(allowed.sum()), "total": total}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
