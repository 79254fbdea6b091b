// @ts-check
// interactions/place-points.js: place a list of points by clicking the plot (k-means' manual starting centres).
//
// Declaration: {"kind": "place-points", "param": "init", "count_param": "k"}. The param's widget (controls.js,
// from the schema's `x-click` hint) offers "manual (click the plot)" and keeps the points; while it is in manual
// mode this plugin captures every click, adds the point, draws the points placed so far as numbered stars and
// says in the hint line how many are left. The run starts once the count (the value of count_param) is reached.

import { INK, PAPER } from "../theme.js";

/**
 * @param {import("./registry.js").InteractionContext} ctx
 * @param {import("./registry.js").Declaration} decl
 * @returns {import("./registry.js").Interaction}
 */
export function create(ctx, decl) {
  const { controls } = ctx;
  const field = controls.clickField();
  if (!field || (decl.param && field.name !== decl.param)) {
    console.warn(`place-points: no click-to-place param "${decl.param ?? ""}" in this lab's controls; ignored`);
    return {};
  }
  const state = () => controls.clickState();
  return {
    capturing: () => Boolean(state()),
    onClick(point) {
      if (!state()) return false;
      if (point) controls.addPoint(point);
      return true; // a click outside the axes while placing is still ours: it must not inspect or pan
    },
    hint() {
      const st = state();
      if (!st) return null;
      const left = st.count - st.points.length;
      return left > 0
        ? `Click the plot to place starting centre ${st.points.length + 1} of ${st.count}.`
        : `All ${st.count} centres placed. Click again to start over.`;
    },
    traces() {
      const st = state();
      if (!st || !st.points.length) return [];
      return [{
        type: "scatter", mode: "markers+text", name: "your starting centres",
        x: st.points.map((p) => p[0]), y: st.points.map((p) => p[1]),
        text: st.points.map((_, i) => String(i + 1)), textposition: "top right",
        textfont: { size: 15, color: INK }, hoverinfo: "skip", showlegend: false,
        marker: { symbol: "star", size: 20, color: INK, line: { color: PAPER, width: 1.5 } },
      }];
    },
  };
}
