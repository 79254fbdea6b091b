// @ts-check
// List-valued params (static/js/list-schema.js): which lists get checkboxes, number rows, side-by-side boxes
// or sub-forms, and which stay a JSON textarea. Real schemas from the fixtures, hand-written ones for the rest.

import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";

import { LIST_KINDS, describeList, itemNoun } from "../../static/js/list-schema.js";
import { describe, describeObject } from "../../static/js/schema.js";
import { lab } from "./helpers.mjs";

/** @typedef {import("../../static/js/schema.js").Desc} Desc */
/** @typedef {import("../../static/js/schema.js").JsonSchema} JsonSchema */

/**
 * @template {Desc["kind"]} K
 * @param {string} id @param {string} name @param {K} kind
 * @returns {Desc & {kind: K}}
 */
function descOf(id, name, kind) {
  const d = describeObject(lab(id).params_schema).find((x) => x.name === name);
  assert.ok(d, `${id}.${name}`);
  assert.equal(d.kind, kind, `${id}.${name}`);
  return /** @type {Desc & {kind: K}} */ (d);
}

/** Describe one hand-written property (with $defs for refs). @param {JsonSchema} schema @param {JsonSchema["$defs"]} [defs] */
const one = (schema, defs = {}) => describe("things", schema, { $defs: defs, properties: { things: schema } });

suite("lists in the API's schemas", () => {
  test("neural network: features are a checkbox group over the schema's options", () => {
    const features = descOf("neural-network", "features", "multi");
    assert.deepEqual(features.options, ["x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2"]);
    assert.equal(features.minItems, 1);
    assert.equal(features.maxItems, features.options.length);
  });

  test("gradient descent: the variants are a checkbox group", () => {
    assert.deepEqual(descOf("gradient-descent", "variants", "multi").options, ["batch", "mini-batch", "stochastic"]);
  });

  test("neural network: hidden layers are rows of integer sliders, 0–8 of them, called layers", () => {
    const layers = descOf("neural-network", "hidden_layers", "numlist");
    assert.equal(layers.noun, "layer");
    assert.deepEqual([layers.minItems, layers.maxItems], [0, 8]);
    assert.deepEqual(layers.fallback, [8, 8]);
    assert.ok(layers.item.kind === "range" && layers.item.integer);
    assert.deepEqual([layers.item.min, layers.item.max], [1, 64]);
  });

  test("activations: logits are unbounded number rows", () => {
    const logits = descOf("activations", "logits", "numlist");
    assert.equal(logits.noun, "logit");
    assert.equal(logits.item.kind, "number");
    assert.deepEqual(logits.fallback, lab("activations").defaults.logits);
  });

  test("optimizers: runs are sub-forms, one per racer, tagged by optimizer", () => {
    const runs = descOf("optimizers", "runs", "objlist");
    assert.equal(runs.discriminator, "optimizer");
    assert.equal(runs.noun, "racer"); // the schema's title: "Racers"
    assert.deepEqual(runs.variants.map((v) => v.tag), ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]);
    for (const v of runs.variants) {
      assert.ok(!v.fields.some((f) => f.name === "optimizer"), `${v.tag}: the tag is the select, not a field`);
      assert.ok(v.fields.some((f) => f.name === "lr"), `${v.tag} has lr`);
    }
    const adam = runs.variants.find((v) => v.tag === "adam");
    const betas = adam?.fields.find((f) => f.name === "betas");
    assert.ok(betas?.kind === "tuple", "Adam's betas are two boxes side by side");
    assert.equal(betas.items.length, 2);
    assert.deepEqual(runs.fallback, lab("optimizers").defaults.runs);
  });
});

