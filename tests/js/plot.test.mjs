// @ts-check
// Unit tests for the pure half of static/js/plot.js: figure composition (the reference composeFigure and the
// incremental FigureComposer the player uses must agree on every frame, in any order), typed-array decoding,
// the reference-stable figure drawMain hands to Plotly.react, and the metric series.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  FigureComposer, MetricSeries, composeFigure, composeFrame, decodeTypedArray, deepMerge, mainFigure, stabilize,
} from "../../static/js/plot.js";
import { FONT, PALETTE } from "../../static/js/theme.js";
import * as plot from "../../static/js/plot.js";

/** @param {number[]} values @param {"f4" | "f8" | "u1" | "i2"} dtype @param {string} [shape] */
function spec(values, dtype = "f4", shape) {
  const Ctor = { f4: Float32Array, f8: Float64Array, u1: Uint8Array, i2: Int16Array }[dtype];
  const bdata = Buffer.from(new Ctor(values).buffer).toString("base64");
  return shape === undefined ? { dtype, bdata } : { dtype, bdata, shape };
}

/** A deterministic pseudo-random sequence (no Math.random: a failure must reproduce). */
function lcg(seed = 1) {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}

/**
 * A synthetic run: traces that grow by x-extend (two keys, one that starts later, one trace with no initial
 * array, one with a typed-array spec as its base), traces patched without extension, a trace never touched,
 * layout patches, and extra traces beyond the scene on some frames.
 * @param {number} n  frames
 */
function syntheticRun(n) {
  const rand = lcg(7);
  const scene = {
    data: [
      { type: "scatter", mode: "lines", name: "path", x: [0], y: [0], line: { color: "#123456", width: 2 } },
      { type: "scatter", mode: "lines", name: "loss" }, // no x/y at all: extensions start from []
      { type: "scatter", mode: "markers", name: "points", x: spec([1, 2, 3]), y: spec([3, 2, 1]), marker: { color: "#000", size: 6 } },
      { type: "heatmap", z: spec([0, 1, 2, 3], "f4", "2,2"), showscale: false },
      { type: "scatter", name: "typed base", x: spec([5, 6]), y: [1, 2] }, // x-extend of a typed base starts from []
      { type: "scatter", name: "static", x: [9], y: [9] },
    ],
    layout: { xaxis: { title: { text: "x" }, range: [0, 10] }, yaxis: { range: [0, 1] }, annotations: [{ text: "a", x: 0, y: 0 }] },
  };
  const figures = [];
  for (let i = 0; i < n; i += 1) {
    /** @type {any[]} */
    const data = [
      { "x-extend": { x: [i + 1, i + 1.5], y: [rand(), null] } },
      i % 3 === 0 ? { "x-extend": { y: [rand()] } } : i % 3 === 1 ? { "x-extend": { x: [i], y: [rand()] } } : {},
      { marker: { color: spec([i % 4, (i + 1) % 4, (i + 2) % 4], "u1") } },
      i % 2 ? { z: spec([i, i, i, i], "f4", "2,2") } : {},
      i > 4 ? { "x-extend": { x: [i] }, y: [i, i + 1] } : null,
      {},
    ];
    if (i === 3) data[0] = { "x-extend": { x: [], y: [] }, line: { width: 4 } }; // an empty extension and a patch
    if (i % 4 === 2) data.push({ type: "scatter", name: "extra", x: [i], y: [i], "x-extend": { x: [99] } });
    const layout = i % 2 ? { xaxis: { range: [0, i + 10] }, annotations: [{ text: `frame ${i}`, x: i, y: 0 }] } : {};
    figures.push(i === 6 ? null : { data, layout });
  }
  return { scene, figures };
}

test("plot.js re-exports the theme's palette and font (it defines none of its own)", () => {
  assert.equal(plot.PALETTE, PALETTE);
  assert.equal(plot.FONT, FONT);
});

