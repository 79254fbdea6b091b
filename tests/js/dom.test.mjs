// @ts-check
// Unit tests for static/js/dom.js el(): how attributes and children land, with a tiny stand-in for document.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

/** A minimal element: a few real properties (as the DOM has them), attributes, children. */
class FakeElement {
  /** @param {string} tag */
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    /** @type {Map<string, string>} */
    this.attributes = new Map();
    /** @type {unknown[]} */
    this.children = [];
    this.className = "";
    this.textContent = "";
    this.hidden = false;
    this.disabled = false;
    this.checked = false;
    this.value = "";
    this.htmlFor = "";
  }
  /** @param {string} k @param {unknown} v */
  setAttribute(k, v) { this.attributes.set(k, String(v)); if (k === "hidden") this.hidden = true; }
  /** @param {...unknown} nodes */
  append(...nodes) { this.children.push(...nodes); }
}
/** @type {any} */ (globalThis).document = {
  createElement: (/** @type {string} */ tag) => new FakeElement(tag),
  createElementNS: (/** @type {string} */ ns, /** @type {string} */ tag) => Object.assign(new FakeElement(tag), { namespaceURI: ns }),
};
const { el, svg } = await import("../../static/js/dom.js");

test("class and text; data- and aria- as attributes; properties where the element has them", () => {
  const node = /** @type {any} */ (el("input", { class: "a b", text: "t", "data-path": "k", "aria-label": "K", value: "3", htmlFor: "x" }));
  assert.equal(node.className, "a b");
  assert.equal(node.textContent, "t");
  assert.equal(node.attributes.get("data-path"), "k");
  assert.equal(node.attributes.get("aria-label"), "K");
  assert.equal(node.value, "3");
  assert.equal(node.htmlFor, "x");
  assert.equal(node.attributes.has("value"), false);
});

test("null, undefined and false leave the attribute out; true sets the property", () => {
  const node = /** @type {any} */ (el("button", { disabled: false, title: null, name: undefined, checked: true }));
  assert.equal(node.disabled, false);
  assert.equal(node.checked, true);
  assert.equal(node.attributes.size, 0);
});

test('hidden: "" hides (an HTML boolean attribute), hidden: true too, hidden: false does not', () => {
  assert.equal(/** @type {any} */ (el("div", { hidden: "" })).hidden, true);
  assert.equal(/** @type {any} */ (el("div", { hidden: true })).hidden, true);
  assert.equal(/** @type {any} */ (el("div", { hidden: false })).hidden, false);
});

test("unknown names become attributes; children skip null, undefined and false", () => {
  const child = el("span");
  const node = /** @type {any} */ (el("div", { tabindex: "-1", role: "group" }, child, "text", null, undefined, false));
  assert.equal(node.attributes.get("tabindex"), "-1");
  assert.equal(node.attributes.get("role"), "group");
  assert.deepEqual(node.children, [child, "text"]);
});

test("svg(): SVG-namespace elements, every attribute set as an attribute, children appended", () => {
  const dot = svg("circle", { cx: 3, cy: 4.5, r: 1, class: "dot", fill: null, stroke: false });
  const node = /** @type {any} */ (svg("svg", { viewBox: "0 0 100 100", "aria-hidden": "true" }, dot, null, false));
  assert.equal(node.namespaceURI, "http://www.w3.org/2000/svg");
  assert.equal(node.attributes.get("viewBox"), "0 0 100 100", "viewBox keeps its case (an attribute, not a property)");
  assert.equal(node.attributes.get("aria-hidden"), "true");
  assert.deepEqual(node.children, [dot]);
  const d = /** @type {any} */ (dot);
  assert.equal(d.attributes.get("cx"), "3");
  assert.equal(d.attributes.get("cy"), "4.5");
  assert.equal(d.attributes.get("class"), "dot");
  assert.equal(d.attributes.has("fill"), false);
  assert.equal(d.attributes.has("stroke"), false);
});
