// @ts-check
// plot.js: compose scene + frame figures and draw them with Plotly (uirevision keeps zoom).
//
// Playback draws one frame per animation frame, so the work per frame must not grow with the run:
// * FigureComposer composes frame i in time proportional to frame i's own patch (plus the length of any
//   `x-extend`ed array), not to i: it keeps every trace's extensions concatenated once, with each frame's
//   end offset, and slices (composeFigure is the plain reference it must equal).
// * drawMain hands Plotly.react the same array references for whatever did not change since the last draw
//   (see `stabilize`): react diffs data arrays by reference, so an unchanged array costs nothing and a frame
//   that only recolours points takes plotly's style-only path instead of a full replot. Typed-array specs
//   are decoded once (plotly would decode every spec of every trace on every react).
// * MetricsView redraws a metric's chart only when its series grew; the current-frame marker and line are
//   two positioned elements over the chart, moved without Plotly.
// Everything above the DOM helpers is pure (no window, no document): node --test imports this module.

import { FONT, GRID, INK, MUTED, PALETTE, PAPER } from "./theme.js";

export { FONT, PALETTE };

/** @typedef {Record<string, any>} Trace  one Plotly trace (open JSON) */
/** @typedef {Record<string, any>} Layout  a Plotly layout (open JSON) */
/** @typedef {{data?: (Trace | null | undefined)[], layout?: Layout}} Figure  a figure or a frame's partial figure */
/** @typedef {{data: Trace[], layout: Layout}} ComposedFigure  what composeFigure returns */
/** @typedef {{dtype: string, bdata: string, shape?: string | number}} TypedArraySpec */
/** @typedef {{figure?: Figure | null} & Record<string, any>} FrameLike  a streamed frame (only its figure is read) */

/** @returns {PlotlyStatic} */
const Plotly = () => {
  if (!window.Plotly) throw new Error("plotly.js did not load (/static/vendor/plotly.min.js).");
  return window.Plotly;
};

/**
 * @param {unknown} v
 * @returns {v is Record<string, any>}
 */
