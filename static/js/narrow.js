// @ts-check
// narrow.js: a scene's own layout for a narrow plot (a phone). A view whose panels cannot shrink to a phone's
// width sends `x-narrow` in its scene: {width, layout, data, annotations_off}; below `width` CSS pixels the
// composed figure takes that layout over its own, those trace patches (by trace index) and drops the
// annotations drawn on the axes named in `annotations_off` (e.g. the tree diagram's node boxes, whose words stay
// in the hover). Pure: node --test imports it.

import { deepMerge } from "./compose.js";

/** @typedef {import("./compose.js").Figure} Figure */
/**
 * @typedef {{width: number, layout?: Record<string, any>, data?: Record<string, Record<string, any>>,
 *   annotations_off?: string[]}} NarrowSpec
 */

/**
 * The scene's narrow layout spec, if it has one.
 * @param {unknown} figure
 * @returns {NarrowSpec | null}
 */
export function narrowSpec(figure) {
  const spec = /** @type {Record<string, any> | null} */ (figure && typeof figure === "object" ? figure : null)?.["x-narrow"];
  return spec && typeof spec === "object" && Number.isFinite(spec.width) ? /** @type {NarrowSpec} */ (spec) : null;
}

/**
 * `figure` as a plot `width` px wide shows it: unchanged when it has no `x-narrow` or is at least that wide.
 * @param {Figure & Record<string, any>} figure
 * @param {number} width  the plot's width in CSS pixels (0: not laid out yet, left as it is)
 * @returns {Figure}
 */
export function narrowed(figure, width) {
  const spec = narrowSpec(figure);
  if (!spec || !(width > 0) || width >= spec.width) return figure;
  const patches = spec.data ?? {};
  const data = (figure.data ?? []).map((trace, j) => (patches[String(j)] ? deepMerge(trace ?? {}, patches[String(j)]) : trace));
  const layout = deepMerge(figure.layout ?? {}, spec.layout ?? {});
  const off = new Set(spec.annotations_off ?? []);
  if (Array.isArray(layout.annotations)) layout.annotations = layout.annotations.filter((/** @type {Record<string, any>} */ a) => !off.has(a?.xref));
  return { ...figure, data, layout };
}
