// @ts-check
// Unit tests for static/js/field-groups.js: which heading a control goes under, in which order, and whether
// it shows (x-group, x-visible-when; shared contract 1 of issue 12).
// Run: node --test tests/js/field-groups.test.mjs

import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";

import { GROUP_ORDER, groupDescs, groupOf, hiddenNames, isVisible, visibleWhen } from "../../static/js/field-groups.js";
import { describeObject } from "../../static/js/schema.js";
import { lab } from "./helpers.mjs";

/** A kNN-like params schema as the schema helper publishes it (titles, groups, a conditional `p`). */
const KNN = {
  type: "object",
  properties: {
    k: { type: "integer", minimum: 1, maximum: 20, default: 5, title: "Number of neighbours (k)", "x-group": "model" },
    grid_size: { type: "integer", minimum: 20, maximum: 200, default: 100, title: "Boundary resolution", "x-group": "display" },
    metric: { enum: ["euclidean", "manhattan", "minkowski"], default: "euclidean", title: "Distance", "x-group": "model" },
    p: { type: "number", minimum: 1, maximum: 10, default: 3, title: "Minkowski exponent (p)", "x-group": "model", "x-visible-when": { metric: ["minkowski"] } },
    test_fraction: { type: "number", minimum: 0, maximum: 0.9, default: 0.3, title: "Test share", "x-group": "data" },
    epochs: { type: "integer", minimum: 1, maximum: 100, default: 10, title: "Epochs", "x-group": "training" },
    dataset: { title: "Dataset", "x-widget": "dataset", "x-group": "data", default: { name: "moons" } },
    weights: { enum: ["uniform", "distance"], default: "uniform", title: "Vote weights" },
  },
};

suite("groups", () => {
  const descs = describeObject(KNN);

  test("groups come in the order Data, Model, Training, Display, under their titles", () => {
    const groups = groupDescs(descs);
    assert.deepEqual(groups.map((g) => g.id), ["data", "model", "training", "display"]);
    assert.deepEqual(groups.map((g) => g.title), ["Data", "Model", "Training", "Display"]);
    assert.deepEqual(GROUP_ORDER, ["data", "model", "training", "display"]);
  });

  test("the dataset is first in Data even when the schema lists it later; schema order inside a group", () => {
    const groups = groupDescs(descs);
    assert.deepEqual(groups[0].descs.map((d) => d.name), ["dataset", "test_fraction"]);
    assert.deepEqual(groups[1].descs.map((d) => d.name), ["k", "metric", "p", "weights"]);
    assert.deepEqual(groups[2].descs.map((d) => d.name), ["epochs"]);
    assert.deepEqual(groups[3].descs.map((d) => d.name), ["grid_size"]);
  });

  test("a property without x-group (or with an unknown one) goes to Model; the dataset always to Data", () => {
    const [weights] = describeObject({ properties: { weights: { enum: ["a", "b"] } } });
    assert.equal(groupOf(weights), "model");
    const [odd] = describeObject({ properties: { odd: { type: "number", "x-group": "misc" } } });
    assert.equal(groupOf(odd), "model");
    const [ds] = describeObject({ properties: { dataset: { "x-widget": "dataset", "x-group": "model" } } });
    assert.equal(groupOf(ds), "data");
  });

  test("empty groups are left out", () => {
    const groups = groupDescs(describeObject({ properties: { lr: { type: "number", "x-group": "training" } } }));
    assert.deepEqual(groups.map((g) => g.id), ["training"]);
  });

  test("x-group on a nullable property (pydantic puts extras beside anyOf) is read", () => {
    const schema = { properties: { n: { anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }], "x-group": "display" } } };
    assert.equal(groupOf(describeObject(schema)[0]), "display");
  });

  test("every lab fixture groups each of its controls exactly once, dataset first", () => {
    for (const id of ["kmeans", "neural-network", "optimizers", "gradient-descent", "svm", "hierarchical", "activations", "pca"]) {
      const all = describeObject(lab(id).params_schema);
      const groups = groupDescs(all);
      const names = groups.flatMap((g) => g.descs.map((d) => d.name));
      assert.deepEqual([...names].sort(), all.map((d) => d.name).sort(), id);
      if (all.some((d) => d.kind === "dataset")) assert.equal(names[0], "dataset", id);
      const order = groups.map((g) => GROUP_ORDER.indexOf(g.id));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `${id}: groups in order`);
    }
  });
});

