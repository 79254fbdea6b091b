// @ts-check
// Shared by the node tests: the API's own JSON Schemas, saved by tests/js/fixtures/refresh.py.

import { readFileSync } from "node:fs";

/** @typedef {import("../../static/js/schema.js").JsonSchema} JsonSchema */
/** @typedef {{id: string, params_schema: JsonSchema, defaults: Record<string, any>}} AlgorithmFixture */
/** @typedef {{name: string, params_schema: JsonSchema, defaults: Record<string, any>}} DatasetFixture */

/** Every lab fixture, by id (what `GET /api/v1/algorithms/{id}` published when refresh.py last ran). */
export const LAB_IDS = [
  "kmeans", "neural-network", "optimizers", "gradient-descent", "svm", "hierarchical", "activations", "pca",
  "bagging", "random-forest", "voting",
];

/** @param {string} name @returns {any} */
const readFixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf-8"));

/** @param {string} id @returns {AlgorithmFixture} */
export const lab = (id) => readFixture(id);

/** `GET /api/v1/datasets`, cut down to name, params_schema and defaults. @type {DatasetFixture[]} */
export const DATASETS = readFixture("datasets");

/** @param {unknown} v @returns {any} */
export const clone = (v) => JSON.parse(JSON.stringify(v));

/**
 * The datasets a lab's page offers: its own `x-datasets` when it lists them (PCA), else the shared ones, as
 * algorithm-page.js picks them.
 * @param {AlgorithmFixture} algo
 * @returns {DatasetFixture[]}
 */
export function datasetsFor(algo) {
  const own = algo.params_schema.properties?.dataset?.["x-datasets"];
  return Array.isArray(own) ? own : DATASETS;
}

/**
 * Controls.datasetDefaults (controls.js) for a lab: the lab's own default when it names the same dataset,
 * else that dataset's defaults.
 * @param {AlgorithmFixture} algo
 * @returns {(name: string) => Record<string, unknown>}
 */
export function datasetDefaultsFor(algo) {
  const datasets = datasetsFor(algo);
  return (name) => {
    const own = algo.defaults.dataset;
    if (own && own.name === name) return clone(own);
    return { ...clone(datasets.find((d) => d.name === name)?.defaults ?? {}), name };
  };
}
