// @ts-check
// choice-schema.js: "a word or a number" params: an `anyOf` of one string enum and numeric branches (a random
// forest's max_features: "sqrt" | "log2" | "all" | a count 1–2 | a share in (0, 1]) → kind "choice": a select
// of the words plus "a number…", which shows a number box. Driven by the schema only (no param names).

import { isFiniteNumber, optionsOf, resolve } from "./schema.js";

/** @typedef {import("./schema.js").JsonSchema} JsonSchema */
/** @typedef {import("./schema.js").DescBase} DescBase */

/**
 * The words (in schema order) and the number box the numeric branches allow: `min`/`max` the widest bounds
 * over those branches (an exclusive bound stays out of `min`/`max`: the server names it if it is hit),
 * `integer` when every numeric branch is an integer, `step` 1 for integers else "any".
 * @typedef {DescBase & {
 *   kind: "choice", options: string[], integer: boolean, min: number | undefined, max: number | undefined,
 *   step: number | "any",
 * }} ChoiceDesc
 */

/** The select option that stands for "type a number" (no word of a schema looks like it). */
export const NUMBER_OPTION = "__number__";

/** @param {JsonSchema} s */
const typeOf = (s) => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);
/** @param {JsonSchema} s */
const isNull = (s) => s.type === "null" || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === "null");

/**
 * A choice description for `s` (resolved, its branches still in `anyOf`/`oneOf`), or null when it is not one
 * string enum plus one or more numeric branches (a nullable one too: the widget has no way to say null).
 * @param {DescBase} base
 * @param {JsonSchema} s
 * @param {JsonSchema | undefined} root
 * @returns {ChoiceDesc | null}
 */
export function describeChoice(base, s, root) {
  const raw = s.anyOf ?? s.oneOf;
  if (!raw || base.nullable) return null;
  const branches = raw.map((b) => resolve(b, root)).filter((b) => !isNull(b));
  const numeric = branches.filter((b) => typeOf(b) === "integer" || typeOf(b) === "number");
  const words = branches.filter((b) => !numeric.includes(b));
  if (words.length !== 1 || !numeric.length) return null;
  const options = optionsOf(words[0], root);
  if (!options || !options.length || !options.every((o) => typeof o === "string")) return null;
  /** @param {(number | undefined)[]} xs @param {(...v: number[]) => number} pick */
  const bound = (xs, pick) => (xs.every(isFiniteNumber) ? pick(.../** @type {number[]} */ (xs)) : undefined);
  const lows = numeric.map((b) => b.minimum ?? b.exclusiveMinimum);
  const highs = numeric.map((b) => b.maximum ?? b.exclusiveMaximum);
  const integer = numeric.every((b) => typeOf(b) === "integer");
  // An exclusive lower bound (a share > 0) has no "min" the browser can say: leave it open.
  const exclusiveLow = numeric.some((b) => b.minimum === undefined && b.exclusiveMinimum !== undefined);
  return {
    ...base, kind: "choice", options: /** @type {string[]} */ (options), integer,
    min: exclusiveLow ? undefined : bound(lows, Math.min), max: bound(highs, Math.max), step: integer ? 1 : "any",
  };
}

/**
 * A query-string value for a choice: one of its words, else a number; undefined when it is neither.
 * @param {ChoiceDesc} desc
 * @param {string} raw
 * @returns {string | number | undefined}
 */
export function coerceChoice(desc, raw) {
  const word = desc.options.find((o) => o === raw);
  if (word !== undefined) return word;
  const n = Number(raw.trim());
  return raw.trim() !== "" && Number.isFinite(n) ? n : undefined;
}
