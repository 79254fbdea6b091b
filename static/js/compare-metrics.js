// @ts-check
// compare-metrics.js: the compare page's metrics: one chart per metric either run reports, both runs' lines
// on the same axes (A solid, B dashed, a legend naming each), a dotted line at the shared timeline's position.

import { BASE_LAYOUT, Plotly, purgePlot } from "./figure-base.js";
import { frameX, metricLabel, timelineOf } from "./metrics.js";
import { GRID, MUTED, PALETTE } from "./theme.js";
import { el } from "./dom.js";

/** Most charts drawn: a lab with dozens of metrics keeps its first ones (in A's order, then B's). */
export const MAX_CHARTS = 8;

/**
 * @typedef {{name: string, algo: Record<string, any>, frames: any[], scene: Record<string, any> | null}} RunLike
 */

/**
 * Every metric name either run reports, A's first.
 * @param {RunLike} a
 * @param {RunLike} b
 * @returns {string[]}
 */
export function metricNames(a, b) {
  /** @type {string[]} */
  const names = [];
  for (const run of [a, b]) {
    for (const frame of run.frames) {
      for (const [name, value] of Object.entries(frame?.metrics ?? {})) {
        if (typeof value === "number" && !names.includes(name)) names.push(name);
      }
    }
  }
  return names.slice(0, MAX_CHARTS);
}

/**
 * One run's series of one metric: x by its timeline (or its frame number), y the metric where it is reported.
 * @param {RunLike} run
 * @param {string} name
 * @param {boolean} byFrame
 */
export function seriesOf(run, name, byFrame) {
  const timeline = byFrame ? { key: null, title: "frame" } : timelineOf(run.scene);
  /** @type {number[]} */
  const x = [];
  /** @type {number[]} */
  const y = [];
  /** @type {number | undefined} */
  let previous;
  run.frames.forEach((frame, i) => {
    const at = frameX(frame, i, timeline, previous);
    previous = at;
    const v = frame?.metrics?.[name];
    if (typeof v === "number" && Number.isFinite(v)) { x.push(at); y.push(v); }
  });
  return { x, y };
}

export class CompareMetrics {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    /** @type {HTMLElement[]} */
    this.charts = [];
    /** @type {Map<string, HTMLElement>} a chart per metric, kept across runs (redrawn with react, not purged) */
    this.byName = new Map();
  }

  /**
   * Draw both runs' metrics.
   * @param {RunLike} a
   * @param {RunLike} b
   * @param {boolean} byFrame  the runs are aligned frame by frame (x is the frame number)
   */
  set(a, b, byFrame) {
    const names = metricNames(a, b);
    for (const [name, chart] of this.byName) {
      if (!names.includes(name)) { purgePlot(chart); this.byName.delete(name); }
    }
    this.charts = names.map((name) => this.byName.get(name) ?? el("div", { class: "compare-chart" }));
    names.forEach((name, i) => this.byName.set(name, this.charts[i]));
    this.container.replaceChildren(
      ...(names.length ? this.charts : [el("p", { class: "muted" }, "Neither run reports metrics.")]),
    );
    const title = byFrame ? "frame" : (timelineOf(a.scene).title || "frame");
    names.forEach((name, i) => {
      const traces = [a, b].map((run, k) => ({
        type: "scatter", mode: "lines+markers", ...seriesOf(run, name, byFrame),
        name: `${k ? "B" : "A"}: ${run.algo.title}`, line: { color: PALETTE[k], width: 2, dash: k ? "dash" : "solid" },
        marker: { size: 4, color: PALETTE[k] }, hovertemplate: `${k ? "B" : "A"} %{x}: %{y:.4g}<extra></extra>`,
      }));
      const layout = {
        ...BASE_LAYOUT,
        height: 230,
        margin: { l: 56, r: 12, t: 52, b: 44 },
        title: { text: metricLabel(name), x: 0, xanchor: "left", font: { size: 14 } },
        legend: { orientation: "h", x: 0, y: 1.16, yanchor: "bottom", font: { size: 12 } },
        xaxis: { title: { text: title, font: { size: 12 } }, gridcolor: GRID, zeroline: false },
        yaxis: { gridcolor: GRID, zeroline: false },
        shapes: [{ type: "line", xref: "x", yref: "paper", x0: 0, x1: 0, y0: 0, y1: 1, line: { color: MUTED, dash: "dot", width: 1.5 } }],
      };
      const chart = this.charts[i];
      chart.dataset.drawn = "";
      void Plotly().react(chart, traces, layout, { displayModeBar: false, responsive: true }).then(() => { chart.dataset.drawn = "1"; });
    });
  }

  /** @param {{x: number}} tick  the shared timeline's position */
  mark(tick) {
    for (const chart of this.charts) {
      // Only a chart whose draw has finished: a relayout over a draw in flight breaks plotly's margin pass.
      if (chart.isConnected && chart.dataset.drawn === "1") void Plotly().relayout(chart, { "shapes[0].x0": tick.x, "shapes[0].x1": tick.x });
    }
  }
}