suite("visibility", () => {
  const descs = describeObject(KNN);
  const p = /** @type {import("../../static/js/schema.js").Desc} */ (descs.find((d) => d.name === "p"));

  test("Minkowski's p shows only for the minkowski metric", () => {
    assert.equal(isVisible(p, { metric: "euclidean" }, descs), false);
    assert.equal(isVisible(p, { metric: "manhattan" }, descs), false);
    assert.equal(isVisible(p, { metric: "minkowski" }, descs), true);
  });

  test("a sibling missing from the params counts with its schema default", () => {
    assert.equal(isVisible(p, {}, descs), false); // default metric: euclidean
    const schema = { properties: { ...KNN.properties, metric: { ...KNN.properties.metric, default: "minkowski" } } };
    const all = describeObject(schema);
    const p2 = /** @type {any} */ (all.find((d) => d.name === "p"));
    assert.equal(isVisible(p2, {}, all), true);
  });

  test("every named sibling must match (AND); values compare by value or by their text", () => {
    const schema = {
      properties: {
        optimizer: { enum: ["sgd", "adam"], default: "sgd" },
        momentum_on: { type: "boolean", default: false },
        degree: { type: "integer", default: 3 },
        momentum: { type: "number", "x-visible-when": { optimizer: ["sgd"], momentum_on: [true] } },
        d: { type: "number", "x-visible-when": { degree: ["3"] } },
      },
    };
    const all = describeObject(schema);
    const m = /** @type {any} */ (all.find((x) => x.name === "momentum"));
    assert.equal(isVisible(m, { optimizer: "sgd", momentum_on: true }, all), true);
    assert.equal(isVisible(m, { optimizer: "sgd", momentum_on: false }, all), false);
    assert.equal(isVisible(m, { optimizer: "adam", momentum_on: true }, all), false);
    const d = /** @type {any} */ (all.find((x) => x.name === "d"));
    assert.equal(isVisible(d, { degree: 3 }, all), true);
  });

  test("a dataset sibling compares by its name", () => {
    const schema = {
      properties: {
        dataset: { "x-widget": "dataset", default: { name: "moons" } },
        factor: { type: "number", "x-visible-when": { dataset: ["circles"] } },
      },
    };
    const all = describeObject(schema);
    const f = /** @type {any} */ (all.find((x) => x.name === "factor"));
    assert.equal(isVisible(f, { dataset: { name: "circles", noise: 0.1 } }, all), true);
    assert.equal(isVisible(f, { dataset: { name: "moons" } }, all), false);
  });

  test("a condition on a name the form does not have, or a malformed hint, never hides a control", () => {
    const all = describeObject({
      properties: {
        a: { type: "number", "x-visible-when": { nothing_here: ["x"] } },
        b: { type: "number", "x-visible-when": "metric=minkowski" },
        c: { type: "number", "x-visible-when": { a: "not a list" } },
      },
    });
    for (const d of all) assert.equal(isVisible(d, {}, all), true, d.name);
    assert.equal(visibleWhen(all[1]), null);
    assert.equal(visibleWhen(all[2]), null);
  });

  test("hiddenNames lists the hidden controls; hiding never touches the params", () => {
    const params = { metric: "euclidean", p: 4.5 };
    assert.deepEqual([...hiddenNames(descs, params)], ["p"]);
    assert.equal(params.p, 4.5, "the hidden control keeps its value");
    assert.deepEqual([...hiddenNames(descs, { metric: "minkowski" })], []);
  });
});
