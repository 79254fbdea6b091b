// @ts-check
// drawn-points.js: the points a learner draws on the main plot, and the figure they are drawn on. Pure (no DOM),
// so node --test checks it; draw-layer.js puts it on the plot and data-editor.js builds the panel around it.
//
// While drawing, the plot keeps FIXED axes (the extent the plot had when drawing began) and shows the drawn
// points the instant they are placed, in their class's colour and shape, whatever the run is doing. The figure
// under them is one of three (stageMode):
//   "live"  — the run on show is of exactly the drawn points: its figure, on the fixed axes;
//   "dim"   — it is of an earlier version of them (a run for the new ones is pending): its figure faded;
//   "clear" — it is of other data (the generator the page opened with) or there is none: empty axes.

/** @typedef {{x: [number, number], y: [number, number]}} Extent  the fixed data ranges of the main axes */
/** @typedef {{X: number[][], y: number[]}} Points */
/** @typedef {"live" | "dim" | "clear"} StageMode */
/** @typedef {{data?: Record<string, any>[], layout?: Record<string, any>}} Figure */

/** Plotly's symbol for each of dataset-thumbs.js's class shapes (the same shape in a thumbnail and on the plot). */
export const PLOTLY_SYMBOL = Object.freeze({ circle: "circle", square: "square", diamond: "diamond", triangle: "triangle-up", cross: "x" });
/** The marker of class c: CLASS_SYMBOLS[c % length]; the order of contract 4 (circle, square, diamond, ...). */
export const CLASS_SYMBOLS = Object.freeze(["circle", "square", "diamond", "triangle-up", "x"]);
/** Marks a trace as the drawn points (tests and the layer find them by it). */
export const DRAWN_META = "drawn";
/** How far (screen pixels) from a point a remove-click may land and still take it. */
export const REMOVE_RADIUS_PX = 30;
/** The opacity of a run's figure while a run for newer points is pending. */
export const DIM_OPACITY = 0.25;
const HISTORY = 200;

/** @param {number[][]} X @returns {number[][]} */
const copyRows = (X) => X.map((r) => r.slice());

/** The learner's points with an undo history (each edit first saves the points as they were). */
export class DrawnPoints {
  /** @param {number} [max] the most points the canvas takes */
  constructor(max = 5000) {
    this.max = max;
    /** @type {number[][]} */
    this.X = [];
    /** @type {number[]} */
    this.y = [];
    /** @type {Points[]} */
    this.history = [];
  }

  get length() { return this.X.length; }

  /** @returns {Points} a copy */
  data() { return { X: copyRows(this.X), y: this.y.slice() }; }

  save() {
    this.history.push(this.data());
    if (this.history.length > HISTORY) this.history.shift();
  }

  /**
   * Add a point of class `cls`; false when the canvas is full.
   * @param {number[]} point @param {number} cls
   */
  add(point, cls) {
    if (this.X.length >= this.max) return false;
    this.save();
    this.X.push([point[0], point[1]]);
    this.y.push(cls);
    return true;
  }

  /**
   * Remove the point nearest `point` if it lies within `radius` (in the units `scale` turns data into, e.g.
   * pixels per data unit of each axis); returns its index, or -1 (nothing removed).
   * @param {number[]} point @param {[number, number]} scale @param {number} [radius]
   */
  removeNear(point, scale, radius = REMOVE_RADIUS_PX) {
    const i = nearest(this.X, point, scale);
    if (i < 0) return -1;
    const d = Math.hypot((this.X[i][0] - point[0]) * scale[0], (this.X[i][1] - point[1]) * scale[1]);
    if (d > radius) return -1;
    this.save();
    this.X.splice(i, 1);
    this.y.splice(i, 1);
    return i;
  }

  /** Remove every point (undoable); false when there was none. */
  clear() {
    if (!this.X.length) return false;
    this.save();
    this.X = [];
    this.y = [];
    return true;
  }

  /** Replace the points (undoable), e.g. with the current dataset's. @param {Points} data */
  replace(data) {
    this.save();
    this.set(data);
  }

  /** Replace the points without an undo step (the decoded form after a commit, a fresh start). @param {Points} data */
  set(data) {
    this.X = copyRows(data.X).slice(0, this.max);
    this.y = data.y.slice(0, this.X.length);
  }

  /** Back to before the last edit; false when there is nothing to undo. */
  undo() {
    const last = this.history.pop();
    if (!last) return false;
    this.set(last);
    return true;
  }
}

/**
 * Index of the row of X nearest `point` (distances scaled per axis), -1 for no rows.
 * @param {number[][]} X @param {number[]} point @param {[number, number]} scale
 */
export function nearest(X, point, scale) {
  let best = -1;
  let bestD = Infinity;
  X.forEach(([x, y], i) => {
    const d = ((x - point[0]) * scale[0]) ** 2 + ((y - point[1]) * scale[1]) ** 2;
    if (d < bestD) { bestD = d; best = i; }
  });
  return best;
}

