// @ts-check
// interactions/lib/vote.js: the k-NN vote of one row, read off the engine's result (pure; no DOM).
//
// The result carries `neighbors` (each row's neighbours, nearest first) with `points` (the rows' coordinates)
// and `labels` (their class indices); optional `neighbor_weights` (each neighbour's vote weight, else 1) and
// `classes` (class names). app/engines/neighbors.py documents these fields. At a frame whose `state.k` is k,
// the first k neighbours of the list vote; this module takes that prefix and adds up the labels (or weights)
// the engine gave. It computes no distance.

/**
 * @typedef {Object} NeighborResult
 * @property {number[][]} neighbors   per row, its neighbours' row indices, nearest first
 * @property {number[][]} points      per row, its [x, y]
 * @property {number[]} labels        per row, its class index
 * @property {number[][]} [neighbor_weights]  per row, each neighbour's vote weight (else 1 each)
 * @property {string[]} [classes]     class names by index
 * @property {number[]} [train_indices]
 */

/** @typedef {{cls: number, count: number, weight: number}} Tally */

/**
 * @typedef {Object} Vote
 * @property {number} row       the inspected row
 * @property {number} k         how many neighbours vote
 * @property {number[]} rows    the voting neighbours, nearest first
 * @property {number[] | null} weights  their weights (null: one vote each)
 * @property {Tally[]} order    one tally per class, largest first (ties in class order)
 * @property {boolean} tie      the top two scores are equal
 * @property {number} winner    the predicted class (the first of the largest)
 * @property {number} truth     the row's own class
 * @property {(t: Tally) => number} score  a tally's weight (weighted vote) or count
 */

/**
 * True when `result` carries what the inspector needs.
 * @param {any} result
 * @returns {result is NeighborResult}
 */
export function inspectable(result) {
  return Array.isArray(result?.neighbors) && Array.isArray(result?.points) && Array.isArray(result?.labels)
    && result.neighbors.length === result.points.length;
}

/**
 * The first k neighbours of `row` and their tally; k is the frame's `state.k` (all of them when absent).
 * @param {NeighborResult} r
 * @param {number} row
 * @param {unknown} frameK
 * @returns {Vote}
 */
export function vote(r, row, frameK) {
  const list = r.neighbors[row];
  const k = Math.max(1, Math.min(list.length, Number(frameK) || list.length));
  const rows = list.slice(0, k);
  const weights = Array.isArray(r.neighbor_weights) ? r.neighbor_weights[row].slice(0, k) : null;
  /** @type {Map<number, Tally>} */
  const tally = new Map();
  rows.forEach((n, j) => {
    const c = r.labels[n];
    const t = tally.get(c) ?? { cls: c, count: 0, weight: 0 };
    t.count += 1;
    t.weight += weights ? weights[j] : 1;
    tally.set(c, t);
  });
  /** @param {Tally} t */
  const score = (t) => (weights ? t.weight : t.count);
  // Largest first; equal scores in class order: the first of them wins, as the engine decides ties.
  const order = [...tally.values()].sort((a, b) => score(b) - score(a) || a.cls - b.cls);
  const tie = order.length > 1 && score(order[1]) === score(order[0]);
  return { row, k, rows, weights, order, tie, winner: order[0].cls, truth: r.labels[row], score };
}

/**
 * "class setosa" (a named class) or "class 2".
 * @param {NeighborResult} r
 * @param {number} c
 */
export function className(r, c) {
  const names = r.classes;
  return `class ${Array.isArray(names) && names[c] !== undefined ? names[c] : c}`;
}

/**
 * One line for the vote: "k = 5: 3 × class 0, 2 × class 1 → class 0".
 * @param {NeighborResult} r
 * @param {Vote} v
 * @param {(x: number) => string} formatNumber
 */
export function summary(r, v, formatNumber) {
  const parts = v.order.map((t) => (v.weights
    ? `${className(r, t.cls)} weight ${formatNumber(t.weight)}`
    : `${t.count} × ${className(r, t.cls)}`));
  return `k = ${v.k}: ${parts.join(", ")} → ${className(r, v.winner)}`;
}

/**
 * The row nearest to pixel (px, py) within `radius` pixels, or null. `toPx` maps a point to pixels.
 * @param {number[][]} points
 * @param {(p: number[]) => [number, number]} toPx
 * @param {number} px
 * @param {number} py
 * @param {number} radius
 * @returns {number | null}
 */
export function nearestRow(points, toPx, px, py, radius) {
  let best = null;
  let bestD = radius * radius;
  points.forEach((p, i) => {
    const [x, y] = toPx(p);
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (d <= bestD) { bestD = d; best = i; }
  });
  return best;
}

/**
 * The corner of a W × H box where a w × h overlay covers the fewest of `marks` (pixel positions; the first is
 * the inspected point), farthest from that point among equals.
 * @param {[number, number][]} marks
 * @param {number} w
 * @param {number} h
 * @param {number} W
 * @param {number} H
 * @returns {"tr" | "tl" | "br" | "bl"}
 */
export function freeCorner(marks, w, h, W, H) {
  const [qx, qy] = marks[0];
  /** @type {"tr" | "tl" | "br" | "bl"} */
  let best = "tr";
  let bestCost = Infinity;
  for (const corner of /** @type {const} */ (["tr", "tl", "br", "bl"])) {
    const x0 = corner[1] === "l" ? 0 : W - w;
    const y0 = corner[0] === "t" ? 0 : H - h;
    const covered = marks.filter(([x, y]) => x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h).length;
    const far = Math.hypot(x0 + w / 2 - qx, y0 + h / 2 - qy);
    const cost = covered * 1e6 - far;
    if (cost < bestCost) { bestCost = cost; best = corner; }
  }
  return best;
}
