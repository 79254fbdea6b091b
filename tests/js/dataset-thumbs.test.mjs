// @ts-check
// Unit tests for static/js/dataset-thumbs.js: a dataset's points as a thumbnail's marks, the preview query,
// the names' break points.
// Run: node --test tests/js/dataset-thumbs.test.mjs

import assert from "node:assert/strict";
import { test } from "node:test";

import { CLASS_SHAPES, isTarget, markPath, previewQuery, softHyphenate, thin, thumbMarks } from "../../static/js/dataset-thumbs.js";
import { DATASETS } from "./helpers.mjs";

test("marks fill the square with one scale for both axes, centred, y pointing down", () => {
  // A wide cloud: x spans 4, y spans 1. One scale → the y extent is a quarter of the x extent.
  const marks = thumbMarks([[0, 0], [4, 0], [0, 1], [4, 1]], [0, 0, 1, 1], { size: 100, pad: 10 });
  const xs = marks.map((m) => m.x);
  const ys = marks.map((m) => m.y);
  assert.deepEqual([Math.min(...xs), Math.max(...xs)], [10, 90]);
  assert.equal(Math.max(...ys) - Math.min(...ys), 20, "80 px for 4 units → 20 px for 1");
  assert.equal((Math.max(...ys) + Math.min(...ys)) / 2, 50, "centred vertically");
  assert.ok(marks[2].y < marks[0].y, "a larger y is higher up (smaller SVG y)");
});

test("classes get a colour index and a shape each; a label that is missing counts as class 0", () => {
  const marks = thumbMarks([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5]], [0, 1, 2, 3, null, "x"]);
  assert.deepEqual(marks.map((m) => m.cls), [0, 1, 2, 3, 0, 0]);
  assert.deepEqual(marks.slice(0, 4).map((m) => m.shape), CLASS_SHAPES.slice(0, 4));
  assert.equal(new Set(CLASS_SHAPES).size, CLASS_SHAPES.length, "shapes differ");
  assert.deepEqual(thumbMarks([[1, 2]], undefined).map((m) => m.cls), [0], "no labels at all");
});

test("at most `max` marks, taken evenly; rows that are no points are skipped; a one-point set is centred", () => {
  const rows = Array.from({ length: 1000 }, (_, i) => [i, i % 7]);
  assert.equal(thumbMarks(rows, undefined, { max: 150 }).length, 150);
  assert.deepEqual(thin([1, 2, 3, 4, 5, 6], 3), [1, 3, 5]);
  assert.deepEqual(thin([1, 2], 3), [1, 2]);
  const marks = thumbMarks([[NaN, 1], [2, 3]], [0, 1], { size: 100 });
  assert.equal(marks.length, 1);
  assert.deepEqual([marks[0].x, marks[0].y], [50, 50]);
  assert.deepEqual(thumbMarks([], []), []);
});

test("every mark is one closed SVG path (a cross is two strokes)", () => {
  for (const shape of CLASS_SHAPES) {
    const d = markPath({ x: 50, y: 50, cls: 0, shape }, 3);
    assert.match(d, /^M[\d.]+ [\d.]+/, shape);
    if (shape === "cross") assert.equal((d.match(/M/g) ?? []).length, 2);
    else assert.ok(d.endsWith("z") || d.endsWith(" 0"), `${shape}: ${d}`);
  }
});

test("the preview asks a generator for a small sample within its bounds, a fixed table for nothing", () => {
  const moons = DATASETS.find((d) => d.name === "moons");
  const iris = DATASETS.find((d) => d.name === "iris");
  assert.equal(previewQuery(/** @type {any} */ (moons?.params_schema)), "n_samples=120");
  assert.equal(previewQuery(/** @type {any} */ (iris?.params_schema)), "");
  assert.equal(previewQuery({ properties: { n_samples: { minimum: 200, maximum: 500 } } }), "n_samples=200");
  assert.equal(previewQuery({ properties: { n_samples: { maximum: 50 } } }), "n_samples=50");
  assert.equal(previewQuery(undefined), "");
});

test("long names break at a syllable with a soft hyphen; short words and hyphenated codes stay whole", () => {
  const show = (/** @type {string} */ s) => softHyphenate(s).replace(/\u00AD/g, "|");
  assert.equal(show("Anisotropic blobs"), "Aniso|tropic blobs");
  assert.equal(show("Plane (regression)"), "Plane (regres|sion)");
  assert.equal(show("Correlated Gaussian, 2-D"), "Corre|lated Gaussian, 2\u2011D");
  assert.equal(show("Moons"), "Moons");
  assert.equal(show("Blobs of varied density"), "Blobs of varied density");
  assert.equal(softHyphenate("Anisotropic").replace(/\u00AD/g, ""), "Anisotropic", "nothing else changes");
});

test("a regression target (numbers that are no class) is one class; its one-feature points fill the square", () => {
  assert.equal(isTarget([0, 1, 2]), false);
  assert.equal(isTarget([0.5, 2, 3]), true);
  assert.equal(isTarget([-1, 0]), true);
  assert.equal(isTarget(undefined), false);
  // y = 2 sin(1.5 x) over x in [-3, 3]: x spans 6, y about 4; each axis scaled to the square (pad 10 → 10…90)
  const X = Array.from({ length: 61 }, (_, i) => [-3 + i / 10]);
  const y = X.map(([x]) => 2 * Math.sin(1.5 * x));
  const marks = thumbMarks(X, y, { size: 100, pad: 10, max: 100 });
  assert.deepEqual(new Set(marks.map((m) => m.cls)), new Set([0]));
  const xs = marks.map((m) => m.x);
  const ys = marks.map((m) => m.y);
  assert.deepEqual([Math.min(...xs), Math.max(...xs)], [10, 90]);
  assert.deepEqual([Math.min(...ys), Math.max(...ys)], [10, 90]);
  // two features with a number y: still one scale for both axes (x2 100× x1's spread shows as a thin line)
  const wide = thumbMarks([[0, 0], [1, 100], [0.5, 50]], [1.5, 2.5, 3.5], { size: 100, pad: 10 });
  assert.ok(Math.max(...wide.map((m) => m.x)) - Math.min(...wide.map((m) => m.x)) < 2);
  assert.deepEqual(wide.map((m) => m.cls), [0, 0, 0]);
});
