// schema.js: read pydantic v2 JSON Schemas ($defs/$ref, anyOf, Literal, hints) into widget descriptions.

import { describeList } from "./list-schema.js";

/** Follow `$ref` (and single-entry `allOf`) within `root`'s `$defs`, keeping sibling keys. */
export function resolve(schema, root) {
  let s = schema ?? {};
  for (let guard = 0; guard < 16; guard += 1) {
    if (s.$ref) {
      const name = s.$ref.split("/").pop();
      const target = root?.$defs?.[name] ?? root?.definitions?.[name] ?? {};
      const { $ref, ...rest } = s;
      s = { ...target, ...rest };
    } else if (Array.isArray(s.allOf) && s.allOf.length === 1) {
      const { allOf, ...rest } = s;
      s = { ...resolve(allOf[0], root), ...rest };
    } else break;
  }
  return s;
}

const branchesOf = (s) => s.anyOf ?? s.oneOf ?? null;
const isNull = (s) => s.type === "null" || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === "null");

/** String options a (resolved) schema allows, or null if it is not a closed set of strings/numbers. */
export function optionsOf(s, root) {
  if (Array.isArray(s.enum)) return s.enum.filter((v) => v !== null);
  if ("const" in s) return [s.const];
  const branches = branchesOf(s);
  if (branches) {
    const out = [];
    for (const b of branches.map((x) => resolve(x, root))) {
      if (isNull(b)) continue;
      const sub = optionsOf(b, root);
      if (!sub) return null;
      out.push(...sub);
    }
    return out.length ? out : null;
  }
  return null;
}

const isPointList = (s, root) => {
  if (s.type !== "array") return false;
  const items = resolve(s.items ?? s.prefixItems?.[0] ?? {}, root);
  return items.type === "array" || Array.isArray(items.prefixItems);
};

const pretty = (name) => (name.length === 1 ? name : name.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase()));

/**
 * Describe one parameter as a widget:
 * {name, kind: "dataset"|"click"|"point"|"select"|"checkbox"|"range"|"number"|"text"|"json", label, help, nullable, ...}
 */
export function describe(name, rawSchema, root) {
  let s = resolve(rawSchema, root);
  const hints = Object.fromEntries(Object.entries(s).filter(([k]) => k.startsWith("x-")));
  let nullable = false;
  const branches = branchesOf(s);
  if (branches) {
    const nonNull = branches.filter((b) => !isNull(resolve(b, root)));
    if (nonNull.length < branches.length) nullable = true;
    if (nonNull.length === 1) {
      const { anyOf, oneOf, ...rest } = s;
      s = { ...resolve(nonNull[0], root), ...rest };
    }
  }
  const auto = name.split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
  const label = s["x-label"] ?? (s.title && s.title !== auto ? s.title : pretty(name));
  const base = { name, label, help: s.description ?? "", nullable, schema: s, hints: { ...hints, ...pickHints(s) } };
  const widget = s["x-widget"];
  if (name === "dataset" || widget === "dataset") return { ...base, kind: "dataset", allowed: datasetNames(s, root) };

  if (s["x-click"]?.mode === "set") return { ...base, kind: "point" }; // one [x, y] set by a click (click-point.js)
  const bs = branchesOf(s);
  if (s["x-click"] || (bs && bs.some((b) => isPointList(resolve(b, root), root)))) {
    const strings = [];
    let pointSchema = null;
    for (const b of (bs ?? []).map((x) => resolve(x, root))) {
      if (isNull(b)) continue;
      if (isPointList(b, root)) pointSchema = b;
      else strings.push(...(optionsOf(b, root) ?? []));
    }
    const countParam = s["x-click"]?.count_param ?? null;
    return { ...base, kind: "click", options: strings, countParam, pointSchema };
  }
  const options = optionsOf(s, root);
  if (options && (widget === undefined || widget === "select")) return { ...base, kind: "select", options };
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (type === "boolean") return { ...base, kind: "checkbox" };
  if (type === "integer" || type === "number") {
    const integer = type === "integer";
    let step = s["x-step"] ?? (integer ? 1 : undefined);
    const lo = s.minimum ?? s.exclusiveMinimum;
    const hi = s.maximum ?? s.exclusiveMaximum;
    if (step === undefined && Number.isFinite(lo) && Number.isFinite(hi)) step = niceStep((hi - lo) / 100);
    const nudge = integer ? 1 : (typeof step === "number" ? step : 0);
    let min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + nudge : undefined);
    let max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - nudge : undefined);
    const hardMin = min;
    const hardMax = max;
    min = s["x-min"] ?? min;
    max = s["x-max"] ?? max;
    const log = Boolean(s["x-log"] ?? s["x-log-scale"]);
    // A log slider over (0, max] starts five decades below max: a linear step (0.1 for lr ≤ 10) would
    // hide every small value a log scale is there to reach.
    if (log && s["x-min"] === undefined && Number.isFinite(lo) && lo <= 0 && Number.isFinite(max)) min = max * 1e-5;
    if (log && Number.isFinite(min) && min <= 0) min = typeof step === "number" && step > 0 ? step : (max ?? 1) * 1e-6;
    const bounded = Number.isFinite(min) && Number.isFinite(max) && max > min;
    const kind = bounded && widget !== "number" ? "range" : "number";
    return { ...base, kind, integer, min, max, hardMin, hardMax, step: step ?? "any", log };
  }
  if (widget === "features") return { ...base, kind: "features" };
  if (type === "string") return { ...base, kind: "text" };
  return describeList(base, s, root) ?? { ...base, kind: "json" }; // list-schema.js: lists that need no typing
}

