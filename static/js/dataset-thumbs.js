// @ts-check
// dataset-thumbs.js: a dataset's points as the marks of a small square thumbnail (the dataset picker's
// buttons, dataset-picker.js draws them as SVG). Pure (no DOM).
//
// Both axes share one scale, so a circle stays round and moons stay wide; the points are centred in the
// square. Each class gets a colour AND a shape (circle, square, diamond, triangle, …): colour is never the
// only thing that tells classes apart. A regression set (a label that is no class index: y is a number) is
// one class; with one feature its points are (x, y), two different quantities, each axis scaled to the square.

/** @typedef {"circle" | "square" | "diamond" | "triangle" | "cross"} MarkShape */
/** @typedef {{x: number, y: number, cls: number, shape: MarkShape}} Mark  x, y in 0…size, y pointing down */

/** @type {readonly MarkShape[]} */
export const CLASS_SHAPES = Object.freeze(["circle", "square", "diamond", "triangle", "cross"]);

/**
 * Every `step`-th row so that at most `max` remain (in order: the same rows each time).
 * @template T
 * @param {T[]} rows
 * @param {number} max
 * @returns {T[]}
 */
export function thin(rows, max) {
  if (rows.length <= max) return rows.slice();
  const step = rows.length / max;
  return Array.from({ length: max }, (_, i) => rows[Math.floor(i * step)]);
}

/**
 * The class index of a label: integers as they are (≥ 0), anything else (a regression target, none) 0.
 * @param {unknown} label
 */
const classOf = (label) => (typeof label === "number" && Number.isInteger(label) && label >= 0 ? label : 0);

/**
 * Marks for the first two columns of `X`, coloured (and shaped) by `y`.
 * @param {number[][]} X  rows of at least one number (a single column is drawn against its row's label)
 * @param {unknown[] | undefined} y
 * @param {{size?: number, pad?: number, max?: number}} [opts]  size of the square, margin, most marks drawn
 * @returns {Mark[]}
 */
