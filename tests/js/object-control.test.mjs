// @ts-check
// The one-object widget (static/js/object-control.js, bagging's base model), the word-or-number widget
// (static/js/choice-control.js, a forest's max_features) and the objlist's tag select words: the value each
// emits on a select change or a number edit. The schemas are the API's (tests/js/fixtures); the DOM is a tiny
// stand-in (elements that hold children, properties and listeners), and the form a fake whose build() records
// each sub-field it is asked for.

import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";

import { describeObject } from "../../static/js/schema.js";
import { clone, lab } from "./helpers.mjs";

/** A minimal element: the properties the widgets set and read, children, listeners. */
class FakeElement {
  /** @param {string} tag */
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    /** @type {Map<string, string>} */
    this.attributes = new Map();
    /** @type {FakeElement[]} */
    this.children = [];
    /** @type {Record<string, string>} */
    this.dataset = {};
    /** @type {Map<string, (() => void)[]>} */
    this.listeners = new Map();
    this.className = "";
    this.textContent = "";
    this.innerHTML = "";
    this.hidden = false;
    this.disabled = false;
    this.value = "";
    this.htmlFor = "";
    this.id = "";
    this.name = "";
    this.title = "";
    this.type = "";
    this.inputMode = "";
    /** @type {unknown} what el() set: a number stays a number here (the DOM would keep "2") */
    this.min = "";
    /** @type {unknown} */
    this.max = "";
    /** @type {unknown} */
    this.step = "";
  }
  /** @param {string} k @param {unknown} v */
  setAttribute(k, v) { this.attributes.set(k, String(v)); }
  /** @param {...FakeElement} nodes */
  append(...nodes) { this.children.push(...nodes); }
  /** @param {FakeElement} fresh @param {FakeElement} old */
  replaceChild(fresh, old) { this.children[this.children.indexOf(old)] = fresh; }
  /** @param {string} type @param {() => void} fn */
  addEventListener(type, fn) { this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]); }
  /** @param {string} type */
  fire(type) { for (const fn of this.listeners.get(type) ?? []) fn(); }
  querySelector() { return null; }
  querySelectorAll() { return []; }
  /** @param {string} tag @returns {FakeElement[]} every descendant with that tag, in document order */
  all(tag) { return this.children.flatMap((c) => [...(c.tagName === tag.toUpperCase() ? [c] : []), ...c.all(tag)]); }
}
/** @type {any} */ (globalThis).document = { createElement: (/** @type {string} */ tag) => new FakeElement(tag) };

const { buildObject } = await import("../../static/js/object-control.js");
const { buildChoice } = await import("../../static/js/choice-control.js");
const { buildList } = await import("../../static/js/list-controls.js");
const { NUMBER_OPTION } = await import("../../static/js/choice-schema.js");

/** @typedef {{sub: any, shown: unknown, path: string, onValue: (v: unknown) => void}} Built */

/** A stand-in for Controls: build() returns an empty field and remembers what it was asked for. */
function fakeForm() {
  /** @type {Built[]} */
  const built = [];
  const ctrl = {
    built,
    /** @param {any} sub @param {unknown} shown @param {string} path @param {(v: unknown) => void} onValue */
    build: (sub, shown, path, onValue) => { built.push({ sub, shown, path, onValue }); return new FakeElement("div"); },
    showError: () => true,
  };
  return ctrl;
}

/** @param {string} id @param {string} name @returns {any} */
const descOf = (id, name) => describeObject(lab(id).params_schema).find((d) => d.name === name);

/** @param {any} node */
const asFake = (node) => /** @type {FakeElement} */ (/** @type {unknown} */ (node));

/** @param {FakeElement} select @param {string} value */
function pick(select, value) {
  select.value = value;
  select.fire("change");
}