test("deepMerge merges objects, replaces arrays and typed-array specs, mutates nothing", () => {
  const base = { a: { b: 1, c: [1, 2] }, s: spec([1]) };
  const before = structuredClone(base);
  const out = deepMerge(base, { a: { c: [3] }, s: spec([2]) });
  assert.deepEqual(out, { a: { b: 1, c: [3] }, s: spec([2]) });
  assert.deepEqual(base, before);
});

test("FigureComposer composes every frame exactly as composeFigure does (forward)", () => {
  const { scene, figures } = syntheticRun(24);
  const c = new FigureComposer(scene);
  figures.forEach((f, i) => {
    c.add(f);
    assert.deepEqual(c.compose(i), composeFigure(scene, f, figures.slice(0, i)), `frame ${i}`);
  });
});

test("FigureComposer agrees on jumps backward and forward, after all frames or while they stream", () => {
  const { scene, figures } = syntheticRun(30);
  const full = new FigureComposer(scene);
  for (const f of figures) full.add(f);
  const rand = lcg(3);
  const order = [29, 0, 15, 14, 16, 3, 28, 1, 1, 7, 22, 6, 5];
  for (let k = 0; k < 40; k += 1) order.push(Math.floor(rand() * figures.length));
  for (const i of order) assert.deepEqual(full.compose(i), composeFigure(scene, figures[i], figures.slice(0, i)), `jump to ${i}`);

  const streaming = new FigureComposer(scene); // frames added in bursts, compositions in between
  for (let i = 0; i < figures.length; i += 1) {
    streaming.add(figures[i]);
    const j = Math.floor(rand() * (i + 1));
    assert.deepEqual(streaming.compose(j), composeFigure(scene, figures[j], figures.slice(0, j)), `frame ${j} of ${i + 1}`);
  }
});

test("composition leaves the scene and the frames as they were", () => {
  const { scene, figures } = syntheticRun(12);
  const before = structuredClone({ scene, figures });
  const c = new FigureComposer(scene);
  for (const f of figures) c.add(f);
  for (let i = 0; i < figures.length; i += 1) c.compose(i);
  assert.deepEqual({ scene, figures }, before);
});

test("growing traces: frame i holds the scene's points plus every extension of frames 0..i", () => {
  const { scene, figures } = syntheticRun(10);
  const c = new FigureComposer(scene);
  for (const f of figures) c.add(f);
  const f9 = c.compose(9);
  assert.equal(f9.data[0].x.length, 1 + 2 * 8); // frame 3 (empty x-extend) and frame 6 (no figure) add nothing
  assert.deepEqual(f9.data[0].x.slice(0, 3), [0, 1, 1.5]);
  assert.equal(f9.data[0].line.width, 2, "frame 3's line patch is not kept by later frames");
  assert.equal(c.compose(3).data[0].line.width, 4);
  assert.equal(f9.data.length, 6, "extra traces are the frame's own: frame 9 has none");
  assert.equal(c.compose(2).data[6].name, "extra");
  assert.equal(f9.data[4].y.length, 2, "a patch replaces an array; its x-extend grows x only");
  assert.deepEqual(f9.data[4].x, [5, 7, 8, 9]);
  assert.throws(() => c.compose(10), RangeError);
});

test("composeFrame keeps one composer per scene and starts over for a new buffer", () => {
  const { scene, figures } = syntheticRun(8);
  const frames = figures.map((figure, index) => ({ index, figure }));
  for (let i = 0; i < frames.length; i += 1) {
    assert.deepEqual(composeFrame(scene, frames.slice(0, i + 1), i), composeFigure(scene, figures[i], figures.slice(0, i)));
  }
  const other = syntheticRun(5).figures.map((figure, index) => ({ index, figure: figure && { ...figure } }));
  assert.deepEqual(composeFrame(scene, other, 4), composeFigure(scene, other[4].figure, other.slice(0, 4).map((f) => f.figure)));
});

