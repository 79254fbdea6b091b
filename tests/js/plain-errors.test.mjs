// @ts-check
// Unit tests for static/js/plain-errors.js: pydantic's 422 items in a learner's words, with the allowed range.
// The error items are the ones the API really sends (copied from POST /api/v1/algorithms/{id}/runs answers).
// Run: node --test tests/js/plain-errors.test.mjs

import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";

import { allowedRange, locate, plainError, plainErrors } from "../../static/js/plain-errors.js";
import { lab } from "./helpers.mjs";

/** Params schema with the human titles of shared contract 1. */
const SCHEMA = {
  type: "object",
  properties: {
    k: { type: "integer", minimum: 1, maximum: 20, title: "Number of neighbours (k)" },
    p: { type: "number", minimum: 1, maximum: 10, title: "Minkowski exponent (p)" },
    eps: { type: "number", exclusiveMinimum: 0, maximum: 5, title: "Neighbourhood radius (ε)" },
    share: { type: "number", minimum: 0, exclusiveMaximum: 1, title: "Test share" },
    lr: { type: "number", exclusiveMinimum: 0, title: "Learning rate" },
    max_iter: { type: "integer", maximum: 500, title: "Max Iter" },
    metric: {
      enum: ["euclidean", "manhattan", "minkowski"], title: "Distance",
      "x-labels": { euclidean: "Straight line", manhattan: "City block", minkowski: "Minkowski" },
    },
    init: { enum: ["random", "k-means++"], title: "Init" },
    hidden_layers: { type: "array", items: { type: "integer", minimum: 1, maximum: 64 }, minItems: 1, maxItems: 8, title: "Hidden layers" },
    runs: {
      type: "array", minItems: 1, maxItems: 6, title: "Runs",
      items: {
        oneOf: [{ $ref: "#/$defs/Sgd" }, { $ref: "#/$defs/Adam" }],
        discriminator: { propertyName: "optimizer", mapping: { sgd: "#/$defs/Sgd", adam: "#/$defs/Adam" } },
      },
    },
    limit: { anyOf: [{ type: "integer", minimum: 2, maximum: 30 }, { type: "null" }], title: "Number of clusters" },
  },
  $defs: {
    Sgd: { type: "object", properties: { optimizer: { const: "sgd" }, lr: { type: "number", exclusiveMinimum: 0, maximum: 10, title: "Learning rate" } } },
    Adam: { type: "object", properties: { optimizer: { const: "adam" }, lr: { type: "number", exclusiveMinimum: 0, maximum: 1, title: "Learning rate" } } },
  },
};

/** @param {string} type @param {(string | number)[]} loc @param {string} msg @param {Record<string, unknown>} [ctx] */
const item = (type, loc, msg, ctx) => ({ type, loc: ["body", "params", ...loc], msg, ...(ctx ? { ctx } : {}) });
/** @param {ReturnType<typeof item>} it */
const say = (it) => plainError(it, SCHEMA).message;

