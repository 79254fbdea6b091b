// @ts-check
// interactions/draw-digit.js: draw a digit for the CNN lab's trained network to read.
//
// Declaration: {"kind": "draw-digit"} (app/views/cnn.py). Once the run has a result (`input_shape` [C, H, W],
// `class_names`, `model`), a panel below the plot holds a drawing canvas (the network's input grid, upsampled),
// pen / eraser / Clear, and after each stroke (debounced) POSTs the run's own request (params, seed) with the
// drawing to /api/v1/algorithms/cnn/predict, then shows the probability bars, the predicted class in words and
// every layer's feature maps as small images. Mouse, pen and touch draw (pointer events); keyboard: the canvas
// is focusable, the arrow keys move a cursor cell, space toggles it. "Download model (.pt)" saves
// `result.model`. The grid logic is lib/draw-grid.js.

import { API, ApiError } from "../api.js";
import { el } from "../dom.js";
import { INK, MUTED, PALETTE, PAPER } from "../theme.js";
import { decodeTypedArray } from "../typed-arrays.js";
import {
  base64ToBytes, blankGrid, cellAt, gridImage, isBlank, mapPixels, moveCursor, paintStroke, toggleCell, verdict,
} from "./lib/draw-grid.js";

const CELL_PX = 24; // one input pixel on screen (8 × 8 digits: a 192 px canvas)
const DEBOUNCE_MS = 120; // after a stroke ends: one request per stroke, not per pointer move
const MAP_PX = 3; // one feature-map pixel on screen

/**
 * @typedef {Object} LayerMaps
 * @property {string} name
 * @property {number[]} shape  [C, H, W] or [n]
 * @property {import("../compose.js").TypedArraySpec} values  u1, scaled per layer to 0–255
 * @property {number} min
 * @property {number} max
 */
/** @typedef {{probabilities: number[], predicted: number, class_names: string[], layers: LayerMaps[]}} Prediction */

/**
 * @param {any} result
 * @returns {boolean} whether the result is a CNN run's (something to draw for)
 */
const drawable = (result) => Array.isArray(result?.input_shape) && result.input_shape.length === 3
  && Array.isArray(result?.class_names);

/**
 * POST the predict request; an ApiError for a non-2xx answer.
 * @param {Record<string, any>} body
 * @param {AbortSignal} signal
 * @returns {Promise<Prediction>}
 */
async function postPredict(body, signal) {
  const response = await fetch(`${API}/algorithms/cnn/predict`, {
    method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body), signal,
  });
  if (!response.ok) {
    /** @type {any} */
    let payload = null;
    try { payload = await response.json(); } catch { payload = null; }
    throw new ApiError(response.status, payload?.detail ?? response.statusText, null, payload);
  }
  return response.json();
}

/**
 * @param {import("./registry.js").InteractionContext} ctx
 * @returns {import("./registry.js").Interaction}
 */
