// @ts-check
// plain-errors.js: pydantic's 422 detail in a learner's words, with the allowed range from the params schema.
// Pure (no DOM): controls.js puts each message next to its control, the page's caption may list them.
//
//   {"type": "less_than_equal", "loc": ["body", "params", "k"], "msg": "Input should be less than or equal to 20"}
//   → {path: "k", message: "Number of neighbours (k) must be at most 20 (allowed: 1 to 20)"}
//
// `path` is where the value lives in the params as the form names it ("k", "dataset.noise", "runs.0.lr"):
// pydantic's union tags in a loc ("named", "moons", "function-after[...]") are dropped on the way.

import { itemNoun } from "./list-schema.js";
import { optionLabel, optionsOf, resolve } from "./schema.js";

/** @typedef {import("./schema.js").JsonSchema} JsonSchema */
/** @typedef {{type?: string, loc?: (string | number)[], msg?: string, input?: unknown, ctx?: Record<string, unknown>}} ErrorItem */
/** @typedef {{path: string, message: string}} PlainError */
/** @typedef {{node: JsonSchema | null, path: (string | number)[], titles: string[]}} Located */

/** @param {string} name  "test_fraction" → "Test fraction"; one letter ("k") stays as it is */
const readable = (name) => (name.length === 1 ? name : name.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase()));
/** @param {string} name  pydantic's automatic title of a property ("test_fraction" → "Test Fraction") */
const autoTitle = (name) => name.split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
/** @param {string} s */
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** A number as a learner reads it: 20, 0.5, 1e-8 (no float noise). @param {unknown} v */
export const num = (v) => (typeof v !== "number" ? String(v)
  : v !== 0 && Math.abs(v) < 1e-4 ? String(Number(v.toPrecision(6))) : String(Math.round(v * 1e9) / 1e9));

/** @param {JsonSchema} s @returns {JsonSchema[] | null} */
const branchesOf = (s) => s.anyOf ?? s.oneOf ?? null;
/** @param {JsonSchema} s */
const isNullSchema = (s) => s.type === "null";

/**
 * The branch of a union that pydantic names by `tag` in a loc: "literal['a','b']" or "str" → the string
 * branch, "int" / "constrained-int" → the integer one, "float" / "constrained-float" → the number one.
 * @param {string} tag
 * @param {JsonSchema[]} branches  resolved
 * @returns {JsonSchema | null}
 */
