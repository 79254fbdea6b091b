// @ts-check
// task-datasets.js: the datasets a lab offers follow a sibling param (a decision tree's `task`: classes or
// numbers). Pure (no DOM): controls.js asks it what the picker offers and what the dataset becomes when the
// sibling changes; state.js asks it to mend a link whose dataset does not suit its sibling's value.
//
// Schema extras read, on the `dataset` property (app/schemas/task_data.py writes them):
//   "x-datasets-by": {"<sibling>": {"<value>": ["moons", "iris", ...], ...}, ...}  the dataset names offered
//              while the sibling has that value (a value the hint does not list puts no limit)
//   "x-default-by":  {"<sibling>": {"<value>": {"name": "sine", ...}, ...}, ...}  the dataset the form switches
//              to when the sibling takes that value and the current dataset is not offered for it
// No sibling name is known here: any property the hint names is followed. Inline data ({X, y}: drawn points, a
// CSV) suits every value: the lab reads it as the task says.

import { resolve } from "./schema.js";

/** @typedef {import("./schema.js").JsonSchema} JsonSchema */
/** @typedef {Record<string, unknown>} Params  one lab's params (JSON values by name) */
/** @typedef {Record<string, Record<string, string[]>>} DatasetsBy  sibling → its value (as text) → dataset names */
/** @typedef {Record<string, Record<string, Params>>} DefaultsBy  sibling → its value (as text) → dataset param */
/** @typedef {{by: DatasetsBy, defaults: DefaultsBy}} TaskHints  the two hints, malformed entries left out */
/** @typedef {(name: string) => Params | null | undefined} DatasetDefaults  a dataset's default param by name */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
/** @template T @param {T} v @returns {T} */
const clone = (v) => JSON.parse(JSON.stringify(v));

/**
 * The dataset hints of a lab's params schema, or null when its `dataset` has none (most labs). A malformed
 * entry (not an object of lists / objects) is dropped: a typo never hides every dataset.
 * @param {JsonSchema | null | undefined} schema  the lab's params schema
 * @returns {TaskHints | null}
 */
export function taskHints(schema) {
  if (!schema) return null;
  const prop = resolve(schema, schema).properties?.dataset;
  if (!prop) return null;
  const ds = resolve(prop, schema);
  /** @type {DatasetsBy} */
  const by = {};
  /** @type {DefaultsBy} */
  const defaults = {};
  const rawBy = ds["x-datasets-by"];
  if (isObj(rawBy)) {
    for (const [sibling, table] of Object.entries(rawBy)) {
      if (!isObj(table)) continue;
      /** @type {Record<string, string[]>} */
      const lists = {};
      for (const [value, names] of Object.entries(table)) {
        if (Array.isArray(names)) lists[value] = names.filter((n) => typeof n === "string");
      }
      if (Object.keys(lists).length) by[sibling] = lists;
    }
  }
  const rawDefaults = ds["x-default-by"];
  if (isObj(rawDefaults)) {
    for (const [sibling, table] of Object.entries(rawDefaults)) {
      if (!isObj(table)) continue;
      /** @type {Record<string, Params>} */
      const values = {};
      for (const [value, dataset] of Object.entries(table)) {
        if (isObj(dataset) && typeof dataset.name === "string") values[value] = dataset;
      }
      if (Object.keys(values).length) defaults[sibling] = values;
    }
  }
  return Object.keys(by).length || Object.keys(defaults).length ? { by, defaults } : null;
}

/**
 * The params the hints follow (`task`, ...), in hint order.
 * @param {TaskHints | null} hints
 * @returns {string[]}
 */
export function followedNames(hints) {
  if (!hints) return [];
  return [...new Set([...Object.keys(hints.by), ...Object.keys(hints.defaults)])];
}

/**
 * The dataset names offered for the siblings' current values (every sibling's list at once), or null when
 * nothing limits them (no hint, or no sibling value the hint lists).
 * @param {TaskHints | null} hints
 * @param {Params} params  the current params (a sibling missing: no limit from it)
 * @returns {string[] | null}
 */
export function offeredNames(hints, params) {
  if (!hints) return null;
  /** @type {string[] | null} */
  let offered = null;
  for (const [sibling, lists] of Object.entries(hints.by)) {
    if (!(sibling in params)) continue;
    const list = lists[String(params[sibling])];
    if (!list) continue;
    offered = offered === null ? list.slice() : offered.filter((n) => list.includes(n));
  }
  return offered;
}

/**
 * Whether the current dataset suits the siblings' values: inline data always does; a named one when offered.
 * @param {TaskHints | null} hints
 * @param {Params} params
 */
export function datasetFits(hints, params) {
  const ds = params.dataset;
  if (!isObj(ds) || Array.isArray(ds.X) || typeof ds.name !== "string") return true;
  const offered = offeredNames(hints, params);
  return offered === null || offered.includes(ds.name);
}

/**
 * The dataset param a hint gives for `name` (the regression default `{name: "sine", n_samples: 80, ...}`), so
 * that choosing that dataset by hand gives the lab's own settings for it; null when no hint names it.
 * @param {TaskHints | null} hints
 * @param {string} name
 * @returns {Params | null}
 */
export function hintedDefault(hints, name) {
  for (const table of Object.values(hints?.defaults ?? {})) {
    for (const dataset of Object.values(table)) if (dataset.name === name) return clone(dataset);
  }
  return null;
}

/**
 * What `dataset` becomes for the siblings' current values: null when it suits them (nothing to change), else
 * the default the hint gives for the sibling that `changed` (or the first sibling whose list leaves the
 * current dataset out), else the first offered dataset's defaults. Null too when nothing is offered at all.
 * @param {TaskHints | null} hints
 * @param {Params} params
 * @param {{changed?: string, datasetDefaults?: DatasetDefaults}} [opts]
 * @returns {Params | null}
 */
export function followedDataset(hints, params, { changed, datasetDefaults } = {}) {
  if (!hints || datasetFits(hints, params)) return null;
  const offered = offeredNames(hints, params) ?? [];
  const current = /** @type {Params} */ (params.dataset).name;
  const excluding = Object.keys(hints.by).filter((s) => s in params && !(hints.by[s][String(params[s])] ?? [current]).includes(String(current)));
  const order = changed !== undefined && changed in params ? [changed, ...excluding] : excluding;
  for (const sibling of order) {
    const dataset = hints.defaults[sibling]?.[String(params[sibling])];
    if (dataset && offered.includes(String(dataset.name))) return clone(dataset);
  }
  const first = offered[0];
  if (first === undefined) return null;
  const fresh = datasetDefaults?.(first);
  return fresh ? { ...clone(fresh), name: first } : { name: first };
}
