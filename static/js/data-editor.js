// data-editor.js: draw your own 2-D data on any lab with a `dataset` param, or load a CSV (csv-upload.js).
// Click adds a point of the selected class; Shift-click or right-click removes the nearest one. The points
// become the inline dataset {X, y}; the page URL carries them compactly (`data=d1.<base64url>`, ≤ 500 points),
// so a shared link reproduces the run exactly: values are always the decoded form of what the link holds.

import { mountCsvUpload } from "./csv-upload.js";
import { el } from "./dom.js";
import { PALETTE, eventToData } from "./plot.js";

export const MAX_LINK_POINTS = 500;
const MAX_CLASSES = 10;
const PREFIX = "d1.";

// ---- compact encoding: [decimals s][flags][varint n] then per point zigzag varints of round(v·10^s), [label]

const zigzag = (v) => (v >= 0 ? 2 * v : -2 * v - 1);
const unzigzag = (u) => (u % 2 === 0 ? u / 2 : -(u + 1) / 2);

function pushVarint(out, value) {
  let v = value;
  while (v >= 128) { out.push((v % 128) + 128); v = Math.floor(v / 128); }
  out.push(v);
}

function readVarint(bytes, pos) {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos.i >= bytes.length) throw new Error("truncated data");
    const b = bytes[pos.i++];
    value += (b % 128) * scale;
    if (b < 128) return value;
    scale *= 128;
  }
}

/** The fewest decimals (≤ 6) that hold every value exactly; 6 when none does. */
function decimalsFor(X) {
  for (let s = 0; s <= 6; s += 1) {
    const f = 10 ** s;
    if (X.every((row) => row.every((v) => Math.abs(Math.round(v * f) - v * f) < 1e-6))) return s;
  }
  return 6;
}

const toBase64Url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64Url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** Inline {X, y} (2-D) → "d1.…" text, or null when it cannot go in a link. */
export function encodeData({ X, y }) {
  if (!Array.isArray(X) || !X.length || X.length > MAX_LINK_POINTS || X.some((r) => r.length !== 2)) return null;
  const s = decimalsFor(X);
  const f = 10 ** s;
  const labels = Array.isArray(y) && y.every((v) => Number.isInteger(v) && v >= 0);
  const out = [s, labels ? 1 : 0];
  pushVarint(out, X.length);
  X.forEach((row, i) => {
    for (const v of row) pushVarint(out, zigzag(Math.round(v * f)));
    if (labels) pushVarint(out, y[i]);
  });
  const chunks = [];
  for (let i = 0; i < out.length; i += 4096) chunks.push(...out.slice(i, i + 4096));
  return PREFIX + toBase64Url(chunks);
}

/** "d1.…" → {X, y?}; throws on malformed input. */
export function decodeData(text) {
  if (!text.startsWith(PREFIX)) throw new Error("unknown data encoding");
  const bytes = fromBase64Url(text.slice(PREFIX.length));
  const pos = { i: 2 };
  const s = bytes[0];
  const labels = (bytes[1] & 1) === 1;
  const n = readVarint(bytes, pos);
  if (s > 6 || n > MAX_LINK_POINTS) throw new Error("bad data header");
  const f = 10 ** s;
  const X = [];
  const y = [];
  for (let i = 0; i < n; i += 1) {
    X.push([unzigzag(readVarint(bytes, pos)) / f, unzigzag(readVarint(bytes, pos)) / f]);
    if (labels) y.push(readVarint(bytes, pos));
  }
  return labels ? { X, y } : { X };
}

/** The data exactly as a link will carry it (unchanged when it is too big for a link). */
export function roundTrip(data) {
  const text = encodeData(data);
  return text ? decodeData(text) : data;
}

/** Query string with inline `dataset` JSON replaced by the compact `data` key (or dropped when too large). */
export function compactDataQuery(query) {
  const q = new URLSearchParams(query);
  const raw = q.get("dataset");
  if (raw === null || !raw.trim().startsWith("{")) return query;
  let value = null;
  try { value = JSON.parse(raw); } catch { return query; }
  if (!Array.isArray(value?.X)) return query;
  const text = encodeData(value);
  q.delete("dataset");
  if (text) q.set("data", text);
  return q.toString();
}