const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v)
  && !ArrayBuffer.isView(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Plotly typed-array spec `{dtype, bdata}` (plotly.js decodes it natively): a leaf, never merged.
 * @param {unknown} v
 * @returns {v is TypedArraySpec}
 */
export const isTypedArraySpec = (v) => isPlainObject(v) && typeof v.bdata === "string" && "dtype" in v;

/**
 * Merge `patch` onto `base` without mutating either. Plain objects merge key by key; arrays, typed
 * arrays, typed-array specs and scalars in `patch` replace what is in `base`.
 * @param {any} base
 * @param {any} patch
 * @returns {any}
 */
export function deepMerge(base, patch) {
  if (patch === undefined) return base;
  if (!isPlainObject(patch) || isTypedArraySpec(patch)) return patch;
  if (!isPlainObject(base) || isTypedArraySpec(base)) return patch;
  /** @type {Record<string, any>} */
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = deepMerge(base[key], value);
  return out;
}

const EXTEND = "x-extend";

/**
 * A partial trace may carry `"x-extend": {x: [...], y: [...]}`: the points that frame adds to a growing
 * trace (a path, a loss curve), so no frame resends the whole of it. Returns, per scene trace, the
 * concatenated extensions of `figures` (frames 0..i, in order), or null where there are none.
 * @param {number} count
 * @param {(Figure | null | undefined)[]} figures
 * @returns {(Record<string, any[]> | null)[]}
 */
function extensions(count, figures) {
  /** @type {(Record<string, any[]> | null)[]} */
  const out = new Array(count).fill(null);
  for (const fig of figures) {
    (fig?.data ?? []).forEach((t, j) => {
      const ext = t?.[EXTEND];
      if (!ext || j >= count) return;
      const acc = (out[j] ??= {});
      for (const [key, values] of Object.entries(ext)) for (const v of values) (acc[key] ??= []).push(v);
    });
  }
  return out;
}

/**
 * The figure for one frame: scene traces merged with the frame's partial traces, extras appended.
 * `history`: the figures of the frames before this one (their `x-extend` points are kept).
 * The reference definition: the player composes with FigureComposer, which must give the same figure.
 * @param {Figure | null | undefined} scene
 * @param {Figure | null | undefined} frameFigure
 * @param {(Figure | null | undefined)[]} [history]
 * @returns {ComposedFigure}
 */
export function composeFigure(scene, frameFigure, history = []) {
  const sceneData = scene?.data ?? [];
  const patchData = frameFigure?.data ?? [];
  const ext = extensions(sceneData.length, [...history, frameFigure]);
  const data = sceneData.map((trace, j) => {
    const { [EXTEND]: _added, ...patch } = patchData[j] ?? {};
    let base = trace;
    const e = ext[j];
    if (e) {
      base = { ...trace };
      for (const [key, values] of Object.entries(e)) {
        base[key] = [...(Array.isArray(trace?.[key]) ? trace?.[key] : []), ...values];
      }
    }
    return deepMerge(base, patch);
  });
  for (let j = sceneData.length; j < patchData.length; j += 1) data.push(/** @type {Trace} */ (patchData[j]));
  const layout = deepMerge(scene?.layout ?? {}, frameFigure?.layout ?? {});
  return { data, layout };
}

/**
 * One growing attribute of one scene trace: every frame's `x-extend` values for it, concatenated in frame
 * order, and after each frame how many of them there are.
 * @typedef {{values: any[], ends: number[]}} Growth
 */

/**
 * Composes any frame of one run in time independent of its index (composeFigure replays every earlier
 * frame's extensions; this keeps them concatenated, with per-frame end offsets, and slices).
 * Frames are added in stream order with `add`; `compose(i)` deep-equals
 * `composeFigure(scene, figures[i], figures.slice(0, i))` for any i, in any order (forward, back, jumps).
 */
export class FigureComposer {
  /** @param {Figure | null | undefined} scene */
  constructor(scene) {
    this.scene = scene;
    /** @type {(Trace | null | undefined)[]} */
    this.sceneData = scene?.data ?? [];
    /** @type {(Figure | null | undefined)[]} the frames' figures, as added */
    this.figures = [];
    /** @type {(Map<string, Growth> | null)[]} per scene trace: its growing attributes (null: none yet) */
    this.growth = this.sceneData.map(() => null);
    /** @type {Growth[]} every Growth, to record each frame's end offsets */
    this.all = [];
  }

  get length() { return this.figures.length; }

  /**
   * Append the next frame's figure (frames arrive in order).
   * @param {Figure | null | undefined} figure
   */
  add(figure) {
    const i = this.figures.length;
    this.figures.push(figure);
    (figure?.data ?? []).forEach((t, j) => {
      const ext = t?.[EXTEND];
      if (!ext || j >= this.sceneData.length) return;
      const traceGrowth = (this.growth[j] ??= new Map());
      for (const [key, values] of Object.entries(ext)) {
        let g = traceGrowth.get(key);
        if (!g) {
          g = { values: [], ends: new Array(i).fill(0) }; // nothing before the frame that first extends it
          traceGrowth.set(key, g);
          this.all.push(g);
        }
        for (const v of values) g.values.push(v);
      }
    });
    for (const g of this.all) g.ends.push(g.values.length);
  }

  /**
   * The composed figure of frame `i` (0 ≤ i < length).
   * @param {number} i
   * @returns {ComposedFigure}
   */
  compose(i) {
    if (!(i >= 0 && i < this.figures.length)) throw new RangeError(`no frame ${i} (have ${this.figures.length})`);
    const figure = this.figures[i];
    const patchData = figure?.data ?? [];
    const data = this.sceneData.map((trace, j) => {
      const { [EXTEND]: _added, ...patch } = patchData[j] ?? {};
      const grown = this.growth[j];
      if (!grown) return deepMerge(trace, patch);
      /** @type {Trace | null} */
      let base = null;
      for (const [key, g] of grown) {
        const end = g.ends[i];
        if (!end) continue;
        base ??= { ...trace };
        const head = Array.isArray(trace?.[key]) ? trace?.[key] : [];
        base[key] = head.concat(g.values.slice(0, end));
      }
      return deepMerge(base ?? trace, patch);
    });
    for (let j = this.sceneData.length; j < patchData.length; j += 1) data.push(/** @type {Trace} */ (patchData[j]));
    const layout = deepMerge(this.scene?.layout ?? {}, figure?.layout ?? {});
    return { data, layout };
  }
}

/** @type {WeakMap<object, FigureComposer>} one composer per scene (a new run brings a new scene object) */
const composers = new WeakMap();

/**
 * The composed figure of `frames[index]` of the run whose scene is `scene`, composed incrementally: frames
 * are taken into the scene's composer as they appear in the buffer (a buffer that no longer matches, e.g.
 * a new run with the same scene object, starts a new composer).
 * @param {Figure} scene
 * @param {FrameLike[]} frames
 * @param {number} index
 * @returns {ComposedFigure}
 */
export function composeFrame(scene, frames, index) {
  let c = composers.get(scene);
  const last = c ? c.length - 1 : -1;
  if (!c || c.length > frames.length || (last >= 0 && c.figures[last] !== frames[last]?.figure)) {
    c = new FigureComposer(scene);
    composers.set(scene, c);
  }
  for (let k = c.length; k < frames.length; k += 1) c.add(frames[k]?.figure);
  return c.compose(index);
}

/** @type {Record<string, new (buffer: ArrayBuffer, offset?: number, length?: number) => ArrayLike<number>>} */
const ARRAY_TYPES = {
  i1: Int8Array, u1c: Uint8ClampedArray, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
  i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array,
  int8: Int8Array, uint8c: Uint8ClampedArray, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, float32: Float32Array, float64: Float64Array,
};

/**
 * @param {string} b64
 * @returns {ArrayBuffer}
 */
function base64Bytes(b64) {
  const U8 = /** @type {any} */ (Uint8Array);
  if (typeof U8.fromBase64 === "function") return U8.fromBase64(b64).buffer;
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 1) bytes[i] = s.charCodeAt(i);
  return bytes.buffer;
}