export function thumbMarks(X, y, { size = 100, pad = 8, max = 150 } = {}) {
  const target = isTarget(y);
  const rows = thin(X.map((row, i) => ({ row, label: y?.[i] })), max)
    .filter(({ row }) => Array.isArray(row) && row.length >= 1)
    .map(({ row, label }) => ({ x: Number(row[0]), y: Number(row.length > 1 ? row[1] : label), label, curve: row.length === 1 }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (!rows.length) return [];
  const xs = rows.map((p) => p.x);
  const ys = rows.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const inner = size - 2 * pad;
  const span = Math.max(x1 - x0, y1 - y0) || 1;
  // (x, y) of a one-feature regression: each axis its own scale; two features: one scale for both
  const curve = target && rows.every((p) => p.curve);
  const scaleX = curve ? inner / (x1 - x0 || 1) : inner / span;
  const scaleY = curve ? inner / (y1 - y0 || 1) : inner / span;
  const offX = (size - (x1 - x0) * scaleX) / 2;
  const offY = (size - (y1 - y0) * scaleY) / 2;
  return rows.map((p) => {
    const cls = target ? 0 : classOf(p.label);
    return {
      x: Math.round((offX + (p.x - x0) * scaleX) * 10) / 10,
      y: Math.round((size - offY - (p.y - y0) * scaleY) * 10) / 10, // SVG y points down
      cls,
      shape: CLASS_SHAPES[cls % CLASS_SHAPES.length],
    };
  });
}

/**
 * Whether `y` is a regression target rather than class labels: a finite number in it is no class index
 * (not a whole number ≥ 0).
 * @param {unknown[] | undefined} y
 */
export function isTarget(y) {
  return Array.isArray(y) && y.some((v) => typeof v === "number" && Number.isFinite(v) && !(Number.isInteger(v) && v >= 0));
}

/**
 * The SVG path of one mark of radius `r` (circles too, so every mark is one <path>).
 * @param {Mark} m
 * @param {number} r
 * @returns {string}
 */
export function markPath(m, r) {
  const { x, y } = m;
  const f = (/** @type {number} */ v) => String(Math.round(v * 10) / 10);
  switch (m.shape) {
    case "square": return `M${f(x - r * 0.85)} ${f(y - r * 0.85)}h${f(r * 1.7)}v${f(r * 1.7)}h${f(-r * 1.7)}z`;
    case "diamond": return `M${f(x)} ${f(y - r * 1.15)}L${f(x + r * 1.15)} ${f(y)}L${f(x)} ${f(y + r * 1.15)}L${f(x - r * 1.15)} ${f(y)}z`;
    case "triangle": return `M${f(x)} ${f(y - r * 1.2)}L${f(x + r * 1.1)} ${f(y + r * 0.8)}L${f(x - r * 1.1)} ${f(y + r * 0.8)}z`;
    case "cross": return `M${f(x - r)} ${f(y - r)}L${f(x + r)} ${f(y + r)}M${f(x + r)} ${f(y - r)}L${f(x - r)} ${f(y + r)}`;
    default: return `M${f(x - r)} ${f(y)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0`;
  }
}

/**
 * The query of a thumbnail's data: a small sample of a generator (its `n_samples` capped at `n`), nothing
 * for a fixed table. `schema` is the dataset's params schema (GET /api/v1/datasets).
 * @param {{properties?: Record<string, {maximum?: number, minimum?: number}>} | undefined} schema
 * @param {number} [n]
 * @returns {string}  "n_samples=120" or ""
 */
export function previewQuery(schema, n = 120) {
  const ns = schema?.properties?.n_samples;
  if (!ns) return "";
  const lo = ns.minimum ?? 1;
  const hi = ns.maximum ?? n;
  return `n_samples=${Math.max(lo, Math.min(n, hi))}`;
}

const VOWEL = /[aeiouy]/i;
/** Consonant pairs that start a syllable together ("tr" in "Aniso-tropic"): never split between them. */
const ONSETS = new Set(["bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "ph", "pl", "pr", "sh", "sp", "st", "th", "tr", "wh"]);

/**
 * Where a long word may break: before a consonant (or an onset pair) that follows a vowel and precedes one
 * ("Corre-lated", "Aniso-tropic"), or between two consonants that are no onset ("regres-sion").
 * @param {string} word
 * @returns {number[]}  indices to break before
 */
function breakPoints(word) {
  const w = word.toLowerCase();
  const isV = (/** @type {number} */ i) => VOWEL.test(w[i] ?? "");
  /** @type {number[]} */
  const out = [];
  for (let i = 2; i <= w.length - 3; i += 1) {
    if (isV(i)) continue;
    if (isV(i - 1) && (isV(i + 1) || (ONSETS.has(w.slice(i, i + 2)) && isV(i + 2)))) out.push(i);
    else if (!isV(i - 1) && isV(i - 2) && !ONSETS.has(w.slice(i - 1, i + 1)) && (isV(i + 1) || ONSETS.has(w.slice(i, i + 2)))) out.push(i);
  }
  return out;
}

/**
 * A name as a narrow thumbnail shows it: a soft hyphen (U+00AD) at the syllable break nearest the middle of
 * each word longer than `max` letters ("Anisotropic" → "Aniso\u00ADtropic"), and a hyphen between letters or
 * digits that does not break ("1-D"). The accessible name (aria-label) stays the plain name.
 * @param {string} name
 * @param {number} [max]
 * @returns {string}
 */
export function softHyphenate(name, max = 8) {
  return name.replace(/(?<=[\p{L}\d])-(?=[\p{L}\d])/gu, "\u2011").replace(/\p{L}+/gu, (word) => {
    if (word.length <= max) return word;
    const mid = word.length / 2;
    const best = breakPoints(word).reduce((b, i) => (b < 0 || Math.abs(i - mid) < Math.abs(b - mid) ? i : b), -1);
    return best < 0 ? word : `${word.slice(0, best)}\u00AD${word.slice(best)}`;
  });
}
