// @ts-check
// data-link.js: inline 2-D data {X, y} in a share link, compactly (`data=d1.<base64url>`, ≤ 500 points).
// Pure (no DOM: btoa/atob only), so node --test checks it; data-editor.js draws the panel that uses it.
// A shared link reproduces the run exactly: the page always uses the decoded form of what the link holds.

export const MAX_LINK_POINTS = 500;
const PREFIX = "d1.";

/**
 * Inline data as the API takes it: 2-D points, with integer class labels when supervised.
 * @typedef {{X: number[][], y?: number[]}} InlineData
 */

// ---- compact encoding: [decimals s][flags][varint n] then per point zigzag varints of round(v·10^s), [label]

/** @param {number} v */
const zigzag = (v) => (v >= 0 ? 2 * v : -2 * v - 1);
/** @param {number} u */
const unzigzag = (u) => (u % 2 === 0 ? u / 2 : -(u + 1) / 2);

/** @param {number[]} out @param {number} value */
function pushVarint(out, value) {
  let v = value;
  while (v >= 128) { out.push((v % 128) + 128); v = Math.floor(v / 128); }
  out.push(v);
}

/** @param {Uint8Array} bytes @param {{i: number}} pos read position, advanced past the varint */
function readVarint(bytes, pos) {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos.i >= bytes.length) throw new Error("truncated data");
    const b = bytes[pos.i++];
    value += (b % 128) * scale;
    if (b < 128) return value;
    scale *= 128;
  }
}

/** The fewest decimals (≤ 6) that hold every value exactly; 6 when none does. @param {number[][]} X */
function decimalsFor(X) {
  for (let s = 0; s <= 6; s += 1) {
    const f = 10 ** s;
    if (X.every((row) => row.every((v) => Math.abs(Math.round(v * f) - v * f) < 1e-6))) return s;
  }
  return 6;
}

/** @param {number[]} bytes */
const toBase64Url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
/** @param {string} text */
const fromBase64Url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/**
 * Inline {X, y} (2-D) → "d1.…" text, or null when it cannot go in a link.
 * @param {InlineData} data
 * @returns {string | null}
 */
export function encodeData({ X, y }) {
  if (!Array.isArray(X) || !X.length || X.length > MAX_LINK_POINTS || X.some((r) => r.length !== 2)) return null;
  const s = decimalsFor(X);
  const f = 10 ** s;
  const labels = Array.isArray(y) && y.every((v) => Number.isInteger(v) && v >= 0);
  const out = [s, labels ? 1 : 0];
  pushVarint(out, X.length);
  X.forEach((row, i) => {
    for (const v of row) pushVarint(out, zigzag(Math.round(v * f)));
    if (labels && y) pushVarint(out, y[i]);
  });
  /** @type {number[]} */
  const chunks = [];
  for (let i = 0; i < out.length; i += 4096) chunks.push(...out.slice(i, i + 4096));
  return PREFIX + toBase64Url(chunks);
}

/**
 * "d1.…" → {X, y?}; throws on malformed input.
 * @param {string} text
 * @returns {InlineData}
 */
export function decodeData(text) {
  if (!text.startsWith(PREFIX)) throw new Error("unknown data encoding");
  const bytes = fromBase64Url(text.slice(PREFIX.length));
  const pos = { i: 2 };
  const s = bytes[0];
  const labels = (bytes[1] & 1) === 1;
  const n = readVarint(bytes, pos);
  if (s > 6 || n > MAX_LINK_POINTS) throw new Error("bad data header");
  const f = 10 ** s;
  /** @type {number[][]} */
  const X = [];
  /** @type {number[]} */
  const y = [];
  for (let i = 0; i < n; i += 1) {
    X.push([unzigzag(readVarint(bytes, pos)) / f, unzigzag(readVarint(bytes, pos)) / f]);
    if (labels) y.push(readVarint(bytes, pos));
  }
  return labels ? { X, y } : { X };
}

/**
 * The data exactly as a link will carry it (unchanged when it is too big for a link).
 * @param {InlineData} data
 * @returns {InlineData}
 */
export function roundTrip(data) {
  const text = encodeData(data);
  return text ? decodeData(text) : data;
}

/**
 * Query string with inline `dataset` JSON replaced by the compact `data` key (or dropped when too large).
 * @param {string} query
 * @returns {string}
 */
export function compactDataQuery(query) {
  const q = new URLSearchParams(query);
  const raw = q.get("dataset");
  if (raw === null || !raw.trim().startsWith("{")) return query;
  /** @type {unknown} */
  let value = null;
  try { value = JSON.parse(raw); } catch { return query; }
  if (!isInlineData(value)) return query;
  const text = encodeData(value);
  q.delete("dataset");
  if (text) q.set("data", text);
  return q.toString();
}

/**
 * A page search string with `data=d1.…` expanded back into `dataset={…}` for state.js.
 * @param {string} search
 * @returns {string}
 */
export function expandDataQuery(search) {
  const q = new URLSearchParams(search);
  const text = q.get("data");
  if (text === null) return search;
  q.delete("data");
  try { q.set("dataset", JSON.stringify(decodeData(text))); } catch { /* a broken link: the defaults run */ }
  return `?${q.toString()}`;
}

/**
 * Parsed JSON that has an `X` list (what the encoder needs; it checks the rows itself).
 * @param {unknown} v
 * @returns {v is InlineData}
 */
function isInlineData(v) {
  return v !== null && typeof v === "object" && "X" in v && Array.isArray(v.X);
}