suite("describeList (hand-written schemas)", () => {
  test("a fixed-length numeric prefixItems is a tuple; a variable one is not", () => {
    const pair = { type: "number", minimum: 0, maximum: 1 };
    assert.equal(one({ type: "array", prefixItems: [pair, pair], minItems: 2, maxItems: 2 }).kind, "tuple");
    assert.equal(one({ type: "array", prefixItems: [pair, pair], minItems: 1, maxItems: 2 }).kind, "json");
    assert.equal(one({ type: "array", prefixItems: [pair, { type: "string" }], minItems: 2, maxItems: 2 }).kind, "json");
  });

  test("a list of options caps maxItems at the number of options", () => {
    const d = one({ type: "array", items: { enum: ["a", "b"] }, maxItems: 10 });
    assert.ok(d.kind === "multi");
    assert.equal(d.maxItems, 2);
    assert.equal(d.minItems, 0);
  });

  test("a tagged union without a discriminator key: the property every branch pins to its own value", () => {
    const d = one({
      type: "array",
      items: {
        anyOf: [
          { type: "object", properties: { kind: { const: "a" }, size: { type: "integer", minimum: 1, maximum: 5 } } },
          { type: "object", properties: { kind: { const: "b" }, on: { type: "boolean" } }, required: ["on"] },
        ],
      },
    });
    assert.ok(d.kind === "objlist");
    assert.equal(d.discriminator, "kind");
    assert.deepEqual(d.variants.map((v) => [v.tag, v.fields.map((f) => f.kind), v.required]), [["a", ["range"], []], ["b", ["checkbox"], ["on"]]]);
  });

  test("a discriminator mapping names the tags of branches that do not pin them", () => {
    const defs = {
      A: { type: "object", properties: { t: { type: "string" }, x: { type: "number" } } },
      B: { type: "object", properties: { t: { type: "string" }, y: { type: "number" } } },
    };
    const d = one({
      type: "array",
      items: { oneOf: [{ $ref: "#/$defs/A" }, { $ref: "#/$defs/B" }], discriminator: { propertyName: "t", mapping: { first: "#/$defs/A", second: "#/$defs/B" } } },
    }, defs);
    assert.ok(d.kind === "objlist");
    assert.deepEqual(d.variants.map((v) => v.tag), ["first", "second"]);
  });

  test("one object shape: no tag", () => {
    const d = one({ type: "array", items: { type: "object", properties: { w: { type: "number" } } } });
    assert.ok(d.kind === "objlist");
    assert.equal(d.discriminator, null);
    assert.equal(d.variants[0].tag, null);
  });

  test("what would still need typing JSON stays the JSON textarea", () => {
    /** @type {JsonSchema[]} */
    const cases = [
      { type: "array", items: { type: "object", properties: { w: { type: "object" } } } }, // a field with no widget
      { type: "array", items: { anyOf: [{ type: "object", properties: { a: { type: "number" } } }, { type: "object", properties: { b: { type: "number" } } }] } }, // untagged union
      { type: "array", items: { type: "array", items: { type: "number" } } }, // a list of lists
      { type: "array", items: { type: "string" } }, // free strings
      { anyOf: [{ type: "array", items: { type: "number" } }, { type: "null" }] }, // nullable list
    ];
    for (const schema of cases) assert.equal(one(schema).kind, "json", JSON.stringify(schema));
  });

  test("describeList returns null for what is not an array, or is nullable", () => {
    const base = { name: "x", label: "X", help: "", nullable: false, schema: {}, hints: {} };
    assert.equal(describeList(base, { type: "number" }, undefined), null);
    assert.equal(describeList({ ...base, nullable: true }, { type: "array", items: { type: "number" } }, undefined), null);
  });

  test("LIST_KINDS are the kinds describeList makes", () => {
    assert.deepEqual([...LIST_KINDS].sort(), ["multi", "numlist", "objlist", "tuple"]);
  });
});

suite("itemNoun", () => {
  const named = (/** @type {string} */ label, hints = {}) => itemNoun({ name: "x", label, hints });
  test("the last word of the label, singular", () => {
    assert.equal(named("Hidden layers"), "layer");
    assert.equal(named("Runs"), "run");
    assert.equal(named("Logits"), "logit");
  });
  test("a plural in closing brackets names the items; other brackets are not words of the label", () => {
    assert.equal(named("Softmax inputs (logits)"), "logit");
    assert.equal(named("Hidden layers (neurons)"), "neuron");
    assert.equal(named("Widths (k)"), "width");
    assert.equal(named("Learning rates (η)"), "rate");
  });
  test("words that are not a plain plural, and short ones, give 'item'", () => {
    assert.equal(named("Class"), "item"); // -ss
    assert.equal(named("Xs"), "item"); // too short to tell
    assert.equal(named("Betas two"), "item");
  });
  test("x-item-label wins", () => {
    assert.equal(named("Runs", { "x-item-label": "racer" }), "racer");
  });
});
