// @ts-check
// click-point.js: the widget of a single-point param (a [x, y] set by clicking the main plot).
// Schema hint: `"x-click": {"mode": "set"}` on a [x, y] param (nullable: null = the lab's own default); the click
// itself is the set-point interaction (interactions/set-point.js), declared by the lab's scene.
// The widget shows the point and a "Default" button.

import { el } from "./dom.js";

/** @param {number} v */
const round = (v) => Math.round(v * 1000) / 1000;

/**
 * A point as the widget shows it: "(0.5, -1.25)", or "default" for null.
 * @param {unknown} value
 */
export const pointText = (value) => (Array.isArray(value) ? `(${value.map(round).join(", ")})` : "default");

/**
 * The widget for a point param: its value as text, and a button back to the default (null).
 * @param {{nullable?: boolean}} d  the control description (schema.js)
 * @param {unknown} value
 * @param {string} id
 * @param {(value: number[] | null) => void} onValue
 * @returns {HTMLElement}
 */
export function buildPoint(d, value, id, onValue) {
  const text = el("output", { id, class: "point-value", text: pointText(value) });
  const wrap = el("div", { class: "point-control" }, text, el("span", { class: "hint", text: " — click the plot to move it" }));
  if (d.nullable) {
    const reset = el("button", { type: "button", class: "button ghost small", text: "Default" });
    reset.addEventListener("click", () => { text.textContent = pointText(null); onValue(null); });
    wrap.append(reset);
  }
  return wrap;
}

/**
 * Set the point param `name` of `controls` to the plot coordinates `point` (rounded), showing it in the widget.
 * @param {import("./controls.js").Controls} controls
 * @param {string} name
 * @param {[number, number]} point
 */
export function setPoint(controls, name, point) {
  const value = point.map(round);
  const out = controls.container.querySelector(`[data-path="${CSS.escape(name)}"] .point-value`);
  if (out) out.textContent = pointText(value);
  controls.set(name, value);
}