test("decodeTypedArray decodes like plotly.js: 1-D typed arrays, 2-D rows", () => {
  assert.deepEqual(Array.from(/** @type {Float32Array} */ (decodeTypedArray(spec([1.5, -2, 3])))), [1.5, -2, 3]);
  assert.ok(decodeTypedArray(spec([1, 2], "f8")) instanceof Float64Array);
  assert.deepEqual(Array.from(/** @type {Uint8Array} */ (decodeTypedArray(spec([7, 8], "u1")))), [7, 8]);
  const rows = /** @type {Float32Array[]} */ (decodeTypedArray(spec([1, 2, 3, 4, 5, 6], "f4", "2,3")));
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => Array.from(r)), [[1, 2, 3], [4, 5, 6]]);
  assert.throws(() => decodeTypedArray({ dtype: "x9", bdata: "" }));
});

test("stabilize: equal arrays and specs keep the reference drawn last time, changes get new ones", () => {
  const pts = spec([1, 2, 3]);
  const first = { data: [{ x: pts, y: [1, 2, 3], marker: { color: spec([0, 1, 2], "u1") } }], layout: { xaxis: { range: [0, 1] } } };
  const out1 = stabilize(first, undefined);
  assert.ok(out1.data[0].x instanceof Float32Array, "specs are decoded");
  assert.equal(out1.data[0].y, first.data[0].y, "a plain array goes as it is");

  // The next frame: same points (same spec object), an equal y array (a new object), a changed colour.
  const second = { data: [{ x: pts, y: [1, 2, 3], marker: { color: spec([2, 1, 0], "u1") } }], layout: { xaxis: { range: [0, 1] } } };
  const out2 = stabilize(second, first);
  assert.equal(out2.data[0].x, out1.data[0].x);
  assert.equal(out2.data[0].y, out1.data[0].y, "an equal array keeps the drawn reference");
  assert.notEqual(out2.data[0].marker.color, out1.data[0].marker.color);
  assert.deepEqual(Array.from(out2.data[0].marker.color), [2, 1, 0]);
  assert.notEqual(out2.data[0], out1.data[0], "a changed object is a fresh copy");
  assert.notEqual(out2.data[0].marker, out1.data[0].marker);
  assert.equal(out2.layout.xaxis, out1.layout.xaxis, "an unchanged object is the one drawn (with what plotly wrote into it)");
  assert.equal(out2.layout, out1.layout);

  // An equal spec that is another object (the same colours sent again) keeps the decoded array.
  const third = { data: [{ x: pts, y: [1, 2, 4], marker: { color: spec([2, 1, 0], "u1") } }], layout: {} };
  const out3 = stabilize(third, second);
  assert.equal(out3.data[0].marker.color, out2.data[0].marker.color);
  assert.notEqual(out3.data[0].y, out2.data[0].y);
  assert.deepEqual(out3.data[0].y, [1, 2, 4]);
  assert.deepEqual(third.data[0].marker.color, spec([2, 1, 0], "u1"), "the input is not mutated");
});

test("stabilize: arrays of specs (2-D rows) and of objects", () => {
  const a = { z: [spec([1, 2]), spec([3, 4])], annotations: [{ text: "a" }] };
  const outA = stabilize(a, undefined);
  const b = { z: [spec([1, 2]), spec([3, 4])], annotations: [{ text: "a" }] };
  const outB = stabilize(b, a);
  assert.equal(outB.z, outA.z, "all rows equal: the drawn outer array is reused");
  assert.equal(outB.annotations, outA.annotations, "equal arrays of equal objects too");
  assert.deepEqual(outB.annotations, [{ text: "a" }]);
  const d = { z: b.z, annotations: [{ text: "b" }] };
  const outD = stabilize(d, b);
  assert.notEqual(outD.annotations, outB.annotations);
  assert.deepEqual(outD.annotations, [{ text: "b" }]);
  const c = { z: [spec([1, 2]), spec([3, 5])] };
  const outC = stabilize(c, b);
  assert.notEqual(outC.z, outB.z);
  assert.equal(outC.z[0], outB.z[0]);
});

