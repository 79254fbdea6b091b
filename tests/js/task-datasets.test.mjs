// @ts-check
// Unit tests for static/js/task-datasets.js (the dataset list follows a sibling param: `x-datasets-by`,
// `x-default-by`) and for how state.js's links round-trip through it.
// fixtures/task-switch.json is the schema app/schemas/task_data.py publishes for a tiny lab (task, dataset,
// max_depth; moons with 150 points for classification, sine with 80 for regression), made the API's way.
// Run: node --test tests/js/task-datasets.test.mjs

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe as suite, test } from "node:test";

import { groupDescs } from "../../static/js/field-groups.js";
import { describeObject } from "../../static/js/schema.js";
import { fromQuery, toQuery } from "../../static/js/state.js";
import {
  datasetFits, followedDataset, followedNames, hintedDefault, offeredNames, taskHints,
} from "../../static/js/task-datasets.js";
import { clone, lab } from "./helpers.mjs";

/** @type {import("./helpers.mjs").AlgorithmFixture} */
const TASK = JSON.parse(readFileSync(new URL("./fixtures/task-switch.json", import.meta.url), "utf-8"));
const SCHEMA = TASK.params_schema;
const DATASETS = /** @type {{name: string, defaults: Record<string, unknown>}[]} */ (SCHEMA.properties?.dataset?.["x-datasets"]);
const HINTS = taskHints(SCHEMA);
const REGRESSION = ["line", "two_scales", "sine"];

/**
 * Controls.datasetDefaults (controls.js): the lab's default when it names the dataset, else the hinted one,
 * else the dataset's own defaults.
 * @param {string} name
 */
const datasetDefaults = (name) => {
  if (TASK.defaults.dataset.name === name) return clone(TASK.defaults.dataset);
  return hintedDefault(HINTS, name) ?? { ...clone(DATASETS.find((d) => d.name === name)?.defaults ?? {}), name };
};
const OPTS = { schema: SCHEMA, defaults: TASK.defaults, datasetDefaults, datasets: DATASETS };

suite("the hints", () => {
  test("are read from the published schema: the sibling they follow, a list and a default per value", () => {
    assert.ok(HINTS);
    assert.deepEqual(followedNames(HINTS), ["task"]);
    assert.deepEqual(HINTS.by.task.regression, REGRESSION);
    assert.ok(HINTS.by.task.classification.includes("moons") && HINTS.by.task.classification.includes("iris"));
    assert.deepEqual(HINTS.defaults.task.regression, { n_samples: 80, name: "sine", noise: 0.3, seed: 0 });
    // Every name offered is one the page can draw: an x-datasets entry.
    for (const names of Object.values(HINTS.by.task)) for (const n of names) assert.ok(DATASETS.some((d) => d.name === n), n);
  });

  test("a lab without them has none, and a malformed hint is dropped rather than hiding every dataset", () => {
    assert.equal(taskHints(lab("kmeans").params_schema), null);
    assert.equal(taskHints(lab("pca").params_schema), null);
    assert.equal(taskHints({ properties: { dataset: { "x-datasets-by": { task: ["moons"] }, "x-default-by": "sine" } } }), null);
    const partly = taskHints({ properties: { dataset: { "x-datasets-by": { task: { a: ["moons"], b: "iris" } } } } });
    assert.deepEqual(partly?.by, { task: { a: ["moons"] } });
  });

  test("no sibling name is built in: any property the hint names is followed", () => {
    const hints = taskHints({ properties: { dataset: { "x-datasets-by": { kind: { curve: ["sine"], blob: ["blobs", "moons"] } } } } });
    assert.deepEqual(followedNames(hints), ["kind"]);
    assert.deepEqual(offeredNames(hints, { kind: "blob" }), ["blobs", "moons"]);
    assert.equal(offeredNames(hints, { task: "regression" }), null, "a sibling the hint does not name limits nothing");
  });
});