suite("one object param: bagging's base model", () => {
  const d = descOf("bagging", "estimator");
  const start = clone(lab("bagging").defaults.estimator);

  test("the select shows the models' words, holds the tag, and the tree's depth comes from the value", () => {
    assert.equal(d.kind, "object");
    const form = fakeForm();
    const wrap = asFake(buildObject(/** @type {any} */ (form), d, start, "ctl-estimator", "estimator", () => {}));
    const [select] = wrap.all("select");
    assert.equal(select.id, "ctl-estimator", "the field's label points at the select");
    assert.deepEqual(select.children.map((o) => o.textContent),
      ["Logistic regression", "k-nearest neighbours", "Decision tree", "SVM (RBF kernel)", "Gaussian naive Bayes"]);
    assert.deepEqual(select.children.map((o) => o.value), d.variants.map((/** @type {any} */ v) => v.tag));
    assert.equal(select.value, "decision_tree");
    assert.deepEqual(form.built.map((b) => [b.path, b.shown, b.sub.kind]), [["estimator.max_depth", 6, "number"]]);
  });

  test("k-NN with 7 neighbours: a switch emits the new tag, an edit of its field the whole object", () => {
    const form = fakeForm();
    /** @type {unknown[]} */
    const sent = [];
    const wrap = asFake(buildObject(/** @type {any} */ (form), d, start, "ctl-estimator", "estimator", (v) => sent.push(v)));
    pick(wrap.all("select")[0], "knn");
    assert.deepEqual(sent.pop(), { model: "knn" }, "the depth does not carry over: k-NN has no such field");
    const knnField = form.built[form.built.length - 1];
    assert.deepEqual([knnField.path, knnField.shown], ["estimator.n_neighbors", 5], "a field not set shows its default");
    knnField.onValue(7);
    assert.deepEqual(sent.pop(), { model: "knn", n_neighbors: 7 });
    assert.equal(wrap.children.length, 2, "the select stays, the fields below it are redrawn");
  });

  test("a field both models have carries over; back to the default's model, the default's values return", () => {
    const form = fakeForm();
    /** @type {any[]} */
    const sent = [];
    const wrap = asFake(buildObject(/** @type {any} */ (form), d, { model: "svm", C: 30 }, "id", "estimator", (v) => sent.push(v)));
    const [select] = wrap.all("select");
    pick(select, "logistic_regression");
    assert.deepEqual(sent.pop(), { model: "logistic_regression", C: 30 });
    pick(select, "decision_tree");
    assert.deepEqual(sent.pop(), start);
  });
});

suite("a word or a number: a forest's max_features", () => {
  const d = descOf("random-forest", "max_features");

  test("a word: the select holds it, the number box is hidden; picking another word sends it", () => {
    /** @type {unknown[]} */
    const sent = [];
    const box = asFake(buildChoice(d, "sqrt", "ctl-mf", "max_features", (v) => sent.push(v), () => {}));
    const [select] = box.all("select");
    assert.equal(select.value, "sqrt");
    assert.deepEqual(select.children.map((o) => o.value), ["sqrt", "log2", "all", NUMBER_OPTION]);
    assert.equal(select.children[0].textContent, "√features (1 of 2)");
    const row = box.children[1];
    assert.equal(row.hidden, true);
    pick(select, "log2");
    assert.deepEqual(sent, ["log2"]);
  });

  test("'a number…' shows the box and sends a number at once; typing 0.5 sends 0.5", () => {
    /** @type {unknown[]} */
    const sent = [];
    const box = asFake(buildChoice(d, "sqrt", "ctl-mf", "max_features", (v) => sent.push(v), () => {}));
    const [select] = box.all("select");
    const [input] = box.all("input");
    pick(select, NUMBER_OPTION);
    assert.equal(box.children[1].hidden, false);
    assert.deepEqual(sent, [1], "the box starts at a value the schema takes (a count of 1)");
    input.value = "0.5";
    input.fire("change");
    assert.deepEqual(sent, [1, 0.5]);
    assert.equal(typeof sent[1], "number");
    assert.equal(input.max, 2);
  });

  test("a number value opens on the number option; text that is not a number sends nothing", () => {
    /** @type {unknown[]} */
    const sent = [];
    let complaints = 0;
    const box = asFake(buildChoice(d, 0.25, "ctl-mf", "max_features", (v) => sent.push(v), () => { complaints += 1; }));
    const [select] = box.all("select");
    const [input] = box.all("input");
    assert.equal(select.value, NUMBER_OPTION);
    assert.equal(input.value, "0.25");
    assert.equal(box.children[1].hidden, false);
    input.value = "lots";
    input.fire("change");
    assert.deepEqual([sent, complaints], [[], 1]);
  });

  test("integer-only choices round what is typed", () => {
    const whole = { ...d, integer: true, min: 1, max: 9, step: 1 };
    /** @type {unknown[]} */
    const sent = [];
    const box = asFake(buildChoice(whole, 3, "i", "p", (v) => sent.push(v), () => {}));
    const [input] = box.all("input");
    input.value = "3.7";
    input.fire("change");
    assert.deepEqual(sent, [4]);
  });
});

test("voting's objlist: each model's tag select reads the x-labels words, its value is the tag", () => {
  const d = descOf("voting", "estimators");
  const form = fakeForm();
  /** @type {any[]} */
  const sent = [];
  const wrap = asFake(buildList(/** @type {any} */ (form), d, clone(lab("voting").defaults.estimators), "e", "estimators", (v) => sent.push(v)));
  const selects = wrap.all("select");
  assert.equal(selects.length, 4);
  assert.equal(selects[1].value, "knn");
  assert.equal(selects[1].children.find((o) => o.value === "knn")?.textContent, "k-nearest neighbours");
  pick(selects[1], "naive_bayes");
  assert.deepEqual(sent.pop()[1], { model: "naive_bayes" });
});
