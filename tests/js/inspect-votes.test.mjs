// @ts-check
// Unit tests for the pure part of static/js/interactions/inspect-votes.js: one point's votes read off a voting
// run's result, as many models as the frame on show has revealed.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  inspectableVotes, modelsShown, tallySummary, tallyVotes, voteClass,
} from "../../static/js/interactions/inspect-votes.js";

// Two points, three models. Point 0: votes 0, 1, 1; point 1: votes 1, 1, 0. The engine's answers: 1 and 1.
const HARD = {
  voting: /** @type {"hard"} */ ("hard"),
  points: [[0, 0], [1, 1]],
  labels: [0, 1],
  models: ["logistic regression (C = 1)", "k-NN (k = 5)", "decision tree (depth ≤ 3)"],
  weights: [1, 1, 1],
  votes: [[0, 1, 1], [1, 1, 0]],
  predicted: [1, 1],
  train_indices: [1],
};

test("a result is inspectable with votes, points, labels and models of one length", () => {
  assert.equal(inspectableVotes(HARD), true);
  assert.equal(inspectableVotes(null), false);
  assert.equal(inspectableVotes({ ...HARD, votes: [[0]] }), false);
  assert.equal(inspectableVotes({ points: [], labels: [], models: [] }), false, "no votes: the k-NN result");
});

test("a model frame shows the models so far, the vote frame all of them", () => {
  assert.equal(modelsShown(HARD, { state: { model: 0 } }), 1);
  assert.equal(modelsShown(HARD, { state: { model: 1 } }), 2);
  assert.equal(modelsShown(HARD, { state: { voting: "hard" } }), 3);
  assert.equal(modelsShown(HARD, null), 3);
  assert.equal(modelsShown(HARD, { state: { model: 9 } }), 3, "clamped to the committee");
});

test("hard votes are counted; so far the tally decides, at the end the engine's answer", () => {
  const first = tallyVotes(HARD, 0, 1);
  assert.deepEqual(first.members.map((v) => v.vote), [0]);
  assert.equal(first.winner, 0);
  assert.equal(first.complete, false);
  const two = tallyVotes(HARD, 0, 2); // one vote each: a tie, the lowest class wins
  assert.deepEqual(two.order.map((s) => [s.cls, s.score]), [[0, 1], [1, 1]]);
  assert.equal(two.winner, 0);
  const all = tallyVotes(HARD, 0, 3);
  assert.deepEqual(all.order.map((s) => [s.cls, s.score]), [[1, 2], [0, 1]]);
  assert.equal(all.winner, 1);
  assert.equal(all.complete, true);
  assert.equal(tallySummary(HARD, all), "hard vote, 3 models: class 1 2, class 0 1 → class 1");
});

test("weights count in the hard vote", () => {
  const weighted = { ...HARD, weights: [3, 1, 1] };
  const t = tallyVotes(weighted, 0, 3);
  assert.deepEqual(t.order.map((s) => [s.cls, s.score]), [[0, 3], [1, 2]]);
  assert.equal(t.unequal, true);
  assert.equal(t.winner, 1, "the complete vote shows the engine's answer (the result's predicted)");
  assert.equal(tallyVotes({ ...weighted, predicted: undefined }, 0, 3).winner, 0, "without it, the tally's");
});

test("soft votes average the probabilities with the weights", () => {
  const soft = {
    ...HARD,
    voting: /** @type {"soft"} */ ("soft"),
    weights: [1, 1, 2],
    probabilities: [
      [[0.9, 0.1], [0.4, 0.6], [0.3, 0.7]],
      [[0.2, 0.8], [0.1, 0.9], [0.6, 0.4]],
    ],
  };
  const t = tallyVotes(soft, 0, 3);
  assert.equal(t.soft, true);
  // (0.9 + 0.4 + 2·0.3) / 4 = 0.475 for class 0; 0.525 for class 1.
  assert.deepEqual(t.order.map((s) => s.cls), [1, 0]);
  assert.ok(Math.abs(t.order[0].score - 0.525) < 1e-12);
  assert.deepEqual(t.members.map((v) => v.sure), [0.9, 0.6, 0.7], "each model's probability of its own vote");
  const sofar = tallyVotes(soft, 0, 1);
  assert.equal(sofar.winner, 0);
  assert.ok(Math.abs(sofar.order[0].score - 0.9) < 1e-12);
});

test("class names read as the run's classes", () => {
  assert.equal(voteClass(HARD, 1), "class 1");
  assert.equal(voteClass({ ...HARD, classes: ["setosa", "versicolor"] }, 1), "class versicolor");
});