/**
 * A new point rounded to ~1/1000 of the visible span, as a power of ten (so a share link holds it exactly).
 * @param {number[]} point @param {Extent} extent
 * @returns {[number, number]}
 */
export function roundPoint(point, extent) {
  const span = Math.max(Math.abs(extent.x[1] - extent.x[0]), Math.abs(extent.y[1] - extent.y[0])) || 1;
  const s = Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(span))));
  const f = 10 ** s;
  return [Math.round(point[0] * f) / f, Math.round(point[1] * f) / f];
}

/**
 * The main axes' ranges of a drawn Plotly layout (`gd._fullLayout`), or null when there are none yet.
 * @param {any} fullLayout
 * @returns {Extent | null}
 */
export function extentOf(fullLayout) {
  const x = fullLayout?.xaxis?.range;
  const y = fullLayout?.yaxis?.range;
  const ok = (/** @type {unknown} */ r) => Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === "number" && Number.isFinite(v)) && r[0] !== r[1];
  return ok(x) && ok(y) && fullLayout.xaxis.type !== "category" ? { x: [x[0], x[1]], y: [y[0], y[1]] } : null;
}

/**
 * The margins Plotly actually drew with (`_size`: the layout's margins plus what legends and titles pushed),
 * fixed (no autoexpand): while drawing, the axes keep their place on screen as well as their ranges, whatever
 * the legend does. Null before the plot is drawn.
 * @param {any} fullLayout
 * @returns {{l: number, r: number, t: number, b: number, autoexpand: false} | null}
 */
export function marginsOf(fullLayout) {
  const s = fullLayout?._size;
  if (!s || ![s.l, s.r, s.t, s.b].every((v) => typeof v === "number" && Number.isFinite(v))) return null;
  return { l: s.l, r: s.r, t: s.t, b: s.b, autoexpand: false };
}

/** A square around the origin, for a plot with no axes to take the extent from. @type {Extent} */
export const DEFAULT_EXTENT = Object.freeze({ x: /** @type {[number, number]} */ ([-3, 3]), y: /** @type {[number, number]} */ ([-3, 3]) });

/**
 * The drawn points as Plotly traces: one per class that has points, in that class's colour and shape, named
 * for the legend. `outline`: rings around the points instead of filled marks (over a run of these very points,
 * whose own marks — training / test / misclassified — must stay readable underneath).
 * @param {Points} points
 * `legend`: list them in the legend (on an empty canvas; over a run, the run's own legend is kept as it was,
 * so that it does not grow over the fixed top margin).
 * @param {{colours: readonly string[], symbols?: readonly string[], outline?: boolean, legend?: boolean}} style
 * @returns {Record<string, any>[]}
 */
export function drawnTraces({ X, y }, { colours, symbols = CLASS_SYMBOLS, outline = false, legend = true }) {
  /** @type {Map<number, number[]>} class → row indices */
  const byClass = new Map();
  y.forEach((c, i) => { const rows = byClass.get(c) ?? []; rows.push(i); byClass.set(c, rows); });
  return [...byClass.keys()].sort((a, b) => a - b).map((c) => {
    const rows = /** @type {number[]} */ (byClass.get(c));
    return {
      type: "scatter", mode: "markers", name: `your class ${c}`, meta: DRAWN_META, uid: `drawn-${c}`,
      x: rows.map((i) => X[i][0]), y: rows.map((i) => X[i][1]),
      hoverinfo: "skip", showlegend: legend, cliponaxis: true,
      marker: outline
        ? { symbol: `${symbols[c % symbols.length]}-open`, size: 16, color: colours[c % colours.length] || undefined, line: { width: 2 } }
        : { symbol: symbols[c % symbols.length], size: 12, color: colours[c % colours.length] || undefined, line: { width: 1.5, color: "#ffffff" } },
    };
  });
}

/** @param {unknown} dataset @returns {string} */
export const dataKey = (dataset) => JSON.stringify(dataset ?? null);

/**
 * Which figure goes under the drawn points (see the header).
 * @param {{runData: unknown, drawn: Points, drawnBefore: Set<string>, hasFigure: boolean}} s  runData: the
 *   `dataset` param of the run on show; drawnBefore: the dataKey of every version of the points (as asPoints
 *   reads them) sent to a run
 * @returns {StageMode}
 */
export function stageMode({ runData, drawn, drawnBefore, hasFigure }) {
  const inline = asPoints(runData);
  if (!hasFigure || !inline) return "clear";
  const key = dataKey(inline);
  if (key === dataKey(drawn)) return "live";
  return drawnBefore.has(key) ? "dim" : "clear";
}

/**
 * The figure to draw while drawing: `base` (the run's, or null) as `mode` says, on the fixed `extent`.
 * `axes` is the main axes' layout to use when there is no base (titles, domain) — the one drawing began on;
 * `margin` (marginsOf) keeps the plot area where it was.
 * @param {Figure | null} base @param {StageMode} mode @param {Extent} extent @param {Record<string, any>} [axes]
 * @param {Record<string, any> | null} [margin]
 * @returns {Figure}
 */
