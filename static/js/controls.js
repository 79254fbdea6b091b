// @ts-check
// controls.js: JSON Schema → form. Holds the current params; calls onChange(params) on every edit.

import { buildPoint } from "./click-point.js";
import { el } from "./dom.js";
import { buildList, listErrorMessage } from "./list-controls.js";
import { describeObject, resolve } from "./schema.js";

/** @typedef {import("./schema.js").Desc} Desc */
/** @typedef {import("./schema.js").NumberDesc} NumberDesc */
/** @typedef {import("./schema.js").ClickDesc} ClickDesc */
/** @typedef {import("./schema.js").DatasetDesc} DatasetDesc */
/** @typedef {import("./schema.js").JsonSchema} JsonSchema */
/** @typedef {Record<string, any>} Params  the lab's params as JSON values (the form edits them in place) */
/**
 * A dataset as GET /api/v1/datasets lists it (the fields the form reads).
 * @typedef {{name: string, title?: string, kind?: string, description?: string, params_schema?: JsonSchema,
 *   defaults?: Params}} DatasetInfo
 */
/** @typedef {(value: any, opts?: {emit?: boolean}) => void} OnValue  a widget reports its new value */
/** @typedef {[number, number]} Point */
/** @typedef {{points: Point[], count: number}} ClickState  manual placement: points so far, how many in all */

export const MANUAL = "__manual__";
const INLINE = "__inline__";

/**
 * @template T
 * @param {T} v
 * @returns {T}
 */
const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
/** @param {unknown} v */
const fmt = (v) => (typeof v !== "number" ? String(v)
  : v !== 0 && Math.abs(v) < 1e-4 ? String(Number(v.toPrecision(6))) : String(Math.round(v * 1e6) / 1e6)); // eps 1e-8 ≠ 0
/** @param {string} path */
const idFor = (path) => `ctl-${path.replace(/[^a-zA-Z0-9_-]+/g, "-")}`;

export class Controls {
  /**
   * @param {HTMLElement} container
   * @param {{schema: JsonSchema, defaults?: Params, datasets?: DatasetInfo[], onChange?: (params: Params) => void,
   *   onPointsChange?: (state: ClickState | null) => void}} opts
   */
  constructor(container, { schema, defaults, datasets = [], onChange = () => {}, onPointsChange = () => {} }) {
    this.container = container;
    this.schema = schema;
    /** @type {Params} */
    this.defaults = clone(defaults ?? {});
    this.datasets = datasets;
    this.onChange = onChange;
    this.onPointsChange = onPointsChange;
    // The algorithm's own knobs first (what the lesson is about), then the data they act on.
    const all = describeObject(schema);
    /** @type {Desc[]} */
    this.descs = [...all.filter((d) => d.kind !== "dataset"), ...all.filter((d) => d.kind === "dataset")];
    /** @type {Params} */
    this.params = clone(this.defaults);
    /** @type {Point[]} manual points placed so far */
    this.points = [];
    this.manual = false;
  }

  /** @param {string} name */
  desc(name) { return this.descs.find((d) => d.name === name); }
  /** @param {string} name */
  dataset(name) { return this.datasets.find((d) => d.name === name); }

  /**
   * Default values of a dataset by name (the algorithm default when it names the same dataset).
   * @param {string} name
   * @returns {Params}
   */
  datasetDefaults(name) {
    const algoDefault = this.defaults.dataset;
    if (algoDefault && algoDefault.name === name) return clone(algoDefault);
    return { ...(clone(this.dataset(name)?.defaults) ?? {}), name };
  }

  /**
   * Replace all values (e.g. from the URL) and rebuild the form.
   * @param {Params} params
   */
  setValues(params) {
    this.params = clone(params);
    const click = this.clickField();
    if (click) {
      const v = this.params[click.name];
      this.manual = Array.isArray(v);
      this.points = this.manual ? clone(v) : [];
    }
    this.render();
  }

  /** @returns {Params} */
  values() { return clone(this.params); }

  /** False while manual points are still being placed (the run would be incomplete). */
  ready() {
    const click = this.clickField();
    return !(click && this.manual && this.points.length !== this.pointCount());
  }

  /** The click-to-place param (schema hint `x-click` with a count), or null. @returns {ClickDesc | null} */
  clickField() {
    const d = this.descs.find((x) => x.kind === "click");
    return d && d.kind === "click" ? d : null;
  }

