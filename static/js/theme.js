// @ts-check
// theme.js: the colours and fonts every module draws with, read from the page. The one source is
// app/views/theme.py: base.html renders its `tokens()` into <script type="application/json" id="stepwise-theme">
// (and its CSS variables into a style block). Nothing is copied here: outside a page (node tests) or on a page
// without the block, every value is empty, and Plotly falls back to its own defaults.

/**
 * The theme as theme.py serves it.
 * @typedef {{palette: string[], ink: string, muted: string, grid: string, paper: string, font: string}} Theme
 */

/** @type {Theme} */
const EMPTY = { palette: [], ink: "", muted: "", grid: "", paper: "", font: "" };

/**
 * Parse the JSON block's text into a Theme; anything missing or of the wrong type stays empty.
 * @param {string | null | undefined} text
 * @returns {Theme}
 */
export function parseTheme(text) {
  /** @type {any} */
  let raw = null;
  try { raw = text ? JSON.parse(text) : null; } catch { raw = null; }
  if (!raw || typeof raw !== "object") return { ...EMPTY, palette: [] };
  const str = (/** @type {unknown} */ v) => (typeof v === "string" ? v : "");
  return {
    palette: Array.isArray(raw.palette) ? raw.palette.filter((/** @type {unknown} */ c) => typeof c === "string") : [],
    ink: str(raw.ink), muted: str(raw.muted), grid: str(raw.grid), paper: str(raw.paper), font: str(raw.font),
  };
}

/** @type {Theme} */
export const THEME = parseTheme(typeof document === "undefined" ? null
  : document.getElementById("stepwise-theme")?.textContent);

/** The categorical palette (Okabe–Ito first): class / cluster / run i is PALETTE[i % PALETTE.length]. */
export const PALETTE = THEME.palette;
export const FONT = THEME.font;
/** Text, outlines and marks drawn over data. */
export const INK = THEME.ink;
/** Marks not yet coloured, axis lines (too light for text). */
export const MUTED = THEME.muted;
export const GRID = THEME.grid;
/** The figure background; also the halo around a mark drawn over data. */
export const PAPER = THEME.paper;
