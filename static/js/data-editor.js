// @ts-check
// data-editor.js: "Your own data" on any lab with a `dataset` param: draw points on the plot (draw-layer.js)
// or load a CSV (csv-upload.js). The points become the inline dataset {X, y}; the page URL carries them
// compactly (`data=d1.<base64url>`, ≤ 500 points), so a shared link reproduces the run exactly: the values
// sent are always the decoded form of what the link holds (data-link.js roundTrip).
//
// Drawing starts on an empty canvas (a generator's points are not "yours"; "Start from the current data"
// brings them in on purpose), or on the inline points already in use (from a link or a CSV). Points show the
// moment they are placed; the run for them starts once the clicks pause (COMMIT_MS), not once per click.

import { mountCsvUpload } from "./csv-upload.js";
import { MAX_LINK_POINTS, roundTrip } from "./data-link.js";
import { createDrawLayer } from "./draw-layer.js";
import { CLASS_SYMBOLS, asPoints, dataKey, symbolPath } from "./drawn-points.js";
import { el } from "./dom.js";
import { resolve } from "./schema.js";
import { PALETTE } from "./theme.js";

// The link encoding lives in data-link.js (pure, unit-tested); these names stay importable from here.
export { MAX_LINK_POINTS, compactDataQuery, decodeData, encodeData, expandDataQuery, roundTrip } from "./data-link.js";

const MAX_CLASSES = 10;
/** The pause after the last edit before the drawn points are run (one run per pause, not per click). */
export const COMMIT_MS = 500;
/** Class colours when the page has no theme block (Okabe–Ito, as theme.py). */
const FALLBACK_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const SVG_NS = "http://www.w3.org/2000/svg";

/** @typedef {import("./data-link.js").InlineData} InlineData */
/**
 * Whether the lab's `dataset` takes inline points (a branch of it is an object with `X` and `y`): only then
 * can you draw your own or upload a CSV. An image set (the CNN's) has no such branch.
 * @param {import("./schema.js").JsonSchema | undefined} schema  the lab's params schema
 */
export function takesInlinePoints(schema) {
  const dataset = schema?.properties?.dataset;
  if (!dataset) return false;
  /** @param {import("./schema.js").JsonSchema} s @param {number} depth @returns {boolean} */
  const inline = (s, depth) => {
    const r = resolve(s, schema);
    if (r.properties?.X && r.properties?.y) return true;
    const branches = r.anyOf ?? r.oneOf ?? [];
    return depth < 4 && branches.some((b) => inline(b, depth + 1));
  };
  return inline(dataset, 0);
}

/**
 * What the panel needs of the page's Controls (controls.js): read, replace and announce the params, and
 * optionally the slot under the dataset picker where these tools belong.
 * @typedef {{values(): Record<string, unknown>, setValues(params: Record<string, unknown>): void, emit(): void,
 *   dataSlot?: HTMLElement}} ParamsHost
 */
/**
 * @typedef {Object} DataToolsOptions
 * @property {HTMLElement} form  the controls form (the tools go after its #controls-fields without a slot)
 * @property {HTMLElement & Record<string, any>} plot  the main plot
 * @property {ParamsHost} controls
 * @property {import("./schema.js").JsonSchema} schema  the lab's params schema (no `dataset`: no tools)
 * @property {import("./interactions/registry.js").Interactions} [interactions]  where the drawing layer stands
 * @property {() => import("./interactions/registry.js").RunState} [run]  the run on show
 * @property {() => unknown} [redraw]  redraw the main plot now (the page's drawCurrent)
 * @property {() => unknown} [runNow]  start a run of the current params now (else controls.emit())
 */

/** @param {number[]} labels the class of every point @returns {number} how many classes to offer */
const classCount = (labels) => Math.min(MAX_CLASSES, Math.max(2, ...labels.map((v) => v + 1)));

/**
 * The swatch of class `c`: its marker shape in its colour (colour is never the only cue), as an SVG.
 * @param {number} c @param {readonly string[]} colours
 */