/**
 * Decode a typed-array spec into what plotly.js itself makes of it (its `decodeTypedArraySpec`): a typed
 * array, or for a `shape` of "rows,cols" an array of row views (and of those for 3 dimensions).
 * @param {TypedArraySpec} spec
 * @returns {ArrayLike<number> | ArrayLike<number>[] | ArrayLike<number>[][]}
 */
export function decodeTypedArray(spec) {
  const Ctor = ARRAY_TYPES[spec.dtype];
  if (!Ctor) throw new Error(`unknown dtype "${spec.dtype}"`);
  const buffer = base64Bytes(spec.bdata);
  const size = /** @type {any} */ (Ctor).BYTES_PER_ELEMENT;
  const dims = spec.shape === undefined ? [buffer.byteLength / size] : String(spec.shape).split(",").map(Number);
  if (dims.length === 1) return new Ctor(buffer);
  const cols = dims[dims.length - 1];
  const step = size * cols;
  let offset = 0;
  if (dims.length === 2) {
    /** @type {ArrayLike<number>[]} */
    const rows = [];
    for (let r = 0; r < dims[0]; r += 1) { rows.push(new Ctor(buffer, offset, cols)); offset += step; }
    return rows;
  }
  if (dims.length === 3) {
    /** @type {ArrayLike<number>[][]} */
    const planes = [];
    for (let p = 0; p < dims[0]; p += 1) {
      /** @type {ArrayLike<number>[]} */
      const rows = [];
      for (let r = 0; r < dims[1]; r += 1) { rows.push(new Ctor(buffer, offset, cols)); offset += step; }
      planes.push(rows);
    }
    return planes;
  }
  throw new Error(`typed array of ${dims.length} dimensions is not supported`);
}