  pointCount() {
    const d = this.clickField();
    if (!d) return 0;
    const param = d.countParam ?? (this.params.k !== undefined ? "k" : null);
    if (param && Number.isFinite(Number(this.params[param]))) return Number(this.params[param]);
    return d.pointSchema?.minItems ?? 1;
  }

  /** Manual placement state, or null when not in manual mode. @returns {ClickState | null} */
  clickState() {
    if (!this.manual) return null;
    return { points: clone(this.points), count: this.pointCount() };
  }

  /** @param {number[]} point */
  addPoint(point) {
    if (!this.manual) return;
    const count = this.pointCount();
    if (this.points.length >= count) this.points = [];
    this.points.push(/** @type {Point} */ (point.map((v) => Math.round(v * 1000) / 1000)));
    this.syncPoints(true);
  }

  clearPoints() {
    this.points = [];
    this.syncPoints(false);
  }

  /** @param {boolean} emit */
  syncPoints(emit) {
    const d = this.clickField();
    if (!d) return;
    const count = this.pointCount();
    if (this.points.length > count) this.points = this.points.slice(0, count);
    const status = this.container.querySelector(`[data-path="${d.name}"] .click-status`);
    if (status) status.textContent = this.manual ? `${this.points.length} / ${count} points placed — click the plot` : "";
    if (this.points.length === count && count > 0) this.params[d.name] = clone(this.points);
    this.onPointsChange(this.clickState());
    if (emit && this.ready()) this.emit();
  }

  emit() { this.onChange(this.values()); }

  /**
   * @param {string} name
   * @param {unknown} value
   * @param {{emit?: boolean}} [opts]
   */
  set(name, value, { emit = true } = {}) {
    this.params[name] = value;
    this.clearError(name);
    const d = this.clickField();
    if (d && this.manual && name === (d.countParam ?? "k")) this.syncPoints(false);
    if (emit && this.ready()) this.emit();
  }

  render() {
    this.container.innerHTML = "";
    for (const d of this.descs) this.container.append(this.build(d, this.params[d.name], d.name, (v, o) => this.set(d.name, v, o)));
    this.syncPoints(false);
  }

  /**
   * The `.field` for one description: label, widget, help, error line.
   * @param {Desc} d
   * @param {any} value
   * @param {string} path   where the value lives ("k", "dataset.noise", "runs.0.lr"): data-path, error routing
   * @param {OnValue} onValue
   * @returns {HTMLElement}
   */
  build(d, value, path, onValue) {
    const id = idFor(path);
    const field = el("div", { class: `field field-${d.kind}`, "data-path": path, "data-kind": d.kind });
    const label = el("label", { htmlFor: id, text: d.label });
    const help = d.help && d.kind !== "dataset" ? el("p", { class: "hint", text: d.help }) : null;
    const error = el("p", { class: "field-error", role: "alert", hidden: true });
    /** @type {HTMLElement} */
    let body;
    switch (d.kind) {
      case "dataset": body = this.buildDataset(d, value, id); break;
      case "click": body = this.buildClick(d, value, id, onValue); break;
      case "point": body = buildPoint(d, value, id, onValue); break;
      case "multi": case "numlist": case "tuple": case "objlist": body = buildList(this, d, value, id, path, onValue); break;
      case "select": {
        const select = el("select", { id, name: path });
        for (const o of d.options) select.append(el("option", { value: String(o), text: String(o) }));
        select.value = String(value ?? d.options[0]);
        select.addEventListener("change", () => onValue(d.options.find((o) => String(o) === select.value)));
        body = select;
        break;
      }
      case "checkbox": {
        const box = el("input", { type: "checkbox", id, name: path, checked: Boolean(value) });
        box.addEventListener("change", () => onValue(box.checked));
        field.append(el("label", { class: "check", htmlFor: id }, box, el("span", { text: d.label })), ...(help ? [help] : []), error);
        return field;
      }
      case "range": body = d.nullable ? this.buildNumber(d, value, id, path, onValue) : this.buildRange(d, value, id, path, onValue); break;
      case "number": body = this.buildNumber(d, value, id, path, onValue); break;
      case "features": {
        const input = el("input", { type: "text", id, name: path, value: Array.isArray(value) ? value.join(",") : (value ?? ""), placeholder: "pca or 0,2" });
        input.addEventListener("change", () => onValue(input.value.trim()));
        body = input;
        break;
      }
      case "text": {
        const input = el("input", { type: "text", id, name: path, value: value ?? "" });
        input.addEventListener("change", () => onValue(input.value));
        body = input;
        break;
      }
      default: {
        const area = el("textarea", { id, name: path, rows: 3, spellcheck: false, value: value === undefined ? "" : JSON.stringify(value) });
        area.addEventListener("change", () => {
          try { onValue(JSON.parse(area.value)); } catch { this.showError(path, "Not valid JSON."); }
        });
        body = area;
      }
    }
    field.append(label, body, ...(help ? [help] : []), error); // append(null) would print "null"
    return field;
  }

