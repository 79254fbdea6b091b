// @ts-check
// Schema → controls (static/js/schema.js): the widget descriptions built from the JSON Schemas the API
// publishes (tests/js/fixtures, made by refresh.py), plus small hand-written schemas for the edge cases.

import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";

import { LIST_KINDS } from "../../static/js/list-schema.js";
import { coerce, describe, describeObject, optionLabel, optionsOf, resolve } from "../../static/js/schema.js";
import { DATASETS, LAB_IDS, lab } from "./helpers.mjs";

/** @typedef {import("../../static/js/schema.js").Desc} Desc */
/** @typedef {import("../../static/js/schema.js").JsonSchema} JsonSchema */

/** A lab's descriptions by name. @param {string} id @returns {Map<string, Desc>} */
const descsOf = (id) => new Map(describeObject(lab(id).params_schema).map((d) => [d.name, d]));

/**
 * The description of one param, which must be of the given kind (narrowed for the checks after).
 * @template {Desc["kind"]} K
 * @param {string} id
 * @param {string} name
 * @param {K} kind
 * @returns {Desc & {kind: K}}
 */
function descOf(id, name, kind) {
  const d = descsOf(id).get(name);
  assert.ok(d, `${id} has a param ${name}`);
  assert.equal(d.kind, kind, `${id}.${name}`);
  return /** @type {Desc & {kind: K}} */ (d);
}

/** Describe one hand-written property. @param {JsonSchema} schema @param {string} [name] */
const one = (schema, name = "x") => describe(name, schema, { properties: { [name]: schema } });

suite("the API's schemas", () => {
  const kinds = new Set(["dataset", "click", "point", "select", "checkbox", "range", "number", "features", "text", "json", "object", "choice", ...LIST_KINDS]);
  for (const id of LAB_IDS) {
    test(`${id}: every param is described, in schema order, with a known kind and a label`, () => {
      const schema = lab(id).params_schema;
      const descs = describeObject(schema);
      assert.deepEqual(descs.map((d) => d.name), Object.keys(schema.properties ?? {}));
      for (const d of descs) {
        assert.ok(kinds.has(d.kind), `${id}.${d.name}: ${d.kind}`);
        assert.ok(d.label.length > 0);
        assert.notEqual(d.kind, "json", `${id}.${d.name} would be a JSON textarea`);
      }
    });
  }

  test("k-means: k is an integer slider over the schema's bounds", () => {
    const k = descOf("kmeans", "k", "range");
    const raw = lab("kmeans").params_schema.properties?.k;
    assert.equal(k.integer, true);
    assert.equal(k.step, 1);
    assert.equal(k.min, raw?.minimum);
    assert.equal(k.max, raw?.maximum);
    assert.equal(k.label, raw?.title); // the schema's human title ("Number of clusters (k)")
    assert.notEqual(k.label, "K");
  });

  test("k-means: init offers its named options and manual points counted by k", () => {
    const init = descOf("kmeans", "init", "click");
    assert.deepEqual(init.options, ["k-means++", "random"]);
    assert.equal(init.countParam, "k");
    assert.equal(init.pointSchema?.type, "array");
  });

  test("k-means: the dataset lists the datasets its schema admits", () => {
    const dataset = descOf("kmeans", "dataset", "dataset");
    assert.ok(dataset.allowed);
    for (const name of ["blobs", "moons", "iris"]) assert.ok(dataset.allowed.includes(name));
    assert.ok(DATASETS.every((d) => dataset.allowed?.includes(d.name)));
  });

  test("PCA: the dataset lists its own datasets (a discriminator mapping)", () => {
    const dataset = descOf("pca", "dataset", "dataset");
    assert.deepEqual(new Set(dataset.allowed), new Set(["gaussian2d", "gaussian3d", "iris", "wine", "breast_cancer", "digits"]));
  });

  test("k-means: tol is a log slider that starts at its own step above 0", () => {
    const tol = descOf("kmeans", "tol", "range");
    assert.equal(tol.log, true);
    assert.equal(tol.hardMin, 0);
    assert.ok(tol.min !== undefined && tol.min > 0 && tol.min === tol.step);
  });

  test("neural network: lr is a log slider five decades below its x-max, typed box within the schema", () => {
    const lr = descOf("neural-network", "lr", "range");
    const raw = lab("neural-network").params_schema.properties?.lr;
    assert.equal(lr.log, true);
    assert.equal(lr.max, raw?.["x-max"]);
    assert.ok(lr.min !== undefined && Math.abs(lr.min - (lr.max ?? 0) * 1e-5) < 1e-12);
    assert.equal(raw?.exclusiveMinimum, 0);
    assert.equal(lr.hardMin, raw?.["x-step"]); // (0, 10]: the author's step is the smallest value typed in
    assert.equal(lr.hardMax, raw?.maximum);
  });

  test("neural network: x-widget number makes a number box even with both bounds", () => {
    assert.equal(descOf("neural-network", "frame_every", "number").integer, true);
  });

  test("neural network: a switch, and options", () => {
    descOf("neural-network", "batch_norm", "checkbox");
    assert.ok(descOf("neural-network", "activation", "select").options.includes("relu"));
  });

  test("optimizers: start is one point set by a click, nullable", () => {
    assert.equal(descOf("optimizers", "start", "point").nullable, true);
  });

  test("nullable numbers keep their number widget (the null branch is dropped)", () => {
    assert.equal(descOf("svm", "gamma", "range").nullable, true);
    const threshold = descOf("hierarchical", "distance_threshold", "number");
    assert.equal(threshold.nullable, true);
    assert.equal(threshold.step, "any"); // no upper bound: no slider, any value
  });

  test("every number's default lies within its hard bounds, in every lab, racer and dataset", () => {
    /** @type {[string, Desc, unknown][]} */
    const all = [];
    for (const id of LAB_IDS) {
      const algo = lab(id);
      for (const d of describeObject(algo.params_schema)) {
        all.push([`${id}.${d.name}`, d, algo.defaults[d.name]]);
        if (d.kind === "objlist") {
          for (const v of d.variants) for (const f of v.fields) all.push([`${id}.${d.name}[${v.tag}].${f.name}`, f, f.schema.default]);
        }
      }
    }
    for (const ds of DATASETS) {
      for (const d of describeObject(ds.params_schema, { skip: ["name"] })) all.push([`dataset ${ds.name}.${d.name}`, d, ds.defaults[d.name]]);
    }
    let checked = 0;
    for (const [where, d, def] of all) {
      if ((d.kind !== "range" && d.kind !== "number") || typeof def !== "number") continue;
      if (d.hardMin !== undefined) assert.ok(def >= d.hardMin, `${where}: default ${def} < hardMin ${d.hardMin}`);
      if (d.hardMax !== undefined) assert.ok(def <= d.hardMax, `${where}: default ${def} > hardMax ${d.hardMax}`);
      if (d.kind === "range" && d.min !== undefined && d.max !== undefined) assert.ok(d.max > d.min, where);
      checked += 1;
    }
    assert.ok(checked > 50, `${checked} numbers checked`);
  });

  test("every dataset field has a widget (no JSON textarea)", () => {
    for (const ds of DATASETS) {
      for (const d of describeObject(ds.params_schema, { skip: ["name"] })) assert.notEqual(d.kind, "json", `${ds.name}.${d.name}`);
    }
  });
});

