// @ts-check
// data-editor.js: draw your own 2-D data on any lab with a `dataset` param, or load a CSV (csv-upload.js).
// Click adds a point of the selected class; Shift-click or right-click removes the nearest one. The points
// become the inline dataset {X, y}; the page URL carries them compactly (`data=d1.<base64url>`, ≤ 500 points),
// so a shared link reproduces the run exactly: values are always the decoded form of what the link holds.

import { mountCsvUpload } from "./csv-upload.js";
import { MAX_LINK_POINTS, roundTrip } from "./data-link.js";
import { el } from "./dom.js";
import { PALETTE, eventToData } from "./plot.js";

// The link encoding lives in data-link.js (pure, unit-tested); these names stay importable from here.
export { MAX_LINK_POINTS, compactDataQuery, decodeData, encodeData, expandDataQuery, roundTrip } from "./data-link.js";

const MAX_CLASSES = 10;

/** @typedef {import("./data-link.js").InlineData} InlineData */
/**
 * What the panel needs of the page's Controls (controls.js): read, replace and announce the params.
 * @typedef {{values(): Record<string, unknown>, setValues(params: Record<string, unknown>): void, emit(): void}} ParamsHost
 */

/** @param {number[]} labels the class of every point @returns {number} how many classes to offer */
const classCount = (labels) => Math.min(MAX_CLASSES, Math.max(2, ...labels.map((v) => v + 1)));

// ---- the panel

/**
 * Mount the "Your own data" tools under the controls, if this lab takes a dataset.
 * @param {{form: HTMLElement, plot: PlotlyGraphDiv, controls: ParamsHost, schema: import("./schema.js").JsonSchema}} opts
 * @returns {{section: HTMLElement, csv: ReturnType<typeof mountCsvUpload>} | null}
 */