  /**
   * A slider with a number box beside it (log-scaled when the schema says so).
   * @param {NumberDesc} d
   * @param {unknown} value
   * @param {string} id
   * @param {string} path
   * @param {OnValue} onValue
   */
  buildRange(d, value, id, path, onValue) {
    const lo = d.min ?? 0;
    const hi = d.max ?? 1;
    /** @param {number} v */
    const toSlider = (v) => (d.log ? Math.log10(v) : v);
    /** @param {number} s */
    const fromSlider = (s) => {
      if (!d.log) return d.integer ? Math.round(s) : Number(s);
      const v = 10 ** s;
      const digits = Math.max(0, 2 - Math.floor(Math.log10(v)));
      return d.integer ? Math.round(v) : Number(v.toFixed(Math.min(digits, 8)));
    };
    const slider = el("input", {
      type: "range", "aria-label": d.label, name: `${path}__slider`,
      min: toSlider(lo), max: toSlider(hi),
      step: d.log ? (Math.log10(hi) - Math.log10(lo)) / 200 : d.step,
    });
    const num = el("input", { type: "number", id, name: path, min: d.hardMin, max: d.hardMax, step: "any", inputMode: "decimal" });
    /** @param {unknown} v */
    const show = (v) => { num.value = v === null || v === undefined ? "" : fmt(v); slider.value = String(toSlider(Number(v ?? lo))); };
    show(value);
    slider.addEventListener("input", () => {
      const v = fromSlider(Number(slider.value));
      num.value = fmt(v);
      onValue(v);
    });
    num.addEventListener("change", () => {
      const v = Number(num.value);
      if (num.value === "" || !Number.isFinite(v)) { this.showError(path, "Enter a number."); return; }
      slider.value = String(toSlider(Math.min(Math.max(v, lo), hi)));
      onValue(d.integer ? Math.round(v) : v);
    });
    return el("div", { class: "range-row" }, slider, num);
  }

  /**
   * A number box (empty = null when the param is nullable).
   * @param {NumberDesc} d
   * @param {unknown} value
   * @param {string} id
   * @param {string} path
   * @param {OnValue} onValue
   */
  buildNumber(d, value, id, path, onValue) {
    const num = el("input", {
      type: "number", id, name: path, value: value === null || value === undefined ? "" : fmt(value),
      min: d.min, max: d.max, step: d.step ?? "any", placeholder: d.nullable ? "none" : undefined,
    });
    num.addEventListener("change", () => {
      if (num.value === "" && d.nullable) { onValue(null); return; }
      const v = Number(num.value);
      if (num.value === "" || !Number.isFinite(v)) { this.showError(path, "Enter a number."); return; }
      onValue(d.integer ? Math.round(v) : v);
    });
    return num;
  }

  /**
   * Named options plus "manual (click the plot)"; in manual mode the points come from clicks (the place-points
   * interaction calls addPoint) and the run waits until all are placed.
   * @param {ClickDesc} d
   * @param {unknown} value
   * @param {string} id
   * @param {OnValue} onValue
   */
  buildClick(d, value, id, onValue) {
    const select = el("select", { id, name: d.name });
    for (const o of d.options) select.append(el("option", { value: String(o), text: String(o) }));
    select.append(el("option", { value: MANUAL, text: "manual (click the plot)" }));
    select.value = this.manual ? MANUAL : String(value ?? d.options[0]);
    const status = el("p", { class: "click-status", "aria-live": "polite" });
    const clear = el("button", { type: "button", class: "button ghost small clear-points", text: "Clear points" });
    const extra = el("div", { class: "click-extra", hidden: !this.manual }, status, clear);
    select.addEventListener("change", () => {
      this.manual = select.value === MANUAL;
      extra.hidden = !this.manual;
      if (this.manual) {
        this.points = [];
        this.syncPoints(false);
        return; // wait for the clicks; the run starts once all points are placed
      }
      this.points = [];
      this.onPointsChange(null);
      onValue(d.options.find((o) => String(o) === select.value));
    });
    clear.addEventListener("click", () => this.clearPoints());
    return el("div", { class: "click-control" }, select, extra);
  }