suite("resolve", () => {
  /** @type {JsonSchema} */
  const root = {
    $defs: {
      A: { type: "integer", minimum: 1, description: "from A" },
      B: { $ref: "#/$defs/A", maximum: 9 },
      Loop: { $ref: "#/$defs/Loop" },
    },
  };

  test("follows $ref into $defs and keeps the sibling keys (siblings win)", () => {
    assert.deepEqual(resolve({ $ref: "#/$defs/A", description: "mine" }, root), { type: "integer", minimum: 1, description: "mine" });
  });

  test("follows chains of refs and single-entry allOf", () => {
    assert.deepEqual(resolve({ allOf: [{ $ref: "#/$defs/B" }], title: "T" }, root), { type: "integer", minimum: 1, description: "from A", maximum: 9, title: "T" });
  });

  test("an unknown ref resolves to its siblings; a ref loop stops", () => {
    assert.deepEqual(resolve({ $ref: "#/$defs/Nope", title: "T" }, root), { title: "T" });
    assert.equal(typeof resolve({ $ref: "#/$defs/Loop" }, root), "object"); // returns (unresolved) instead of hanging
    assert.deepEqual(resolve(undefined, root), {});
  });
});

suite("optionsOf", () => {
  test("enums without null, consts, and unions of them", () => {
    assert.deepEqual(optionsOf({ enum: ["a", null, "b"] }, undefined), ["a", "b"]);
    assert.deepEqual(optionsOf({ const: 3 }, undefined), [3]);
    assert.deepEqual(optionsOf({ anyOf: [{ const: "a" }, { enum: ["b", "c"] }, { type: "null" }] }, undefined), ["a", "b", "c"]);
  });

  test("not a closed set: null", () => {
    assert.equal(optionsOf({ type: "string" }, undefined), null);
    assert.equal(optionsOf({ anyOf: [{ const: "a" }, { type: "number" }] }, undefined), null);
    assert.equal(optionsOf({ anyOf: [{ type: "null" }] }, undefined), null);
  });
});