function swatch(c, colours) {
  const icon = document.createElementNS(SVG_NS, "svg");
  icon.setAttribute("viewBox", "0 0 20 20");
  icon.setAttribute("aria-hidden", "true");
  icon.classList.add("class-shape");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", symbolPath(CLASS_SYMBOLS[c % CLASS_SYMBOLS.length], 10, 7));
  path.setAttribute("fill", colours[c % colours.length]);
  path.setAttribute("stroke", "#ffffff");
  path.setAttribute("stroke-width", "1");
  icon.append(path);
  return icon;
}

/**
 * Mount the "Your own data" tools under the dataset picker, if this lab takes a dataset.
 * @param {DataToolsOptions} opts
 * @returns {{section: HTMLElement, csv: ReturnType<typeof mountCsvUpload>, layer: ReturnType<typeof createDrawLayer>,
 *   startDrawing(): void, stopDrawing(): void} | null}
 */
export function mountDataTools({ form, plot, controls, schema, interactions, run, redraw, runNow }) {
  if (!takesInlinePoints(schema)) return null; // no dataset, or one of images: nothing to draw or upload
  const colours = PALETTE.length ? PALETTE : FALLBACK_COLOURS;
  /** @type {{cls: number, classes: number, origin: Record<string, unknown> | null}} origin: the named dataset drawing began on */
  const state = { cls: 0, classes: 2, origin: null };
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let commitTimer;
  const runOnShow = run ?? (() => ({ params: controls.values(), seed: 0, scene: null, result: null }));
  const layer = createDrawLayer({ plot, run: runOnShow, cls: () => state.cls, onEdit, colours });
  interactions?.stand(layer);

  const drawBtn = el("button", { type: "button", class: "button small", id: "draw-toggle", "aria-pressed": "false", "aria-controls": "draw-box", text: "Draw your own" });
  const classRow = el("div", { class: "draw-classes" });
  const classBox = el("fieldset", { class: "draw-class-picker" }, el("legend", { text: "Class of new points" }), classRow);
  const undoBtn = el("button", { type: "button", class: "button ghost small", id: "draw-undo", text: "Undo" });
  const clearBtn = el("button", { type: "button", class: "button ghost small", id: "draw-clear", text: "Clear" });
  const eraseBtn = el("button", { type: "button", class: "button ghost small", id: "draw-erase", "aria-pressed": "false", text: "Eraser" });
  const fromDataBtn = el("button", { type: "button", class: "button ghost small", id: "draw-from-data", text: "Start from the current data" });
  const xIn = el("input", { type: "number", id: "draw-x", step: "any", inputMode: "decimal", class: "draw-coord" });
  const yIn = el("input", { type: "number", id: "draw-y", step: "any", inputMode: "decimal", class: "draw-coord" });
  const addBtn = el("button", { type: "button", class: "button ghost small", id: "draw-add", text: "Add point" });
  const addRow = el("div", { class: "draw-add", role: "group", "aria-label": "Add a point by its coordinates" },
    el("label", { htmlFor: "draw-x" }, el("span", { text: "x₁" }), xIn),
    el("label", { htmlFor: "draw-y" }, el("span", { text: "x₂" }), yIn), addBtn);
  const help = el("p", { class: "hint", text: "Click or tap the plot to add a point of the chosen class; Shift-click, right-click or the eraser removes one." });
  const status = el("p", { class: "hint data-status", id: "data-status", "aria-live": "polite" });
  const row = el("div", { class: "data-tools-row" }, drawBtn);
  const drawBox = el("div", { class: "draw-box", id: "draw-box", hidden: "" },
    classBox, el("div", { class: "draw-actions" }, undoBtn, clearBtn, eraseBtn, fromDataBtn), addRow, help);
  const section = el("section", { class: "data-tools", id: "data-tools", "aria-labelledby": "data-tools-title" },
    el("h3", { class: "data-tools-title", id: "data-tools-title", text: "Your own data" }), row, drawBox, status);
  if (controls.dataSlot) controls.dataSlot.append(section);
  else form.querySelector("#controls-fields")?.after(section);

  const csv = mountCsvUpload(row, {
    onData: ({ X, y, name }) => {
      if (layer.drawing) stopDrawing({ commitPending: false });
      const labels = y ? y.slice() : X.map(() => 0);
      state.classes = classCount(labels);
      renderClasses();
      setDataset(y ? { X, y } : { X }, `${X.length} rows from ${name}`);
    },
  });

  // Arrow keys move between the class radios (the browser's own radio group): the player must not take them
  // as "step a frame" (it listens on the document).
  classRow.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type === "radio" && e.key.startsWith("Arrow")) e.stopPropagation();
  });

  function renderClasses() {
    classRow.replaceChildren();
    for (let c = 0; c < state.classes; c += 1) {
      const input = el("input", { type: "radio", name: "draw-class", value: String(c), id: `draw-class-${c}`, class: "visually-hidden", checked: c === state.cls });
      input.addEventListener("change", () => { if (input.checked) { state.cls = c; redraw?.(); } });
      const label = el("label", { htmlFor: `draw-class-${c}`, class: "class-swatch", "data-class": String(c) }, swatch(c, colours), el("span", { text: `Class ${c}` }));
      classRow.append(input, label);
    }
    if (state.classes < MAX_CLASSES) {
      const add = el("button", { type: "button", class: "button ghost small", id: "draw-add-class", text: "+ class" });
      add.addEventListener("click", () => {
        state.cls = state.classes;
        state.classes += 1;
        renderClasses();
        /** @type {HTMLInputElement | null} */ (classRow.querySelector(`#draw-class-${state.cls}`))?.focus();
      });
      classRow.append(add);
    }
  }

  /** @param {string} [note] what the status line says instead of the point count */
  function describe(note = "") {
    const n = layer.drawing ? layer.points.length : asPoints(controls.values().dataset)?.X.length ?? 0;
    const link = n > MAX_LINK_POINTS ? ` Too many for the share link (over ${MAX_LINK_POINTS}).` : "";
    const count = `${n} point${n === 1 ? "" : "s"}`;
    if (layer.drawing && !n) status.textContent = "No points yet: click or tap the plot to add one.";
    else if (layer.drawing && commitTimer !== undefined) status.textContent = `${count} drawn; the run starts when you pause.${link}`;
    else status.textContent = n && asPoints(controls.values().dataset) ? `${note || count} in use as inline data.${link}` : "";
    undoBtn.disabled = !layer.points.history.length;
    clearBtn.disabled = !layer.points.length;
  }

  /** Replace the dataset param with `data` (as a link carries it) and run it. @param {InlineData} data @param {string} [note] */
  function setDataset(data, note) {
    const exact = roundTrip(data);
    const focused = document.activeElement;
    controls.setValues({ ...controls.values(), dataset: exact });
    // The form re-renders (and moves this section with it): keep the keyboard user where they were.
    if (focused instanceof HTMLElement && section.contains(focused) && document.activeElement !== focused) focused.focus({ preventScroll: true });
    describe(note);
    if (runNow) runNow();
    else controls.emit();
  }

  /** Send the drawn points to a run now (after the pause, or when drawing stops). */
  function commit() {
    clearTimeout(commitTimer);
    commitTimer = undefined;
    if (!layer.points.length) { describe(); return; }
    const exact = /** @type {{X: number[][], y: number[]}} */ (roundTrip(layer.points.data()));
    layer.points.set({ X: exact.X, y: exact.y ?? layer.points.y });
    layer.sent.add(dataKey(layer.points.data()));
    setDataset(exact);
  }

  /** @param {"add" | "remove" | "miss"} change */
  function onEdit(change) {
    if (change === "miss") { status.textContent = "No point close enough to remove there."; return; }
    redraw?.(); // the points appear now, in this animation frame, whatever the run does
    clearTimeout(commitTimer);
    commitTimer = setTimeout(commit, COMMIT_MS);
    describe();
  }

  function startDrawing() {
    const ds = controls.values().dataset;
    const inline = asPoints(ds);
    state.origin = inline ? null : /** @type {Record<string, unknown>} */ (ds ?? null);
    layer.points.set(inline ?? { X: [], y: [] });
    layer.points.history = [];
    if (inline) layer.sent.add(dataKey(inline));
    state.classes = Math.max(state.classes, classCount(layer.points.y));
    renderClasses();
    layer.start();
    drawBtn.setAttribute("aria-pressed", "true");
    drawBtn.textContent = "Stop drawing";
    drawBox.hidden = false;
    fromDataBtn.hidden = !state.origin;
    const [x, y] = [(layer.extent.x[0] + layer.extent.x[1]) / 2, (layer.extent.y[0] + layer.extent.y[1]) / 2];
    xIn.value = String(Number(x.toPrecision(3)));
    yIn.value = String(Number(y.toPrecision(3)));
    describe();
    redraw?.();
    // On a phone the settings are a drawer over the plot (drawer.js): close it, the plot is where you draw.
    const drawer = section.closest(".controls-col.open");
    if (drawer) /** @type {HTMLElement | null} */ (document.getElementById("settings-close"))?.click();
  }

  /** @param {{commitPending?: boolean}} [opts] */
  function stopDrawing({ commitPending = true } = {}) {
    const pending = commitTimer !== undefined;
    clearTimeout(commitTimer);
    commitTimer = undefined;
    layer.stop();
    drawBtn.setAttribute("aria-pressed", "false");
    drawBtn.textContent = "Draw your own";
    eraseBtn.setAttribute("aria-pressed", "false");
    drawBox.hidden = true;
    if (pending && commitPending && layer.points.length) setDataset(layer.points.data());
    describe();
    redraw?.();
  }

  /** The named dataset drawing began on, as {X, y}: fetched from GET /api/v1/datasets/{name}. */
  async function originPoints() {
    const ds = state.origin;
    if (!ds || typeof ds.name !== "string") return null;
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(ds)) if (k !== "name") q.set(k, Array.isArray(v) ? v.join(",") : String(v));
    const res = await fetch(`/api/v1/datasets/${encodeURIComponent(ds.name)}?${q}`, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    /** @type {InlineData} GET /api/v1/datasets/{name} → {X, y?, ...} */
    const body = await res.json();
    return asPoints({ X: body.X.slice(0, MAX_LINK_POINTS), y: body.y?.slice(0, MAX_LINK_POINTS) });
  }

  function addFromForm() {
    const x = Number(xIn.value);
    const y = Number(yIn.value);
    if (xIn.value.trim() === "" || yIn.value.trim() === "" || !Number.isFinite(x) || !Number.isFinite(y)) {
      status.textContent = "Type a number in both x₁ and x₂ to add a point.";
      return;
    }
    layer.addAt([x, y]);
  }

  drawBtn.addEventListener("click", () => (layer.drawing ? stopDrawing() : startDrawing()));
  undoBtn.addEventListener("click", () => { if (layer.points.undo()) onEdit("remove"); });
  clearBtn.addEventListener("click", () => {
    if (!layer.points.clear()) return;
    onEdit("remove");
    status.textContent = "Canvas cleared: click or tap the plot to add points (Undo brings them back).";
  });
  eraseBtn.addEventListener("click", () => {
    layer.erasing = !layer.erasing;
    eraseBtn.setAttribute("aria-pressed", String(layer.erasing));
    redraw?.();
  });
  fromDataBtn.addEventListener("click", async () => {
    try {
      const data = await originPoints();
      if (!data || !layer.drawing) return;
      layer.points.replace(data);
      state.classes = Math.max(state.classes, classCount(data.y));
      renderClasses();
      onEdit("add");
    } catch (err) {
      status.textContent = `Could not load the current data (${err instanceof Error ? err.message : String(err)}).`;
    }
  });
  addBtn.addEventListener("click", addFromForm);
  for (const input of [xIn, yIn]) {
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); addFromForm(); } }); // not the form's Run
  }

  renderClasses();
  describe();
  return { section, csv, layer, startDrawing, stopDrawing };
}