export function stageFigure(base, mode, extent, axes = {}, margin = null) {
  const layout = { ...(base?.layout ?? {}) };
  // fixedrange: no zoom, pan or double-click reset while drawing (two quick clicks are two points, not a reset).
  const fixed = (/** @type {any} */ axis, /** @type {[number, number]} */ range) => ({ ...(axis ?? {}), range: range.slice(), autorange: false, fixedrange: true });
  let data = base?.data ?? [];
  if (mode === "dim") data = data.map((t) => ({ ...t, opacity: (typeof t.opacity === "number" ? t.opacity : 1) * DIM_OPACITY }));
  if (mode === "clear" || !base) {
    data = [];
    // Only the main axes stay: the run's other panels (a confusion matrix, ...) are not of these points.
    for (const key of Object.keys(layout)) if (/^[xy]axis\d+$/.test(key)) delete layout[key];
    for (const key of ["annotations", "shapes", "images", "title"]) delete layout[key];
    layout.xaxis = layout.xaxis ?? axes.xaxis;
    layout.yaxis = layout.yaxis ?? axes.yaxis;
    layout.showlegend = true;
  }
  layout.xaxis = fixed(layout.xaxis, extent.x);
  layout.yaxis = fixed(layout.yaxis, extent.y);
  if (margin) layout.margin = { ...margin };
  return { data, layout };
}

/**
 * The main axes' layout worth keeping for an empty canvas: title, domain, aspect (not ranges, not ticks).
 * @param {Figure | null | undefined} figure
 * @returns {Record<string, any>}
 */
export function mainAxes(figure) {
  const keep = ["title", "domain", "scaleanchor", "scaleratio", "constrain", "zeroline", "gridcolor", "zerolinecolor", "linecolor"];
  /** @param {any} axis */
  const pick = (axis) => Object.fromEntries(keep.filter((k) => axis && k in axis).map((k) => [k, axis[k]]));
  return { xaxis: pick(figure?.layout?.xaxis), yaxis: pick(figure?.layout?.yaxis) };
}

/**
 * The inline data of a `dataset` param as drawn points (labels 0 when it has none), or null for a named dataset.
 * @param {unknown} dataset
 * @returns {Points | null}
 */
export function asPoints(dataset) {
  if (dataset === null || typeof dataset !== "object" || !("X" in dataset) || !Array.isArray(dataset.X)) return null;
  const rows = /** @type {unknown[]} */ (dataset.X).filter((r) => Array.isArray(r) && r.length >= 2);
  const X = /** @type {unknown[][]} */ (rows).map((r) => [Number(r[0]), Number(r[1])]);
  const labels = "y" in dataset && Array.isArray(dataset.y) ? dataset.y : [];
  return { X, y: X.map((_, i) => (Number.isInteger(labels[i]) && labels[i] >= 0 ? Number(labels[i]) : 0)) };
}

/**
 * An SVG path of a class marker (the swatch of the class picker shows the same shape as the plot).
 * @param {string} symbol  one of CLASS_SYMBOLS
 * @param {number} c  centre (x = y = c)
 * @param {number} r  radius
 */
export function symbolPath(symbol, c, r) {
  const f = (/** @type {number} */ v) => String(Math.round(v * 100) / 100);
  switch (symbol) {
    case "square": return `M${f(c - r * 0.85)} ${f(c - r * 0.85)}h${f(r * 1.7)}v${f(r * 1.7)}h${f(-r * 1.7)}z`;
    case "diamond": return `M${f(c)} ${f(c - r * 1.15)}L${f(c + r * 1.15)} ${f(c)}L${f(c)} ${f(c + r * 1.15)}L${f(c - r * 1.15)} ${f(c)}z`;
    case "triangle-up": return `M${f(c)} ${f(c - r * 1.15)}L${f(c + r * 1.1)} ${f(c + r * 0.8)}L${f(c - r * 1.1)} ${f(c + r * 0.8)}z`;
    case "x": {
      const w = r * 0.35; // a filled X, as Plotly draws it
      return `M${f(c - r)} ${f(c - r + w)}L${f(c - r + w)} ${f(c - r)}L${f(c)} ${f(c - w)}L${f(c + r - w)} ${f(c - r)}L${f(c + r)} ${f(c - r + w)}`
        + `L${f(c + w)} ${f(c)}L${f(c + r)} ${f(c + r - w)}L${f(c + r - w)} ${f(c + r)}L${f(c)} ${f(c + w)}L${f(c - r + w)} ${f(c + r)}`
        + `L${f(c - r)} ${f(c + r - w)}L${f(c - w)} ${f(c)}z`;
    }
    default: return `M${f(c - r)} ${f(c)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0z`;
  }
}