function pickHints(s) {
  return Object.fromEntries(Object.entries(s).filter(([k]) => k.startsWith("x-")));
}

function niceStep(raw) {
  if (!(raw > 0)) return "any";
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** The dataset names an algorithm's `dataset` schema admits (via `name` consts / enums), or null = any. */
function datasetNames(s, root) {
  const names = new Set();
  const visit = (node, depth) => {
    if (!node || depth > 6) return;
    const r = resolve(node, root);
    const nameProp = r.properties?.name ? resolve(r.properties.name, root) : null;
    if (nameProp) for (const v of optionsOf(nameProp, root) ?? []) names.add(v);
    for (const b of branchesOf(r) ?? []) visit(b, depth + 1);
    const mapping = r.discriminator?.mapping;
    if (mapping) for (const key of Object.keys(mapping)) names.add(key);
  };
  visit(s, 0);
  return names.size ? [...names] : null;
}

/** Turn a query-string value into a typed value for a widget description (or a schema-less guess). */
export function coerce(desc, raw) {
  if (raw === "null") return null;
  const trimmed = raw.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    try { return JSON.parse(trimmed); } catch { /* fall through to string */ }
  }
  if (!desc) {
    if (trimmed !== "" && Number.isFinite(Number(trimmed))) return Number(trimmed);
    if (trimmed === "true" || trimmed === "false") return trimmed === "true";
    return raw;
  }
  if (desc.kind === "checkbox") return raw === "true" || raw === "1" || raw === "on";
  if (desc.kind === "range" || desc.kind === "number") {
    const n = Number(trimmed);
    return trimmed === "" || !Number.isFinite(n) ? raw : n;
  }
  if (desc.kind === "select") {
    const hit = desc.options.find((o) => String(o) === raw);
    return hit === undefined ? raw : hit;
  }
  return raw;
}

/** Properties of an object schema as widget descriptions, in schema order. */
export function describeObject(schema, { skip = [] } = {}) {
  const root = schema;
  const obj = resolve(schema, root);
  return Object.entries(obj.properties ?? {})
    .filter(([name]) => !skip.includes(name))
    .map(([name, prop]) => describe(name, prop, root));
}
