// @ts-check
// schema.js: read pydantic v2 JSON Schemas ($defs/$ref, anyOf, Literal, hints) into widget descriptions.
// Pure (no DOM): controls.js draws the descriptions, state.js types URL values with them.

import { coerceChoice, describeChoice } from "./choice-schema.js";
import { describeList, describeObjectValue } from "./list-schema.js";

/**
 * A member of a closed set of options (a JSON Schema `enum` / `const` value other than null).
 * @typedef {string | number | boolean} Option
 */

/**
 * One JSON Schema node as pydantic v2 writes it. Only the keys read here are named; any other key is open
 * (the `x-*` UI hints from `json_schema_extra` among them).
 * @typedef {{
 *   type?: string | string[],
 *   $ref?: string,
 *   $defs?: Record<string, JsonSchema>,
 *   definitions?: Record<string, JsonSchema>,
 *   allOf?: JsonSchema[],
 *   anyOf?: JsonSchema[],
 *   oneOf?: JsonSchema[],
 *   enum?: (Option | null)[],
 *   const?: Option | null,
 *   properties?: Record<string, JsonSchema>,
 *   required?: string[],
 *   items?: JsonSchema,
 *   prefixItems?: JsonSchema[],
 *   minItems?: number,
 *   maxItems?: number,
 *   minimum?: number,
 *   maximum?: number,
 *   exclusiveMinimum?: number,
 *   exclusiveMaximum?: number,
 *   default?: unknown,
 *   title?: string,
 *   description?: string,
 *   discriminator?: {propertyName?: string, mapping?: Record<string, string>},
 *   "x-widget"?: string,
 *   "x-label"?: string,
 *   "x-step"?: number,
 *   "x-min"?: number,
 *   "x-max"?: number,
 *   "x-log"?: boolean,
 *   "x-log-scale"?: boolean,
 *   "x-click"?: {mode?: string, count_param?: string},
 *   [key: string]: unknown,
 * }} JsonSchema
 */

/**
 * What every widget description carries. `schema` is the resolved schema (a nullable's null branch dropped);
 * `hints` are its `x-*` keys.
 * @typedef {{
 *   name: string,
 *   label: string,
 *   help: string,
 *   nullable: boolean,
 *   schema: JsonSchema,
 *   hints: Record<string, unknown>,
 * }} DescBase
 */

/** @typedef {DescBase & {kind: "dataset", allowed: Option[] | null}} DatasetDesc  allowed: null = any dataset */
/** @typedef {DescBase & {kind: "point"}} PointDesc  one [x, y] set by a click (click-point.js) */
/**
 * Named options or points placed by clicking (k-means' `init`); `countParam` names the param that says how many.
 * @typedef {DescBase & {kind: "click", options: Option[], countParam: string | null, pointSchema: JsonSchema | null}} ClickDesc
 */
/** @typedef {DescBase & {kind: "select", options: Option[]}} SelectDesc */
/** @typedef {DescBase & {kind: "checkbox"}} CheckboxDesc */
/**
 * A number: a slider (`range`) when both ends are known, else a number box. `min`/`max` are the slider's ends
 * (`x-min`/`x-max` hints win), `hardMin`/`hardMax` what the schema allows.
 * @typedef {DescBase & {
 *   kind: "range" | "number",
 *   integer: boolean,
 *   min: number | undefined,
 *   max: number | undefined,
 *   hardMin: number | undefined,
 *   hardMax: number | undefined,
 *   step: number | "any",
 *   log: boolean,
 * }} NumberDesc
 */
/** @typedef {DescBase & {kind: "features"}} FeaturesDesc */
/** @typedef {DescBase & {kind: "text"}} TextDesc */
/** @typedef {DescBase & {kind: "json"}} JsonDesc  anything else: a JSON textarea */
/** @typedef {DescBase & {kind: "plugin", plugin: string}} PluginDesc  drawn by static/js/widgets/<plugin>.js */
/**
 * One parameter as a widget, told apart by `kind`.
 * @typedef {DatasetDesc | PointDesc | ClickDesc | SelectDesc | CheckboxDesc | NumberDesc | FeaturesDesc | TextDesc
 *   | JsonDesc | PluginDesc | import("./list-schema.js").ListDesc | import("./list-schema.js").ObjectDesc
 *   | import("./choice-schema.js").ChoiceDesc} Desc
 */

/**
 * A finite number (Number.isFinite that narrows the type).
 * @param {unknown} v
 * @returns {v is number}
 */
export const isFiniteNumber = (v) => typeof v === "number" && Number.isFinite(v);

/**
 * Follow `$ref` (and single-entry `allOf`) within `root`'s `$defs`, keeping sibling keys.
 * @param {JsonSchema | undefined} schema
 * @param {JsonSchema | undefined} root
 * @returns {JsonSchema}
 */
