// @ts-check
// widgets/lib/conv-widgets.js: the pure parts of the convolution lab's controls (image-picker.js,
// kernel-grid.js): base64 pixels → canvas RGBA, one image out of a (n, H, W, C) set, a kernel cell parsed,
// a kernel resized, and whether a value still fits a share link. No DOM: node --test imports it.

/**
 * Bytes of a base64 string.
 * @param {string} b64
 * @returns {Uint8Array}
 */
export function base64Bytes(b64) {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 1) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/**
 * Image `index` of a channels-last uint8 set `pixels` of shape [n, H, W, C] (C = 1 or 3) as RGBA bytes for a
 * canvas ImageData: {width, height, rgba} (grey copied to R, G and B; alpha 255).
 * @param {Uint8Array} pixels
 * @param {number[]} shape  [n, H, W, C]
 * @param {number} index
 * @returns {{width: number, height: number, rgba: Uint8ClampedArray<ArrayBuffer>}}
 */
export function rgbaOf(pixels, shape, index) {
  const [, h, w, c] = shape;
  const start = index * h * w * c;
  const rgba = new Uint8ClampedArray(new ArrayBuffer(h * w * 4));
  for (let p = 0; p < h * w; p += 1) {
    const at = start + p * c;
    rgba[p * 4] = pixels[at];
    rgba[p * 4 + 1] = pixels[at + (c === 3 ? 1 : 0)];
    rgba[p * 4 + 2] = pixels[at + (c === 3 ? 2 : 0)];
    rgba[p * 4 + 3] = 255;
  }
  return { width: w, height: h, rgba };
}

/**
 * A kernel cell's text as a number, or null when it is not a finite number ("", "1e", "abc", "Infinity").
 * Accepts a decimal comma ("0,5") and fractions ("1/9") as people type them.
 * @param {string} text
 * @returns {number | null}
 */
export function parseCell(text) {
  const t = String(text).trim().replace(",", ".");
  if (t === "") return null;
  const frac = /^([+-]?\d*\.?\d+)\s*\/\s*(\d*\.?\d+)$/.exec(t);
  if (frac) {
    const v = Number(frac[1]) / Number(frac[2]);
    return Number.isFinite(v) ? v : null;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * `matrix` (k × k) as a `size` × `size` matrix, centred: a larger grid pads zeros around it, a smaller one
 * keeps its centre. An empty or missing matrix gives the identity (1 in the middle).
 * @param {number[][] | null | undefined} matrix
 * @param {number} size  1, 3, 5 or 7
 * @returns {number[][]}
 */
export function resizeKernel(matrix, size) {
  const out = Array.from({ length: size }, () => Array(size).fill(0));
  if (!matrix || !matrix.length) {
    out[(size - 1) / 2][(size - 1) / 2] = 1;
    return out;
  }
  const k = matrix.length;
  const shift = (size - k) / 2;  // whole: both sizes are odd
  for (let r = 0; r < size; r += 1) {
    for (let c = 0; c < size; c += 1) {
      const v = matrix[r - shift]?.[c - shift];
      if (typeof v === "number") out[r][c] = v;
    }
  }
  return out;
}

/** The longest value (URL-encoded JSON, characters) the widget lets into a share link without a warning. The
 * app's own server took a 100 KB request line when measured (uvicorn with httptools), but proxies and servers
 * in front of it commonly stop at 8–16 KB; a 48 × 32 colour upload is ~6.5 K characters, 48 × 48 ~9.7 K. */
export const LINK_BUDGET = 14_000;

/**
 * How many characters `value` takes in the page's URL (state.js puts it there as JSON in one key).
 * @param {unknown} value
 * @returns {number}
 */
export function linkLength(value) {
  return encodeURIComponent(JSON.stringify(value)).length;
}
