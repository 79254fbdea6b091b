// @ts-check
// figure-base.js: what every chart on the player page shares: the plotly.js global, the base layout over which
// each figure is drawn, and how a metric's name and value read. Pure until a DOM helper is called (node --test
// imports it).

import { FONT, INK, PALETTE, PAPER } from "./theme.js";

/** @typedef {import("./compose.js").Layout} Layout */

/** @returns {PlotlyStatic} */
export const Plotly = () => {
  if (!window.Plotly) throw new Error("plotly.js did not load (/static/vendor/plotly.min.js).");
  return window.Plotly;
};

/** @type {Layout} */
export const BASE_LAYOUT = {
  font: { family: FONT, size: 14, color: INK },
  paper_bgcolor: PAPER,
  plot_bgcolor: PAPER,
  colorway: PALETTE,
  margin: { l: 56, r: 24, t: 24, b: 48 },
  hoverlabel: { font: { family: FONT, size: 14 } },
  legend: { bgcolor: "rgba(255,255,255,0.85)" },
};

/** @param {HTMLElement | null | undefined} gd */
export function purgePlot(gd) {
  if (window.Plotly && gd) window.Plotly.purge(gd);
}

const ACRONYMS = new Set(["wcss", "sse", "mse", "rmse", "mae", "auc", "r2", "f1", "lr", "bss", "tss"]);

/**
 * A metric or panel id as a label: "train_accuracy" → "Train accuracy", "wcss" → "WCSS".
 * @param {string} name
 */
export const pretty = (name) => (ACRONYMS.has(name.toLowerCase()) ? name.toUpperCase()
  : name.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase()));

/**
 * @param {unknown} v
 * @returns {string}
 */
export function formatNumber(v) {
  if (typeof v !== "number" || !Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString("en");
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toLocaleString("en", { maximumFractionDigits: 1 });
  if (abs >= 1) return v.toLocaleString("en", { maximumFractionDigits: 3 });
  return v.toPrecision(3);
}