test("stabilize of a whole run draws the same values as the composed figures", () => {
  const { scene, figures } = syntheticRun(10);
  const c = new FigureComposer(scene);
  for (const f of figures) c.add(f);
  /** @param {any} v @returns {any} */
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(/** @type {any} */ (v))
    : Array.isArray(v) ? v.map(plain)
      : v && typeof v === "object" ? (v.bdata ? plain(decodeTypedArray(v)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])))
        : v);
  let prev;
  for (const i of [0, 1, 2, 2, 5, 4, 9, 0]) {
    const next = mainFigure(c.compose(i), { uirevision: "u" });
    assert.deepEqual(plain(stabilize(next, prev)), plain(next), `frame ${i}`);
    prev = next;
  }
});

test("mainFigure appends extra traces and sets the page's layout keys", () => {
  const fig = mainFigure({ data: [{ x: [1] }], layout: { width: 500, height: 300, xaxis: { title: "t" } } },
    { uirevision: "r", extra: [{ x: [2] }], dragmode: false });
  assert.equal(fig.data.length, 2);
  assert.equal(fig.layout.uirevision, "r");
  assert.equal(fig.layout.autosize, true);
  assert.equal(fig.layout.dragmode, false);
  assert.equal("width" in fig.layout, false);
  assert.equal("hovermode" in fig.layout, false);
});

test("MetricSeries reads each frame once and starts over for a new buffer (x: the frame number, 1-based)", () => {
  const s = new MetricSeries();
  /** @type {{index: number, metrics: Record<string, unknown>}[]} */
  const frames = [{ index: 0, metrics: { loss: 3, acc: null } }, { index: 1, metrics: { loss: 2, acc: 0.5 } }];
  assert.equal(s.sync(frames), true);
  assert.deepEqual(s.names, ["loss", "acc"]);
  assert.deepEqual(s.series.get("loss"), { x: [1, 2], y: [3, 2] });
  assert.deepEqual(s.series.get("acc"), { x: [2], y: [0.5] });
  assert.equal(s.sync(frames), false, "nothing new");
  frames.push({ index: 2, metrics: { loss: Number.NaN, acc: 0.75 } });
  assert.equal(s.sync(frames), true);
  assert.deepEqual(s.series.get("loss"), { x: [1, 2], y: [3, 2] }, "non-finite values are left out");
  assert.deepEqual(s.series.get("acc"), { x: [2, 3], y: [0.5, 0.75] });
  assert.deepEqual(s.xs, [1, 2, 3]);
  assert.equal(s.sync([{ index: 0, metrics: { wcss: 1 } }]), true);
  assert.deepEqual(s.names, ["wcss"]);
});

test("MetricSeries plots against the scene's x-timeline; a frame without the key stays where the last one was", () => {
  const timeline = plot.timelineOf({ "x-timeline": { key: "iteration", title: "Lloyd iteration" } });
  assert.deepEqual(timeline, { key: "iteration", title: "Lloyd iteration", log: false, logMetrics: [] });
  const s = new MetricSeries(timeline);
  const frames = [
    { index: 0, kind: "init", state: { wcss: 9 }, metrics: { wcss: 9 } }, // seeding: no iteration yet
    { index: 1, kind: "assign", state: { iteration: 1 }, metrics: { wcss: 5 } },
    { index: 2, kind: "update", state: { iteration: 1 }, metrics: { wcss: 4 } },
    { index: 3, kind: "assign", state: { iteration: 2 }, metrics: { wcss: 3.5 } },
  ];
  s.sync(frames);
  assert.deepEqual(s.xs, [0, 1, 1, 2]);
  assert.deepEqual(s.series.get("wcss"), { x: [0, 1, 1, 2], y: [9, 5, 4, 3.5] });
  const epochs = new MetricSeries(plot.timelineOf({ "x-timeline": { key: "epoch", title: "epoch" } }));
  epochs.sync([{ index: 0, state: { epoch: 0 }, metrics: { mse: 2 } }, { index: 1, state: { epoch: 0.2 }, metrics: { mse: 1 } }]);
  assert.deepEqual(epochs.series.get("mse"), { x: [0, 0.2], y: [2, 1] });
});