/** A page search string with `data=d1.…` expanded back into `dataset={…}` for state.js. */
export function expandDataQuery(search) {
  const q = new URLSearchParams(search);
  const text = q.get("data");
  if (text === null) return search;
  q.delete("data");
  try { q.set("dataset", JSON.stringify(decodeData(text))); } catch { /* a broken link: the defaults run */ }
  return `?${q.toString()}`;
}

// ---- the panel

/**
 * Mount the "Your own data" tools under the controls, if this lab takes a dataset.
 * @param {{form: HTMLElement, plot: HTMLElement, controls: object, schema: object}} opts
 */
export function mountDataTools({ form, plot, controls, schema }) {
  if (!schema?.properties?.dataset) return null;
  const state = { drawing: false, cls: 0, classes: 2, X: [], y: [] };
  const drawBtn = el("button", { type: "button", class: "button small", id: "draw-toggle", "aria-pressed": "false", text: "Draw points" });
  const classRow = el("div", { class: "draw-classes", role: "radiogroup", "aria-label": "Class of new points" });
  const clearBtn = el("button", { type: "button", class: "button ghost small", text: "Clear" });
  const status = el("p", { class: "hint data-status", "aria-live": "polite" });
  const help = el("p", { class: "hint", text: "Click the plot to add a point of the selected class; Shift-click or right-click removes the nearest." });
  const drawBox = el("div", { class: "draw-box", hidden: "" }, classRow, el("div", { class: "draw-actions" }, clearBtn), help);
  const section = el("section", { class: "field data-tools", id: "data-tools" },
    el("span", { class: "data-tools-title", text: "Your own data" }),
    el("div", { class: "data-tools-row" }, drawBtn), drawBox, status);
  form.querySelector("#controls-fields")?.after(section);
  const csv = mountCsvUpload(section.querySelector(".data-tools-row"), {
    onData: ({ X, y, name }) => {
      state.X = X.map((r) => r.slice());
      state.y = y ? y.slice() : X.map(() => 0);
      state.classes = Math.min(MAX_CLASSES, Math.max(2, ...state.y.map((v) => v + 1)));
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

  function describe(note = "") {
    const n = state.X.length;
    const link = n > MAX_LINK_POINTS ? ` Too many for the share link (over ${MAX_LINK_POINTS}).` : "";
    status.textContent = n ? `${note || `${n} point${n === 1 ? "" : "s"}`} in use as inline data.${link}` : "";
  }

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
    const ds = controls.values().dataset ?? {};
    let data = null;
    if (Array.isArray(ds.X)) data = { X: ds.X, y: ds.y ?? ds.X.map(() => 0) };
    else if (ds.name) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(ds)) if (k !== "name") q.set(k, Array.isArray(v) ? v.join(",") : String(v));
      try {
        const res = await fetch(`/api/v1/datasets/${encodeURIComponent(ds.name)}?${q}`, { headers: { Accept: "application/json" } });
        if (res.ok) { const body = await res.json(); data = { X: body.X, y: body.y ?? body.X.map(() => 0) }; }
      } catch { /* start from a blank canvas */ }
    }
    if (data && data.X.length > MAX_LINK_POINTS) data = { X: data.X.slice(0, MAX_LINK_POINTS), y: data.y.slice(0, MAX_LINK_POINTS) };
    state.X = data ? data.X.map((r) => r.slice(0, 2)) : [];
    state.y = data ? data.y.slice() : [];
    state.classes = Math.min(MAX_CLASSES, Math.max(2, ...state.y.map((v) => v + 1)));
    renderClasses();
  }

  /** Resolution of a new point: ~1/1000 of the visible range, as a power of ten (so it encodes exactly). */
  function roundPoint(p) {
    const xa = plot._fullLayout?.xaxis?.range ?? [0, 1];
    const span = Math.abs(xa[1] - xa[0]) || 1;
    const s = Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(span))));
    return p.map((v) => Math.round(v * 10 ** s) / 10 ** s);
  }

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
  const ds = controls.values().dataset;
  if (Array.isArray(ds?.X)) { state.X = ds.X.map((r) => r.slice()); state.y = ds.y ? ds.y.slice() : ds.X.map(() => 0); describe(); }
  return { section, csv };
}