suite("describe (hand-written schemas)", () => {
  test("numbers: a derived 1-2-5 step, exclusive bounds moved in by it on the slider only", () => {
    const d = one({ type: "number", exclusiveMinimum: 0, maximum: 7 });
    assert.equal(d.kind, "range");
    if (d.kind !== "range") return;
    assert.equal(d.step, 0.05); // 7 / 100 → 0.07 → 0.05
    assert.equal(d.min, 0.05);
    assert.equal(d.hardMin, 0); // the typed box takes 0.001: only the server can say 0 itself is out
    assert.equal(d.max, 7);
  });

  test("numbers: an author's x-step moves the hard bound too; integers move by 1", () => {
    const stepped = one({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, "x-step": 0.05 });
    assert.ok(stepped.kind === "range");
    assert.deepEqual([stepped.min, stepped.max, stepped.hardMin, stepped.hardMax], [0.05, 0.95, 0.05, 0.95]);
    const int = one({ type: "integer", exclusiveMinimum: 0, exclusiveMaximum: 10 });
    assert.ok(int.kind === "range");
    assert.deepEqual([int.min, int.max, int.hardMin, int.hardMax, int.step], [1, 9, 1, 9, 1]);
  });

  test("numbers: x-min / x-max narrow the slider, not what the schema allows", () => {
    const d = one({ type: "integer", minimum: 1, maximum: 100000, "x-max": 2000 });
    assert.ok(d.kind === "range");
    assert.deepEqual([d.min, d.max, d.hardMin, d.hardMax], [1, 2000, 1, 100000]);
  });

  test("numbers: unbounded is a number box with step any; x-widget number wins over a slider", () => {
    const free = one({ type: "number" });
    assert.ok(free.kind === "number");
    assert.equal(free.step, "any");
    assert.equal(one({ type: "integer", minimum: 0, maximum: 5, "x-widget": "number" }).kind, "number");
  });

  test("a log slider over [0, max] starts five decades below max", () => {
    const d = one({ type: "number", minimum: 0, maximum: 10, "x-log": true });
    assert.ok(d.kind === "range" && d.log);
    assert.ok(d.min !== undefined && Math.abs(d.min - 1e-4) < 1e-15);
  });

  test("labels: x-label, then a title that says more than the name, else the name made readable", () => {
    assert.equal(one({ type: "string", "x-label": "Shown" }, "a_b").label, "Shown");
    assert.equal(one({ type: "string", title: "Cluster spread" }, "cluster_std").label, "Cluster spread");
    assert.equal(one({ type: "string", title: "Max Iter" }, "max_iter").label, "Max iter");
    assert.equal(one({ type: "string", description: "Help." }, "x").help, "Help.");
  });

  test("the other kinds: checkbox, select, text, features, json; x-* hints are kept", () => {
    assert.equal(one({ type: "boolean" }).kind, "checkbox");
    assert.equal(one({ enum: [1, 2, 3] }).kind, "select");
    assert.equal(one({ type: "string" }).kind, "text");
    assert.equal(one({ type: "array", items: { type: "string" }, "x-widget": "features" }).kind, "features");
    assert.equal(one({ type: "object" }).kind, "json");
    assert.deepEqual(one({ type: "boolean", "x-foo": 1 }).hints, { "x-foo": 1 });
  });

  test("a nullable union of a number and options stays a JSON box (no widget draws both)", () => {
    const d = one({ anyOf: [{ type: "number" }, { enum: ["scale", "auto"] }, { type: "null" }] });
    assert.equal(d.kind, "json");
    assert.equal(d.nullable, true);
  });

  test("describeObject skips what it is told to", () => {
    const schema = DATASETS[0].params_schema;
    assert.ok(!describeObject(schema, { skip: ["name"] }).some((d) => d.name === "name"));
  });
});

