// @ts-check
// list-schema.js: describe list-valued params (JSON Schema `type: "array"`) as widgets that need no typing.
//   multi   — array of enum/Literal strings            → a checkbox group (minItems/maxItems kept)
//   numlist — array of numbers/integers                 → one slider/number per item, + / − buttons
//   tuple   — fixed-length numeric `prefixItems`        → N number inputs side by side (e.g. Adam's betas)
//   objlist — array of objects, or of a tagged union    → one sub-form per item: tag select + that variant's fields
//   object  — one object, or one of a tagged union      → the same sub-form once (describeObjectValue)
// Anything else returns null and stays the JSON textarea. Driven by the schema only (no param names).

import { describe, optionsOf, resolve } from "./schema.js";

/** @typedef {import("./schema.js").JsonSchema} JsonSchema */
/** @typedef {import("./schema.js").DescBase} DescBase */
/** @typedef {import("./schema.js").Desc} Desc */
/** @typedef {import("./schema.js").Option} Option */

/**
 * A checkbox group over string options; the value is the checked options in schema order.
 * @typedef {DescBase & {kind: "multi", options: string[], minItems: number, maxItems: number}} MultiDesc
 */
/**
 * A list of numbers, one `item` widget per entry; `noun` names one entry ("layer"); `fallback` is the
 * schema's default list (what + starts from when the list is empty).
 * @typedef {DescBase & {
 *   kind: "numlist", item: Desc, minItems: number, maxItems: number, noun: string, fallback: unknown[] | null,
 * }} NumlistDesc
 */
/** @typedef {DescBase & {kind: "tuple", items: Desc[]}} TupleDesc  fixed-length numbers side by side */
/**
 * One shape an object item may take: its tag (the discriminator's value; null when the list has one shape),
 * how the tag reads (`label`: the tag property's `x-labels` word, else the variant's title) and its fields
 * other than the tag.
 * @typedef {{tag: Option | null, label: string, title: string, help: string, fields: Desc[], required: string[]}} Variant
 */
/**
 * The shapes an object value may take (objlist items, one object param): see objectVariants.
 * @typedef {{discriminator: string | null, variants: Variant[]}} ObjectShape
 */
/**
 * A list of objects (a tagged union when `discriminator` names the tag field), one sub-form per item.
 * @typedef {DescBase & {
 *   kind: "objlist", discriminator: string | null, variants: Variant[], minItems: number, maxItems: number,
 *   noun: string, fallback: unknown[] | null,
 * }} ObjlistDesc
 */
/** @typedef {MultiDesc | NumlistDesc | TupleDesc | ObjlistDesc} ListDesc */
/**
 * One object param (bagging's base model): a tag select over its variants and that variant's fields;
 * `fallback` is the param's default object (what a switch back to its variant starts from).
 * @typedef {DescBase & {kind: "object", discriminator: string | null, variants: Variant[], fallback: Record<string, unknown> | null}} ObjectDesc
 */

/** @param {JsonSchema} s */
const typeOf = (s) => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);
/** @param {JsonSchema} s */
const numeric = (s) => typeOf(s) === "integer" || typeOf(s) === "number";
/** @param {JsonSchema} s */
const branchesOf = (s) => s.anyOf ?? s.oneOf ?? null;

/**
 * "Hidden layers" → "layer", "Racers" → "racer", "Softmax inputs (logits)" → "logit": what one item is called
 * on its buttons and rows.
 * @param {{name: string, label?: string, hints?: Record<string, unknown>}} base
 * @returns {string}
 */
export function itemNoun(base) {
  const hinted = base.hints?.["x-item-label"];
  if (hinted) return String(hinted);
  const text = String(base.label ?? base.name);
  /** @param {string} s  its last word, lower-case, letters only */
  const lastWord = (s) => (s.split(/[^\p{L}]+/u).filter(Boolean).pop() ?? "").toLowerCase();
  const plural = (/** @type {string} */ w) => w.length > 3 && w.endsWith("s") && !w.endsWith("ss");
  // "Softmax inputs (logits)": the word in brackets names the items when it is a plural.
  const inner = lastWord(text.match(/\(([^)]*)\)\s*$/)?.[1] ?? "");
  const last = plural(inner) ? inner : lastWord(text.replace(/\([^)]*\)/g, " "));
  return plural(last) ? last.slice(0, -1) : "item";
}

/**
 * The single value a (resolved) property schema pins (`const`, a one-value enum), or undefined.
 * @param {JsonSchema} prop
 * @param {JsonSchema | undefined} root
 * @returns {Option | undefined}
 */
function pinned(prop, root) {
  const opts = optionsOf(resolve(prop, root), root);
  return opts && opts.length === 1 ? opts[0] : undefined;
}

/**
 * How a variant's tag reads: the tag property's `x-labels` word for it, else the variant's title, else the tag.
 * @param {JsonSchema | undefined} tagProp
 * @param {Option | null} tag
 * @param {string | undefined} title
 * @returns {string}
 */
