// @ts-check
// The compare page's pure half (static/js/compare-align.js): sides from URLs, one timeline for two runs, and
// the settings' difference in words — on the API's own schemas (tests/js/fixtures).

import assert from "node:assert/strict";
import { test } from "node:test";

import { alignRuns, compareQuery, diffWords, parseSide } from "../../static/js/compare-align.js";
import { lab } from "./helpers.mjs";

const EPOCH = { key: "epoch", title: "epoch" };
const FRAME = { key: null, title: "frame" };
/** @param {number[]} epochs */
const frames = (epochs) => epochs.map((epoch, index) => ({ index, state: { epoch } }));

test("a side is a lab and its player query, from any of the forms a link carries", () => {
  assert.deepEqual(parseSide("kmeans?seed=0&k=4"), { lab: "kmeans", query: "seed=0&k=4" });
  assert.deepEqual(parseSide("/algorithms/neural-network?lr=0.3"), { lab: "neural-network", query: "lr=0.3" });
  assert.deepEqual(parseSide("http://127.0.0.1:8000/algorithms/pca?seed=1"), { lab: "pca", query: "seed=1" });
  assert.deepEqual(parseSide("dbscan"), { lab: "dbscan", query: "" });
  for (const bad of ["", null, "../etc", "a b?x=1", "<script>"]) assert.equal(parseSide(bad), null);
  const q = new URLSearchParams(compareQuery({ lab: "kmeans", query: "seed=0&k=4" }, { lab: "kmeans", query: "seed=1" }));
  assert.equal(q.get("a"), "kmeans?seed=0&k=4");
  assert.equal(q.get("b"), "kmeans?seed=1");
});

test("runs with the same timeline key are merged by it: every frame shown once, both at one epoch per tick", () => {
  const a = frames([0, 10, 20, 30]);
  const b = frames([0, 5, 10, 15, 20]);
  const { ticks, by } = alignRuns(a, b, EPOCH, EPOCH);
  assert.equal(by, "epoch");
  assert.deepEqual(ticks.map((t) => [t.a, t.b, t.x]), [[0, 0, 0], [0, 1, 5], [1, 2, 10], [1, 3, 15], [2, 4, 20], [3, 4, 30]]);
  for (const t of ticks) { // neither side is ever ahead of the tick
    assert.ok(/** @type {number} */ (a[t.a].state.epoch) <= t.x && /** @type {number} */ (b[t.b].state.epoch) <= t.x);
  }
});

test("otherwise frame by frame, the shorter run holding its last frame", () => {
  const { ticks, by } = alignRuns(frames([1, 2]), frames([1, 2, 3, 4]), EPOCH, FRAME);
  assert.equal(by, "frame");
  assert.deepEqual(ticks.map((t) => [t.a, t.b]), [[0, 0], [1, 1], [1, 2], [1, 3]]);
  assert.deepEqual(alignRuns([], frames([1]), EPOCH, EPOCH).ticks, []);
});

test("the difference in words: a param, a dataset field, an option's label, the seed; two labs by name", () => {
  const neural = lab("neural-network");
  const side = (/** @type {Record<string, unknown>} */ params, seed = 0) => ({
    schema: neural.params_schema, params: { ...neural.defaults, ...params }, seed, title: "Neural network", lab: "neural-network",
  });
  const words = diffWords(side({}), side({ lr: 0.3, dataset: { ...neural.defaults.dataset, noise: 0.3 } }, 2));
  assert.equal(words.length, 3);
  assert.match(words[0], /^dataset noise 0\.3 instead of 0\.1$/i);
  assert.match(words[1], /^learning rate.* 0\.3 instead of 0\.03$/);
  assert.equal(words[2], "seed 2 instead of 0");
  assert.deepEqual(diffWords(side({}), side({})), []);
  const kmeans = lab("kmeans");
  const other = { schema: kmeans.params_schema, params: kmeans.defaults, seed: 0, title: "k-means", lab: "kmeans" };
  assert.equal(diffWords(side({}), other)[0], "k-means instead of Neural network");
});
