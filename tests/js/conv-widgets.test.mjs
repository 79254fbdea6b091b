import assert from "node:assert/strict";
import { test } from "node:test";

import { base64Bytes, linkLength, LINK_BUDGET, parseCell, resizeKernel, rgbaOf } from "../../static/js/widgets/lib/conv-widgets.js";

test("base64 bytes and one grey image of a set as RGBA", () => {
  const pixels = base64Bytes(Buffer.from([1, 2, 3, 4, 10, 20, 30, 40]).toString("base64"));
  assert.deepEqual([...pixels], [1, 2, 3, 4, 10, 20, 30, 40]);
  const { width, height, rgba } = rgbaOf(pixels, [2, 2, 2, 1], 1);  // the second 2 × 2 grey image
  assert.equal(width, 2);
  assert.equal(height, 2);
  assert.deepEqual([...rgba.slice(0, 8)], [10, 10, 10, 255, 20, 20, 20, 255]);
});

test("a colour image keeps its channels", () => {
  const { rgba } = rgbaOf(new Uint8Array([9, 8, 7, 6, 5, 4]), [1, 1, 2, 3], 0);
  assert.deepEqual([...rgba], [9, 8, 7, 255, 6, 5, 4, 255]);
});

test("kernel cells: numbers, fractions and a decimal comma; anything else is null", () => {
  assert.equal(parseCell("2"), 2);
  assert.equal(parseCell(" -0.5 "), -0.5);
  assert.equal(parseCell("0,25"), 0.25);
  assert.equal(parseCell("1/4"), 0.25);
  assert.equal(parseCell("1e2"), 100);
  for (const bad of ["", "abc", "1e", "Infinity", "1/0", "--1", "NaN"]) assert.equal(parseCell(bad), null, bad);
});

test("resizing a kernel keeps it centred", () => {
  const sobel = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];
  const five = resizeKernel(sobel, 5);
  assert.deepEqual(five[0], [0, 0, 0, 0, 0]);
  assert.deepEqual(five[2], [0, -2, 0, 2, 0]);
  assert.deepEqual(resizeKernel(five, 3), sobel);
  assert.deepEqual(resizeKernel(sobel, 1), [[0]]);
  assert.deepEqual(resizeKernel(null, 3), [[0, 0, 0], [0, 1, 0], [0, 0, 0]]);
});

test("link length counts the URL-encoded JSON", () => {
  assert.equal(linkLength({ a: 1 }), encodeURIComponent('{"a":1}').length);
  assert.ok(linkLength({ bdata: "A".repeat(LINK_BUDGET) }) > LINK_BUDGET);
});