/**
 * @param {TypedArraySpec} a
 * @param {TypedArraySpec} b
 */
const sameSpec = (a, b) => a.dtype === b.dtype && String(a.shape ?? "") === String(b.shape ?? "") && a.bdata === b.bdata;

/** @type {WeakMap<object, unknown>} a spec → its decoded array (decoding is pure: shared by every plot) */
const decoded = new WeakMap();

/**
 * What was handed to Plotly for each array, spec or object of a composed figure (one memo per plot: an
 * object drawn into one plot is never handed to another).
 * @typedef {WeakMap<object, unknown>} DrawnMemo
 */

/** @type {DrawnMemo} */
const sharedMemo = new WeakMap();

/**
 * `next` (a composed figure, or part of one) as it should go to Plotly.react after `prev` (the composed
 * figure of the previous draw): typed-array specs decoded (once per spec), and every array, spec or object
 * equal to its counterpart in `prev` replaced by what was drawn for that counterpart, so react sees the same
 * reference and skips it. A changed object is a fresh copy; an unchanged one is the very object drawn last
 * time, as a page that keeps its figure would pass it, with whatever plotly wrote into it (a contour's
 * computed levels: a copy without them, drawn without a recalc, has none and plotly throws).
 * The composed inputs are never mutated.
 * @param {unknown} next
 * @param {unknown} prev
 * @param {DrawnMemo} [memo]  what was drawn for what (drawMain keeps one per plot)
 * @returns {any}
 */
export function stabilize(next, prev, memo = sharedMemo) {
  /** @param {unknown} v @returns {unknown} what was drawn for `v` (a scalar: itself; unknown: undefined) */
  const drawnOf = (v) => (v !== null && typeof v === "object" ? memo.get(v) : v);

  /** @param {unknown} nx @param {unknown} pv @returns {any} */
  const walk = (nx, pv) => {
    if (nx === null || typeof nx !== "object") return nx;
    if (isTypedArraySpec(nx)) {
      if (isTypedArraySpec(pv) && (pv === nx || sameSpec(pv, nx)) && memo.has(pv)) {
        const out = memo.get(pv);
        memo.set(nx, out);
        return out;
      }
      let out = memo.get(nx) ?? decoded.get(nx);
      if (out === undefined) { out = decodeTypedArray(nx); decoded.set(nx, out); }
      memo.set(nx, out);
      return out;
    }
    if (Array.isArray(nx)) {
      const p = Array.isArray(pv) && pv.length === nx.length ? pv : null;
      let same = p !== null;
      let changed = false;
      const out = new Array(nx.length);
      for (let i = 0; i < nx.length; i += 1) {
        const v = nx[i];
        const o = v !== null && typeof v === "object" ? walk(v, p?.[i]) : v;
        out[i] = o;
        if (o !== v) changed = true;
        if (same && o !== drawnOf(/** @type {any[]} */ (p)[i])) same = false;
      }
      const prevOut = same ? drawnOf(p) : undefined;
      const result = prevOut !== undefined ? prevOut : changed ? out : nx;
      memo.set(nx, result);
      return result;
    }
    if (isPlainObject(nx)) {
      const p = isPlainObject(pv) ? pv : null;
      const keys = Object.keys(nx);
      let same = p !== null && Object.keys(p).length === keys.length;
      /** @type {Record<string, any>} */
      const out = {};
      for (const key of keys) {
        const o = walk(nx[key], p?.[key]);
        out[key] = o;
        if (same && (!(key in /** @type {object} */ (p)) || o !== drawnOf(/** @type {any} */ (p)[key]))) same = false;
      }
      const prevOut = same ? drawnOf(p) : undefined;
      const result = prevOut !== undefined ? prevOut : out;
      memo.set(nx, result);
      return result;
    }
    return nx; // a typed array or another object: a leaf
  };
  return walk(next, prev);
}