suite("coerce: URL text → a typed value, or undefined when it cannot be one", () => {
  const number = one({ type: "number", minimum: 0, maximum: 1, anyOf: undefined });
  const nullable = one({ anyOf: [{ type: "number", minimum: 0, maximum: 1 }, { type: "null" }] });
  const select = one({ enum: [1, 2, "three"] });
  const check = one({ type: "boolean" });
  const click = descOf("kmeans", "init", "click");
  const json = one({ anyOf: [{ type: "number" }, { enum: ["scale", "auto"] }, { type: "null" }] });
  const list = descOf("neural-network", "hidden_layers", "numlist");

  test("numbers", () => {
    assert.equal(coerce(number, "0.25"), 0.25);
    assert.equal(coerce(number, " 1e-3 "), 0.001);
    for (const bad of ["", "abc", "Infinity", "NaN", "null", "[1]"]) assert.equal(coerce(number, bad), undefined, bad);
    assert.equal(coerce(nullable, "null"), null);
  });

  test("options come back as the option itself (numbers stay numbers)", () => {
    assert.equal(coerce(select, "2"), 2);
    assert.equal(coerce(select, "three"), "three");
    assert.equal(coerce(select, "four"), undefined);
  });

  test("switches", () => {
    for (const t of ["true", "1", "on"]) assert.equal(coerce(check, t), true);
    for (const f of ["false", "0", "off"]) assert.equal(coerce(check, f), false);
    assert.equal(coerce(check, "yes"), undefined);
  });

  test("click params: an option or a list of points", () => {
    assert.equal(coerce(click, "random"), "random");
    assert.deepEqual(coerce(click, "[[1,2],[3,4]]"), [[1, 2], [3, 4]]);
    assert.equal(coerce(click, "manual"), undefined);
  });

  test("lists must be JSON arrays", () => {
    assert.deepEqual(coerce(list, "[4,2]"), [4, 2]);
    assert.equal(coerce(list, "[4,2"), undefined);
    assert.equal(coerce(list, "4"), undefined);
  });

  test("a JSON box takes any JSON, and text that is not JSON as a string", () => {
    assert.equal(coerce(json, "0.5"), 0.5);
    assert.equal(coerce(json, "scale"), "scale");
    assert.equal(coerce(json, "null"), null);
  });

  test("text is kept as it is", () => {
    assert.equal(coerce(one({ type: "string" }), " a b "), " a b ");
  });

  test("without a description: null, JSON, numbers, booleans, else the text", () => {
    assert.equal(coerce(null, "null"), null);
    assert.deepEqual(coerce(null, '{"a": [1]}'), { a: [1] });
    assert.equal(coerce(null, "12"), 12);
    assert.equal(coerce(null, "true"), true);
    assert.equal(coerce(null, "moons"), "moons");
    assert.equal(coerce(null, "[broken"), "[broken");
  });
});

suite("labels", () => {
  test("option labels: x-labels as a map or a list in option order, else the value as given", () => {
    const map = describe("metric", { enum: ["euclidean", "manhattan"], "x-labels": { euclidean: "Straight line" } }, {});
    assert.equal(optionLabel(map, "euclidean"), "Straight line");
    assert.equal(optionLabel(map, "manhattan"), "manhattan", "no entry: the value itself");
    const list = describe("init", { enum: ["random", "k-means++"], "x-labels": ["Random points", "k-means++ (spread out)"] }, {});
    assert.equal(optionLabel(list, "k-means++"), "k-means++ (spread out)");
    const plain = describe("init", { enum: ["random", "k-means++", "rbf"] }, {});
    assert.deepEqual(["random", "k-means++", "rbf"].map((o) => optionLabel(plain, o)), ["random", "k-means++", "rbf"]);
    const nullable = describe("kernel", { anyOf: [{ enum: ["rbf", "poly"] }, { type: "null" }], "x-labels": { rbf: "Gaussian (RBF)" } }, {});
    assert.equal(optionLabel(nullable, "rbf"), "Gaussian (RBF)", "x-labels beside anyOf are kept");
  });

  test("a control's label is its schema title, never its property name title-cased", () => {
    const k = describe("k", { type: "integer", title: "Number of neighbours (k)" }, {});
    assert.equal(k.label, "Number of neighbours (k)");
    const auto = describe("max_iter", { type: "integer", title: "Max Iter" }, {});
    assert.equal(auto.label, "Max iter", "pydantic's automatic title is no better than the name");
    assert.equal(auto.help, "");
    const helped = describe("tol", { type: "number", title: "Tolerance", description: "Stop when centres move less than this." }, {});
    assert.equal(helped.help, "Stop when centres move less than this.");
  });
});