export function resolve(schema, root) {
  let s = schema ?? {};
  for (let guard = 0; guard < 16; guard += 1) {
    if (s.$ref) {
      const name = s.$ref.split("/").pop() ?? "";
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

/** @param {JsonSchema} s */
const branchesOf = (s) => s.anyOf ?? s.oneOf ?? null;
/** @param {JsonSchema} s */
const isNull = (s) => s.type === "null" || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === "null");

/**
 * String options a (resolved) schema allows, or null if it is not a closed set of strings/numbers.
 * @param {JsonSchema} s
 * @param {JsonSchema | undefined} root
 * @returns {Option[] | null}
 */
export function optionsOf(s, root) {
  if (Array.isArray(s.enum)) return s.enum.filter((v) => v !== null);
  if ("const" in s) return s.const === null || s.const === undefined ? null : [s.const];
  const branches = branchesOf(s);
  if (branches) {
    /** @type {Option[]} */
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

/** An array of [x, y] pairs (k-means' manual centres). @param {JsonSchema} s @param {JsonSchema | undefined} root */
const isPointList = (s, root) => {
  if (s.type !== "array") return false;
  const items = resolve(s.items ?? s.prefixItems?.[0] ?? {}, root);
  return items.type === "array" || Array.isArray(items.prefixItems);
};

/** @param {string} name */
const pretty = (name) => (name.length === 1 ? name : name.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase()));

/**
 * Describe one parameter as a widget:
 * {name, kind: "dataset"|"click"|"point"|"select"|"checkbox"|"range"|"number"|"text"|"choice"|list kinds|"object"|"json",
 * label, help, nullable, ...}
 * @param {string} name
 * @param {JsonSchema | undefined} rawSchema
 * @param {JsonSchema | undefined} root the schema whose `$defs` the refs point into
 * @returns {Desc}
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
  /** @type {DescBase} */
  const base = { name, label, help: s.description ?? "", nullable, schema: s, hints: { ...hints, ...pickHints(s) } };
  const widget = s["x-widget"];
  if (name === "dataset" || widget === "dataset") return { ...base, kind: "dataset", allowed: datasetNames(s, root) };
  // A control of the lab's own (an image picker, a kernel grid): widgets/registry.js loads widgets/<name>.js.
  if (typeof s["x-plugin"] === "string") return { ...base, kind: "plugin", plugin: s["x-plugin"] };

  if (s["x-click"]?.mode === "set") return { ...base, kind: "point" }; // one [x, y] set by a click (click-point.js)
  const bs = branchesOf(s);
  if (s["x-click"] || (bs && bs.some((b) => isPointList(resolve(b, root), root)))) {
    /** @type {Option[]} */
    const strings = [];
    /** @type {JsonSchema | null} */
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
    /** @type {number | "any" | undefined} */
    let step = s["x-step"] ?? (integer ? 1 : undefined);
    const lo = s.minimum ?? s.exclusiveMinimum;
    const hi = s.maximum ?? s.exclusiveMaximum;
    if (step === undefined && isFiniteNumber(lo) && isFiniteNumber(hi)) step = niceStep((hi - lo) / 100);
    // An exclusive bound moves in by one step: a slider's end must be a value the schema takes. The hard
    // bounds (the number box's min/max) move only by an integer's 1 or the author's own x-step: a step derived
    // from the range (1 for lr in (0, 100]) would put them above valid values (and above lr's default 0.001).
    const nudge = integer ? 1 : (typeof step === "number" ? step : 0);
    const hardNudge = integer ? 1 : (s["x-step"] ?? 0);
    const inward = (/** @type {number} */ by) => ({
      lo: s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + by : undefined),
      hi: s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - by : undefined),
    });
    const { lo: hardMin, hi: hardMax } = inward(hardNudge);
    let { lo: min, hi: max } = inward(nudge);
    min = s["x-min"] ?? min;
    max = s["x-max"] ?? max;
    const log = Boolean(s["x-log"] ?? s["x-log-scale"]);
    // A log slider over (0, max] starts five decades below max: a linear step (0.1 for lr ≤ 10) would
    // hide every small value a log scale is there to reach.
    if (log && s["x-min"] === undefined && isFiniteNumber(lo) && lo <= 0 && isFiniteNumber(max)) min = max * 1e-5;
    if (log && isFiniteNumber(min) && min <= 0) min = typeof step === "number" && step > 0 ? step : (max ?? 1) * 1e-6;
    const bounded = isFiniteNumber(min) && isFiniteNumber(max) && max > min;
    const kind = bounded && widget !== "number" ? "range" : "number";
    return { ...base, kind, integer, min, max, hardMin, hardMax, step: step ?? "any", log };
  }
  if (widget === "features") return { ...base, kind: "features" };
  if (type === "string") return { ...base, kind: "text" };
  // A word or a number (choice-schema.js); lists and one object (list-schema.js): widgets that need no typing.
  return describeChoice(base, s, root) ?? describeList(base, s, root) ?? describeObjectValue(base, s, root)
    ?? { ...base, kind: "json" };
}

