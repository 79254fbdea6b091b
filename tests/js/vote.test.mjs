// @ts-check
// Unit tests for static/js/interactions/lib/vote.js: the k-NN vote read off the engine's result.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { className, freeCorner, inspectable, nearestRow, summary, vote } from "../../static/js/interactions/lib/vote.js";

// Four rows on a line; row 0's neighbours, nearest first: itself, 1, 2, 3.
const RESULT = {
  points: [[0, 0], [1, 0], [2, 0], [3, 0]],
  labels: [0, 1, 1, 0],
  neighbors: [[0, 1, 2, 3], [1, 0, 2, 3], [2, 1, 3, 0], [3, 2, 1, 0]],
};

test("inspectable needs neighbours, points and labels of one length", () => {
  assert.equal(inspectable(RESULT), true);
  assert.equal(inspectable(null), false);
  assert.equal(inspectable({ ...RESULT, neighbors: [[0]] }), false);
  assert.equal(inspectable({ points: [], labels: [] }), false);
});

test("the first k neighbours vote; k comes from the frame, clamped to the list", () => {
  const v3 = vote(RESULT, 0, 3);
  assert.deepEqual(v3.rows, [0, 1, 2]);
  assert.deepEqual(v3.order.map((t) => [t.cls, t.count]), [[1, 2], [0, 1]]);
  assert.equal(v3.winner, 1);
  assert.equal(v3.truth, 0);
  assert.equal(v3.tie, false);
  assert.equal(vote(RESULT, 0, undefined).k, 4, "no k in the frame: all neighbours");
  assert.equal(vote(RESULT, 0, 99).k, 4);
  assert.equal(vote(RESULT, 0, 0).k, 4, "0 is not a k: all of them");
});

test("a tie goes to the first class, as the engine decides", () => {
  const v = vote(RESULT, 0, 2); // one vote each for class 0 and class 1
  assert.equal(v.tie, true);
  assert.equal(v.winner, 0);
});

test("weights replace counts when the result has them", () => {
  const weighted = { ...RESULT, neighbor_weights: [[0, 1, 0.5, 0.25], [], [], []] };
  const v = vote(weighted, 0, 3);
  assert.deepEqual(v.weights, [0, 1, 0.5]);
  assert.deepEqual(v.order.map((t) => [t.cls, t.weight]), [[1, 1.5], [0, 0]]);
  assert.equal(summary(weighted, v, String), "k = 3: class 1 weight 1.5, class 0 weight 0 → class 1");
});

test("class names come from result.classes when present", () => {
  assert.equal(className(RESULT, 1), "class 1");
  assert.equal(className({ ...RESULT, classes: ["setosa", "virginica"] }, 1), "class virginica");
  assert.equal(summary(RESULT, vote(RESULT, 0, 3), String), "k = 3: 2 × class 1, 1 × class 0 → class 1");
});

test("nearestRow picks the closest point within the radius, else null", () => {
  /** @type {(p: number[]) => [number, number]} */
  const toPx = (p) => [p[0] * 100, p[1] * 100];
  assert.equal(nearestRow(RESULT.points, toPx, 104, 3, 14), 1);
  assert.equal(nearestRow(RESULT.points, toPx, 150, 0, 14), null);
});

test("freeCorner avoids the marks and prefers the far side", () => {
  // a 100 × 100 plot, a 30 × 30 box; marks crowd the top right
  assert.equal(freeCorner([[90, 10], [80, 20], [95, 5]], 30, 30, 100, 100), "bl");
  // marks in the bottom left: the box goes top right, the farthest free corner
  assert.equal(freeCorner([[10, 90]], 30, 30, 100, 100), "tr");
});
