// @ts-check
// Unit tests for the pure parts of static/js/touch.js (swipes) and static/js/caption.js (the clamp note).
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { splitNote } from "../../static/js/caption.js";
import { MAX_SWIPE_MS, MIN_SWIPE_PX, swipeStep } from "../../static/js/touch.js";

test("a quick horizontal stroke steps: left is the next frame, right the previous one", () => {
  assert.equal(swipeStep({ x: 300, y: 200, t: 0 }, { x: 180, y: 210, t: 200 }), 1);
  assert.equal(swipeStep({ x: 100, y: 200, t: 0 }, { x: 260, y: 190, t: 200 }), -1);
});

test("taps, short strokes, vertical strokes (scrolling) and slow drags are not swipes", () => {
  assert.equal(swipeStep({ x: 100, y: 100, t: 0 }, { x: 100, y: 100, t: 80 }), 0);
  assert.equal(swipeStep({ x: 100, y: 100, t: 0 }, { x: 100 + MIN_SWIPE_PX - 1, y: 100, t: 80 }), 0);
  assert.equal(swipeStep({ x: 100, y: 100, t: 0 }, { x: 160, y: 300, t: 150 }), 0);
  assert.equal(swipeStep({ x: 300, y: 100, t: 0 }, { x: 100, y: 100, t: MAX_SWIPE_MS + 1 }), 0);
});

test("a clamp note that starts a caption is split off; the words are unchanged", () => {
  const caption = "Note: k = 15 is more than the 8 training points, so k = 8 is used. Point 3 has 8 neighbours (0.25 away).";
  const { note, rest } = splitNote(caption);
  assert.equal(note, "Note: k = 15 is more than the 8 training points, so k = 8 is used. ");
  assert.equal(note + rest, caption);
  assert.deepEqual(splitNote("WCSS fell from 143.2 to 120.5."), { note: "", rest: "WCSS fell from 143.2 to 120.5." });
  assert.deepEqual(splitNote("Note: nothing else."), { note: "Note: nothing else.", rest: "" });
});
