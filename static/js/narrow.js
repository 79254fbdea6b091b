// @ts-check
// narrow.js: a scene's own layout for a narrow plot (a phone). A view whose panels cannot shrink to a phone's
// width sends `x-narrow` in its scene: {width, layout, data, annotations_off, height}; below `width` CSS pixels
// the composed figure takes that layout over its own, those trace patches (by trace index) and drops the
// annotations drawn on the axes named in `annotations_off` (e.g. the tree diagram's node boxes, whose words stay
// in the hover). `height` (px) asks for a taller plot than a phone's default: panels stacked one above another
// need it (the page caps it so the plot still ends inside the screen). Pure: node --test imports it.

import { deepMerge } from "./compose.js";

/** @typedef {import("./compose.js").Figure} Figure */
/**
 * @typedef {{width: number, layout?: Record<string, any>, data?: Record<string, Record<string, any>>,
 *   annotations_off?: string[], height?: number}} NarrowSpec
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

/** The least room (px) a tall narrow plot leaves below itself on the screen: the header above it and a margin. */
export const SCREEN_MARGIN = 130;

/**
 * The CSS height a plot `width` px wide should have for `figure`, or "" (the page's own) when the figure asks
 * for none or is not narrow there: its `x-narrow.height`, at most the screen's height less `SCREEN_MARGIN`.
 * @param {unknown} figure
 * @param {number} width
 * @returns {string}
 */
export function narrowHeight(figure, width) {
  const spec = narrowSpec(figure);
  if (!spec || !(width > 0) || width >= spec.width || !(Number(spec.height) > 0)) return "";
  return `min(${Math.round(Number(spec.height))}px, calc(100svh - ${SCREEN_MARGIN}px))`;
}