test("timelineOf falls back to the frame number titled 'frame'; a null key keeps the scene's title", () => {
  const linear = { log: false, logMetrics: [] };
  assert.deepEqual(plot.timelineOf(null), { key: null, title: "frame", ...linear });
  assert.deepEqual(plot.timelineOf({ data: [] }), { key: null, title: "frame", ...linear });
  assert.deepEqual(plot.timelineOf({ "x-timeline": { key: null, title: "merge" } }), { key: null, title: "merge", ...linear });
  assert.deepEqual(plot.timelineOf({ "x-timeline": { key: 3, title: "" } }), { key: null, title: "frame", ...linear });
  assert.equal(plot.frameX({ index: 4 }, 4, plot.FRAME_TIMELINE, undefined), 5);
});

test("xRange pads whole numbers by half a step and fractional ones by 2 %", () => {
  assert.deepEqual(plot.xRange([1, 2, 3]), { range: [0.5, 3.5], integers: true });
  assert.deepEqual(plot.xRange([4]), { range: [3.5, 5.5], integers: true });
  const { range, integers } = plot.xRange([0, 0.5, 30]);
  assert.equal(integers, false);
  assert.ok(Math.abs(range[0] + 0.6) < 1e-9 && Math.abs(range[1] - 30.6) < 1e-9, String(range));
});

test("enlargeFigure scales fonts, marker sizes and line widths without touching its input", () => {
  const fig = {
    data: [
      { type: "scatter", mode: "markers", x: [1], y: [1], marker: { size: [4, 8], line: { width: 1 } } },
      { type: "scatter", mode: "lines", x: [1], y: [1] },
      { type: "heatmap", z: [[1]] },
    ],
    layout: { font: { size: 14 }, xaxis: { title: { text: "x", font: { size: 10 } }, tickfont: { size: 12 } } },
  };
  const before = JSON.stringify(fig);
  const big = plot.enlargeFigure(fig);
  assert.equal(JSON.stringify(fig), before, "input untouched");
  const data = /** @type {any[]} */ (big.data);
  assert.deepEqual(data[0].marker.size, [4 * plot.LARGE_MARKS, 8 * plot.LARGE_MARKS]);
  assert.equal(data[0].marker.line.width, plot.LARGE_MARKS);
  assert.equal(data[1].line.width, 2 * plot.LARGE_MARKS, "Plotly's default line width, enlarged");
  assert.deepEqual(data[2], fig.data[2]);
  assert.equal(big.layout?.font.size, 14 * plot.LARGE_TYPE);
  assert.equal(big.layout?.xaxis.title.font.size, 10 * plot.LARGE_TYPE);
  assert.equal(big.layout?.xaxis.tickfont.size, 12 * plot.LARGE_TYPE);
  const drawn = mainFigure(fig, { large: true });
  assert.equal(drawn.layout.font.size, 14 * plot.LARGE_TYPE);
});

test("stabilize keeps what it drew per memo: two plots never share a drawn object", () => {
  const fig = { data: [{ x: [1, 2], marker: { size: 3 } }], layout: { xaxis: { range: [0, 1] } } };
  const again = { data: [{ x: [1, 2], marker: { size: 3 } }], layout: { xaxis: { range: [0, 1] } } };
  const a = new WeakMap();
  const b = new WeakMap();
  const outA = stabilize(fig, undefined, a);
  const outB = stabilize(fig, undefined, b);
  assert.notEqual(outA.data[0], outB.data[0]);
  assert.equal(stabilize(again, fig, a).data[0], outA.data[0]);
  assert.equal(stabilize(again, fig, b).data[0], outB.data[0]);
});