function branchForTag(tag, branches) {
  const want = /^literal\[|^str\b|string/.test(tag) ? "string" : /int\b|int$/.test(tag) ? "integer" : /float|number/.test(tag) ? "number" : null;
  const typeOf = (/** @type {JsonSchema} */ b) => (Array.isArray(b.type) ? b.type.find((t) => t !== "null") : b.type);
  return (want && branches.find((b) => typeOf(b) === want || (want === "string" && (b.enum || b.const !== undefined)))) || null;
}

/**
 * The title a learner sees for property `name` with schema `node`: `x-label`, a `title` that says more than
 * pydantic's automatic one, else the name made readable.
 * @param {string} name
 * @param {JsonSchema} node
 */
function titleOf(name, node) {
  const x = node["x-label"];
  if (typeof x === "string" && x) return x;
  if (node.title && node.title !== autoTitle(name)) return node.title;
  return readable(name);
}

/**
 * Follow a loc (without "body"/"params") down `schema`, through $refs, unions (by tag or by trying each
 * branch), list items and tuple slots. Returns the leaf schema (null when the loc leaves the schema), the
 * path as the form names it and the titles met on the way (outermost first).
 * @param {JsonSchema} root
 * @param {(string | number)[]} loc
 * @returns {Located}
 */
export function locate(root, loc) {
  /** @type {Located} */
  const out = { node: null, path: [], titles: [] };
  /**
   * @param {JsonSchema | undefined} raw
   * @param {number} i  position in loc
   * @param {number} depth  recursion guard
   * @returns {boolean}
   */
  const walk = (raw, i, depth) => {
    if (!raw || depth > 24) return false;
    const node = resolve(raw, root);
    if (i >= loc.length) { out.node = node; return true; }
    const head = loc[i];
    const key = String(head);
    const prop = node.properties?.[key];
    if (prop) {
      const mark = out.path.length;
      out.path.push(key);
      out.titles.push(titleOf(key, resolve(prop, root)));
      if (walk(prop, i + 1, depth + 1)) return true;
      out.path.length = mark;
      out.titles.length = mark;
    }
    if (/^\d+$/.test(key) && (node.items || node.prefixItems)) {
      const item = node.prefixItems?.[Number(key)] ?? node.items;
      out.path.push(Number(key));
      if (walk(item, i + 1, depth + 1)) return true;
      out.path.pop();
    }
    const branches = branchesOf(node);
    if (branches) {
      const mapped = node.discriminator?.mapping?.[key];
      if (mapped && walk({ $ref: mapped }, i + 1, depth + 1)) return true;
      for (const b of branches) {
        const rb = resolve(b, root);
        if (isNullSchema(rb)) continue;
        if (walk(rb, i, depth + 1)) return true; // the loc goes on inside this branch
      }
      // A tag pydantic puts in the loc of a union ("named", "moons", "list[int]"): skip it.
      if (i + 1 < loc.length) for (const b of branches) if (walk(b, i + 1, depth + 1)) return true;
      // The loc ends at the tag of the union branch that failed ("constrained-float"): that branch is the
      // leaf, with the union's own form hints (its option words).
      const branch = i + 1 === loc.length ? branchForTag(key, branches.map((b) => resolve(b, root))) : null;
      if (branch) {
        out.node = { ...branch, ...Object.fromEntries(Object.entries(node).filter(([k]) => k.startsWith("x-"))) };
        return true;
      }
    }
    return false;
  };
  if (!walk(root, 0, 0)) {
    // Outside the schema (e.g. `seed`, next to params in the body): name it by its last part.
    const last = String(loc[loc.length - 1] ?? "");
    return { node: null, path: loc.map((p) => (/^\d+$/.test(String(p)) ? Number(p) : String(p))), titles: last ? [readable(last)] : [] };
  }
  return out;
}

/**
 * "1 to 20", "more than 0, up to 10", "0 or more", "up to 50": what the schema allows a number.
 * @param {JsonSchema} node
 * @returns {string}
 */
export function allowedRange(node) {
  const lo = node.minimum ?? node.exclusiveMinimum;
  const hi = node.maximum ?? node.exclusiveMaximum;
  const loText = node.minimum !== undefined ? num(node.minimum) : node.exclusiveMinimum !== undefined ? `more than ${num(node.exclusiveMinimum)}` : "";
  const hiText = node.maximum !== undefined ? num(node.maximum) : node.exclusiveMaximum !== undefined ? `less than ${num(node.exclusiveMaximum)}` : "";
  if (lo !== undefined && hi !== undefined) {
    return node.minimum !== undefined && node.maximum !== undefined ? `${loText} to ${hiText}` : `${loText}, ${node.maximum !== undefined ? "up to " : ""}${hiText}`;
  }
  if (lo !== undefined) return node.minimum !== undefined ? `${loText} or more` : loText;
  if (hi !== undefined) return node.maximum !== undefined ? `up to ${hiText}` : hiText;
  return "";
}

/**
 * The numeric (non-null) branch of a schema node, so a nullable number still tells its range.
 * @param {JsonSchema | null} node
 * @param {JsonSchema} root
 * @returns {JsonSchema}
 */
function valueNode(node, root) {
  if (!node) return {};
  const branches = branchesOf(node);
  if (!branches) return node;
  const bounded = branches.map((b) => resolve(b, root)).find((b) => b.minimum !== undefined || b.maximum !== undefined
    || b.exclusiveMinimum !== undefined || b.exclusiveMaximum !== undefined || b.minItems !== undefined || b.maxItems !== undefined);
  return bounded ? { ...bounded, ...Object.fromEntries(Object.entries(node).filter(([k]) => k.startsWith("x-"))) } : node;
}

/** The first number in pydantic's message ("…less than or equal to 20" → 20). @param {unknown} msg */
const numberIn = (msg) => {
  const m = String(msg ?? "").match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/i);
  return m ? Number(m[0]) : undefined;
};

/**
 * One error item in plain words.
 * @param {ErrorItem} item
 * @param {JsonSchema} schema  the lab's params schema
 * @returns {PlainError}
 */