/** @type {Layout} */
const BASE_LAYOUT = {
  font: { family: FONT, size: 14, color: INK },
  paper_bgcolor: PAPER,
  plot_bgcolor: PAPER,
  colorway: PALETTE,
  margin: { l: 56, r: 24, t: 24, b: 48 },
  hoverlabel: { font: { family: FONT, size: 14 } },
  legend: { bgcolor: "rgba(255,255,255,0.85)" },
};

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
 */

/**
 * What drawMain gives Plotly for `figure` (before `stabilize`): its traces plus `extra`, its layout over
 * the page's base layout, sized by the page.
 * @param {Figure} figure
 * @param {DrawOptions} [opts]
 * @returns {ComposedFigure}
 */
export function mainFigure(figure, { uirevision = "main", extra = [], dragmode, hovermode } = {}) {
  const layout = deepMerge(BASE_LAYOUT, figure.layout ?? {});
  delete layout.width;
  delete layout.height;
  layout.autosize = true;
  layout.uirevision = uirevision;
  if (dragmode !== undefined) layout.dragmode = dragmode;
  if (hovermode !== undefined) layout.hovermode = hovermode;
  return { data: /** @type {Trace[]} */ ([...(figure.data ?? []), ...extra]), layout };
}

/** @type {WeakMap<HTMLElement, {figure: ComposedFigure, memo: DrawnMemo}>} per plot: its last draw, before stabilize */
const lastDrawn = new WeakMap();

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
  const next = mainFigure(figure, opts);
  const prev = gd._fullLayout ? lastDrawn.get(gd) : undefined; // not drawn (or purged): start afresh
  const memo = prev?.memo ?? new WeakMap();
  const out = stabilize(next, prev?.figure, memo);
  lastDrawn.set(gd, { figure: next, memo });
  return prev ? Plotly().react(gd, out.data, out.layout) : Plotly().react(gd, out.data, out.layout, PLOT_CONFIG);
}

/** @param {HTMLElement | null | undefined} gd */
export function purge(gd) {
  if (window.Plotly && gd) {
    window.Plotly.purge(gd);
    lastDrawn.delete(gd);
  }
}

/** @param {HTMLElement & {data?: unknown}} gd */
export function resize(gd) {
  if (window.Plotly && gd && gd.data) window.Plotly.Plots.resize(gd);
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

const ACRONYMS = new Set(["wcss", "sse", "mse", "rmse", "mae", "auc", "r2", "f1", "lr", "bss", "tss"]);
/** @param {string} name */
const pretty = (name) => (ACRONYMS.has(name.toLowerCase()) ? name.toUpperCase()
  : name.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase()));

/**
 * @param {unknown} v
 * @returns {string}
 */
