// list-schema.js: describe list-valued params (JSON Schema `type: "array"`) as widgets that need no typing.
//   multi   — array of enum/Literal strings            → a checkbox group (minItems/maxItems kept)
//   numlist — array of numbers/integers                 → one slider/number per item, + / − buttons
//   tuple   — fixed-length numeric `prefixItems`        → N number inputs side by side (e.g. Adam's betas)
//   objlist — array of objects, or of a tagged union    → one sub-form per item: tag select + that variant's fields
// Anything else returns null and stays the JSON textarea. Driven by the schema only (no param names).

import { describe, optionsOf, resolve } from "./schema.js";

const typeOf = (s) => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);
const numeric = (s) => typeOf(s) === "integer" || typeOf(s) === "number";
const branchesOf = (s) => s.anyOf ?? s.oneOf ?? null;

/** "Hidden layers" → "layer", "Runs" → "run": what one item is called on its buttons and rows. */
export function itemNoun(base) {
  const hinted = base.hints?.["x-item-label"];
  if (hinted) return String(hinted);
  const last = String(base.label ?? base.name).trim().split(/[\s_-]+/).pop().toLowerCase();
  return last.length > 3 && last.endsWith("s") && !last.endsWith("ss") ? last.slice(0, -1) : "item";
}

/** The single value a (resolved) property schema pins (`const`, a one-value enum), or undefined. */
function pinned(prop, root) {
  const opts = optionsOf(resolve(prop, root), root);
  return opts && opts.length === 1 ? opts[0] : undefined;
}

/** Variants of an object item: [{tag, title, help, fields, required}] plus the discriminator name, or null. */
function objectVariants(item, root) {
  const raw = branchesOf(item);
  const branches = (raw ?? [item]).map((b) => resolve(b, root));
  if (!branches.length || !branches.every((b) => typeOf(b) === "object" || b.properties)) return null;
  if (!branches.every((b) => b.properties && Object.keys(b.properties).length)) return null;
  let disc = item.discriminator?.propertyName ?? null;
  if (!disc && branches.length > 1) {
    // No explicit discriminator: a property every branch pins to its own distinct value.
    const names = Object.keys(branches[0].properties);
    disc = names.find((n) => {
      const tags = branches.map((b) => (b.properties[n] ? pinned(b.properties[n], root) : undefined));
      return tags.every((t) => t !== undefined) && new Set(tags).size === tags.length;
    }) ?? null;
  }
  if (branches.length > 1 && !disc) return null;
  const mapping = item.discriminator?.mapping ?? {};
  const variants = branches.map((b, i) => {
    let tag = disc && b.properties[disc] ? pinned(b.properties[disc], root) : undefined;
    if (tag === undefined && disc) tag = Object.keys(mapping).find((k) => mapping[k] === raw?.[i]?.$ref);
    if (tag === undefined) tag = disc ? `#${i + 1}` : null;
    const fields = Object.entries(b.properties)
      .filter(([n]) => n !== disc)
      .map(([n, p]) => describe(n, p, root));
    return { tag, title: b.title ?? String(tag), help: b.description ?? "", fields, required: b.required ?? [] };
  });
  if (disc && variants.some((v) => typeof v.tag === "string" && v.tag.startsWith("#"))) return null;
  // A field we cannot draw without typing JSON would defeat the point: leave the whole list to the textarea.
  if (variants.some((v) => v.fields.some((f) => f.kind === "json" || f.kind === "dataset" || f.kind === "click"))) return null;
  return { discriminator: disc, variants };
}

/** A list widget description for an array schema, or null (the caller keeps its JSON fallback). */
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

export const LIST_KINDS = new Set(["multi", "numlist", "tuple", "objlist"]);
