// @ts-check
// metrics.js: the metrics panel: one small line chart per metric, against the run's timeline (the scene's
// `x-timeline`: epoch, iteration, k, ... titled on the x axis; the frame number when the scene names none), with
// a marker at the current frame.
// A chart is redrawn (Plotly.react) only when its series grew; moving the current frame moves two absolutely
// positioned elements (the marker and a dotted line), placed with the chart's axes. Everything above
// MetricsView is pure (node --test imports this module).

import { Plotly, formatNumber, purgePlot } from "./figure-base.js";
import { FONT, GRID, INK, MUTED, PALETTE, PAPER } from "./theme.js";

/** Words of a metric name that are acronyms, and how they read ("r2" → "R²"). */
/** @type {Map<string, string>} */
const ACRONYMS = new Map(["mse", "rmse", "mae", "sse", "wcss", "bss", "tss", "oob", "oof", "auc", "f1", "lr", "rnn", "lstm", "gru"]
  .map((w) => /** @type {[string, string]} */ ([w, w.toUpperCase()])));
ACRONYMS.set("r2", "R²");
ACRONYMS.set("cv", "CV"); // cross-validated: "cv_score" → "CV score"
ACRONYMS.set("bias2", "bias²"); // the bias-variance lab's squared bias
ACRONYMS.set("iou", "IoU"); // intersection over union: "mean_iou" → "Mean IoU"

/**
 * A metric's name as its chart's label: "train_mse" → "Train MSE", "oob_accuracy" → "OOB accuracy",
 * "test_r2" → "Test R²", "wcss" → "WCSS"; other words lower-case, the first capitalised.
 * @param {string} name
 * @returns {string}
 */
export function metricLabel(name) {
  const words = name.split(/[_\s-]+/).filter(Boolean).map((w) => ACRONYMS.get(w.toLowerCase()) ?? w);
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What a frame's position on the metrics' x axis is: `frame.state[key]` (a number) titled `title`, or with
 * `key` null the frame number (1-based, as the frame counter says it). The scene's `x-timeline` says which;
 * its `log: true` draws that axis on a log scale (a regularisation strength swept over decades), and its
 * `log_metrics` names the metrics whose y axis is logarithmic (a variance that grows a thousandfold).
 * @typedef {{key: string | null, title: string, log?: boolean, logMetrics?: string[]}} Timeline
 */

/** @type {Timeline} the fallback when a scene says nothing: the frame number */
export const FRAME_TIMELINE = Object.freeze({ key: null, title: "frame", log: false, logMetrics: [] });

/**
 * The scene's `x-timeline` (`{"key": "<state key>" | null, "title": "<axis title>", "log"?: bool,
 * "log_metrics"?: [names]}`), or the frame number.
 * @param {unknown} scene
 * @returns {Timeline}
 */
export function timelineOf(scene) {
  const raw = /** @type {any} */ (scene)?.["x-timeline"];
  if (!raw || typeof raw !== "object") return FRAME_TIMELINE;
  const key = typeof raw.key === "string" && raw.key ? raw.key : null;
  const title = typeof raw.title === "string" && raw.title.trim() ? raw.title : FRAME_TIMELINE.title;
  const names = Array.isArray(raw.log_metrics) ? raw.log_metrics : [];
  const logMetrics = names.filter((/** @type {unknown} */ n) => typeof n === "string");
  return { key, title, log: raw.log === true, logMetrics };
}

/**
 * @param {Timeline} a
 * @param {Timeline} b
 */
function sameTimeline(a, b) {
  return a.key === b.key && a.title === b.title && Boolean(a.log) === Boolean(b.log)
    && (a.logMetrics ?? []).join("\u0000") === (b.logMetrics ?? []).join("\u0000");
}

/**
 * A log axis's range (in log10 units, as plotly wants it) over positive values, 3 % of the span either side;
 * null when any value is not positive (the axis then stays linear: a log of zero is not a place).
 * @param {number[]} values
 * @returns {[number, number] | null}
 */
export function logRange(values) {
  if (!values.length || values.some((v) => !(v > 0))) return null;
  const logs = values.map(Math.log10);
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const pad = hi > lo ? (hi - lo) * 0.03 : 0.5;
  return [lo - pad, hi + pad];
}

/**
 * Frame `i`'s x on the timeline. A frame whose state lacks the key (k-means' seeding frames have no
 * iteration yet) stays where the frame before it was (`previous`; 0 before any).
 * @param {{index?: number, state?: Record<string, unknown> | null} | null | undefined} frame
 * @param {number} i
 * @param {Timeline} timeline
 * @param {number | undefined} previous
 * @returns {number}
 */
export function frameX(frame, i, timeline, previous) {
  if (timeline.key === null) return Number(frame?.index ?? i) + 1;
  const v = frame?.state?.[timeline.key];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return previous ?? 0;
}

/**
 * The x range of a series: whole numbers get half a step either side (a bar-like margin), anything else 2 %.
 * @param {number[]} xs
 * @returns {{range: [number, number], integers: boolean}}
 */
export function xRange(xs) {
  if (!xs.length) return { range: [0, 1], integers: true };
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) { if (x < lo) lo = x; if (x > hi) hi = x; }
  const integers = xs.every((x) => Number.isInteger(x));
  if (integers) return { range: [lo - 0.5, Math.max(hi + 0.5, lo + 1.5)], integers };
  const pad = hi > lo ? (hi - lo) * 0.02 : 0.5;
  return { range: [lo - pad, hi + pad], integers };
}

