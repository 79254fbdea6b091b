// @ts-check
// choice-control.js: the widget for "a word or a number" (kind "choice", choice-schema.js): a select of the
// words (read through `x-labels`) plus "a number…", which shows a number box. The value is the word, or the
// number typed (a JSON number: 1 is a count, 0.5 a share, as the schema's branches say).

import { NUMBER_OPTION } from "./choice-schema.js";
import { el } from "./dom.js";
import { optionLabel } from "./schema.js";

/** @typedef {import("./controls.js").OnValue} OnValue */
/** @typedef {import("./choice-schema.js").ChoiceDesc} ChoiceDesc */

/** @param {number} v */
const fmt = (v) => String(Math.round(v * 1e9) / 1e9);

/**
 * The number the box starts from when "a number…" is picked with nothing typed yet: the lowest the schema
 * allows, else 1 clamped into range.
 * @param {ChoiceDesc} d
 * @returns {number}
 */
export const startNumber = (d) => d.min ?? Math.min(1, d.max ?? 1);

/**
 * What the number box says it allows: "1 to 2", "at most 2", "at least 1", or nothing.
 * @param {ChoiceDesc} d
 * @returns {string}
 */
export function numberRange(d) {
  if (d.min !== undefined && d.max !== undefined) return `${fmt(d.min)} to ${fmt(d.max)}`;
  if (d.max !== undefined) return `at most ${fmt(d.max)}`;
  return d.min !== undefined ? `at least ${fmt(d.min)}` : "";
}

/**
 * @param {ChoiceDesc} d
 * @param {unknown} value
 * @param {string} id
 * @param {string} path
 * @param {OnValue} onValue
 * @param {() => void} onNotANumber  the box holds text that is not a number
 * @returns {HTMLElement}
 */
export function buildChoice(d, value, id, path, onValue, onNotANumber) {
  const isNumber = typeof value === "number" && Number.isFinite(value);
  const select = el("select", { id, name: path });
  for (const o of d.options) select.append(el("option", { value: o, text: optionLabel(d, o) }));
  select.append(el("option", { value: NUMBER_OPTION, text: "a number…" }));
  select.value = isNumber ? NUMBER_OPTION : String(d.options.find((o) => o === value) ?? d.options[0]);
  const boxId = `${id}-number`;
  const range = numberRange(d);
  const box = el("input", {
    type: "number", id: boxId, name: `${path}.number`, inputMode: d.integer ? "numeric" : "decimal",
    min: d.min, max: d.max, step: d.step, value: isNumber ? fmt(value) : "",
  });
  const row = el("div", { class: "choice-number", hidden: !isNumber },
    el("label", { htmlFor: boxId, text: range ? `Number (${range})` : "Number" }), box);
  /** Report the box's number; false when it holds none. */
  const sendNumber = () => {
    const n = Number(box.value);
    if (box.value.trim() === "" || !Number.isFinite(n)) return false;
    onValue(d.integer ? Math.round(n) : n);
    return true;
  };
  select.addEventListener("change", () => {
    row.hidden = select.value !== NUMBER_OPTION;
    if (row.hidden) { onValue(select.value); return; }
    if (box.value.trim() === "") box.value = fmt(startNumber(d)); // the select and the params agree at once
    sendNumber();
  });
  box.addEventListener("change", () => { if (!sendNumber()) onNotANumber(); });
  return el("div", { class: "choice-control" }, select, row);
}
