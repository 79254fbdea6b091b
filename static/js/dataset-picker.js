// @ts-check
// dataset-picker.js: the dataset control, first in the form. TensorFlow Playground's picker: a grid of small
// square buttons, one per dataset the lab accepts, each a thumbnail of that dataset's points coloured (and
// shaped) by class, its name under it; radio semantics (one is checked; arrow keys move and choose; Tab
// enters at the checked one). The chosen dataset's own fields (noise, samples, ...) follow it.
//
// A thumbnail's points come from `GET /api/v1/datasets/{name}` with a small n_samples, fetched once per name
// and kept in memory; an image set's thumbnail is its first four pictures, 2 × 2. It serves every lab's datasets (the PCA tables, the regression sets too); a lab whose
// datasets it does not know keeps the plain select: there is nothing to draw.
//
// A lab whose datasets follow a sibling param (`x-datasets-by`: a decision tree's `task`) offers only the
// datasets for the sibling's current value (task-datasets.js); when the sibling changes, this field is built
// again, with the hinted default dataset when the one chosen does not suit the new value (followSibling).

import { CLASS_SHAPES, markPath, previewQuery, softHyphenate, thumbMarks } from "./dataset-thumbs.js";
import { el, svg } from "./dom.js";
import { describeObject } from "./schema.js";
import { followedDataset, followedNames, offeredNames } from "./task-datasets.js";
import { PALETTE } from "./theme.js";
import { base64Bytes, rgbaOf } from "./widgets/lib/conv-widgets.js";

/** @typedef {import("./controls.js").Controls} Controls */
/** @typedef {import("./controls.js").DatasetInfo} DatasetInfo */
/** @typedef {import("./schema.js").DatasetDesc} DatasetDesc */
/** @typedef {{X: number[][], y?: unknown[]}} Points */
/** @typedef {{images: {shape: number[], bdata: string}}} Pictures  an image set as the API sends it (uint8) */

export const INLINE = "__inline__";
const API = "/api/v1/datasets";
/** Class colours when the page has no theme block (Okabe–Ito). */
const FALLBACK_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

/** @type {Map<string, Promise<Points | Pictures | null>>} name → its thumbnail's points (null: none to draw) */
const previews = new Map();
/** @type {Promise<Set<string>> | null} the names GET /api/v1/datasets/{name} serves */
let catalog = null;
/** @type {Set<string> | null} the same, once known */
let catalogNames = null;

/**
 * The names the points endpoint serves (GET /api/v1/datasets), fetched once.
 * @returns {Promise<Set<string>>}
 */
export function previewableNames() {
  catalog ??= fetch(API, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : []))
    .then((list) => new Set(Array.isArray(list) ? list.map((/** @type {{name: string}} */ d) => d.name) : []))
    .catch(() => new Set())
    .then((names) => { catalogNames = names; return names; });
  return catalog;
}

/**
 * The points (or, for an image set, the pictures) of a dataset's thumbnail, fetched once per name.
 * @param {DatasetInfo} ds
 * @returns {Promise<Points | Pictures | null>}
 */
function loadPreview(ds) {
  let p = previews.get(ds.name);
  if (!p) {
    const pictures = ds.kind === "images";
    const q = previewQuery(/** @type {any} */ (ds.params_schema), pictures ? THUMB_PICTURES : undefined);
    const size = pictures && ds.params_schema?.properties?.side ? `${q ? "&" : ""}side=${THUMB_SIDE}` : "";
    p = fetch(`${API}/${encodeURIComponent(ds.name)}${q || size ? `?${q}${size}` : ""}`, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => {
        if (body && Array.isArray(body.X)) return { X: body.X, y: body.y };
        return body?.images?.bdata && Array.isArray(body.images.shape) ? { images: body.images } : null;
      })
      .catch(() => null);
    previews.set(ds.name, p);
  }
  return p;
}

const THUMB_PICTURES = 4; // an image set's thumbnail: its first four pictures, 2 × 2
const THUMB_SIDE = 16; // pixels of each, for a set whose size is a param (shapes)

/**
 * The first (up to) four images of a set side by side, 2 × 2 with a 1-pixel gap, as a PNG data URL.
 * @param {{shape: number[], bdata: string}} images  [n, H, W, C] uint8
 * @returns {string | null}
 */
function mosaic(images) {
  const [n, h, w] = images.shape;
  const canvas = /** @type {HTMLCanvasElement} */ (el("canvas", { width: 2 * w + 1, height: 2 * h + 1 }));
  const g = canvas.getContext("2d");
  if (!g || !n) return null;
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  const pixels = base64Bytes(images.bdata);
  for (let i = 0; i < Math.min(n, THUMB_PICTURES); i += 1) {
    const { rgba } = rgbaOf(pixels, images.shape, i);
    g.putImageData(new ImageData(rgba, w, h), (i % 2) * (w + 1), Math.floor(i / 2) * (h + 1));
  }
  return canvas.toDataURL("image/png");
}