suite("plain words per pydantic error type", () => {
  test("less_than_equal: the brief's own example", () => {
    const out = plainErrors([item("less_than_equal", ["k"], "Input should be less than or equal to 20")], SCHEMA);
    assert.deepEqual(out, [{ path: "k", message: "Number of neighbours (k) must be at most 20 (allowed: 1 to 20)" }]);
  });

  test("greater_than_equal, greater_than, less_than", () => {
    assert.equal(say(item("greater_than_equal", ["k"], "Input should be greater than or equal to 1")),
      "Number of neighbours (k) must be at least 1 (allowed: 1 to 20)");
    assert.equal(say(item("greater_than", ["eps"], "Input should be greater than 0")),
      "Neighbourhood radius (ε) must be more than 0 (allowed: more than 0, up to 5)");
    assert.equal(say(item("less_than", ["share"], "Input should be less than 1")),
      "Test share must be less than 1 (allowed: 0, less than 1)");
    assert.equal(say(item("greater_than", ["lr"], "Input should be greater than 0")),
      "Learning rate must be more than 0 (allowed: more than 0)");
  });

  test("the bound comes from ctx first, then the schema, then the message", () => {
    assert.equal(say(item("less_than_equal", ["k"], "Input should be less than or equal to 12", { le: 12 })),
      "Number of neighbours (k) must be at most 12 (allowed: 1 to 20)");
    const noSchema = plainError(item("less_than_equal", ["q"], "Input should be less than or equal to 7"), SCHEMA).message;
    assert.equal(noSchema, "q must be at most 7");
  });

  test("int_parsing, float_parsing, finite_number", () => {
    assert.equal(say(item("int_parsing", ["k"], "Input should be a valid integer, unable to parse string as an integer")),
      "Number of neighbours (k) must be a whole number (allowed: 1 to 20)");
    assert.equal(say(item("float_parsing", ["p"], "Input should be a valid number, unable to parse string as a number")),
      "Minkowski exponent (p) must be a number (allowed: 1 to 10)");
    assert.equal(say(item("finite_number", ["p"], "Infinity is not a finite number (JSON has no NaN or Infinity)")),
      "Minkowski exponent (p) must be a finite number, not infinity or NaN (allowed: 1 to 10)");
  });

  test("literal_error lists the options, with x-labels when the schema has them", () => {
    assert.equal(say(item("literal_error", ["metric"], "Input should be 'euclidean', 'manhattan' or 'minkowski'")),
      "Distance must be one of “Straight line”, “City block” or “Minkowski”");
    assert.equal(say(item("literal_error", ["init"], "Input should be 'random' or 'k-means++'")),
      "Init must be one of “random” or “k-means++”");
  });

  test("missing, too_short, too_long", () => {
    assert.equal(say(item("missing", ["k"], "Field required")), "Number of neighbours (k) is required");
    assert.equal(say(item("too_short", ["runs"], "List should have at least 1 item after validation, not 0")),
      "Runs needs at least 1 item (allowed: 1 to 6 items)");
    assert.equal(say(item("too_long", ["hidden_layers"], "List should have at most 8 items after validation, not 10")),
      "Hidden layers can have at most 8 items (allowed: 1 to 8 items)");
  });

  test("value_error keeps the lab's own sentence, without pydantic's prefix", () => {
    const out = plainError({
      type: "value_error", loc: ["body", "params", "dataset", "y"],
      msg: "Value error, this lab needs class labels: give the inline data a 'y' list (one per row)",
    }, lab("kmeans").params_schema);
    assert.equal(out.message, "This lab needs class labels: give the inline data a 'y' list (one per row)");
    assert.equal(out.path.split(".")[0], "dataset");
  });

  test("no message ever repeats pydantic's wording or a title-cased property name", () => {
    const items = [
      item("less_than_equal", ["max_iter"], "Input should be less than or equal to 500"),
      item("greater_than_equal", ["k"], "Input should be greater than or equal to 1"),
    ];
    const [maxIter, k] = plainErrors(items, SCHEMA).map((e) => e.message);
    assert.equal(maxIter, "Max iter must be at most 500 (allowed: up to 500)"); // pydantic's auto title → words
    for (const m of [maxIter, k]) assert.doesNotMatch(m, /Input should be/);
  });

  test("other types fall back to the label and pydantic's message; a plain-string detail is one message", () => {
    assert.equal(say(item("extra_forbidden", ["nope"], "Extra inputs are not permitted")), "Nope is not a setting of this lab");
    assert.equal(say(item("bool_parsing", ["k"], "Input should be a valid boolean")), "Number of neighbours (k) must be on or off (true or false)");
    assert.equal(say(item("dict_type", ["k"], "Input should be a valid dictionary")), "Number of neighbours (k): Input should be a valid dictionary");
    assert.deepEqual(plainErrors("k is too large", SCHEMA), [{ path: "", message: "K is too large" }]);
    assert.deepEqual(plainErrors(null, SCHEMA), []);
  });
});

