// controls.js: JSON Schema → form. Holds the current params; calls onChange(params) on every edit.

import { buildPoint } from "./click-point.js";
import { buildList, listErrorMessage } from "./list-controls.js";
import { describe, describeObject, resolve } from "./schema.js";

export const MANUAL = "__manual__";
const INLINE = "__inline__";

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};
const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
const fmt = (v) => (typeof v !== "number" ? String(v)
  : v !== 0 && Math.abs(v) < 1e-4 ? String(Number(v.toPrecision(6))) : String(Math.round(v * 1e6) / 1e6)); // eps 1e-8 ≠ 0
const idFor = (path) => `ctl-${path.replace(/[^a-zA-Z0-9_-]+/g, "-")}`;

export class Controls {
  /**
   * @param {HTMLElement} container
   * @param {{schema, defaults, datasets, onChange, onPointsChange}} opts
   */
  constructor(container, { schema, defaults, datasets = [], onChange = () => {}, onPointsChange = () => {} }) {
    this.container = container;
    this.schema = schema;
    this.defaults = clone(defaults ?? {});
    this.datasets = datasets;
    this.onChange = onChange;
    this.onPointsChange = onPointsChange;
    // The algorithm's own knobs first (what the lesson is about), then the data they act on.
    const all = describeObject(schema);
    this.descs = [...all.filter((d) => d.kind !== "dataset"), ...all.filter((d) => d.kind === "dataset")];
    this.params = clone(this.defaults);
    this.points = [];
    this.manual = false;
  }

  desc(name) { return this.descs.find((d) => d.name === name); }
  dataset(name) { return this.datasets.find((d) => d.name === name); }

  /** Default values of a dataset by name (the algorithm default when it names the same dataset). */
  datasetDefaults(name) {
    const algoDefault = this.defaults.dataset;
    if (algoDefault && algoDefault.name === name) return clone(algoDefault);
    return { ...(clone(this.dataset(name)?.defaults) ?? {}), name };
  }

  /** Replace all values (e.g. from the URL) and rebuild the form. */
  setValues(params) {
    this.params = clone(params);
    const click = this.descs.find((d) => d.kind === "click");
    if (click) {
      const v = this.params[click.name];
      this.manual = Array.isArray(v);
      this.points = this.manual ? clone(v) : [];
    }
    this.render();
  }

  values() { return clone(this.params); }

  /** False while manual points are still being placed (the run would be incomplete). */
  ready() {
    const click = this.descs.find((d) => d.kind === "click");
    return !(click && this.manual && this.points.length !== this.pointCount());
  }

  clickField() { return this.descs.find((d) => d.kind === "click") ?? null; }

  pointCount() {
    const d = this.clickField();
    if (!d) return 0;
    const param = d.countParam ?? (this.params.k !== undefined ? "k" : null);
    if (param && Number.isFinite(Number(this.params[param]))) return Number(this.params[param]);
    return d.pointSchema?.minItems ?? 1;
  }

  /** Manual placement state, or null when not in manual mode. */
  clickState() {
    if (!this.manual) return null;
    return { points: clone(this.points), count: this.pointCount() };
  }

  addPoint(point) {
    if (!this.manual) return;
    const count = this.pointCount();
    if (this.points.length >= count) this.points = [];
    this.points.push(point.map((v) => Math.round(v * 1000) / 1000));
    this.syncPoints(true);
  }

  clearPoints() {
    this.points = [];
    this.syncPoints(false);
  }

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

  build(d, value, path, onValue) {
    const id = idFor(path);
    const field = el("div", { class: `field field-${d.kind}`, "data-path": path, "data-kind": d.kind });
    const label = el("label", { htmlFor: id, text: d.label });
    const help = d.help && d.kind !== "dataset" ? el("p", { class: "hint", text: d.help }) : null;
    const error = el("p", { class: "field-error", role: "alert", hidden: true });
    let body;
    switch (d.kind) {
      case "dataset": body = this.buildDataset(d, value, id); break;
      case "click": body = this.buildClick(d, value, id, onValue); break;
      case "point": body = buildPoint(d, value, id, onValue); break;
      case "multi": case "numlist": case "tuple": case "objlist": body = buildList(this, d, value, id, path, onValue); break;
      case "select": {
        body = el("select", { id, name: path });
        for (const o of d.options) body.append(el("option", { value: String(o), text: String(o) }));
        body.value = String(value ?? d.options[0]);
        body.addEventListener("change", () => onValue(d.options.find((o) => String(o) === body.value)));
        break;
      }
      case "checkbox": {
        const box = el("input", { type: "checkbox", id, name: path, checked: Boolean(value) });
        box.addEventListener("change", () => onValue(box.checked));
        field.append(el("label", { class: "check", htmlFor: id }, box, el("span", { text: d.label })), help, error);
        return field;
      }
      case "range": body = d.nullable ? this.buildNumber(d, value, id, path, onValue) : this.buildRange(d, value, id, path, onValue); break;
      case "number": body = this.buildNumber(d, value, id, path, onValue); break;
      case "features": {
        body = el("input", { type: "text", id, name: path, value: Array.isArray(value) ? value.join(",") : (value ?? ""), placeholder: "pca or 0,2" });
        body.addEventListener("change", () => onValue(body.value.trim()));
        break;
      }
      case "text": {
        body = el("input", { type: "text", id, name: path, value: value ?? "" });
        body.addEventListener("change", () => onValue(body.value));
        break;
      }
      default: {
        body = el("textarea", { id, name: path, rows: 3, spellcheck: false, value: value === undefined ? "" : JSON.stringify(value) });
        body.addEventListener("change", () => {
          try { onValue(JSON.parse(body.value)); } catch { this.showError(path, "Not valid JSON."); }
        });
      }
    }
    field.append(...[label, body, help, error].filter(Boolean)); // append(null) would print "null"
    return field;
  }