/** @param {number} cls */
const colour = (cls) => {
  const palette = PALETTE.length ? PALETTE : FALLBACK_COLOURS;
  return palette[cls % palette.length];
};

/**
 * Draw `points` into the thumbnail `plot` (one path per class), or an image set's first pictures; nothing to
 * draw → a plain "table" glyph.
 * @param {SVGSVGElement} plot
 * @param {Points | Pictures | null} points
 */
function drawThumb(plot, points) {
  plot.replaceChildren();
  if (points && "images" in points) {
    const href = mosaic(points.images);
    if (href) {
      plot.append(svg("image", { href, x: 4, y: 4, width: 92, height: 92, preserveAspectRatio: "xMidYMid meet", class: "thumb-pictures" }));
      return;
    }
  }
  const marks = points && "X" in points ? thumbMarks(points.X, points.y) : [];
  if (!marks.length) {
    plot.append(svg("rect", { x: 18, y: 24, width: 64, height: 52, rx: 6, class: "thumb-empty" }));
    for (const y of [40, 52, 64]) plot.append(svg("path", { d: `M28 ${y}h44`, class: "thumb-empty" }));
    return;
  }
  /** @type {Map<number, string[]>} */
  const byClass = new Map();
  for (const m of marks) byClass.set(m.cls, [...(byClass.get(m.cls) ?? []), markPath(m, 2.6)]);
  for (const [cls, paths] of [...byClass].sort((a, b) => a[0] - b[0])) {
    const c = colour(cls);
    const cross = CLASS_SHAPES[cls % CLASS_SHAPES.length] === "cross";
    plot.append(svg("path", { d: paths.join(""), fill: cross ? "none" : c, stroke: cross ? c : "none", "stroke-width": cross ? 1.4 : null }));
  }
}

/**
 * Whether this lab's picker shows thumbnails: a dataset the points endpoint serves is among its choices.
 * Undefined while that is not known yet (a lab with its own dataset list, before the catalogue arrives).
 * @param {Controls} ctrl
 * @param {DatasetInfo[]} allowed
 * @returns {boolean | undefined}
 */
function visual(ctrl, allowed) {
  const names = ctrl.previewable ? new Set(ctrl.previewable) : ctrl.ownDatasets ? catalogNames : null;
  if (!names) return ctrl.ownDatasets ? undefined : true; // the shared list: every one has points
  return allowed.some((ds) => names.has(ds.name));
}

/**
 * The `.field` of the dataset param: picker (thumbnails or select), the dataset's description, its fields.
 * @param {Controls} ctrl
 * @param {DatasetDesc} d
 * @param {any} value  the current dataset param: {name, ...} or inline {X, y}
 * @param {string} id   the element id the label points at
 * @returns {HTMLElement}
 */
