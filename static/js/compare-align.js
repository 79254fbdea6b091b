// @ts-check
// compare-align.js: the pure half of the compare page (node --test imports it): what each side's state is,
// how two runs share one timeline, and the difference of their settings in words.

import { frameX } from "./metrics.js";
import { describeObject, optionLabel } from "./schema.js";

/** @typedef {import("./metrics.js").Timeline} Timeline */
/** @typedef {import("./schema.js").JsonSchema} JsonSchema */
/** @typedef {{index?: number, state?: Record<string, unknown> | null}} FrameLike */
/** @typedef {{a: number, b: number, x: number}} Tick  one step of the shared timeline: a frame of each side */
/** @typedef {{lab: string, query: string}} Side  a player's state: its lab and its query string */

/**
 * A side of `/compare?a=…&b=…`: "kmeans?seed=0&k=4", "/algorithms/kmeans?k=4", or a whole player URL.
 * @param {string | null | undefined} raw
 * @returns {Side | null}
 */
export function parseSide(raw) {
  const text = (raw ?? "").trim();
  if (!text) return null;
  let path = text;
  let query = "";
  const q = text.indexOf("?");
  if (q >= 0) { path = text.slice(0, q); query = text.slice(q + 1); }
  path = path.replace(/^[a-z]+:\/\/[^/]+/i, ""); // a whole URL: its path
  const lab = path.replace(/^\/?algorithms\//, "").replace(/^\/+|\/+$/g, "");
  if (!/^[a-z0-9][a-z0-9-]*$/.test(lab)) return null;
  return { lab, query };
}

/** @param {Side} side */
export const sideText = (side) => (side.query ? `${side.lab}?${side.query}` : side.lab);

/**
 * The compare page's own query for two sides.
 * @param {Side} a
 * @param {Side | null} b
 */
export function compareQuery(a, b) {
  const q = new URLSearchParams();
  q.set("a", sideText(a));
  if (b) q.set("b", sideText(b));
  return q.toString();
}

/**
 * One timeline for two runs. When both label their frames with the same timeline key (epoch, step, k, …), the
 * frames are merged in order of that value: each tick moves whichever side comes next (both when they tie), so
 * every frame of both runs is shown once and at a tick the two sides are at the same epoch (the one behind
 * holds its last frame). Otherwise the runs go frame by frame and the shorter one holds its last frame.
 * @param {FrameLike[]} a
 * @param {FrameLike[]} b
 * @param {Timeline} ta
 * @param {Timeline} tb
 * @returns {{ticks: Tick[], by: string}}
 */
export function alignRuns(a, b, ta, tb) {
  if (!a.length || !b.length) return { ticks: [], by: "frame" };
  if (ta.key === null || ta.key !== tb.key) {
    const n = Math.max(a.length, b.length);
    const ticks = Array.from({ length: n }, (_, i) => ({ a: Math.min(i, a.length - 1), b: Math.min(i, b.length - 1), x: i + 1 }));
    return { ticks, by: "frame" };
  }
  const xs = (/** @type {FrameLike[]} */ frames, /** @type {Timeline} */ t) => {
    /** @type {number[]} */
    const out = [];
    frames.forEach((f, i) => out.push(frameX(f, i, t, out[i - 1])));
    return out;
  };
  const xa = xs(a, ta);
  const xb = xs(b, tb);
  /** @type {Tick[]} */
  const ticks = [{ a: 0, b: 0, x: Math.min(xa[0], xb[0]) }];
  let i = 0;
  let j = 0;
  while (i < a.length - 1 || j < b.length - 1) {
    const na = i < a.length - 1 ? xa[i + 1] : Infinity;
    const nb = j < b.length - 1 ? xb[j + 1] : Infinity;
    if (na <= nb) i += 1;
    if (nb <= na) j += 1;
    ticks.push({ a: i, b: j, x: Math.min(na, nb) });
  }
  return { ticks, by: ta.title || ta.key };
}

/** @param {unknown} v */
const show = (v) => {
  if (v === null || v === undefined) return "none";
  if (typeof v === "number") return String(Number(v.toPrecision(6)));
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  return JSON.stringify(v).replace(/,/g, ", ").replace(/"/g, "");
};
/** @param {unknown} a @param {unknown} b */
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What B changes from A, in words: ["learning rate 0.3 instead of 0.03", "dataset moons instead of circles"].
 * For one lab, each param (and each field of a named dataset) that differs; for two labs, the labs, then the
 * dataset when both take one; the seed last.
 * @param {{schema: JsonSchema, params: Record<string, unknown>, seed: number, title: string, lab: string}} a
 * @param {{schema: JsonSchema, params: Record<string, unknown>, seed: number, title: string, lab: string}} b
 * @returns {string[]}
 */
export function diffWords(a, b) {
  /** @type {string[]} */
  const out = [];
  const sameLab = a.lab === b.lab;
  if (!sameLab) out.push(`${b.title} instead of ${a.title}`);
  const descs = describeObject(b.schema);
  for (const d of descs) {
    if (!sameLab && d.name !== "dataset") continue;
    const va = a.params[d.name];
    const vb = b.params[d.name];
    if (!(d.name in a.params) || same(va, vb)) continue;
    const label = d.label.charAt(0).toLowerCase() + d.label.slice(1);
    const da = /** @type {Record<string, unknown>} */ (va ?? {});
    const db = /** @type {Record<string, unknown>} */ (vb ?? {});
    if (d.name === "dataset" && typeof da === "object" && typeof db === "object" && da.name === db.name && db.name) {
      for (const f of Object.keys(db)) {
        if (!same(da[f], db[f])) out.push(`${label} ${f.replace(/_/g, " ")} ${show(db[f])} instead of ${show(da[f])}`);
      }
      continue;
    }
    if (d.name === "dataset" && typeof da === "object" && typeof db === "object" && (da.name || db.name)) {
      out.push(`${label} ${show(db.name ?? "your own points")} instead of ${show(da.name ?? "your own points")}`);
      continue;
    }
    const word = (/** @type {unknown} */ v) => ("options" in d && (typeof v === "string" || typeof v === "number" || typeof v === "boolean") ? `“${optionLabel(d, v)}”` : show(v));
    out.push(`${label} ${word(vb)} instead of ${word(va)}`);
  }
  if (a.seed !== b.seed) out.push(`seed ${b.seed} instead of ${a.seed}`);
  return out;
}