/**
 * Every metric's series over a run's frames, grown as frames are appended (each frame is read once), against
 * the run's timeline. Pure: MetricsView draws it.
 */
export class MetricSeries {
  /** @param {Timeline} [timeline] */
  constructor(timeline = FRAME_TIMELINE) {
    this.timeline = timeline;
    /** @type {unknown[] | null} the frame buffer read (a new buffer is a new run) */
    this.frames = null;
    this.seen = 0;
    /** @type {number[]} every frame's x, by frame */
    this.xs = [];
    /** @type {string[]} metric names in order of first appearance */
    this.names = [];
    /** @type {Map<string, {x: number[], y: number[]}>} */
    this.series = new Map();
  }

  /**
   * Read the frames appended since the last call; returns true when any series (or the frame count) changed.
   * @param {{index?: number, state?: Record<string, unknown> | null, metrics?: Record<string, unknown> | null}[]} frames
   */
  sync(frames) {
    let changed = false;
    if (frames !== this.frames || frames.length < this.seen) {
      this.frames = frames;
      this.seen = 0;
      this.xs = [];
      this.names = [];
      this.series.clear();
      changed = true;
    }
    for (let i = this.seen; i < frames.length; i += 1) {
      const f = frames[i];
      const x = frameX(f, i, this.timeline, this.xs[i - 1]);
      this.xs.push(x);
      for (const [name, v] of Object.entries(f?.metrics ?? {})) {
        let s = this.series.get(name);
        if (!s) { s = { x: [], y: [] }; this.series.set(name, s); this.names.push(name); }
        if (typeof v === "number" && Number.isFinite(v)) { s.x.push(x); s.y.push(v); }
      }
      changed = true;
    }
    this.seen = frames.length;
    return changed;
  }
}

/**
 * @typedef {Object} MetricChart
 * @property {HTMLElement} el
 * @property {HTMLElement} valueEl
 * @property {PlotlyGraphDiv} gd
 * @property {string} color
 * @property {HTMLElement} marker  the current frame's value, over the chart
 * @property {HTMLElement} line    the current frame, a dotted vertical line over the chart
 * @property {number} drawnFrames  the frame count its series was last drawn for (-1: never)
 * @property {{x: number, y: number | null}} at  where the marker and line go (data coordinates)
 * @property {{left: number, top: number, height: number} | null} box  the plot area inside `el` (px), read
 *   after each draw of the chart: placing the marker then reads no layout (a forced layout per frame would
 *   cost as much as the page's whole style pass, with the main plot freshly redrawn)
 * @property {boolean} hooked  listens to its own redraws (resize) to measure the box again
 */

