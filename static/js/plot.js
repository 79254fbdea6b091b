// @ts-check
// plot.js: draw the main figure with Plotly (uirevision keeps zoom), and the one import for the player's
// figure helpers (compose.js, typed-arrays.js, metrics.js and panels.js hold them; re-exported here).
//
// drawMain hands Plotly.react the same array references for whatever did not change since the last draw (see
// typed-arrays.js `stabilize`): react diffs data arrays by reference, so an unchanged array costs nothing.
// Everything above the DOM helpers is pure (no window, no document): node --test imports this module.

import { deepMerge, isPlainObject } from "./compose.js";
import { BASE_LAYOUT, Plotly } from "./figure-base.js";
import { FONT, PALETTE } from "./theme.js";
import { stabilize } from "./typed-arrays.js";
import { narrowHeight, narrowSpec, narrowed } from "./narrow.js";

export { FONT, PALETTE };
export { FigureComposer, composeFigure, composeFrame, deepMerge, isTypedArraySpec } from "./compose.js";
export { formatNumber, pretty } from "./figure-base.js";
export { FRAME_TIMELINE, MetricSeries, MetricsView, frameX, timelineOf, xRange } from "./metrics.js";
export { drawPanels } from "./panels.js";
export { decodeTypedArray, stabilize } from "./typed-arrays.js";

/** @typedef {import("./compose.js").Trace} Trace */
/** @typedef {import("./compose.js").Layout} Layout */
/** @typedef {import("./compose.js").Figure} Figure */
/** @typedef {import("./compose.js").ComposedFigure} ComposedFigure */
/** @typedef {import("./typed-arrays.js").DrawnMemo} DrawnMemo */

/** Presenter mode: type this much larger, marks (marker sizes, line widths) this much larger. */
export const LARGE_TYPE = 1.45;
export const LARGE_MARKS = 1.5;
/** Plotly's default marker size and line width, enlarged when a trace sets none. */
const DEFAULT_MARKER = 6;
const DEFAULT_LINE = 2;

/** @type {Layout} */
const LARGE_BASE = deepMerge(BASE_LAYOUT, {
  font: { size: Math.round(14 * LARGE_TYPE) }, hoverlabel: { font: { size: Math.round(14 * LARGE_TYPE) } },
  margin: { l: 72, r: 28, t: 28, b: 64 },
});

/**
 * @param {unknown} v  a number or a plain array of numbers (typed-array specs are left as they are)
 * @param {number} k
 * @returns {unknown}
 */
const scaled = (v, k) => (typeof v === "number" ? v * k
  : Array.isArray(v) && v.every((x) => typeof x === "number") ? v.map((x) => x * k) : v);

/**
 * Every `font.size` in a layout (axis titles, tick labels, legend, annotations), scaled; a fresh copy.
 * @param {any} node
 * @param {number} k
 * @returns {any}
 */
function scaleFonts(node, k) {
  if (Array.isArray(node)) return node.map((v) => scaleFonts(v, k));
  if (!isPlainObject(node)) return node;
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === "font" || key === "tickfont" || key === "textfont") && isPlainObject(value) && typeof value.size === "number") {
      out[key] = { ...scaleFonts(value, k), size: value.size * k };
    } else out[key] = scaleFonts(value, k);
  }
  return out;
}

/**
 * The figure as a projector needs it: every font, marker and line larger (LARGE_TYPE, LARGE_MARKS). Traces
 * that set no marker size or line width get Plotly's default enlarged. Pure; the input is not mutated.
 * @param {Figure} figure
 * @returns {Figure}
 */
export function enlargeFigure(figure) {
  const data = (figure.data ?? []).map((trace) => {
    if (!trace) return trace;
    const t = scaleFonts(trace, LARGE_TYPE);
    const type = t.type ?? "scatter";
    if (type === "scatter" || type === "scattergl" || type === "scatter3d") {
      const mode = String(t.mode ?? "markers");
      if (mode.includes("markers")) t.marker = { ...t.marker, size: scaled(t.marker?.size ?? DEFAULT_MARKER, LARGE_MARKS) };
      if (mode.includes("lines")) t.line = { ...t.line, width: scaled(t.line?.width ?? DEFAULT_LINE, LARGE_MARKS) };
    }
    if (isPlainObject(t.marker?.line) && typeof t.marker.line.width === "number") {
      t.marker = { ...t.marker, line: { ...t.marker.line, width: t.marker.line.width * LARGE_MARKS } };
    }
    return t;
  });
  const layout = scaleFonts(figure.layout ?? {}, LARGE_TYPE);
  // Larger tick labels need room: let every axis push its title and the margins out instead of overlapping.
  for (const key of Object.keys(layout)) {
    if (/^[xy]axis\d*$/.test(key) && isPlainObject(layout[key])) layout[key] = { ...layout[key], automargin: true };
  }
  return { data, layout };
}

/** @type {PlotlyConfig} */
export const PLOT_CONFIG = {
  responsive: true,
  displaylogo: false,
  scrollZoom: false,
  modeBarButtonsToRemove: ["lasso2d", "select2d", "toImage"],
};

/**
 * @typedef {Object} DrawOptions
 * @property {string} [uirevision]  zoom and legend state are kept while this stays the same
 * @property {object[]} [extra]  traces appended after the figure's (e.g. placed points, the kNN inspector's)
 * @property {boolean | string} [dragmode]
 * @property {boolean | string} [hovermode]
 * @property {boolean} [large]  presenter mode: type and marks enlarged (see enlargeFigure)
 */

/**
 * What drawMain gives Plotly for `figure` (before `stabilize`): its traces plus `extra`, its layout over
 * the page's base layout, sized by the page (and enlarged for a projector when `large`).
 * @param {Figure} figure
 * @param {DrawOptions} [opts]
 * @returns {ComposedFigure}
 */