function variantLabel(tagProp, tag, title) {
  const labels = tagProp?.["x-labels"];
  const word = labels && typeof labels === "object" && !Array.isArray(labels)
    ? /** @type {Record<string, unknown>} */ (labels)[String(tag)] : undefined;
  return typeof word === "string" && word ? word : (title ?? String(tag));
}

/**
 * Variants of an object item: [{tag, label, title, help, fields, required}] plus the discriminator name, or null.
 * @param {JsonSchema} item
 * @param {JsonSchema | undefined} root
 * @returns {ObjectShape | null}
 */
export function objectVariants(item, root) {
  const raw = branchesOf(item);
  const branches = (raw ?? [item]).map((b) => resolve(b, root));
  if (!branches.length || !branches.every((b) => typeOf(b) === "object" || b.properties)) return null;
  if (!branches.every((b) => b.properties && Object.keys(b.properties).length)) return null;
  /** @param {JsonSchema} b @returns {Record<string, JsonSchema>} non-empty: checked just above */
  const props = (b) => b.properties ?? {};
  let disc = item.discriminator?.propertyName ?? null;
  if (!disc && branches.length > 1) {
    // No explicit discriminator: a property every branch pins to its own distinct value.
    const names = Object.keys(props(branches[0]));
    disc = names.find((n) => {
      const tags = branches.map((b) => (props(b)[n] ? pinned(props(b)[n], root) : undefined));
      return tags.every((t) => t !== undefined) && new Set(tags).size === tags.length;
    }) ?? null;
  }
  if (branches.length > 1 && !disc) return null;
  const mapping = item.discriminator?.mapping ?? {};
  const variants = branches.map((b, i) => {
    /** @type {Option | null | undefined} */
    let tag = disc && props(b)[disc] ? pinned(props(b)[disc], root) : undefined;
    if (tag === undefined && disc) tag = Object.keys(mapping).find((k) => mapping[k] === raw?.[i]?.$ref);
    if (tag === undefined) tag = disc ? `#${i + 1}` : null;
    const fields = Object.entries(props(b))
      .filter(([n]) => n !== disc)
      .map(([n, p]) => describe(n, p, root));
    const title = b.title ?? String(tag);
    const label = disc ? variantLabel(props(b)[disc] ? resolve(props(b)[disc], root) : undefined, tag, title) : title;
    /** @type {Variant} */
    const variant = { tag, label, title, help: b.description ?? "", fields, required: b.required ?? [] };
    return variant;
  });
  if (disc && variants.some((v) => typeof v.tag === "string" && v.tag.startsWith("#"))) return null;
  // A field we cannot draw without typing JSON would defeat the point: leave the whole list to the textarea.
  if (variants.some((v) => v.fields.some((f) => f.kind === "json" || f.kind === "dataset" || f.kind === "click"))) return null;
  return { discriminator: disc, variants };
}

/**
 * A list widget description for an array schema, or null (the caller keeps its JSON fallback).
 * @param {DescBase} base
 * @param {JsonSchema} s the resolved array schema
 * @param {JsonSchema | undefined} root
 * @returns {ListDesc | null}
 */
export function describeList(base, s, root) {
  if (typeOf(s) !== "array" || base.nullable) return null;
  const minItems = s.minItems ?? 0;
  const maxItems = s.maxItems ?? Infinity;
  const fallback = Array.isArray(s.default) ? s.default : null;
  const noun = itemNoun(base);
  if (Array.isArray(s.prefixItems)) {
    const items = s.prefixItems.map((p) => resolve(p, root));
    const fixed = s.minItems === items.length && s.maxItems === items.length;
    if (!items.length || !fixed || !items.every(numeric)) return null;
    return { ...base, kind: "tuple", items: items.map((it, i) => describe(`${base.name} ${i + 1}`, it, root)) };
  }
  const item = resolve(s.items ?? {}, root);
  const options = optionsOf(item, root);
  if (options && options.length && options.every((o) => typeof o === "string")) {
    return { ...base, kind: "multi", options, minItems, maxItems: Math.min(maxItems, options.length) };
  }
  if (numeric(item)) {
    const itemDesc = describe(noun, item, root);
    return { ...base, kind: "numlist", item: itemDesc, minItems, maxItems, noun, fallback };
  }
  const shape = objectVariants(item, root);
  if (shape) return { ...base, kind: "objlist", ...shape, minItems, maxItems, noun, fallback };
  return null;
}

/**
 * An object widget description for one object-valued param (a plain object or a tagged union of objects),
 * or null (the caller keeps its JSON fallback). Lists, nullables and bare `dict`s are not this.
 * @param {DescBase} base
 * @param {JsonSchema} s the resolved schema
 * @param {JsonSchema | undefined} root
 * @returns {ObjectDesc | null}
 */
export function describeObjectValue(base, s, root) {
  if (typeOf(s) === "array" || base.nullable) return null;
  const shape = objectVariants(s, root);
  if (!shape) return null;
  const fallback = s.default && typeof s.default === "object" && !Array.isArray(s.default)
    ? /** @type {Record<string, unknown>} */ (s.default) : null;
  return { ...base, kind: "object", ...shape, fallback };
}

/** @type {Set<string>} */
export const LIST_KINDS = new Set(["multi", "numlist", "tuple", "objlist"]);