/**
 * Small line charts: one per metric over the run's timeline, with a marker at the current frame.
 */
export class MetricsView {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    /** @type {Map<string, MetricChart>} */
    this.charts = new Map();
    /** @type {Timeline} */
    this.timeline = FRAME_TIMELINE;
    this.series = new MetricSeries(this.timeline);
    /** type size of the charts (presenter mode draws them larger) */
    this.fontSize = 13;
  }

  /**
   * The x axis every chart plots against (a new run's scene says it); a different one redraws every chart.
   * @param {Timeline} timeline
   */
  setTimeline(timeline) {
    if (sameTimeline(timeline, this.timeline)) return;
    this.timeline = timeline;
    this.series = new MetricSeries(timeline);
    for (const chart of this.charts.values()) chart.drawnFrames = -1;
  }

  /**
   * Presenter mode: larger tick labels and titles (the next update redraws).
   * @param {boolean} large
   */
  setLarge(large) {
    const size = large ? 18 : 13;
    if (size === this.fontSize) return;
    this.fontSize = size;
    for (const chart of this.charts.values()) chart.drawnFrames = -1;
  }

  reset() {
    for (const { gd } of this.charts.values()) purgePlot(gd);
    this.charts.clear();
    this.series = new MetricSeries(this.timeline);
    this.container.innerHTML = "";
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = "Metrics appear as frames stream in.";
    this.container.append(p);
  }

  /**
   * @param {string} name
   * @param {number} colorIndex
   * @returns {MetricChart}
   */
  ensure(name, colorIndex) {
    const have = this.charts.get(name);
    if (have) return have;
    if (!this.charts.size) this.container.innerHTML = "";
    const el = document.createElement("div");
    el.className = "metric";
    el.dataset.metric = name;
    el.style.position = "relative"; // the marker and line are placed against it
    const head = document.createElement("div");
    head.className = "metric-head";
    const label = document.createElement("span");
    label.className = "metric-name";
    label.textContent = metricLabel(name);
    const valueEl = document.createElement("span");
    valueEl.className = "metric-value";
    head.append(label, valueEl);
    const gd = document.createElement("div");
    gd.className = "metric-plot";
    const color = PALETTE.length ? PALETTE[colorIndex % PALETTE.length] : "";
    const line = document.createElement("div");
    line.className = "metric-now";
    line.setAttribute("aria-hidden", "true");
    Object.assign(line.style, {
      position: "absolute", width: "0", borderLeft: `1px dotted ${MUTED || "currentColor"}`,
      pointerEvents: "none", display: "none",
    });
    const marker = document.createElement("div");
    marker.className = "metric-marker";
    marker.setAttribute("aria-hidden", "true");
    Object.assign(marker.style, {
      position: "absolute", width: "14px", height: "14px", boxSizing: "border-box", borderRadius: "50%",
      border: `3px solid ${color || INK || "currentColor"}`, background: PAPER || "#fff",
      transform: "translate(-50%, -50%)", pointerEvents: "none", display: "none",
    });
    el.append(head, gd, line, marker);
    this.container.append(el);
    /** @type {MetricChart} */
    const chart = { el, valueEl, gd, color, marker, line, drawnFrames: -1, at: { x: 0, y: null }, box: null, hooked: false };
    this.charts.set(name, chart);
    return chart;
  }

  /**
   * Show `frames` (the buffered list) with the marker at frame `current`. Once the run is `complete`, charts of
   * metrics it never had (the last run's, before a `task` switch: accuracy → mean squared error) go, and its
   * own are drawn afresh; while it streams they stay (a metric may not have appeared yet: no flicker).
   * @param {{index?: number, state?: Record<string, unknown> | null, metrics?: Record<string, unknown> | null}[]} frames
   * @param {number} current
   * @param {{complete?: boolean}} [opts]  complete: the stream has ended (nothing more will arrive)
   */
  update(frames, current, { complete = false } = {}) {
    let grew = this.series.sync(frames);
    if (complete && this.dropStale()) grew = this.series.sync(frames);
    this.series.names.forEach((name, i) => {
      const chart = this.ensure(name, i);
      const s = /** @type {{x: number[], y: number[]}} */ (this.series.series.get(name));
      const cur = frames[current]?.metrics?.[name];
      chart.valueEl.textContent = cur === undefined || cur === null ? "–" : formatNumber(cur);
      chart.at = { x: this.series.xs[current] ?? 0, y: typeof cur === "number" && Number.isFinite(cur) ? cur : null };
      if (grew || chart.drawnFrames !== frames.length) this.draw(chart, s, frames.length, name);
      this.place(chart);
    });
  }

  /**
   * Drop every chart (reset) when one of them is for a metric the frames read so far never had; true if so.
   * @returns {boolean}
   */
  dropStale() {
    const { seen, series } = this.series;
    if (!seen || [...this.charts.keys()].every((name) => series.has(name))) return false;
    this.reset();
    return true;
  }

  /**
   * Redraw one chart's line (new arrays: plotly sees the change).
   * @param {MetricChart} chart
   * @param {{x: number[], y: number[]}} s
   * @param {number} count
   * @param {string} name
   */
  draw(chart, s, count, name) {
    chart.drawnFrames = count;
    const data = [{
      x: s.x.slice(), y: s.y.slice(), type: "scatter", mode: "lines", line: { color: chart.color, width: 2.5 },
      hoverinfo: "x+y", name,
    }];
    const { range, integers } = xRange(this.series.xs);
    const logX = this.timeline.log ? logRange(this.series.xs) : null;
    const logY = this.timeline.logMetrics?.includes(name) ? logRange(s.y) : null;
    const size = this.fontSize;
    const layout = {
      font: { family: FONT, size, color: INK },
      margin: { l: 4 * size, r: 12, t: 8, b: 3.4 * size },
      height: chart.gd.clientHeight || 150,
      showlegend: false,
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: {
        zeroline: false, gridcolor: GRID, fixedrange: true, automargin: false,
        ...(logX ? { type: "log", range: logX, dtick: 1, exponentformat: "power" }
          : { range, ...(integers ? { tickformat: "d" } : {}) }),
        title: { text: this.timeline.title, standoff: 4, font: { size: size - 1 } },
      },
      yaxis: {
        zeroline: false, gridcolor: GRID, fixedrange: true, nticks: 4,
        ...(logY ? { type: "log", range: logY, exponentformat: "power" } : {}),
      },
    };
    void Plotly().react(chart.gd, data, layout, { displayModeBar: false, responsive: true, staticPlot: false })
      .then(() => {
        if (!chart.hooked && chart.gd.on) {
          chart.hooked = true;
          chart.gd.on("plotly_afterplot", () => { this.measure(chart); this.place(chart); }); // a resize moves the axes
        }
        this.measure(chart);
        this.place(chart);
      });
  }

  /**
   * Read where the chart's plot area is (after a draw or resize of the chart).
   * @param {MetricChart} chart
   */
  measure(chart) {
    const full = chart.gd._fullLayout;
    const xa = full?.xaxis;
    const ya = full?.yaxis;
    chart.box = xa && ya ? {
      left: chart.gd.offsetLeft + Number(xa._offset), top: chart.gd.offsetTop + Number(ya._offset), height: Number(ya._length),
    } : null;
  }

  /**
   * Put the marker and the line at `chart.at` on the chart's axes (hidden until the chart is drawn).
   * @param {MetricChart} chart
   */
  place(chart) {
    const full = chart.gd._fullLayout;
    const xa = full?.xaxis;
    const ya = full?.yaxis;
    const box = chart.box;
    if (!xa || !ya || !box) { chart.line.style.display = "none"; chart.marker.style.display = "none"; return; }
    const left = box.left + xa.d2p(chart.at.x);
    const top = box.top;
    Object.assign(chart.line.style, { display: "", left: `${left}px`, top: `${top}px`, height: `${box.height}px` });
    if (chart.at.y === null) { chart.marker.style.display = "none"; return; }
    Object.assign(chart.marker.style, { display: "", left: `${left}px`, top: `${top + ya.d2p(chart.at.y)}px` });
  }
}