suite("the form's order (field-groups.js)", () => {
  test("the param the dataset list follows comes right before the picker: it decides what the picker offers", () => {
    const [data] = groupDescs(describeObject(SCHEMA));
    assert.deepEqual(data.descs.map((d) => d.name).slice(0, 2), ["task", "dataset"]);
  });

  test("only when it is a Data param; other labs keep the dataset first", () => {
    const moved = clone(SCHEMA);
    moved.properties.task["x-group"] = "model";
    const groups = groupDescs(describeObject(moved));
    assert.equal(groups[0].descs[0].name, "dataset");
    assert.ok(groups[1].descs.some((d) => d.name === "task"));
    assert.equal(groupDescs(describeObject(lab("kmeans").params_schema))[0].descs[0].name, "dataset");
  });
});

suite("what the picker offers", () => {
  test("the datasets of the sibling's current value, in the hint's order", () => {
    assert.deepEqual(offeredNames(HINTS, { task: "regression" }), REGRESSION);
    const classes = offeredNames(HINTS, { task: "classification" });
    assert.ok(classes && !classes.some((n) => REGRESSION.includes(n)));
  });

  test("a value the hint does not list, or no hint at all, limits nothing", () => {
    assert.equal(offeredNames(HINTS, { task: "ranking" }), null);
    assert.equal(offeredNames(HINTS, {}), null);
    assert.equal(offeredNames(null, { task: "regression" }), null);
  });

  test("two siblings: only what both allow", () => {
    const hints = taskHints({ properties: { dataset: { "x-datasets-by": {
      task: { classification: ["moons", "iris", "wine"] }, features: { two: ["moons", "iris"], many: ["wine"] },
    } } } });
    assert.deepEqual(offeredNames(hints, { task: "classification", features: "two" }), ["moons", "iris"]);
    assert.deepEqual(offeredNames(hints, { task: "classification", features: "many" }), ["wine"]);
  });

  test("inline data (drawn, a CSV) suits every value; a named dataset only its own task", () => {
    const inline = { X: [[0, 1], [1, 0]], y: [0, 1] };
    assert.ok(datasetFits(HINTS, { task: "regression", dataset: inline }));
    assert.ok(datasetFits(HINTS, { task: "classification", dataset: { X: [[0], [1]], y: [0.5, 2.5] } }));
    assert.ok(datasetFits(HINTS, { task: "classification", dataset: { name: "moons" } }));
    assert.ok(!datasetFits(HINTS, { task: "classification", dataset: { name: "sine" } }));
    assert.ok(!datasetFits(HINTS, { task: "regression", dataset: { name: "moons" } }));
  });
});