  /**
   * The dataset picker (grouped generated / classic) and the chosen dataset's own fields.
   * @param {DatasetDesc} d
   * @param {any} value
   * @param {string} id
   */
  buildDataset(d, value, id) {
    const wrap = el("div", { class: "dataset-control" });
    const select = el("select", { id, name: "dataset.name" });
    const allowed = d.allowed ? this.datasets.filter((ds) => d.allowed?.includes(ds.name)) : this.datasets;
    /** @type {Map<string, HTMLOptGroupElement>} */
    const groups = new Map();
    for (const ds of allowed) {
      const kind = ds.kind === "classic" ? "Classic data sets" : "Generated";
      let group = groups.get(kind);
      if (!group) { group = el("optgroup", { label: kind }); groups.set(kind, group); }
      group.append(el("option", { value: ds.name, text: ds.title ?? ds.name }));
    }
    for (const g of groups.values()) select.append(g);
    const inline = value && Array.isArray(value.X);
    if (inline) select.prepend(el("option", { value: INLINE, text: `Inline data (${value.X.length} points)` }));
    select.value = inline ? INLINE : String(value?.name ?? "");
    const about = el("p", { class: "hint dataset-about" });
    const fields = el("div", { class: "dataset-fields" });
    const renderFields = () => {
      fields.innerHTML = "";
      const current = this.params.dataset ?? {};
      const ds = this.dataset(current.name);
      about.textContent = ds?.description ?? "";
      if (!ds || Array.isArray(current.X)) return;
      for (const fd of describeObject(ds.params_schema ?? {}, { skip: ["name"] })) {
        const fpath = `dataset.${fd.name}`;
        fields.append(this.build(fd, current[fd.name], fpath, (v) => {
          this.params.dataset = { ...this.params.dataset, [fd.name]: v };
          this.clearError(fpath);
          if (this.ready()) this.emit();
        }));
      }
    };
    select.addEventListener("change", () => {
      if (select.value === INLINE) return;
      this.params.dataset = this.datasetDefaults(select.value);
      this.clearError("dataset");
      renderFields();
      if (this.ready()) this.emit();
    });
    wrap.append(select, about, fields);
    queueMicrotask(renderFields);
    return wrap;
  }

  /**
   * Put error messages next to the controls a 422 `loc` names; returns the messages that found no control.
   * @param {unknown} detail  pydantic's list of `{loc, msg}`
   * @returns {{path: string, msg: string}[]}
   */
  showErrors(detail) {
    /** @type {{path: string, msg: string}[]} */
    const leftover = [];
    for (const item of Array.isArray(detail) ? detail : []) {
      const loc = (item.loc ?? []).map(String).filter((/** @type {string} */ p) => p !== "body");
      const parts = loc[0] === "params" ? loc.slice(1) : loc;
      const candidates = [parts.join("."), parts.length > 1 ? `${parts[0]}.${parts[parts.length - 1]}` : null, parts[0]];
      const target = candidates.find((p) => p && this.container.querySelector(`[data-path="${CSS.escape(p)}"]`));
      const field = target ? /** @type {HTMLElement | null} */ (this.container.querySelector(`[data-path="${CSS.escape(target)}"]`)) : null;
      if (target && field) this.showError(target, listErrorMessage(field, parts, item.msg));
      else if (loc[0] === "seed") leftover.push({ path: "seed", msg: item.msg });
      else leftover.push({ path: parts.join("."), msg: item.msg });
    }
    return leftover;
  }

  /**
   * @param {string} path
   * @param {string} msg
   */
  showError(path, msg) {
    const field = this.container.querySelector(`[data-path="${CSS.escape(path)}"]`);
    const box = /** @type {HTMLElement | null | undefined} */ (field?.querySelector(":scope > .field-error"));
    if (!field || !box) return false;
    box.textContent = msg.replace(/^Value error, /, "");
    box.hidden = false;
    field.classList.add("invalid");
    return true;
  }

  /** @param {string} path */
  clearError(path) {
    const field = this.container.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (!field) return;
    field.classList.remove("invalid");
    const box = /** @type {HTMLElement | null} */ (field.querySelector(":scope > .field-error"));
    if (box) box.hidden = true;
  }

  clearErrors() {
    for (const f of this.container.querySelectorAll(".field.invalid")) f.classList.remove("invalid");
    for (const b of /** @type {NodeListOf<HTMLElement>} */ (this.container.querySelectorAll(".field-error"))) b.hidden = true;
  }
}

export { resolve };