/** @param {JsonSchema} s @returns {Record<string, unknown>} */
function pickHints(s) {
  return Object.fromEntries(Object.entries(s).filter(([k]) => k.startsWith("x-")));
}

/** A 1-2-5 step near `raw`. @param {number} raw @returns {number | "any"} */
function niceStep(raw) {
  if (!(raw > 0)) return "any";
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/**
 * The dataset names an algorithm's `dataset` schema admits (via `name` consts / enums), or null = any.
 * @param {JsonSchema} s
 * @param {JsonSchema | undefined} root
 * @returns {Option[] | null}
 */
function datasetNames(s, root) {
  /** @type {Set<Option>} */
  const names = new Set();
  /** @param {JsonSchema | undefined} node @param {number} depth */
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

/**
 * How an option reads on screen: its `x-labels` entry when the schema has one ({"uniform": "Every neighbour
 * counts the same"}, or a list in option order), else the value as given ("k-means++" stays "k-means++").
 * @param {{hints?: Record<string, unknown>, schema?: JsonSchema, options?: Option[]}} desc
 * @param {Option} option
 * @returns {string}
 */
export function optionLabel(desc, option) {
  const labels = desc.hints?.["x-labels"] ?? desc.schema?.["x-labels"];
  if (Array.isArray(labels) && desc.options) {
    const i = desc.options.indexOf(option);
    if (i >= 0 && typeof labels[i] === "string" && labels[i]) return labels[i];
  } else if (labels && typeof labels === "object") {
    const hit = /** @type {Record<string, unknown>} */ (labels)[String(option)];
    if (typeof hit === "string" && hit) return hit;
  }
  return String(option);
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Turn a query-string value into a typed value for a widget description, or `undefined` when the text cannot
 * be a value of that widget at all (garbage in a link: the caller keeps the default). A value of the right
 * type that breaks a rule (k above the number of points) comes through: the server names the rule next to
 * the control. Without a description (`desc` null) it guesses: null, JSON, a number, a boolean, else the text.
 * @param {Desc | null} desc
 * @param {string} raw
 * @returns {unknown}
 */
export function coerce(desc, raw) {
  const trimmed = raw.trim();
  /** @type {unknown} what JSON-looking text ([…] or {…}) parses to; undefined when it does not */
  let json;
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    try { json = JSON.parse(trimmed); } catch { /* not JSON */ }
  }
  if (!desc) {
    if (raw === "null") return null;
    if (json !== undefined) return json;
    if (trimmed !== "" && Number.isFinite(Number(trimmed))) return Number(trimmed);
    if (trimmed === "true" || trimmed === "false") return trimmed === "true";
    return raw;
  }
  if (raw === "null") return desc.nullable || desc.kind === "json" ? null : undefined;
  switch (desc.kind) {
    case "checkbox":
      if (["true", "1", "on"].includes(trimmed)) return true;
      return ["false", "0", "off"].includes(trimmed) ? false : undefined;
    case "range":
    case "number": {
      const n = Number(trimmed);
      return trimmed !== "" && Number.isFinite(n) ? n : undefined;
    }
    case "select":
      return desc.options.find((o) => String(o) === raw);
    case "click":
      return Array.isArray(json) ? json : desc.options.find((o) => String(o) === raw);
    case "point":
    case "features":
    case "multi":
    case "numlist":
    case "tuple":
    case "objlist":
      return Array.isArray(json) ? json : undefined;
    case "dataset":
    case "object":
      return isObject(json) ? json : undefined;
    case "choice":
      return coerceChoice(desc, raw);
    case "plugin": // a lab's own control (widgets/registry.js): its value is JSON too
    case "json":
      // Any JSON (a number, true, a list); text that is not JSON is a string value (svm's gamma="scale").
      try { return JSON.parse(trimmed); } catch { return raw; }
    default:
      return raw; // text
  }
}

/**
 * Properties of an object schema as widget descriptions, in schema order.
 * @param {JsonSchema} schema
 * @param {{skip?: string[]}} [opts] names to leave out
 * @returns {Desc[]}
 */
export function describeObject(schema, { skip = [] } = {}) {
  const root = schema;
  const obj = resolve(schema, root);
  return Object.entries(obj.properties ?? {})
    .filter(([name]) => !skip.includes(name))
    .map(([name, prop]) => describe(name, prop, root));
}
