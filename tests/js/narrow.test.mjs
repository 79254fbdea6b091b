// @ts-check
// Unit tests for static/js/narrow.js: a scene's `x-narrow` layout replaces its own below the width it names,
// patches the traces it names by index, drops the annotations on the axes it names, and leaves wide plots alone;
// the composer carries the scene's spec onto every composed frame.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { FigureComposer } from "../../static/js/compose.js";
import { SCREEN_MARGIN, narrowHeight, narrowSpec, narrowed } from "../../static/js/narrow.js";

const scene = {
  data: [{ type: "heatmap", showscale: true, z: [] }, { type: "scatter", x: [1], visible: true }, { type: "scatter" }],
  layout: {
    xaxis: { domain: [0, 0.4], title: { text: "x₁" } },
    xaxis5: { domain: [0.6, 1] },
    annotations: [{ text: "heading", xref: "x5 domain" }, { text: "box 1", xref: "x5" }, { text: "box 2", xref: "x5" }],
  },
  "x-narrow": {
    width: 560,
    layout: { xaxis: { domain: [0, 1] }, xaxis5: { domain: [0, 1] } },
    data: { 0: { showscale: false }, 1: { visible: false } },
    annotations_off: ["x5"],
  },
};

test("below its width the figure takes the narrow layout, patches and annotations", () => {
  const out = narrowed(scene, 390);
  assert.deepEqual(out.layout?.xaxis, { domain: [0, 1], title: { text: "x₁" } }, "merged, not replaced");
  assert.deepEqual(out.layout?.xaxis5, { domain: [0, 1] });
  assert.deepEqual(out.layout?.annotations, [{ text: "heading", xref: "x5 domain" }], "the boxes on x5 are gone");
  assert.equal(out.data?.[0]?.showscale, false);
  assert.equal(out.data?.[1]?.visible, false);
  assert.deepEqual(out.data?.[1]?.x, [1], "a patch keeps the trace's other keys");
  assert.equal(out.data?.[2], scene.data[2], "traces it does not name are the same objects");
  assert.equal(scene.layout.annotations.length, 3, "the scene itself is not changed");
  assert.equal(scene.data[0].showscale, true);
});

test("at or above its width, unlaid out (width 0) or without a spec, the figure is returned as it is", () => {
  assert.equal(narrowed(scene, 560), scene);
  assert.equal(narrowed(scene, 1200), scene);
  assert.equal(narrowed(scene, 0), scene);
  const plain = { data: [], layout: {} };
  assert.equal(narrowed(plain, 300), plain);
  assert.equal(narrowSpec({ "x-narrow": { width: "wide" } }), null, "a spec needs a numeric width");
});

test("every composed frame carries its scene's narrow spec", () => {
  const composer = new FigureComposer(scene);
  composer.add({ data: [{ z: [1] }], layout: { annotations: [{ text: "box 3", xref: "x5" }] } });
  const frame = composer.compose(0);
  assert.equal(frame["x-narrow"], scene["x-narrow"]);
  assert.deepEqual(narrowed(frame, 390).layout?.annotations, [], "the frame's own boxes go too");
  const bare = new FigureComposer({ data: [], layout: {} });
  bare.add({ data: [] });
  assert.equal("x-narrow" in bare.compose(0), false);
});

test("a narrow figure may ask for a taller plot, capped by the screen; a wide one or one without keeps the page's", () => {
  const figure = { data: [], layout: {}, "x-narrow": { width: 600, height: 700 } };
  assert.equal(narrowHeight(figure, 360), `min(700px, calc(100svh - ${SCREEN_MARGIN}px))`);
  assert.equal(narrowHeight(figure, 800), "", "wide: the page's own height");
  assert.equal(narrowHeight(figure, 0), "", "not laid out yet");
  assert.equal(narrowHeight({ "x-narrow": { width: 600 } }, 360), "", "no height asked");
  assert.equal(narrowHeight({ data: [] }, 360), "");
});
