// @ts-check
// dom.js: the one element builder every page module uses (controls, list widgets, the data tools, the
// interaction plugins). No other module defines its own.

/**
 * An attribute value: null, undefined and false leave the attribute out (so `disabled: cond` just works);
 * true sets a boolean property (or an empty attribute).
 * @typedef {string | number | boolean | null | undefined} AttrValue
 */

/** A child: nodes and strings are appended; null, undefined and false are skipped (`cond && el(...)`). */
/** @typedef {Node | string | null | undefined | false} Child */

/**
 * `el("button", {class: "btn", text: "Clear", type: "button"}, child...)`.
 *
 * How each attribute is set, in order:
 * * `class` → className, `text` → textContent;
 * * `data-*` and `aria-*` → setAttribute (they have no plain property);
 * * a string for a boolean property (`hidden: ""`) → setAttribute: in HTML the attribute's presence means true,
 *   whereas the property would turn "" into false;
 * * a name the element has as a property (`htmlFor`, `checked`, `value`, `disabled`, `rows`, …) → the property;
 * * anything else (`tabindex`, `for`, …) → setAttribute.
 *
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  /** @type {Record<string, unknown>} */
  const props = /** @type {any} */ (node);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = String(v);
    else if (k === "text") node.textContent = String(v);
    else if (k.startsWith("data-") || k.startsWith("aria-")) node.setAttribute(k, String(v));
    else if (typeof v === "string" && typeof props[k] === "boolean") node.setAttribute(k, v);
    else if (k in node) props[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * An SVG element: `svg("circle", {cx: 3, cy: 4, r: 1})`. Every attribute is set with setAttribute (SVG has
 * no plain properties for them); null, undefined and false leave it out, as in `el`.
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...Child} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = String(v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}
