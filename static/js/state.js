// state.js: the page URL is the full state. params ↔ query string, only non-default values written.
// e.g. ?seed=0&k=4&init=random&dataset.name=moons&dataset.noise=0.1 ; lists/objects are JSON in one key.

import { coerce, describeObject } from "./schema.js";

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

const encode = (v) => {
  if (v === null) return "null";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
};

/**
 * Query string for params + seed. `datasetDefaults(name)` gives a dataset's defaults so that
 * only its changed fields are written.
 */
export function toQuery(params, seed, defaults, datasetDefaults) {
  const q = new URLSearchParams();
  q.set("seed", String(seed ?? 0));
  for (const [key, value] of Object.entries(params ?? {})) {
    const def = defaults?.[key];
    if (key === "dataset" && isObj(value) && typeof value.name === "string" && !("X" in value)) {
      const base = def?.name === value.name ? def : datasetDefaults(value.name);
      if (!def || def.name !== value.name) q.set("dataset.name", value.name);
      for (const [f, v] of Object.entries(value)) {
        if (f === "name") continue;
        if (!base || !same(base[f], v)) q.set(`dataset.${f}`, encode(v));
      }
      continue;
    }
    if (same(def, value)) continue;
    q.set(key, encode(value));
  }
  return q.toString();
}

/**
 * Params from a query string: defaults overlaid with what the URL says.
 * `datasets` ([{name, params_schema, defaults}]) types the `dataset.*` keys.
 */
export function fromQuery(search, { schema, defaults, datasetDefaults, datasets = [] }) {
  const q = new URLSearchParams(search);
  const descs = new Map(describeObject(schema).map((d) => [d.name, d]));
  const params = JSON.parse(JSON.stringify(defaults ?? {}));
  let seed = 0;
  const rawSeed = q.get("seed");
  if (rawSeed !== null && /^\d+$/.test(rawSeed.trim())) seed = Number(rawSeed);

  const datasetName = q.get("dataset.name");
  if (q.has("dataset")) {
    params.dataset = coerce(null, q.get("dataset"));
  } else if (datasetName && datasetName !== params.dataset?.name) {
    params.dataset = datasetDefaults(datasetName);
  }
  const ds = datasets.find((d) => d.name === params.dataset?.name);
  const dsDescs = new Map(ds ? describeObject(ds.params_schema ?? {}).map((d) => [d.name, d]) : []);

  for (const [key, raw] of q.entries()) {
    if (key === "seed" || key === "dataset" || key === "dataset.name") continue;
    if (key.startsWith("dataset.")) {
      const f = key.slice("dataset.".length);
      if (!isObj(params.dataset)) params.dataset = {};
      params.dataset[f] = coerce(dsDescs.get(f) ?? null, raw);
    } else if (descs.has(key)) {
      params[key] = coerce(descs.get(key), raw);
    }
  }
  return { params, seed };
}

/** Write the state into the address bar without adding history entries. */
export function replaceUrl(query) {
  const url = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(null, "", url);
  }
}
