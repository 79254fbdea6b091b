// @ts-check
// Unit tests for static/js/chapters.js: where chapters start (from a scene's x-phases) and where their marks go.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { chapterStarts, markPosition, phasesOf } from "../../static/js/chapters.js";

const KMEANS = { init: "Seeding", assign: "Lloyd iterations", update: "Lloyd iterations", elbow: "Elbow" };

test("a chapter starts where a frame's kind maps to a new phase title; unmapped kinds stay in theirs", () => {
  const kinds = ["init", "init", "init", "assign", "update", "assign", "update", "converged", "elbow", "elbow"];
  const frames = kinds.map((kind) => ({ kind }));
  assert.deepEqual(chapterStarts(frames, KMEANS), [
    { index: 0, title: "Seeding" }, { index: 3, title: "Lloyd iterations" }, { index: 8, title: "Elbow" },
  ]);
});

test("no phases, no chapters; a run that starts with an unmapped kind starts its first chapter later", () => {
  assert.deepEqual(chapterStarts([{ kind: "init" }], null), []);
  assert.deepEqual(chapterStarts([{ kind: "start" }, { kind: "grow" }, { kind: "prune" }], { grow: "Growing", prune: "Pruning" }), [
    { index: 1, title: "Growing" }, { index: 2, title: "Pruning" },
  ]);
});

test("phasesOf keeps a map of non-empty titles and nothing else", () => {
  assert.deepEqual(phasesOf({ "x-phases": KMEANS }), KMEANS);
  assert.equal(phasesOf({ data: [] }), null);
  assert.equal(phasesOf({ "x-phases": ["init"] }), null);
  assert.equal(phasesOf({ "x-phases": { init: "" } }), null);
  assert.deepEqual(phasesOf({ "x-phases": { init: "Seeding", bad: 3 } }), { init: "Seeding" });
});

test("marks sit where the range thumb's centre is for that frame", () => {
  assert.equal(markPosition(0, 20, 18), "calc(9px + (100% - 18px) * 0)");
  assert.equal(markPosition(19, 20, 18), "calc(9px + (100% - 18px) * 1)");
  assert.equal(markPosition(5, 11, 18), "calc(9px + (100% - 18px) * 0.5)");
  assert.equal(markPosition(0, 1, 18), "calc(9px + (100% - 18px) * 0)");
});