  buildRange(d, value, id, path, onValue) {
    const toSlider = (v) => (d.log ? Math.log10(v) : v);
    const fromSlider = (s) => {
      if (!d.log) return d.integer ? Math.round(s) : Number(s);
      const v = 10 ** s;
      const digits = Math.max(0, 2 - Math.floor(Math.log10(v)));
      return d.integer ? Math.round(v) : Number(v.toFixed(Math.min(digits, 8)));
    };
    const slider = el("input", {
      type: "range", "aria-label": d.label, name: `${path}__slider`,
      min: toSlider(d.min), max: toSlider(d.max),
      step: d.log ? (Math.log10(d.max) - Math.log10(d.min)) / 200 : d.step,
    });
    const num = el("input", { type: "number", id, name: path, min: d.hardMin, max: d.hardMax, step: "any", inputMode: "decimal" });
    const show = (v) => { num.value = v === null || v === undefined ? "" : fmt(v); slider.value = String(toSlider(Number(v ?? d.min))); };
    show(value);
    slider.addEventListener("input", () => {
      const v = fromSlider(Number(slider.value));
      num.value = fmt(v);
      onValue(v);
    });
    num.addEventListener("change", () => {
      const v = Number(num.value);
      if (num.value === "" || !Number.isFinite(v)) { this.showError(path, "Enter a number."); return; }
      slider.value = String(toSlider(Math.min(Math.max(v, d.min), d.max)));
      onValue(d.integer ? Math.round(v) : v);
    });
    return el("div", { class: "range-row" }, slider, num);
  }

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

  buildDataset(d, value, id) {
    const wrap = el("div", { class: "dataset-control" });
    const select = el("select", { id, name: "dataset.name" });
    const allowed = d.allowed ? this.datasets.filter((ds) => d.allowed.includes(ds.name)) : this.datasets;
    const groups = new Map();
    for (const ds of allowed) {
      const kind = ds.kind === "classic" ? "Classic data sets" : "Generated";
      if (!groups.has(kind)) groups.set(kind, el("optgroup", { label: kind }));
      groups.get(kind).append(el("option", { value: ds.name, text: ds.title ?? ds.name }));
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

  /** Put error messages next to the controls a 422 `loc` names; returns the messages that found no control. */
  showErrors(detail) {
    const leftover = [];
    for (const item of Array.isArray(detail) ? detail : []) {
      const loc = (item.loc ?? []).map(String).filter((p) => p !== "body");
      const parts = loc[0] === "params" ? loc.slice(1) : loc;
      const candidates = [parts.join("."), parts.length > 1 ? `${parts[0]}.${parts[parts.length - 1]}` : null, parts[0]];
      const target = candidates.find((p) => p && this.container.querySelector(`[data-path="${CSS.escape(p)}"]`));
      if (target) this.showError(target, listErrorMessage(this.container.querySelector(`[data-path="${CSS.escape(target)}"]`), parts, item.msg));
      else if (loc[0] === "seed") leftover.push({ path: "seed", msg: item.msg });
      else leftover.push({ path: parts.join("."), msg: item.msg });
    }
    return leftover;
  }

  showError(path, msg) {
    const field = this.container.querySelector(`[data-path="${CSS.escape(path)}"]`);
    const box = field?.querySelector(":scope > .field-error");
    if (!box) return false;
    box.textContent = msg.replace(/^Value error, /, "");
    box.hidden = false;
    field.classList.add("invalid");
    return true;
  }

  clearError(path) {
    const field = this.container.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (!field) return;
    field.classList.remove("invalid");
    const box = field.querySelector(":scope > .field-error");
    if (box) box.hidden = true;
  }

  clearErrors() {
    for (const f of this.container.querySelectorAll(".field.invalid")) f.classList.remove("invalid");
    for (const b of this.container.querySelectorAll(".field-error")) b.hidden = true;
  }
}

export { resolve };
