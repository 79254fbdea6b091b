// @ts-check
// interactions/lib/draw-grid.js: the pure side of drawing a digit on the CNN's input grid (draw-digit.js):
// a grid of uint8 cells (rows × cols, row-major, 0 = blank, 255 = full ink, as the digits the network trained
// on), which cell a pointer is over, a pen stroke between two pointer positions, the keyboard cursor, and the
// grid as the predict endpoint's typed array. No DOM: node --test drives it.

export const INK = 255;
/** What the pen leaves on the 4 cells around the one it is on (the training digits have soft edges). */
export const HALO = 96;

/**
 * @typedef {Object} Grid
 * @property {number} rows
 * @property {number} cols
 * @property {Uint8Array} cells  rows × cols, row-major
 */

/**
 * A blank grid.
 * @param {number} rows
 * @param {number} cols
 * @returns {Grid}
 */
export function blankGrid(rows, cols) {
  const r = Math.max(1, Math.floor(rows));
  const c = Math.max(1, Math.floor(cols));
  return { rows: r, cols: c, cells: new Uint8Array(r * c) };
}

/**
 * The cell under a point of a box `width` × `height` the grid fills (null outside it).
 * @param {Grid} grid
 * @param {number} x  from the box's left edge
 * @param {number} y  from the box's top edge
 * @param {number} width
 * @param {number} height
 * @returns {[number, number] | null}  [row, col]
 */
export function cellAt(grid, x, y, width, height) {
  if (!(width > 0 && height > 0) || x < 0 || y < 0 || x >= width || y >= height) return null;
  return [Math.floor((y / height) * grid.rows), Math.floor((x / width) * grid.cols)];
}

/**
 * The cells of a straight stroke from one cell to another, both ends included (Bresenham: no gaps when the
 * pointer moves faster than one cell per event).
 * @param {[number, number]} from
 * @param {[number, number]} to
 * @returns {[number, number][]}
 */
export function strokeCells(from, to) {
  let [r0, c0] = from;
  const [r1, c1] = to;
  const dr = Math.abs(r1 - r0);
  const dc = Math.abs(c1 - c0);
  const sr = r0 < r1 ? 1 : -1;
  const sc = c0 < c1 ? 1 : -1;
  let err = dc - dr;
  /** @type {[number, number][]} */
  const out = [];
  for (;;) {
    out.push([r0, c0]);
    if (r0 === r1 && c0 === c1) return out;
    const e2 = 2 * err;
    if (e2 > -dr) { err -= dr; c0 += sc; }
    if (e2 < dc) { err += dc; r0 += sr; }
  }
}

/**
 * Put the pen (or the eraser) on one cell: the pen inks it fully and raises its 4 neighbours to at least
 * `HALO`; the eraser blanks the cell. Returns whether any cell changed.
 * @param {Grid} grid
 * @param {[number, number]} cell
 * @param {"pen" | "eraser"} tool
 * @returns {boolean}
 */
export function paint(grid, [row, col], tool) {
  const { rows, cols, cells } = grid;
  if (row < 0 || col < 0 || row >= rows || col >= cols) return false;
  const at = row * cols + col;
  if (tool === "eraser") {
    const was = cells[at];
    cells[at] = 0;
    return was !== 0;
  }
  let changed = cells[at] !== INK;
  cells[at] = INK;
  for (const [r, c] of [[row - 1, col], [row + 1, col], [row, col - 1], [row, col + 1]]) {
    if (r < 0 || c < 0 || r >= rows || c >= cols) continue;
    const i = r * cols + c;
    if (cells[i] < HALO) { cells[i] = HALO; changed = true; }
  }
  return changed;
}

/**
 * Paint every cell of a stroke. Returns whether any cell changed.
 * @param {Grid} grid
 * @param {[number, number]} from
 * @param {[number, number]} to
 * @param {"pen" | "eraser"} tool
 */
export function paintStroke(grid, from, to, tool) {
  let changed = false;
  for (const cell of strokeCells(from, to)) changed = paint(grid, cell, tool) || changed;
  return changed;
}

/**
 * Toggle one cell between blank and full ink (the keyboard's space bar).
 * @param {Grid} grid
 * @param {[number, number]} cell
 */
export function toggleCell(grid, [row, col]) {
  const at = row * grid.cols + col;
  grid.cells[at] = grid.cells[at] >= INK / 2 ? 0 : INK;
}

/** @type {Record<string, [number, number]>} */
const STEPS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

/**
 * The keyboard cursor after an arrow key (clamped to the grid), or null for any other key.
 * @param {Grid} grid
 * @param {[number, number]} cursor
 * @param {string} key
 * @returns {[number, number] | null}
 */
export function moveCursor(grid, [row, col], key) {
  const step = STEPS[key];
  if (!step) return null;
  return [Math.min(grid.rows - 1, Math.max(0, row + step[0])), Math.min(grid.cols - 1, Math.max(0, col + step[1]))];
}

/**
 * The grid as the predict endpoint's image: a u1 typed array of shape [rows, cols].
 * @param {Grid} grid
 * @returns {{dtype: "u1", shape: [number, number], bdata: string}}
 */
export function gridImage(grid) {
  let text = "";
  for (let i = 0; i < grid.cells.length; i += 1) text += String.fromCharCode(grid.cells[i]);
  return { dtype: "u1", shape: [grid.rows, grid.cols], bdata: btoa(text) };
}

/** True when nothing is drawn. @param {Grid} grid */
export const isBlank = (grid) => grid.cells.every((v) => v === 0);

/**
 * The bytes a base64 string holds (a model file to download).
 * @param {string} b64
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function base64ToBytes(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 1) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * One feature map as grey pixels: `values` (a layer's u1 maps, channel-major) sliced to channel `channel` of a
 * [C, H, W] shape, or for a vector ([n]) the whole of it as one row. Returned as RGBA bytes for ImageData,
 * high values dark (ink) on light.
 * @param {ArrayLike<number>} values
 * @param {number[]} shape  [C, H, W] or [n]
 * @param {number} channel
 * @returns {{width: number, height: number, rgba: Uint8ClampedArray<ArrayBuffer>}}
 */
export function mapPixels(values, shape, channel) {
  const [height, width] = shape.length === 3 ? [shape[1], shape[2]] : [1, shape[0]];
  const start = shape.length === 3 ? channel * height * width : 0;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i += 1) {
    const grey = 255 - (values[start + i] ?? 0);
    rgba.set([grey, grey, grey, 255], i * 4);
  }
  return { width, height, rgba };
}

/**
 * "7 (83%)": the predicted class in words, with its probability.
 * @param {number[]} probabilities
 * @param {string[]} names
 * @param {number} predicted
 */
export function verdict(probabilities, names, predicted) {
  const p = probabilities[predicted] ?? 0;
  return `${names[predicted] ?? predicted} (${Math.round(p * 100)}%)`;
}