export function mountDataTools({ form, plot, controls, schema }) {
  if (!schema?.properties?.dataset) return null;
  /** @type {{drawing: boolean, cls: number, classes: number, X: number[][], y: number[]}} */
  const state = { drawing: false, cls: 0, classes: 2, X: [], y: [] };
  const drawBtn = el("button", { type: "button", class: "button small", id: "draw-toggle", "aria-pressed": "false", text: "Draw points" });
  const classRow = el("div", { class: "draw-classes", role: "radiogroup", "aria-label": "Class of new points" });
  const clearBtn = el("button", { type: "button", class: "button ghost small", text: "Clear" });
  const status = el("p", { class: "hint data-status", "aria-live": "polite" });
  const help = el("p", { class: "hint", text: "Click the plot to add a point of the selected class; Shift-click or right-click removes the nearest." });
  const row = el("div", { class: "data-tools-row" }, drawBtn);
  const drawBox = el("div", { class: "draw-box", hidden: "" }, classRow, el("div", { class: "draw-actions" }, clearBtn), help);
  const section = el("section", { class: "field data-tools", id: "data-tools" },
    el("span", { class: "data-tools-title", text: "Your own data" }),
    row, drawBox, status);
  form.querySelector("#controls-fields")?.after(section);
  const csv = mountCsvUpload(row, {
    onData: ({ X, y, name }) => {
      state.X = X.map((r) => r.slice());
      state.y = y ? y.slice() : X.map(() => 0);
      state.classes = classCount(state.y);
      renderClasses();
      setDataset(y ? { X, y } : { X }, `${X.length} rows from ${name}`);
    },
  });

  function renderClasses() {
    classRow.innerHTML = "";
    for (let c = 0; c < state.classes; c += 1) {
      const b = el("button", { type: "button", class: "class-swatch", role: "radio", "aria-checked": String(c === state.cls), title: `class ${c}`, "data-class": String(c) });
      b.style.setProperty("--swatch", PALETTE[c % PALETTE.length]);
      b.textContent = String(c);
      b.addEventListener("click", () => { state.cls = c; renderClasses(); });
      classRow.append(b);
    }
    if (state.classes < MAX_CLASSES) {
      const add = el("button", { type: "button", class: "button ghost small", title: "Another class", text: "+ class" });
      add.addEventListener("click", () => { state.cls = state.classes; state.classes += 1; renderClasses(); });
      classRow.append(add);
    }
  }

  /** @param {string} [note] what the status line says instead of the point count */
  function describe(note = "") {
    const n = state.X.length;
    const link = n > MAX_LINK_POINTS ? ` Too many for the share link (over ${MAX_LINK_POINTS}).` : "";
    status.textContent = n ? `${note || `${n} point${n === 1 ? "" : "s"}`} in use as inline data.${link}` : "";
  }

  /** @param {InlineData} data @param {string} [note] */
  function setDataset(data, note) {
    const exact = roundTrip(data);
    controls.setValues({ ...controls.values(), dataset: exact });
    describe(note);
    controls.emit();
  }

  function commit() {
    if (!state.X.length) { describe(); return; }
    const data = roundTrip({ X: state.X, y: state.y });
    state.X = data.X.map((r) => r.slice());
    setDataset(data);
  }

  async function loadCurrent() {
    const ds = asDataset(controls.values().dataset);
    /** @type {{X: number[][], y: number[]} | null} */
    let data = null;
    if (Array.isArray(ds.X)) data = { X: ds.X, y: ds.y ?? ds.X.map(() => 0) };
    else if (ds.name) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(ds)) if (k !== "name") q.set(k, Array.isArray(v) ? v.join(",") : String(v));
      try {
        const res = await fetch(`/api/v1/datasets/${encodeURIComponent(ds.name)}?${q}`, { headers: { Accept: "application/json" } });
        if (res.ok) {
          /** @type {InlineData} GET /api/v1/datasets/{name} → {X, y?, ...} */
          const body = await res.json();
          data = { X: body.X, y: body.y ?? body.X.map(() => 0) };
        }
      } catch { /* start from a blank canvas */ }
    }
    if (data && data.X.length > MAX_LINK_POINTS) data = { X: data.X.slice(0, MAX_LINK_POINTS), y: data.y.slice(0, MAX_LINK_POINTS) };
    state.X = data ? data.X.map((r) => r.slice(0, 2)) : [];
    state.y = data ? data.y.slice() : [];
    state.classes = classCount(state.y);
    renderClasses();
  }

  /**
   * Resolution of a new point: ~1/1000 of the visible range, as a power of ten (so it encodes exactly).
   * @param {number[]} p
   */
  function roundPoint(p) {
    const xa = plot._fullLayout?.xaxis?.range ?? [0, 1];
    const span = Math.abs(xa[1] - xa[0]) || 1;
    const s = Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(span))));
    return p.map((v) => Math.round(v * 10 ** s) / 10 ** s);
  }

  /** @param {number[]} p */
  function removeNearest(p) {
    if (!state.X.length) return;
    const xa = plot._fullLayout?.xaxis?.range ?? [0, 1];
    const ya = plot._fullLayout?.yaxis?.range ?? [0, 1];
    const sx = Math.abs(xa[1] - xa[0]) || 1;
    const sy = Math.abs(ya[1] - ya[0]) || 1;
    let best = 0;
    let bestD = Infinity;
    state.X.forEach(([x, y], i) => {
      const d = ((x - p[0]) / sx) ** 2 + ((y - p[1]) / sy) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    });
    state.X.splice(best, 1);
    state.y.splice(best, 1);
  }

  /** @param {MouseEvent} e @param {boolean} remove */
  function onPlotClick(e, remove) {
    if (!state.drawing) return;
    e.stopPropagation(); // the page's own click handling (manual centres, point params) stays out of it
    e.preventDefault();
    const p = eventToData(plot, e);
    if (!p) return;
    if (remove || e.shiftKey) removeNearest(p);
    else if (state.X.length >= MAX_LINK_POINTS * 10) return;
    else { state.X.push(roundPoint(p)); state.y.push(state.cls); }
    commit();
  }

  plot.addEventListener("click", (e) => onPlotClick(e, false), true);
  plot.addEventListener("contextmenu", (e) => onPlotClick(e, true), true);
  drawBtn.addEventListener("click", async () => {
    state.drawing = !state.drawing;
    drawBtn.setAttribute("aria-pressed", String(state.drawing));
    drawBtn.textContent = state.drawing ? "Stop drawing" : "Draw points";
    drawBox.hidden = !state.drawing;
    plot.classList.toggle("drawing", state.drawing);
    if (state.drawing) {
      await loadCurrent();
      describe();
    }
  });
  clearBtn.addEventListener("click", () => { state.X = []; state.y = []; status.textContent = "Canvas cleared: click the plot to add points."; });
  renderClasses();
  const ds = asDataset(controls.values().dataset);
  if (Array.isArray(ds.X)) { state.X = ds.X.map((r) => r.slice()); state.y = ds.y ? ds.y.slice() : ds.X.map(() => 0); describe(); }
  return { section, csv };
}

/**
 * The `dataset` param as the panel reads it: inline points {X, y?} or a named dataset with its fields.
 * The controls only ever hold values of the lab's own schema (validated by the server on every run),
 * so an object here has one of those two shapes.
 * @typedef {{X?: number[][], y?: number[], name?: string, [field: string]: unknown}} DatasetParam
 */

/** @param {unknown} value @returns {DatasetParam} */
function asDataset(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  return /** @type {DatasetParam} */ (value);
}