export function plainError(item, schema) {
  const raw = (item.loc ?? []).filter((p) => p !== "body");
  const inParams = raw[0] === "params";
  const loc = inParams ? raw.slice(1) : raw;
  const { node, path, titles } = inParams || raw.length === 0 ? locate(schema, loc) : locate({}, loc);
  const v = valueNode(node, schema);
  const at = path.findIndex((p) => typeof p === "number");
  let label = titles[titles.length - 1] ?? (loc.length ? "This setting" : "These settings");
  if (at > 0 && titles[at - 1]) {
    // Inside a list: "Learning rate of run 1" (a field of an item), "Layer 3 of Hidden layers" (the item).
    const noun = itemNoun({ name: String(path[at - 1]), label: titles[at - 1] });
    const nth = `${noun} ${Number(path[at]) + 1}`;
    label = titles.length > at ? `${label} of ${nth}` : `${cap(nth)} of ${titles[at - 1]}`;
  }
  const ctx = item.ctx ?? {};
  const range = allowedRange(v);
  const allowed = range ? ` (allowed: ${range})` : "";
  const bound = (/** @type {string} */ key, /** @type {number | undefined} */ fromSchema) => num(ctx[key] ?? fromSchema ?? numberIn(item.msg));
  const msg = String(item.msg ?? "").replace(/^Value error, /, "").replace(/^Assertion failed, /, "");
  const items = (/** @type {unknown} */ n) => `${num(n)} item${Number(n) === 1 ? "" : "s"}`;
  /** @type {string} */
  let message;
  switch (item.type) {
    case "less_than_equal": message = `${label} must be at most ${bound("le", v.maximum)}${allowed}`; break;
    case "less_than": message = `${label} must be less than ${bound("lt", v.exclusiveMaximum)}${allowed}`; break;
    case "greater_than_equal": message = `${label} must be at least ${bound("ge", v.minimum)}${allowed}`; break;
    case "greater_than": message = `${label} must be more than ${bound("gt", v.exclusiveMinimum)}${allowed}`; break;
    case "int_parsing": case "int_type": case "int_from_float":
      message = `${label} must be a whole number${allowed}`; break;
    case "float_parsing": case "float_type": case "decimal_parsing":
      message = `${label} must be a number${allowed}`; break;
    case "finite_number": message = `${label} must be a finite number, not infinity or NaN${allowed}`; break;
    case "bool_parsing": case "bool_type": message = `${label} must be on or off (true or false)`; break;
    case "literal_error": case "enum": {
      const opts = node ? optionsOf(node, schema) : null;
      const names = opts ? opts.map((o) => `“${optionLabel({ hints: node ?? {}, schema: node ?? {}, options: opts }, o)}”`) : [];
      const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names.join("");
      message = list ? `${label} must be one of ${list}` : `${label}: ${msg}`;
      break;
    }
    case "missing": message = `${label} is required`; break;
    case "too_short": {
      const min = ctx.min_length ?? v.minItems ?? numberIn(msg.replace(/after validation.*$/, ""));
      message = `${label} needs at least ${items(min)}${v.maxItems !== undefined ? ` (allowed: ${num(v.minItems ?? 0)} to ${items(v.maxItems)})` : ""}`;
      break;
    }
    case "too_long": {
      const max = ctx.max_length ?? v.maxItems ?? numberIn(msg.replace(/after validation.*$/, ""));
      message = `${label} can have at most ${items(max)}${v.minItems !== undefined ? ` (allowed: ${num(v.minItems)} to ${items(v.maxItems ?? max)})` : ""}`;
      break;
    }
    case "extra_forbidden": message = `${label} is not a setting of this lab`; break;
    case "string_type": message = `${label} must be text`; break;
    case "list_type": message = `${label} must be a list`; break;
    case "value_error": case "assertion_error":
      message = msg ? cap(msg) : `${label} is not valid`; break;
    default: message = msg ? `${label}: ${msg}` : `${label} is not valid`;
  }
  return { path: path.map(String).join("."), message: message.replace(/\s*\.\s*$/, "") };
}

/**
 * Every item of a 422 detail in plain words (a detail that is not a list — a plain string — is one message).
 * @param {unknown} detail  pydantic's list of {type, loc, msg, ctx?}
 * @param {JsonSchema} schema  the lab's params schema
 * @returns {PlainError[]}
 */
export function plainErrors(detail, schema) {
  if (typeof detail === "string") return detail ? [{ path: "", message: cap(detail) }] : [];
  if (!Array.isArray(detail)) return [];
  const plain = detail.filter((d) => d && typeof d === "object").map((d) => plainError(d, schema));
  return mergeUnionFailures(plain);
}

/**
 * A value no branch of a union accepts fails once per branch, all at the same field: one message saying
 * every way it could be right ("… must be one of “sqrt” or “all”; or a whole number (allowed: 1 to 2); or …").
 * Errors at other fields, or one error at a field, are left as they are.
 * @param {PlainError[]} errors
 * @returns {PlainError[]}
 */
function mergeUnionFailures(errors) {
  /** @type {Map<string, PlainError[]>} */
  const byPath = new Map();
  for (const e of errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  /** @type {PlainError[]} */
  const out = [];
  for (const [path, group] of byPath) {
    const head = group[0].message.match(/^(.*?) must be /)?.[1];
    const all = head !== undefined && group.length > 1 && group.every((e) => e.message.startsWith(`${head} must be `));
    if (!all) { out.push(...group); continue; }
    const ways = group.map((e) => e.message.slice(`${head} must be `.length));
    out.push({ path, message: `${head} must be ${ways.join("; or ")}` });
  }
  return out;
}
