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
/** @type {any} */ (globalThis).document = { createElement: (/** @type {string} */ tag) => new FakeElement(tag) };
const { el } = await import("../../static/js/dom.js");

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
