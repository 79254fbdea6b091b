// @ts-check
// Unit tests for static/js/chapters.js: where chapters start (from a scene's x-phases) and where their marks go.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { chapterStarts, layoutLabels, markPosition, phasesOf } from "../../static/js/chapters.js";

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

/** @param {{left: number, width: number, show: boolean}[]} places  the shown titles' spans, in tick order */
function spans(places) {
  return places.filter((p) => p.show).map((p) => [p.left, p.left + p.width]);
}

test("titles with room are shown whole, each from its tick", () => {
  const wants = [{ x: 9, width: 60, frames: 4 }, { x: 200, width: 80, frames: 6 }, { x: 400, width: 50, frames: 3 }];
  assert.deepEqual(layoutLabels(wants, 600, 40), [
    { show: true, left: 9, width: 60, endsAtTick: false },
    { show: true, left: 200, width: 80, endsAtTick: false },
    { show: true, left: 400, width: 50, endsAtTick: false },
  ]);
});

test("a title short of room is cut (ellipsis) at the next tick, never over it", () => {
  const places = layoutLabels([{ x: 9, width: 120, frames: 5 }, { x: 80, width: 60, frames: 5 }], 300, 40);
  assert.deepEqual(places[0], { show: true, left: 9, width: 80 - 4 - 9, endsAtTick: false });
  assert.equal(places[1].width, 60);
});

test("a last title with no room after its tick ends at its tick, sharing the room before it", () => {
  const places = layoutLabels([{ x: 9, width: 70, frames: 8 }, { x: 190, width: 90, frames: 1 }], 200, 40);
  assert.equal(places[1].endsAtTick, true);
  assert.equal(places[1].left + places[1].width, 190);
  assert.ok(places[0].left + places[0].width <= places[1].left - 4, "the two do not meet");
});

test("crowded ticks (PCA on a narrow track): shorter chapters lose their titles, none overlap or run past", () => {
  // six chapters over 8 frames on a 140 px track: ticks 17 px apart, titles 50–110 px wide
  const titles = [70, 80, 90, 110, 80, 60];
  const lengths = [1, 1, 1, 3, 1, 1];
  const wants = titles.map((width, i) => ({ x: 9 + (122 * [0, 1, 2, 3, 6, 7][i]) / 7, width, frames: lengths[i] }));
  const places = layoutLabels(wants, 140, 40);
  const shown = spans(places);
  assert.ok(shown.length >= 1 && shown.length < wants.length, `some titles are dropped (${shown.length} shown)`);
  assert.equal(places[3].show, true, "the longest chapter keeps its title");
  for (const [left, right] of shown) assert.ok(left >= 0 && right <= 140, "inside the track");
  for (let i = 1; i < shown.length; i += 1) assert.ok(shown[i - 1][1] <= shown[i][0], `no overlap: ${shown}`);
  for (const p of places) if (p.show) assert.ok(p.width >= 40, "what is shown is at least readable");
});

test("ties in chapter length keep the earlier title; a title narrower than the minimum is kept whole", () => {
  const places = layoutLabels([{ x: 9, width: 60, frames: 2 }, { x: 30, width: 60, frames: 2 }], 100, 40);
  assert.deepEqual(places.map((p) => p.show), [true, false]);
  const small = layoutLabels([{ x: 9, width: 20, frames: 1 }, { x: 40, width: 30, frames: 1 }], 100, 40);
  assert.deepEqual(small.map((p) => [p.show, p.width]), [[true, 20], [true, 30]]);
});

test("no chapters, nothing placed; a track too narrow for any title shows none", () => {
  assert.deepEqual(layoutLabels([], 300, 40), []);
  assert.deepEqual(layoutLabels([{ x: 9, width: 60, frames: 3 }], 30, 40).map((p) => p.show), [false]);
});
