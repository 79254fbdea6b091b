// @ts-check
// number-inputs.js: the two number widgets of the form: a slider with a typed box beside it (log-scaled when
// the schema says so), and a plain number box (empty = null for a nullable param). controls.js and the list
// widgets (list-controls.js, through Controls) use them.

import { el } from "./dom.js";

/** @typedef {import("./schema.js").NumberDesc} NumberDesc */
/** @typedef {import("./controls.js").OnValue} OnValue */

/** A number as the box shows it (no float noise; tiny values like eps 1e-8 stay ≠ 0). @param {unknown} v */
export const fmt = (v) => (typeof v !== "number" ? String(v)
  : v !== 0 && Math.abs(v) < 1e-4 ? String(Number(v.toPrecision(6))) : String(Math.round(v * 1e6) / 1e6));

/**
 * A slider with a number box beside it (log-scaled when the schema says so).
 * @param {NumberDesc} d
 * @param {unknown} value
 * @param {string} id
 * @param {string} path
 * @param {OnValue} onValue
 * @param {() => void} onBad  the box holds something that is not a number
 * @returns {HTMLElement}
 */
export function buildRange(d, value, id, path, onValue, onBad) {
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
    if (num.value === "" || !Number.isFinite(v)) { onBad(); return; }
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
 * @param {() => void} onBad  the box holds something that is not a number
 * @returns {HTMLInputElement}
 */
export function buildNumber(d, value, id, path, onValue, onBad) {
  const num = el("input", {
    type: "number", id, name: path, value: value === null || value === undefined ? "" : fmt(value),
    min: d.min, max: d.max, step: d.step ?? "any", placeholder: d.nullable ? "none" : undefined,
  });
  num.addEventListener("change", () => {
    if (num.value === "" && d.nullable) { onValue(null); return; }
    const v = Number(num.value);
    if (num.value === "" || !Number.isFinite(v)) { onBad(); return; }
    onValue(d.integer ? Math.round(v) : v);
  });
  return num;
}