export function create(ctx) {
  /** @type {Record<string, any> | null} */
  let result = null;
  let grid = blankGrid(8, 8);
  /** @type {"pen" | "eraser"} */
  let tool = "pen";
  /** @type {[number, number] | null} the last cell of the stroke being drawn */
  let last = null;
  /** @type {[number, number]} the keyboard cursor */
  let cursor = [0, 0];
  let focused = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {AbortController | null} */
  let inflight = null;

  const canvas = el("canvas", {
    class: "digit-canvas", id: "digit-canvas", tabindex: 0, role: "img",
    "aria-label": "Drawing grid: draw with the mouse or a finger, or move with the arrow keys and press space to ink a cell",
  });
  const pen = el("button", { type: "button", class: "button small digit-tool", text: "Pen", "aria-pressed": "true" });
  const eraser = el("button", { type: "button", class: "button small digit-tool", text: "Eraser", "aria-pressed": "false" });
  const clear = el("button", { type: "button", class: "button small", id: "digit-clear", text: "Clear" });
  const download = el("button", { type: "button", class: "button small", id: "model-download", text: "Download model (.pt)" });
  const answer = el("p", { class: "digit-answer", id: "digit-answer", role: "status", "aria-live": "polite",
    text: "Draw a digit: the trained network reads it." });
  const error = el("p", { class: "digit-error", id: "digit-error", role: "alert", hidden: true });
  const bars = el("ul", { class: "digit-bars", id: "digit-bars" });
  const maps = el("div", { class: "digit-maps", id: "digit-maps" });
  const panel = el("section", { class: "lab-panel digit-panel", id: "digit-panel", hidden: true,
    "aria-label": "Draw a digit for the network" },
  el("h3", { class: "lab-panel-title", text: "Draw for the trained network" }),
  el("div", { class: "digit-body" },
    el("div", { class: "digit-draw" }, canvas,
      el("div", { class: "digit-tools" }, pen, eraser, clear),
      el("p", { class: "digit-note", text: "Arrow keys move the cursor, space inks or clears a cell." })),
    el("div", { class: "digit-read" }, answer, error, bars)),
  maps,
  el("div", { class: "digit-save" }, download,
    el("span", { class: "digit-note", id: "model-size" })));
  // First of the panels under the stage (the metrics, the result panels), across their whole width: inside the
  // stage it would take height from the plot, which fills the screen at laptop sizes.
  const below = ctx.panels;
  if (below) below.prepend(panel);
  else ctx.stage.after(panel);

  const draw = () => {
    const g = canvas.getContext("2d");
    if (!g) return;
    const { rows, cols, cells } = grid;
    g.fillStyle = PAPER || "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = INK || "#000";
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < cols; c += 1) {
        const v = cells[r * cols + c];
        if (!v) continue;
        g.globalAlpha = v / 255;
        g.fillRect(c * CELL_PX, r * CELL_PX, CELL_PX, CELL_PX);
      }
    }
    g.globalAlpha = 1;
    g.strokeStyle = MUTED || "#ccc";
    g.lineWidth = 1;
    for (let i = 1; i < Math.max(rows, cols); i += 1) { // the cell grid, faint
      if (i < cols) { g.beginPath(); g.moveTo(i * CELL_PX + 0.5, 0); g.lineTo(i * CELL_PX + 0.5, rows * CELL_PX); g.stroke(); }
      if (i < rows) { g.beginPath(); g.moveTo(0, i * CELL_PX + 0.5); g.lineTo(cols * CELL_PX, i * CELL_PX + 0.5); g.stroke(); }
    }
    if (focused) {
      g.strokeStyle = PALETTE[5] || INK || "#000";
      g.lineWidth = 3;
      g.strokeRect(cursor[1] * CELL_PX + 1.5, cursor[0] * CELL_PX + 1.5, CELL_PX - 3, CELL_PX - 3);
    }
    canvas.dataset.ink = String(grid.cells.reduce((s, v) => s + v, 0));
  };

  /** @param {string} message */
  const showError = (message) => { error.textContent = message; error.hidden = !message; };

  /** @param {Prediction} p */
  const showPrediction = (p) => {
    showError("");
    const names = p.class_names;
    answer.replaceChildren("The network reads it as ", el("strong", { text: verdict(p.probabilities, names, p.predicted) }));
    panel.dataset.predicted = String(p.predicted);
    bars.replaceChildren(...p.probabilities.map((prob, i) => {
      const fill = el("span", { class: "digit-fill" });
      fill.style.width = `${Math.max(1, 100 * prob)}%`;
      fill.style.background = (i === p.predicted ? PALETTE[0] : MUTED) || "";
      return el("li", { class: i === p.predicted ? "is-winner" : "", title: `${names[i]}: ${(100 * prob).toFixed(1)}%` },
        el("span", { class: "digit-class", text: names[i] ?? String(i) }),
        el("span", { class: "digit-track" }, fill),
        el("span", { class: "digit-value", text: `${Math.round(100 * prob)}%` }));
    }));
    maps.replaceChildren(...p.layers.map((layer) => {
      const flat = decodeTypedArray({ ...layer.values, shape: undefined });
      const channels = layer.shape.length === 3 ? layer.shape[0] : 1;
      const row = el("div", { class: "digit-layer" });
      for (let ch = 0; ch < channels; ch += 1) {
        const px = mapPixels(/** @type {ArrayLike<number>} */ (flat), layer.shape, ch);
        const c = el("canvas", { class: "digit-map", width: px.width, height: px.height });
        // Maps at least 32 px tall; a vector (flatten, dense, output) as one strip of about 240 px, 12 px tall.
        const scale = layer.shape.length === 3 ? Math.max(MAP_PX, Math.floor(32 / px.height))
          : Math.min(12, Math.max(MAP_PX, Math.floor(240 / px.width)));
        c.style.width = `${px.width * scale}px`;
        c.style.height = `${layer.shape.length === 3 ? px.height * scale : 12}px`;
        c.getContext("2d")?.putImageData(new ImageData(px.rgba, px.width, px.height), 0, 0);
        row.append(c);
      }
      const range = `${layer.min.toPrecision(3)} to ${layer.max.toPrecision(3)}`;
      return el("figure", { class: "digit-figure" },
        el("figcaption", { text: `${layer.name} · ${layer.shape.join("×")} · ${range}` }), row);
    }));
  };

  const ask = async () => {
    const run = ctx.run();
    if (!result || !run.params) return;
    if (isBlank(grid)) { answer.textContent = "Draw a digit: the trained network reads it."; return; }
    inflight?.abort();
    const mine = new AbortController();
    inflight = mine;
    panel.dataset.busy = "true";
    try {
      const p = await postPredict({ params: run.params, seed: run.seed, image: gridImage(grid) }, mine.signal);
      if (inflight === mine) showPrediction(p);
    } catch (/** @type {any} */ err) {
      if (err?.name === "AbortError") return;
      showError(err instanceof ApiError ? `The network could not read it: ${err.message}`
        : "The server could not be reached; draw again to retry.");
    } finally {
      if (inflight === mine) { panel.dataset.busy = "false"; inflight = null; }
    }
  };
  const askSoon = () => { clearTimeout(timer); timer = setTimeout(() => { void ask(); }, DEBOUNCE_MS); };

  /** @param {PointerEvent} e @returns {[number, number] | null} */
  const cellOf = (e) => {
    const box = canvas.getBoundingClientRect();
    return cellAt(grid, e.clientX - box.left, e.clientY - box.top, box.width, box.height);
  };
  /** @param {PointerEvent} e */
  const onDown = (e) => {
    e.preventDefault();
    canvas.setPointerCapture?.(e.pointerId);
    last = cellOf(e);
    if (last && paintStroke(grid, last, last, tool)) draw();
  };
  /** @param {PointerEvent} e */
  const onMove = (e) => {
    if (!last) return;
    const cell = cellOf(e);
    if (!cell) return;
    if (paintStroke(grid, last, cell, tool)) draw();
    last = cell;
  };
  const onUp = () => {
    if (!last) return;
    last = null;
    askSoon();
  };
  /** @param {KeyboardEvent} e */
  const onKey = (e) => {
    const next = moveCursor(grid, cursor, e.key);
    if (next) { e.preventDefault(); cursor = next; draw(); return; }
    if (e.key === " " || e.key === "Enter") { e.preventDefault(); toggleCell(grid, cursor); draw(); askSoon(); }
  };
  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("pointercancel", onUp);
  canvas.addEventListener("keydown", onKey);
  canvas.addEventListener("focus", () => { focused = true; draw(); });
  canvas.addEventListener("blur", () => { focused = false; draw(); });

  /** @param {"pen" | "eraser"} next */
  const useTool = (next) => {
    tool = next;
    pen.setAttribute("aria-pressed", String(next === "pen"));
    eraser.setAttribute("aria-pressed", String(next === "eraser"));
  };
  pen.addEventListener("click", () => useTool("pen"));
  eraser.addEventListener("click", () => useTool("eraser"));
  clear.addEventListener("click", () => {
    grid = blankGrid(grid.rows, grid.cols);
    draw();
    bars.replaceChildren();
    maps.replaceChildren();
    delete panel.dataset.predicted;
    answer.textContent = "Draw a digit: the trained network reads it.";
    showError("");
  });
  download.addEventListener("click", () => {
    const model = result?.model;
    if (!model?.base64) { showError("This run has no model to download."); return; }
    const blob = new Blob([base64ToBytes(String(model.base64))], { type: "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: String(model.filename || "stepwise-cnn.pt") });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  });

  /** @param {Record<string, any> | null} next */
  const bind = (next) => {
    if (next === result) return;
    inflight?.abort();
    result = drawable(next) ? next : null;
    panel.hidden = result === null;
    if (!result) return;
    const [, h, w] = result.input_shape.map(Number);
    if (grid.rows !== h || grid.cols !== w) { grid = blankGrid(h, w); cursor = [0, 0]; }
    canvas.width = w * CELL_PX;
    canvas.height = h * CELL_PX;
    const bytes = Number(result.model?.bytes);
    download.disabled = !result.model?.base64;
    const size = document.getElementById("model-size");
    if (size) size.textContent = Number.isFinite(bytes) ? `${Math.round(bytes / 102.4) / 10} KB, PyTorch state_dict` : "";
    draw();
    if (!isBlank(grid)) askSoon(); // the same drawing, read by the new run's network
  };

  return {
    onResult: bind,
    dispose() {
      clearTimeout(timer);
      inflight?.abort();
      panel.remove();
    },
  };
}
