// @ts-check
// Unit tests for static/js/interactions/lib/draw-grid.js: the CNN lab's drawing grid (cells, strokes, keyboard
// cursor, the image sent to the predict endpoint, feature maps as pixels).
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  HALO, INK, base64ToBytes, blankGrid, cellAt, gridImage, isBlank, mapPixels, moveCursor, paint, paintStroke,
  strokeCells, toggleCell, verdict,
} from "../../static/js/interactions/lib/draw-grid.js";

test("cellAt maps a point of the box to its cell, null outside", () => {
  const g = blankGrid(8, 8);
  assert.deepEqual(cellAt(g, 0, 0, 160, 160), [0, 0]);
  assert.deepEqual(cellAt(g, 159.9, 20, 160, 160), [1, 7]); // 20 / 20 px per cell = row 1
  assert.deepEqual(cellAt(g, 45, 119, 160, 160), [5, 2]);
  assert.equal(cellAt(g, 160, 0, 160, 160), null);
  assert.equal(cellAt(g, -1, 5, 160, 160), null);
  assert.equal(cellAt(g, 5, 5, 0, 160), null);
});

test("a stroke covers every cell between its ends, with no gaps", () => {
  assert.deepEqual(strokeCells([0, 0], [0, 3]), [[0, 0], [0, 1], [0, 2], [0, 3]]);
  assert.deepEqual(strokeCells([2, 2], [2, 2]), [[2, 2]]);
  const diag = strokeCells([7, 0], [0, 7]);
  assert.equal(diag.length, 8);
  assert.deepEqual(diag[0], [7, 0]);
  assert.deepEqual(diag[7], [0, 7]);
  const steep = strokeCells([0, 0], [5, 2]);
  for (let i = 1; i < steep.length; i += 1) { // neighbouring cells (8-connected) all the way
    assert.ok(Math.abs(steep[i][0] - steep[i - 1][0]) <= 1 && Math.abs(steep[i][1] - steep[i - 1][1]) <= 1);
  }
  assert.deepEqual(steep.at(-1), [5, 2]);
});

test("the pen inks a cell and softens its 4 neighbours; the eraser blanks one cell", () => {
  const g = blankGrid(3, 3);
  assert.equal(paint(g, [1, 1], "pen"), true);
  assert.deepEqual([...g.cells], [0, HALO, 0, HALO, INK, HALO, 0, HALO, 0]);
  assert.equal(paint(g, [1, 1], "pen"), false); // nothing new
  paint(g, [0, 1], "pen"); // the halo never lowers ink
  assert.equal(g.cells[4], INK);
  assert.equal(paint(g, [1, 1], "eraser"), true);
  assert.equal(g.cells[4], 0);
  assert.equal(paint(g, [5, 5], "pen"), false); // outside: ignored
  assert.equal(paint(g, [0, 0], "eraser") || paint(g, [0, 0], "eraser"), true);
});

test("paintStroke paints along the line, corner cells included", () => {
  const g = blankGrid(4, 4);
  assert.equal(paintStroke(g, [0, 0], [3, 3], "pen"), true);
  for (let i = 0; i < 4; i += 1) assert.equal(g.cells[i * 4 + i], INK);
  assert.equal(g.cells[3], 0); // far corner untouched
});

test("the keyboard cursor moves by arrows and stops at the edges; space toggles", () => {
  const g = blankGrid(8, 8);
  assert.deepEqual(moveCursor(g, [0, 0], "ArrowUp"), [0, 0]);
  assert.deepEqual(moveCursor(g, [0, 0], "ArrowDown"), [1, 0]);
  assert.deepEqual(moveCursor(g, [7, 7], "ArrowRight"), [7, 7]);
  assert.deepEqual(moveCursor(g, [3, 3], "ArrowLeft"), [3, 2]);
  assert.equal(moveCursor(g, [3, 3], "a"), null);
  toggleCell(g, [2, 5]);
  assert.equal(g.cells[2 * 8 + 5], INK);
  toggleCell(g, [2, 5]);
  assert.equal(g.cells[2 * 8 + 5], 0);
  assert.equal(isBlank(g), true);
});

test("gridImage is a u1 typed array of the grid's shape, bytes row-major", () => {
  const g = blankGrid(2, 3);
  g.cells.set([0, 1, 2, 253, 254, 255]);
  const img = gridImage(g);
  assert.equal(img.dtype, "u1");
  assert.deepEqual(img.shape, [2, 3]);
  assert.deepEqual([...Buffer.from(img.bdata, "base64")], [0, 1, 2, 253, 254, 255]);
  assert.deepEqual([...base64ToBytes(img.bdata)], [0, 1, 2, 253, 254, 255]);
});

test("mapPixels slices one channel of [C, H, W] (or a vector as one row), ink dark", () => {
  const values = Uint8Array.from([0, 255, 10, 20, /* channel 1 */ 255, 0, 128, 64]);
  const m = mapPixels(values, [2, 2, 2], 1);
  assert.deepEqual([m.width, m.height], [2, 2]);
  assert.deepEqual([...m.rgba.slice(0, 8)], [0, 0, 0, 255, 255, 255, 255, 255]);
  const v = mapPixels(values, [8], 0);
  assert.deepEqual([v.width, v.height], [8, 1]);
  assert.equal(v.rgba[4], 0); // value 255 → black
});

test("verdict names the class with its probability", () => {
  assert.equal(verdict([0.1, 0.834, 0.066], ["zero", "one", "two"], 1), "one (83%)");
  assert.equal(verdict([1], [], 0), "0 (100%)");
});
