// @ts-check
// controls.js: JSON Schema → form. Holds the current params; calls onChange(params) on every edit.
// The form: the dataset picker first (dataset-picker.js), then the controls under the headings Data / Model /
// Training / Display (`x-group`), each shown only while its `x-visible-when` holds (field-groups.js); a 422's
// errors in plain words next to their controls (plain-errors.js). A dataset list that follows a sibling param
// (`x-datasets-by`, a decision tree's `task`) is task-datasets.js's: the picker offers what suits the sibling.

import { buildPoint } from "./click-point.js";
import { buildDatasetField, followSibling, previewableNames } from "./dataset-picker.js";
import { el } from "./dom.js";
import { groupDescs, hiddenNames } from "./field-groups.js";
import { buildList, listErrorMessage } from "./list-controls.js";
import { LIST_KINDS } from "./list-schema.js";
import { buildNumber, buildRange } from "./number-inputs.js";
import { plainErrors } from "./plain-errors.js";
import { describeObject, optionLabel, resolve } from "./schema.js";
import { followedDataset, hintedDefault, taskHints } from "./task-datasets.js";
import { buildPluginWidget } from "./widgets/registry.js";

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

/** @template T @param {T} v @returns {T} */
const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
/** @param {string} path */
const idFor = (path) => `ctl-${path.replace(/[^a-zA-Z0-9_-]+/g, "-")}`;