suite("a word or a number (kind choice, choice-schema.js)", () => {
  test("random forest: max_features is its words plus a number box over the numeric branches", () => {
    const d = descOf("random-forest", "max_features", "choice");
    assert.deepEqual(d.options, ["sqrt", "log2", "all"]);
    assert.equal(d.integer, false, "a share (number) is one of the branches");
    assert.equal(d.min, undefined, "the share's bound is exclusive (> 0): no min the browser could say");
    assert.equal(d.max, 2);
    assert.equal(d.step, "any");
    assert.equal(optionLabel(d, "sqrt"), "√features (1 of 2)");
    assert.equal(optionLabel(d, "all"), "all");
  });

  test("whole numbers only: integer, inclusive bounds, step 1; driven by the shape, not the name", () => {
    const d = one({ anyOf: [{ enum: ["auto"], type: "string" }, { type: "integer", minimum: 2, maximum: 9 }] }, "anything");
    assert.ok(d.kind === "choice");
    assert.deepEqual([d.options, d.integer, d.min, d.max, d.step], [["auto"], true, 2, 9, 1]);
  });

  test("not a choice: two string branches, no numeric branch, a nullable one", () => {
    assert.notEqual(one({ anyOf: [{ enum: ["a"] }, { enum: ["b"] }, { type: "number" }] }).kind, "choice");
    assert.equal(one({ anyOf: [{ enum: ["a", "b"], type: "string" }, { type: "boolean" }] }).kind, "json");
    assert.equal(one({ anyOf: [{ enum: ["a"] }, { type: "number" }, { type: "null" }] }).kind, "json");
  });

  test("coerce: a word stays the word, a number becomes a number, anything else is dropped", () => {
    const d = descOf("random-forest", "max_features", "choice");
    assert.equal(coerce(d, "log2"), "log2");
    assert.equal(coerce(d, "0.5"), 0.5);
    assert.equal(coerce(d, "1"), 1);
    assert.equal(coerce(d, "cube"), undefined);
    assert.equal(coerce(d, ""), undefined);
  });
});

suite("one object param (kind object, list-schema.js describeObjectValue)", () => {
  test("bagging: the base model is a tagged union over five models, each read by its x-labels word", () => {
    const d = descOf("bagging", "estimator", "object");
    assert.equal(d.discriminator, "model");
    assert.deepEqual(d.variants.map((v) => v.tag), ["logistic_regression", "knn", "decision_tree", "svm", "naive_bayes"]);
    assert.deepEqual(d.variants.map((v) => v.label),
      ["Logistic regression", "k-nearest neighbours", "Decision tree", "SVM (RBF kernel)", "Gaussian naive Bayes"]);
    const knn = d.variants[1];
    assert.deepEqual(knn.fields.map((f) => [f.name, f.kind]), [["n_neighbors", "range"]]);
    assert.deepEqual(d.variants[3].fields.map((f) => f.name), ["C", "probability"]);
    assert.deepEqual(d.fallback, lab("bagging").defaults.estimator);
  });

  test("a variant whose tag has no x-labels reads as its title; a plain object has no tag", () => {
    const defs = { A: { type: "object", title: "Alpha", properties: { kind: { const: "a" }, n: { type: "integer" } } },
      B: { type: "object", title: "Beta", properties: { kind: { const: "b" } , x: { type: "number" } } } };
    const schema = { oneOf: [{ $ref: "#/$defs/A" }, { $ref: "#/$defs/B" }] };
    const d = describe("thing", schema, { $defs: defs, properties: { thing: schema } });
    assert.ok(d.kind === "object");
    assert.deepEqual(d.variants.map((v) => [v.tag, v.label]), [["a", "Alpha"], ["b", "Beta"]]);
    const plain = one({ type: "object", properties: { n: { type: "integer", default: 1 } } });
    assert.ok(plain.kind === "object");
    assert.equal(plain.discriminator, null);
  });

  test("coerce: a JSON object, else dropped", () => {
    const d = descOf("bagging", "estimator", "object");
    assert.deepEqual(coerce(d, '{"model":"knn","n_neighbors":7}'), { model: "knn", n_neighbors: 7 });
    assert.equal(coerce(d, "[1]"), undefined);
    assert.equal(coerce(d, "knn"), undefined);
  });

  test("voting: the objlist's tag select words are the x-labels too (the value stays the tag)", () => {
    const d = descOf("voting", "estimators", "objlist");
    assert.deepEqual(d.variants.map((v) => [v.tag, v.label]).slice(0, 2), [["logistic_regression", "Logistic regression"], ["knn", "k-nearest neighbours"]]);
  });
});