export function buildDatasetField(ctrl, d, value, id) {
  const offered = offeredNames(ctrl.hints, ctrl.params);
  const allowed = ctrl.datasets.filter((ds) => (!d.allowed || d.allowed.includes(ds.name)) && (!offered || offered.includes(ds.name)));
  const field = el("div", { class: "field field-dataset", "data-path": "dataset", "data-kind": "dataset" });
  const error = el("p", { class: "field-error", role: "alert", hidden: true });
  const about = el("p", { class: "hint dataset-about" });
  const fields = el("div", { class: "dataset-fields" });
  const inline = value && Array.isArray(value.X) ? value : null;
  const renderFields = () => {
    fields.replaceChildren();
    const current = ctrl.params.dataset ?? {};
    const ds = ctrl.dataset(current.name);
    about.textContent = Array.isArray(current.X) ? "Your own points (drawn or from a CSV file)." : ds?.description ?? "";
    fields.hidden = !ds || Array.isArray(current.X);
    if (fields.hidden || !ds) return;
    for (const fd of describeObject(ds.params_schema ?? {}, { skip: ["name"] })) {
      const fpath = `dataset.${fd.name}`;
      fields.append(ctrl.build(fd, current[fd.name], fpath, (v) => {
        ctrl.params.dataset = { ...ctrl.params.dataset, [fd.name]: v };
        ctrl.clearError(fpath);
        if (ctrl.ready()) ctrl.emit();
      }));
    }
  };
  /** @param {string} name  a dataset name, or INLINE (back to the inline data this field was built with) */
  const choose = (name) => {
    if (name === INLINE) { if (inline) ctrl.params.dataset = inline; } else ctrl.params.dataset = ctrl.datasetDefaults(name);
    ctrl.clearError("dataset");
    renderFields();
    ctrl.refresh();
    if (ctrl.ready()) ctrl.emit();
  };

  const mode = visual(ctrl, allowed);
  if (mode === undefined) void previewableNames().then((names) => { if (allowed.some((ds) => names.has(ds.name))) ctrl.render(); });
  const current = inline ? INLINE : String(value?.name ?? "");
  if (mode) {
    const labelId = `${id}-label`;
    const group = el("div", { class: "dataset-picker", id, role: "radiogroup", "aria-labelledby": labelId });
    const known = ctrl.previewable ? new Set(ctrl.previewable) : catalogNames;
    /** @type {{key: string, title: string, help: string, points: Points | Promise<Points | Pictures | null> | null}[]} */
    const choices = allowed.map((ds) => ({
      key: ds.name, title: ds.title ?? ds.name, help: ds.description ?? "",
      points: !ctrl.ownDatasets || !known || known.has(ds.name) ? loadPreview(ds) : null,
    }));
    if (inline) choices.unshift({ key: INLINE, title: `Your data (${inline.X.length} points)`, help: "Your own points.", points: inline });
    const buttons = choices.map((c) => {
      const plot = svg("svg", { viewBox: "0 0 100 100", class: "thumb-plot", "aria-hidden": "true", focusable: "false" });
      const on = c.key === current;
      const b = el("button", {
        type: "button", class: "dataset-thumb", role: "radio", "aria-checked": String(on), tabindex: on ? "0" : "-1",
        "data-name": c.key, title: c.help, "aria-label": c.title,
      }, plot, el("span", { class: "thumb-name", text: softHyphenate(c.title) }));
      if (c.points instanceof Promise) void c.points.then((pts) => drawThumb(plot, pts));
      else drawThumb(plot, c.points);
      b.addEventListener("click", () => { if (b.getAttribute("aria-checked") !== "true") { check(b); choose(c.key); } });
      return b;
    });
    if (!buttons.some((b) => b.tabIndex === 0) && buttons[0]) buttons[0].tabIndex = 0;
    /** @param {HTMLButtonElement} on */
    const check = (on) => {
      for (const b of buttons) {
        b.setAttribute("aria-checked", String(b === on));
        b.tabIndex = b === on ? 0 : -1;
      }
    };
    group.addEventListener("keydown", (e) => {
      const i = buttons.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
      if (i < 0) return;
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
      const to = e.key === "Home" ? 0 : e.key === "End" ? buttons.length - 1 : step ? (i + step + buttons.length) % buttons.length : -1;
      if (to < 0) return;
      e.preventDefault();
      buttons[to].focus();
      buttons[to].click();
    });
    group.append(...buttons);
    field.append(el("span", { class: "field-label", id: labelId, text: d.label }), group);
  } else {
    const select = el("select", { id, name: "dataset.name" });
    /** @type {Map<string, HTMLOptGroupElement>} */
    const groups = new Map();
    for (const ds of allowed) {
      const kind = ds.kind === "classic" ? "Classic data sets" : "Generated";
      let og = groups.get(kind);
      if (!og) { og = el("optgroup", { label: kind }); groups.set(kind, og); }
      og.append(el("option", { value: ds.name, text: ds.title ?? ds.name }));
    }
    select.append(...groups.values());
    if (inline) select.prepend(el("option", { value: INLINE, text: `Inline data (${inline.X.length} points)` }));
    select.value = current;
    select.addEventListener("change", () => choose(select.value));
    field.append(el("label", { htmlFor: id, text: d.label }), select);
  }
  field.append(about, fields, error);
  renderFields();
  return field;
}

/**
 * After param `name` changed: when the dataset list follows it (`x-datasets-by`), switch a dataset that does not
 * suit the new value to the hinted default and build the dataset field again (it offers the datasets for the
 * new value). The caller emits once: one URL update, one run. Returns whether the dataset changed.
 * @param {Controls} ctrl
 * @param {string} name
 * @returns {boolean}
 */
export function followSibling(ctrl, name) {
  if (!followedNames(ctrl.hints).includes(name)) return false;
  const next = followedDataset(ctrl.hints, ctrl.params, { changed: name, datasetDefaults: (n) => ctrl.datasetDefaults(n) });
  if (next) {
    ctrl.params.dataset = next;
    ctrl.clearError("dataset");
  }
  const old = ctrl.container.querySelector('.field[data-path="dataset"]');
  const d = ctrl.desc("dataset");
  if (old && d?.kind === "dataset") old.replaceWith(buildDatasetField(ctrl, d, ctrl.params.dataset, "ctl-dataset")); // controls.js's id for "dataset"
  return next !== null;
}
