// @ts-check
// state.js: the page URL is the full state. params ↔ query string, only non-default values written.
// e.g. ?seed=0&k=4&init=random&dataset.name=moons&dataset.noise=0.1 ; lists/objects are JSON in one key.
// Pure apart from replaceUrl (which touches window only when called), so node --test imports it as is.

import { coerce, describeObject } from "./schema.js";
import { followedDataset, taskHints } from "./task-datasets.js";

/** @typedef {import("./schema.js").JsonSchema} JsonSchema */
/** @typedef {Record<string, unknown>} Params  one lab's params (JSON values by name) */
/**
 * A dataset as GET /api/v1/datasets lists it (only what the URL state reads).
 * @typedef {{name: string, params_schema?: JsonSchema, defaults?: Params}} DatasetInfo
 */
/**
 * A dataset's default params by name (the lab's own default when it names the same dataset).
 * @typedef {(name: string) => Params | null | undefined} DatasetDefaults
 */

/**
 * How the page shows a run, kept in the URL next to the params but never a param: never sent to the API, and
 * never read as a lab's param (a lab with a param of that name would not get it from the URL).
 * `present=1`: presenter mode (a projector: larger type and marks, high contrast, controls hidden).
 * @typedef {{present: boolean}} ViewState
 */

/** The query keys of ViewState. */
export const VIEW_KEYS = Object.freeze(["present"]);

/**
 * The view settings a query string carries.
 * @param {string} search  `window.location.search` (with or without the leading "?")
 * @returns {ViewState}
 */
export function viewFromQuery(search) {
  const present = new URLSearchParams(search).get("present");
  return { present: present === "1" || present === "true" };
}

/** @param {unknown} a @param {unknown} b */
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
/** @param {unknown} v @returns {v is Params} */
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** @param {unknown} v @returns {string} */
const encode = (v) => {
  if (v === null) return "null";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
};

/**
 * `holder[key]` as an object, put there (over whatever non-object was there) when it is not one.
 * @param {Params} holder
 * @param {string} key
 * @returns {Params}
 */
function objectAt(holder, key) {
  const v = holder[key];
  if (isObj(v)) return v;
  /** @type {Params} */
  const fresh = {};
  holder[key] = fresh;
  return fresh;
}

/**
 * Query string for params + seed. `datasetDefaults(name)` gives a dataset's defaults so that
 * only its changed fields are written.
 * @param {Params | null | undefined} params
 * @param {number | null | undefined} seed
 * @param {Params | null | undefined} defaults the lab's defaults (GET /api/v1/algorithms/{id} → defaults)
 * @param {DatasetDefaults} datasetDefaults
 * @param {ViewState} [view]  how the page shows it (written after the params; only what is not the default)
 * @returns {string}
 */
export function toQuery(params, seed, defaults, datasetDefaults, view) {
  const q = new URLSearchParams();
  q.set("seed", String(seed ?? 0));
  for (const [key, value] of Object.entries(params ?? {})) {
    const def = defaults?.[key];
    if (key === "dataset" && isObj(value) && typeof value.name === "string" && !("X" in value)) {
      const defObj = isObj(def) ? def : null;
      const base = defObj?.name === value.name ? defObj : datasetDefaults(value.name);
      if (!defObj || defObj.name !== value.name) q.set("dataset.name", value.name);
      for (const [f, v] of Object.entries(value)) {
        if (f === "name") continue;
        if (!base || !same(base[f], v)) q.set(`dataset.${f}`, encode(v));
      }
      continue;
    }
    if (same(def, value)) continue;
    if (VIEW_KEYS.includes(key)) continue; // a view key is not a param (see ViewState)
    q.set(key, encode(value));
  }
  if (view?.present) q.set("present", "1");
  return q.toString();
}

/**
 * Params from a query string: defaults overlaid with what the URL says.
 * `datasets` ([{name, params_schema, defaults}]) types the `dataset.*` keys.
 * What cannot be a value of its param (k=abc, an option the schema does not list, a dataset no one serves,
 * a field that dataset does not have, a seed that is not a whole number) is dropped: the default stays.
 * A named dataset that does not suit a sibling it follows (`x-datasets-by`: `?task=regression` with the
 * classification default) becomes the dataset the `x-default-by` hint gives: a link always opens a form that runs.
 * @param {string} search `window.location.search` (with or without the leading "?")
 * @param {{schema: JsonSchema, defaults?: Params | null, datasetDefaults: DatasetDefaults, datasets?: DatasetInfo[]}} opts
 * @returns {{params: Params, seed: number}}
 */
export function fromQuery(search, { schema, defaults, datasetDefaults, datasets = [] }) {
  const q = new URLSearchParams(search);
  const descs = new Map(describeObject(schema).map((d) => [d.name, d]));
  /** @type {Params} */
  const params = JSON.parse(JSON.stringify(defaults ?? {}));
  let seed = 0;
  const rawSeed = q.get("seed");
  if (rawSeed !== null && /^\d+$/.test(rawSeed.trim())) seed = Number(rawSeed);

  const datasetName = q.get("dataset.name");
  const dsDesc = descs.get("dataset");
  const allowed = dsDesc?.kind === "dataset" ? dsDesc.allowed : null;
  /** A dataset this page serves and this lab takes. @param {string} name */
  const known = (name) => (!datasets.length || datasets.some((d) => d.name === name)) && (!allowed || allowed.includes(name));
  const inline = q.get("dataset");
  const current = () => (isObj(params.dataset) ? params.dataset.name : undefined);
  if (inline !== null) {
    const value = coerce(null, inline);
    if (isObj(value)) params.dataset = value;
  } else if (datasetName && datasetName !== current() && known(datasetName)) {
    const fresh = datasetDefaults(datasetName);
    if (fresh) params.dataset = fresh;
  }
  const ds = datasets.find((d) => d.name === current());
  const dsDescs = new Map(ds ? describeObject(ds.params_schema ?? {}).map((d) => [d.name, d]) : []);

  for (const [key, raw] of q.entries()) {
    if (key === "seed" || key === "dataset" || key === "dataset.name" || VIEW_KEYS.includes(key)) continue;
    /** @type {unknown} */
    let value;
    if (key.startsWith("dataset.")) {
      const f = key.slice("dataset.".length);
      if (ds && !dsDescs.has(f)) continue; // a field this dataset does not take
      value = coerce(dsDescs.get(f) ?? null, raw);
      if (value !== undefined) objectAt(params, "dataset")[f] = value;
    } else {
      const desc = descs.get(key);
      if (desc) value = coerce(desc, raw);
      if (value !== undefined) params[key] = value;
    }
  }
  const followed = followedDataset(taskHints(schema), params, { datasetDefaults });
  if (followed) params.dataset = followed;
  return { params, seed };
}

/**
 * Write the state into the address bar without adding history entries.
 * @param {string} query
 */
export function replaceUrl(query) {
  const url = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(null, "", url);
  }
}