export function mainFigure(figure, { uirevision = "main", extra = [], dragmode, hovermode, large = false } = {}) {
  if (large) figure = enlargeFigure(figure);
  const layout = deepMerge(large ? LARGE_BASE : BASE_LAYOUT, figure.layout ?? {});
  delete layout.width;
  delete layout.height;
  layout.autosize = true;
  layout.uirevision = uirevision;
  if (dragmode !== undefined) layout.dragmode = dragmode;
  if (hovermode !== undefined) layout.hovermode = hovermode;
  return { data: /** @type {Trace[]} */ ([...(figure.data ?? []), ...extra]), layout };
}

/**
 * How the page shows every main figure: `large` (presenter mode: enlargeFigure), `touch` (a finger: no
 * drag-to-zoom, so a swipe on the figure steps frames; a figure that sets its own dragmode keeps it).
 * @type {{large: boolean, touch: boolean}}
 */
const display = { large: false, touch: false };

/** @param {{large?: boolean, touch?: boolean}} next */
export function setDisplay(next) { Object.assign(display, next); }

/** @returns {{large: boolean, touch: boolean}} */
export const getDisplay = () => ({ ...display });

/** @type {WeakMap<HTMLElement, {figure: ComposedFigure, memo: DrawnMemo}>} per plot: its last draw, before stabilize */
const lastDrawn = new WeakMap();

/** @type {WeakMap<HTMLElement, {figure: Figure, opts: DrawOptions, narrow: boolean}>} per plot: what drawMain was given */
const sources = new WeakMap();
/** @type {WeakSet<HTMLElement>} plots whose width is watched for their narrow layout */
const watched = new WeakSet();

/**
 * Whether `figure` takes its narrow layout (narrow.js) at `gd`'s width.
 * @param {HTMLElement} gd
 * @param {Figure} figure
 */
function isNarrow(gd, figure) {
  const spec = narrowSpec(figure);
  return Boolean(spec && gd.clientWidth > 0 && gd.clientWidth < spec.width);
}

/**
 * Draw (or redraw) the main figure. `extra` traces (e.g. manual init points) are appended.
 * The config goes with the first draw only: given again, react rebuilds and compares the whole plot
 * context every time (several ms a frame), for a config that never changes.
 * @param {PlotlyGraphDiv} gd
 * @param {Figure} figure
 * @param {DrawOptions} [opts]
 * @returns {Promise<PlotlyGraphDiv>}
 */
export function drawMain(gd, figure, opts = {}) {
  sources.set(gd, { figure, opts, narrow: isNarrow(gd, figure) });
  if (narrowSpec(figure) && !watched.has(gd)) {
    watched.add(gd); // a phone turned sideways: the narrow layout comes or goes with the width
    window.addEventListener("resize", () => {
      const source = sources.get(gd);
      if (source && isNarrow(gd, source.figure) !== source.narrow) void drawMain(gd, source.figure, source.opts);
    });
  }
  const wrap = /** @type {HTMLElement | null} */ (gd.closest(".plot-wrap"));
  const height = narrowHeight(figure, gd.clientWidth);
  if (wrap && wrap.style.height !== height) wrap.style.height = height; // before the draw: plotly sizes to it
  figure = narrowed(figure, gd.clientWidth);
  const touchDrag = display.touch && figure.layout?.dragmode === undefined ? false : undefined;
  const dragmode = opts.dragmode !== undefined ? opts.dragmode : touchDrag;
  const next = mainFigure(figure, { large: display.large, ...opts, dragmode });
  const prev = gd._fullLayout ? lastDrawn.get(gd) : undefined; // not drawn (or purged): start afresh
  const memo = prev?.memo ?? new WeakMap();
  const out = stabilize(next, prev?.figure, memo);
  lastDrawn.set(gd, { figure: next, memo });
  if (prev) return Plotly().react(gd, out.data, out.layout);
  // A finger has no use for the mode bar (zoom boxes, pan): it only covers the legend on a small screen.
  return Plotly().react(gd, out.data, out.layout, display.touch ? { ...PLOT_CONFIG, displayModeBar: false } : PLOT_CONFIG);
}

/** @param {HTMLElement | null | undefined} gd */
export function purge(gd) {
  if (window.Plotly && gd) {
    window.Plotly.purge(gd);
    lastDrawn.delete(gd);
  }
}

/**
 * Fit the plot to its box again; a figure with a narrow layout that the new width crosses into or out of is
 * drawn again with it.
 * @param {PlotlyGraphDiv & {data?: unknown}} gd
 */
export function resize(gd) {
  if (!window.Plotly || !gd || !gd.data) return;
  const source = sources.get(gd);
  if (source && isNarrow(gd, source.figure) !== source.narrow) {
    void drawMain(gd, source.figure, source.opts);
    return;
  }
  window.Plotly.Plots.resize(gd);
}

/**
 * Data coordinates of a mouse event over the main cartesian axes, or null outside them.
 * @param {PlotlyGraphDiv} gd
 * @param {{clientX: number, clientY: number}} event
 * @returns {[number, number] | null}
 */
export function eventToData(gd, event) {
  const full = gd._fullLayout;
  const xa = full?.xaxis;
  const ya = full?.yaxis;
  const drag = gd.querySelector(".nsewdrag") || gd.querySelector(".draglayer");
  if (!xa || !ya || !drag) return null;
  const rect = drag.getBoundingClientRect();
  const px = event.clientX - rect.left;
  const py = event.clientY - rect.top;
  if (px < 0 || py < 0 || px > rect.width || py > rect.height) return null;
  const x = xa.p2d(px);
  const y = ya.p2d(py);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  return [x, y];
}