export function formatNumber(v) {
  if (typeof v !== "number" || !Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString("en");
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toLocaleString("en", { maximumFractionDigits: 1 });
  if (abs >= 1) return v.toLocaleString("en", { maximumFractionDigits: 3 });
  return v.toPrecision(3);
}

/**
 * Every metric's series over a run's frames, grown as frames are appended (each frame is read once).
 * Pure: MetricsView draws it.
 */
export class MetricSeries {
  constructor() {
    /** @type {unknown[] | null} the frame buffer read (a new buffer is a new run) */
    this.frames = null;
    this.seen = 0;
    /** @type {string[]} metric names in order of first appearance */
    this.names = [];
    /** @type {Map<string, {x: number[], y: number[]}>} */
    this.series = new Map();
  }

  /**
   * Read the frames appended since the last call; returns true when any series (or the frame count) changed.
   * @param {{index?: number, metrics?: Record<string, unknown> | null}[]} frames
   */
  sync(frames) {
    let changed = false;
    if (frames !== this.frames || frames.length < this.seen) {
      this.frames = frames;
      this.seen = 0;
      this.names = [];
      this.series.clear();
      changed = true;
    }
    for (let i = this.seen; i < frames.length; i += 1) {
      const f = frames[i];
      for (const [name, v] of Object.entries(f?.metrics ?? {})) {
        let s = this.series.get(name);
        if (!s) { s = { x: [], y: [] }; this.series.set(name, s); this.names.push(name); }
        if (typeof v === "number" && Number.isFinite(v)) { s.x.push(Number(f.index ?? i)); s.y.push(v); }
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
 * Small line charts: one per metric over frame index, with a marker at the current frame.
 * A chart is redrawn (Plotly.react) only when its series grew; moving the current frame moves two
 * absolutely positioned elements (the marker and a dotted line), placed with the chart's axes.
 */
export class MetricsView {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    /** @type {Map<string, MetricChart>} */
    this.charts = new Map();
    this.series = new MetricSeries();
  }

  reset() {
    for (const { gd } of this.charts.values()) purge(gd);
    this.charts.clear();
    this.series = new MetricSeries();
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
    label.textContent = pretty(name);
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
   * Show `frames` (the buffered list) with the marker at frame `current`.
   * @param {{index?: number, metrics?: Record<string, unknown> | null}[]} frames
   * @param {number} current
   */
  update(frames, current) {
    const grew = this.series.sync(frames);
    this.series.names.forEach((name, i) => {
      const chart = this.ensure(name, i);
      const s = /** @type {{x: number[], y: number[]}} */ (this.series.series.get(name));
      const cur = frames[current]?.metrics?.[name];
      chart.valueEl.textContent = cur === undefined || cur === null ? "–" : formatNumber(cur);
      chart.at = { x: Number(frames[current]?.index ?? current), y: typeof cur === "number" && Number.isFinite(cur) ? cur : null };
      if (grew || chart.drawnFrames !== frames.length) this.draw(chart, s, frames.length, name);
      this.place(chart);
    });
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
    const layout = {
      font: { family: FONT, size: 13, color: "#4a5563" },
      margin: { l: 44, r: 10, t: 6, b: 26 },
      height: chart.gd.clientHeight || 120,
      showlegend: false,
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: { range: [-0.5, Math.max(count - 0.5, 1.5)], zeroline: false, gridcolor: GRID, tickformat: "d", fixedrange: true },
      yaxis: { zeroline: false, gridcolor: GRID, fixedrange: true, nticks: 4 },
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

/**
 * Draw the result panels (e.g. the elbow plot) into `container`.
 * @param {HTMLElement} container
 * @param {{id: string | number, title?: string, caption?: string, figure?: Figure}[] | null | undefined} panels
 */
export function drawPanels(container, panels) {
  for (const gd of container.querySelectorAll(".panel-plot")) purge(/** @type {HTMLElement} */ (gd));
  container.innerHTML = "";
  for (const panel of panels ?? []) {
    const section = document.createElement("section");
    section.className = "panel result-panel";
    section.dataset.panel = String(panel.id);
    const h = document.createElement("h2");
    h.className = "panel-title";
    h.textContent = panel.title ?? pretty(String(panel.id));
    const gd = document.createElement("div");
    gd.className = "panel-plot";
    gd.id = `panel-${panel.id}`;
    section.append(h, gd);
    if (panel.caption) {  // a panel may explain itself (the SVM kernel panel says what a kernel is)
      const p = document.createElement("p");
      p.className = "panel-caption";
      p.textContent = panel.caption;
      section.append(p);
    }
    container.append(section);
    const fig = panel.figure ?? {};
    const layout = deepMerge(deepMerge(BASE_LAYOUT, { margin: { l: 52, r: 16, t: 12, b: 44 }, font: { size: 12 } }), fig.layout ?? {});
    delete layout.width;
    layout.height = gd.clientHeight || 260;
    layout.autosize = true;
    delete layout.title;
    void Plotly().react(gd, /** @type {Trace[]} */ (fig.data ?? []), layout, { displayModeBar: false, responsive: true });
  }
}