suite("where an error lives", () => {
  test("a nullable number tells the range of its number branch", () => {
    assert.equal(say(item("less_than_equal", ["limit"], "Input should be less than or equal to 30")),
      "Number of clusters must be at most 30 (allowed: 2 to 30)");
  });

  test("a dataset field: pydantic's union tags (named, moons) are dropped from the path", () => {
    const schema = lab("kmeans").params_schema;
    const out = plainError(item("greater_than_equal", ["dataset", "named", "moons", "noise"], "Input should be greater than or equal to 0"), schema);
    assert.equal(out.path, "dataset.noise");
    assert.match(out.message, /^Noise must be at least 0 \(allowed: 0 to \d+/);
    const located = locate(schema, ["dataset", "named", "moons", "noise"]);
    assert.deepEqual(located.path, ["dataset", "noise"]);
  });

  test("inside a list: the item's field of which item, or which item of the list", () => {
    const lr = plainError(item("greater_than", ["runs", 0, "adam", "lr"], "Input should be greater than 0"), SCHEMA);
    assert.deepEqual(lr, { path: "runs.0.lr", message: "Learning rate of run 1 must be more than 0 (allowed: more than 0, up to 1)" });
    const layer = plainError(item("less_than_equal", ["hidden_layers", 2], "Input should be less than or equal to 64"), SCHEMA);
    assert.deepEqual(layer, { path: "hidden_layers.2", message: "Layer 3 of Hidden layers must be at most 64 (allowed: 1 to 64)" });
  });

  test("the seed (next to params in the body) is named Seed", () => {
    const out = plainError({ type: "greater_than_equal", loc: ["body", "seed"], msg: "Input should be greater than or equal to 0" }, SCHEMA);
    assert.deepEqual(out, { path: "seed", message: "Seed must be at least 0" });
  });

  test("allowedRange words every kind of bound", () => {
    assert.equal(allowedRange({ minimum: 1, maximum: 20 }), "1 to 20");
    assert.equal(allowedRange({ exclusiveMinimum: 0, maximum: 1 }), "more than 0, up to 1");
    assert.equal(allowedRange({ minimum: 0, exclusiveMaximum: 1 }), "0, less than 1");
    assert.equal(allowedRange({ exclusiveMinimum: 0, exclusiveMaximum: 1 }), "more than 0, less than 1");
    assert.equal(allowedRange({ minimum: 0 }), "0 or more");
    assert.equal(allowedRange({ maximum: 0.5 }), "up to 0.5");
    assert.equal(allowedRange({ exclusiveMinimum: 0 }), "more than 0");
    assert.equal(allowedRange({ minimum: 1e-8, maximum: 0.1 }), "1e-8 to 0.1");
    assert.equal(allowedRange({}), "");
  });

  test("every lab fixture: a bound error on each bounded top-level number reads in words with its range", () => {
    for (const id of ["kmeans", "neural-network", "optimizers", "gradient-descent", "svm", "hierarchical", "activations", "pca"]) {
      const schema = lab(id).params_schema;
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        if (typeof prop.maximum !== "number") continue;
        const out = plainError(item("less_than_equal", [name], `Input should be less than or equal to ${prop.maximum}`), schema);
        assert.equal(out.path, name);
        assert.match(out.message, / must be at most .* \(allowed: .*\)$/, `${id}.${name}: ${out.message}`);
        assert.doesNotMatch(out.message, /_/, `${id}.${name}: no snake_case in ${out.message}`);
      }
    }
  });
});

suite("a value no branch of a union accepts (the forest's max_features: a word, a count or a share)", () => {
  const schema = lab("random-forest").params_schema;
  // POST /api/v1/algorithms/random-forest/runs with {"max_features": 1.5}: one error per branch.
  const detail = [
    { type: "literal_error", loc: ["body", "params", "max_features", "literal['sqrt','log2','all']"], msg: "Input should be 'sqrt', 'log2' or 'all'", input: 1.5 },
    { type: "int_type", loc: ["body", "params", "max_features", "constrained-int"], msg: "Input should be a valid integer", input: 1.5 },
    { type: "less_than_equal", loc: ["body", "params", "max_features", "constrained-float"], msg: "Input should be less than or equal to 1", input: 1.5 },
  ];

  test("each error names the field and the branch's own range, not pydantic's tag", () => {
    const [word, count, share] = detail.map((d) => plainError(d, schema));
    assert.equal(word.message, "Features tried per split must be one of “√features (1 of 2)”, “log₂ features (1 of 2)” or “all”");
    assert.equal(count.message, "Features tried per split must be a whole number (allowed: 1 to 2)");
    assert.equal(share.message, "Features tried per split must be at most 1 (allowed: more than 0, up to 1)");
    assert.deepEqual([word.path, count.path, share.path], ["max_features", "max_features", "max_features"]);
  });

  test("the field gets one message with every way the value could be right", () => {
    const errors = plainErrors(detail, schema);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].path, "max_features");
    assert.match(errors[0].message, /^Features tried per split must be one of .+; or a whole number \(allowed: 1 to 2\); or at most 1 /);
  });

  test("errors at different fields stay apart", () => {
    const other = { type: "less_than_equal", loc: ["body", "params", "n_estimators"], msg: "Input should be less than or equal to 300", ctx: { le: 300 } };
    const errors = plainErrors([detail[1], other], schema);
    assert.deepEqual(errors.map((e) => e.path), ["max_features", "n_estimators"]);
  });
});
