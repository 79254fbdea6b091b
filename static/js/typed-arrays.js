// @ts-check
// typed-arrays.js: Plotly typed-array specs `{dtype, bdata, shape}` decoded as plotly.js decodes them, and
// `stabilize`, which hands Plotly.react the same references for whatever did not change since the last draw
// (react diffs data arrays by reference, so an unchanged array costs nothing and a frame that only recolours
// points takes plotly's style-only path instead of a full replot). Pure: node --test imports it.

import { isPlainObject, isTypedArraySpec } from "./compose.js";

/** @typedef {import("./compose.js").TypedArraySpec} TypedArraySpec */

/** @type {Record<string, new (buffer: ArrayBuffer, offset?: number, length?: number) => ArrayLike<number>>} */
const ARRAY_TYPES = {
  i1: Int8Array, u1c: Uint8ClampedArray, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
  i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array,
  int8: Int8Array, uint8c: Uint8ClampedArray, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, float32: Float32Array, float64: Float64Array,
};

/**
 * @param {string} b64
 * @returns {ArrayBuffer}
 */
function base64Bytes(b64) {
  const U8 = /** @type {any} */ (Uint8Array);
  if (typeof U8.fromBase64 === "function") return U8.fromBase64(b64).buffer;
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 1) bytes[i] = s.charCodeAt(i);
  return bytes.buffer;
}

/**
 * Decode a typed-array spec into what plotly.js itself makes of it (its `decodeTypedArraySpec`): a typed
 * array, or for a `shape` of "rows,cols" an array of row views (and of those for 3 dimensions).
 * @param {TypedArraySpec} spec
 * @returns {ArrayLike<number> | ArrayLike<number>[] | ArrayLike<number>[][]}
 */
export function decodeTypedArray(spec) {
  const Ctor = ARRAY_TYPES[spec.dtype];
  if (!Ctor) throw new Error(`unknown dtype "${spec.dtype}"`);
  const buffer = base64Bytes(spec.bdata);
  const size = /** @type {any} */ (Ctor).BYTES_PER_ELEMENT;
  const dims = spec.shape === undefined ? [buffer.byteLength / size] : String(spec.shape).split(",").map(Number);
  if (dims.length === 1) return new Ctor(buffer);
  const cols = dims[dims.length - 1];
  const step = size * cols;
  let offset = 0;
  if (dims.length === 2) {
    /** @type {ArrayLike<number>[]} */
    const rows = [];
    for (let r = 0; r < dims[0]; r += 1) { rows.push(new Ctor(buffer, offset, cols)); offset += step; }
    return rows;
  }
  if (dims.length === 3) {
    /** @type {ArrayLike<number>[][]} */
    const planes = [];
    for (let p = 0; p < dims[0]; p += 1) {
      /** @type {ArrayLike<number>[]} */
      const rows = [];
      for (let r = 0; r < dims[1]; r += 1) { rows.push(new Ctor(buffer, offset, cols)); offset += step; }
      planes.push(rows);
    }
    return planes;
  }
  throw new Error(`typed array of ${dims.length} dimensions is not supported`);
}

/**
 * @param {TypedArraySpec} a
 * @param {TypedArraySpec} b
 */
const sameSpec = (a, b) => a.dtype === b.dtype && String(a.shape ?? "") === String(b.shape ?? "") && a.bdata === b.bdata;

/** @type {WeakMap<object, unknown>} a spec → its decoded array (decoding is pure: shared by every plot) */
const decoded = new WeakMap();

/**
 * What was handed to Plotly for each array, spec or object of a composed figure (one memo per plot: an
 * object drawn into one plot is never handed to another).
 * @typedef {WeakMap<object, unknown>} DrawnMemo
 */

/** @type {DrawnMemo} */
const sharedMemo = new WeakMap();

/**
 * `next` (a composed figure, or part of one) as it should go to Plotly.react after `prev` (the composed
 * figure of the previous draw): typed-array specs decoded (once per spec), and every array, spec or object
 * equal to its counterpart in `prev` replaced by what was drawn for that counterpart, so react sees the same
 * reference and skips it. A changed object is a fresh copy; an unchanged one is the very object drawn last
 * time, as a page that keeps its figure would pass it, with whatever plotly wrote into it (a contour's
 * computed levels: a copy without them, drawn without a recalc, has none and plotly throws).
 * The composed inputs are never mutated.
 * @param {unknown} next
 * @param {unknown} prev
 * @param {DrawnMemo} [memo]  what was drawn for what (drawMain keeps one per plot)
 * @returns {any}
 */
export function stabilize(next, prev, memo = sharedMemo) {
  /** @param {unknown} v @returns {unknown} what was drawn for `v` (a scalar: itself; unknown: undefined) */
  const drawnOf = (v) => (v !== null && typeof v === "object" ? memo.get(v) : v);

  /** @param {unknown} nx @param {unknown} pv @returns {any} */
  const walk = (nx, pv) => {
    if (nx === null || typeof nx !== "object") return nx;
    if (isTypedArraySpec(nx)) {
      if (isTypedArraySpec(pv) && (pv === nx || sameSpec(pv, nx)) && memo.has(pv)) {
        const out = memo.get(pv);
        memo.set(nx, out);
        return out;
      }
      let out = memo.get(nx) ?? decoded.get(nx);
      if (out === undefined) { out = decodeTypedArray(nx); decoded.set(nx, out); }
      memo.set(nx, out);
      return out;
    }
    if (Array.isArray(nx)) {
      const p = Array.isArray(pv) && pv.length === nx.length ? pv : null;
      let same = p !== null;
      let changed = false;
      const out = new Array(nx.length);
      for (let i = 0; i < nx.length; i += 1) {
        const v = nx[i];
        const o = v !== null && typeof v === "object" ? walk(v, p?.[i]) : v;
        out[i] = o;
        if (o !== v) changed = true;
        if (same && o !== drawnOf(/** @type {any[]} */ (p)[i])) same = false;
      }
      const prevOut = same ? drawnOf(p) : undefined;
      const result = prevOut !== undefined ? prevOut : changed ? out : nx;
      memo.set(nx, result);
      return result;
    }
    if (isPlainObject(nx)) {
      const p = isPlainObject(pv) ? pv : null;
      const keys = Object.keys(nx);
      let same = p !== null && Object.keys(p).length === keys.length;
      /** @type {Record<string, any>} */
      const out = {};
      for (const key of keys) {
        const o = walk(nx[key], p?.[key]);
        out[key] = o;
        if (same && (!(key in /** @type {object} */ (p)) || o !== drawnOf(/** @type {any} */ (p)[key]))) same = false;
      }
      const prevOut = same ? drawnOf(p) : undefined;
      const result = prevOut !== undefined ? prevOut : out;
      memo.set(nx, result);
      return result;
    }
    return nx; // a typed array or another object: a leaf
  };
  return walk(next, prev);
}