export class Controls {
  /**
   * @param {HTMLElement} container
   * @param {{schema: JsonSchema, defaults?: Params, datasets?: DatasetInfo[], onChange?: (params: Params) => void,
   *   onPointsChange?: (state: ClickState | null) => void, previewable?: string[]}} opts  previewable: the
   *   dataset names `GET /api/v1/datasets/{name}` serves (else the picker asks the catalogue itself)
   */
  constructor(container, { schema, defaults, datasets = [], onChange = () => {}, onPointsChange = () => {}, previewable }) {
    this.container = container;
    this.schema = schema;
    /** @type {Params} */
    this.defaults = clone(defaults ?? {});
    this.datasets = datasets;
    this.onChange = onChange;
    this.onPointsChange = onPointsChange;
    /** @type {string[] | null} */
    this.previewable = previewable ?? null;
    /** The lab lists datasets of its own (`x-datasets`, PCA's tables), not the shared catalogue. */
    this.ownDatasets = Array.isArray(resolve(schema, schema).properties?.dataset?.["x-datasets"]);
    if (this.ownDatasets && !this.previewable) void previewableNames();
    /** The dataset list follows a sibling's value (`x-datasets-by` / `x-default-by`), or null. */
    this.hints = taskHints(schema);
    /** @type {Desc[]} top-level controls in schema order (render() groups them) */
    this.descs = describeObject(schema);
    /** Where the page's "Your own data" tools go: right under the dataset picker, kept across re-renders. */
    this.dataSlot = el("div", { class: "dataset-extra", id: "dataset-extra" });
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
   * Default values of a dataset by name: the algorithm default when it names the same dataset, else the one an
   * `x-default-by` hint gives for it (the lab's regression default), else the dataset's own.
   * @param {string} name
   * @returns {Params}
   */
  datasetDefaults(name) {
    const algoDefault = this.defaults.dataset;
    if (algoDefault && algoDefault.name === name) return clone(algoDefault);
    return hintedDefault(this.hints, name) ?? { ...(clone(this.dataset(name)?.defaults) ?? {}), name };
  }

  /**
   * Replace all values (e.g. from the URL) and rebuild the form.
   * @param {Params} params
   */
  setValues(params) {
    this.params = clone(params);
    // A dataset that does not suit its sibling's value (a hand-made link) becomes the one the hint gives.
    const followed = followedDataset(this.hints, this.params, { datasetDefaults: (n) => this.datasetDefaults(n) });
    if (followed) this.params.dataset = followed;
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
    followSibling(this, name); // the picker offers the datasets for the new value (one emit below, one run)
    this.refresh();
    const d = this.clickField();
    if (d && this.manual && name === (d.countParam ?? "k")) this.syncPoints(false);
    if (emit && this.ready()) this.emit();
  }

  /** Build the whole form from the params: one fieldset per group, the dataset (and its slot) first. */
  render() {
    this.container.replaceChildren();
    for (const g of groupDescs(this.descs)) {
      const box = el("fieldset", { class: "control-group", "data-group": g.id }, el("legend", { class: "group-title", text: g.title }));
      for (const d of g.descs) {
        box.append(this.build(d, this.params[d.name], d.name, (v, o) => this.set(d.name, v, o)));
        if (d.kind === "dataset") box.append(this.dataSlot);
      }
      this.container.append(box);
    }
    this.refresh();
    this.syncPoints(false);
  }

  /**
   * Show only the controls that apply to the current values (`x-visible-when`), and only the groups with a
   * control showing. Hidden controls keep their values.
   */
  refresh() {
    const hidden = hiddenNames(this.descs, this.params);
    for (const box of /** @type {NodeListOf<HTMLFieldSetElement>} */ (this.container.querySelectorAll(":scope > fieldset.control-group"))) {
      let shown = 0;
      for (const f of /** @type {NodeListOf<HTMLElement>} */ (box.querySelectorAll(":scope > .field[data-path]"))) {
        f.hidden = hidden.has(f.dataset.path ?? "");
        if (!f.hidden) shown += 1;
      }
      box.hidden = shown === 0;
    }
    this.dataSlot.hidden = hidden.has("dataset"); // "Your own data" goes with the dataset picker it feeds
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
    const help = d.help ? el("p", { class: "hint", id: `${id}-help`, text: d.help }) : null;
    const error = el("p", { class: "field-error", role: "alert", hidden: true });
    /** @type {HTMLElement} */
    let body;
    switch (d.kind) {
      case "dataset": return buildDatasetField(this, d, value, id);
      case "click": body = this.buildClick(d, value, id, onValue); break;
      case "point": body = buildPoint(d, value, id, onValue); break;
      case "plugin": body = buildPluginWidget({ controls: this, desc: d, value, id, path, onValue, showError: (m) => this.showError(path, m) }); break;
      case "multi": case "numlist": case "tuple": case "objlist": case "object": case "choice":
        body = buildList(this, d, value, id, path, onValue); break; // list-controls.js: lists, one object, word|number
      case "select": {
        const select = el("select", { id, name: path });
        for (const o of d.options) select.append(el("option", { value: String(o), text: optionLabel(d, o) }));
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
   * A slider with a number box beside it (number-inputs.js); a box that is not a number gets a plain message.
   * @param {NumberDesc} d
   * @param {unknown} value
   * @param {string} id
   * @param {string} path
   * @param {OnValue} onValue
   */
  buildRange(d, value, id, path, onValue) { return buildRange(d, value, id, path, onValue, () => this.notANumber(d, path)); }

  /**
   * A number box (empty = null when the param is nullable).
   * @param {NumberDesc} d
   * @param {unknown} value
   * @param {string} id
   * @param {string} path
   * @param {OnValue} onValue
   */
  buildNumber(d, value, id, path, onValue) { return buildNumber(d, value, id, path, onValue, () => this.notANumber(d, path)); }

  /**
   * "Learning rate must be a number (allowed: …)" under a box whose text is not a number.
   * @param {NumberDesc} d
   * @param {string} path
   */
  notANumber(d, path) {
    const [plain] = plainErrors([{ type: d.integer ? "int_parsing" : "float_parsing", loc: ["params", ...path.split(".")] }], this.schema);
    this.showError(path, plain?.message ?? "Enter a number");
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
    for (const o of d.options) select.append(el("option", { value: String(o), text: optionLabel(d, o) }));
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
   * A 422 detail in plain words, one message per error ("Number of neighbours (k) must be at most 20 (allowed:
   * 1 to 20)"): for the page's caption.
   * @param {unknown} detail  pydantic's list of `{type, loc, msg}`
   * @returns {string[]}
   */
  plainMessages(detail) { return plainErrors(detail, this.schema).map((e) => e.message); }

  /**
   * Put each error of a 422 detail, in plain words, next to the control its `loc` names and scroll the first
   * such control into view (inside whatever scrolls); returns the errors that found no (visible) control.
   * @param {unknown} detail  pydantic's list of `{type, loc, msg}`
   * @returns {{path: string, msg: string}[]}
   */
  showErrors(detail) {
    /** @type {{path: string, msg: string}[]} */
    const leftover = [];
    const plain = plainErrors(detail, this.schema);
    /** @type {HTMLElement | null} */
    let first = null;
    (Array.isArray(detail) ? detail : []).forEach((item, i) => {
      const { path, message } = plain[i] ?? { path: "", message: String(item?.msg ?? "") };
      const loc = (item?.loc ?? []).map(String).filter((/** @type {string} */ p) => p !== "body");
      const raw = loc[0] === "params" ? loc.slice(1) : loc;
      const parts = path ? path.split(".") : raw;
      /** @param {string | null} p */
      const fieldAt = (p) => (p ? /** @type {HTMLElement | null} */ (this.container.querySelector(`[data-path="${CSS.escape(p)}"]`)) : null);
      // A list's error goes on the list (listErrorMessage marks the item inside); others on the deepest field.
      const candidates = LIST_KINDS.has(fieldAt(parts[0])?.dataset.kind ?? "") ? [parts[0]]
        : [parts.join("."), parts.length > 1 ? `${parts[0]}.${parts[parts.length - 1]}` : null, parts[0]];
      const target = candidates.find((p) => { const f = fieldAt(p); return f && !f.closest("[hidden]"); });
      const field = target ? fieldAt(target) : null;
      if (target && field && loc[0] !== "seed") {
        this.showError(target, listErrorMessage(field, parts, message));
        first ??= field;
      } else leftover.push({ path: loc[0] === "seed" ? "seed" : path || parts.join("."), msg: message });
    });
    if (first) /** @type {HTMLElement} */ (first).scrollIntoView({ block: "nearest" });
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