suite("when the sibling changes", () => {
  test("a dataset that no longer suits becomes the hinted default of the new value", () => {
    const params = { ...clone(TASK.defaults), task: "regression" };
    assert.deepEqual(followedDataset(HINTS, params, { changed: "task", datasetDefaults }), { n_samples: 80, name: "sine", noise: 0.3, seed: 0 });
    const back = { ...params, dataset: { name: "two_scales", n_samples: 60 }, task: "classification" };
    assert.deepEqual(followedDataset(HINTS, back, { changed: "task" }), TASK.defaults.dataset);
  });

  test("a dataset that still suits stays, with its settings: nothing to change", () => {
    assert.equal(followedDataset(HINTS, { task: "regression", dataset: { name: "line", noise: 2 } }, { changed: "task" }), null);
    assert.equal(followedDataset(HINTS, { task: "regression", dataset: { X: [[0, 1]], y: [0] } }, { changed: "task" }), null);
    assert.equal(followedDataset(null, { task: "regression", dataset: { name: "moons" } }), null);
  });

  test("the result is a copy: editing it leaves the hint alone", () => {
    const next = followedDataset(HINTS, { task: "regression", dataset: { name: "moons" } });
    assert.ok(next);
    next.noise = 9;
    assert.equal(HINTS?.defaults.task.regression.noise, 0.3);
  });

  test("without a default for the new value: the first dataset offered, with its own defaults", () => {
    const hints = taskHints({ properties: { dataset: { "x-datasets-by": { task: { regression: ["line", "sine"], classification: ["moons"] } } } } });
    const line = { name: "line", n_samples: 100, noise: 1, slope: 2 };
    const next = followedDataset(hints, { task: "regression", dataset: { name: "moons" } }, { datasetDefaults: (n) => (n === "line" ? line : null) });
    assert.deepEqual(next, line);
    assert.deepEqual(followedDataset(hints, { task: "regression", dataset: { name: "moons" } }), { name: "line" });
  });

  test("a hinted default that the lists leave out is not used; nothing offered at all changes nothing", () => {
    const hints = taskHints({ properties: { dataset: {
      "x-datasets-by": { task: { regression: ["line"], none: [] } },
      "x-default-by": { task: { regression: { name: "sine" } } },
    } } });
    assert.deepEqual(followedDataset(hints, { task: "regression", dataset: { name: "moons" } }), { name: "line" });
    assert.equal(followedDataset(hints, { task: "none", dataset: { name: "moons" } }), null);
  });

  test("choosing a dataset by hand gives the lab's settings for it when a hint names it", () => {
    assert.deepEqual(hintedDefault(HINTS, "sine"), { n_samples: 80, name: "sine", noise: 0.3, seed: 0 });
    assert.equal(hintedDefault(HINTS, "line"), null);
    assert.equal(hintedDefault(null, "sine"), null);
  });
});

suite("shared links (state.js)", () => {
  test("the regression default writes only task=regression and dataset.name=sine, and reads back the same", () => {
    const params = { ...clone(TASK.defaults), task: "regression", dataset: hintedDefault(HINTS, "sine") };
    const query = toQuery(params, 0, TASK.defaults, datasetDefaults);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(query)), { seed: "0", task: "regression", "dataset.name": "sine" });
    assert.deepEqual(fromQuery(query, OPTS).params, params);
  });

  test("a changed field of the regression dataset round-trips", () => {
    const params = { ...clone(TASK.defaults), task: "regression", max_depth: 6, dataset: { ...hintedDefault(HINTS, "sine"), noise: 0.5 } };
    const query = toQuery(params, 3, TASK.defaults, datasetDefaults);
    assert.ok(query.includes("dataset.noise=0.5") && !query.includes("n_samples"), query);
    assert.deepEqual(fromQuery(query, OPTS), { params, seed: 3 });
  });

  test("a link naming only the task opens that task's default dataset (the form runs as it is)", () => {
    const { params } = fromQuery("?task=regression", OPTS);
    assert.equal(params.task, "regression");
    assert.deepEqual(params.dataset, hintedDefault(HINTS, "sine"));
  });

  test("a link whose dataset does not suit its task gets the task's default, not a form that cannot run", () => {
    const { params } = fromQuery("?task=regression&dataset.name=iris", OPTS);
    assert.deepEqual(params.dataset, hintedDefault(HINTS, "sine"));
    const mixed = fromQuery("?dataset.name=line", OPTS).params; // the classification task by default
    assert.deepEqual(mixed.dataset, TASK.defaults.dataset);
  });

  test("inline data stays inline under either task", () => {
    const data = { X: [[0.5], [1.5], [2.5]], y: [1.25, 0.5, 2] };
    const params = { ...clone(TASK.defaults), task: "regression", dataset: data };
    const query = toQuery(params, 0, TASK.defaults, datasetDefaults);
    assert.deepEqual(fromQuery(query, OPTS).params.dataset, data);
  });

  test("labs without the hints read their links as before", () => {
    const kmeans = lab("kmeans");
    const opts = { schema: kmeans.params_schema, defaults: kmeans.defaults, datasetDefaults: () => ({}) };
    assert.deepEqual(fromQuery("?k=3", opts).params, { ...kmeans.defaults, k: 3 });
  });
});
