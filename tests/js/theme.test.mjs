// @ts-check
// Unit tests for static/js/theme.js: the theme is read from the page's JSON block, never copied into JS.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { FONT, INK, PALETTE, parseTheme } from "../../static/js/theme.js";

test("outside a page every value is empty (no second copy of theme.py)", () => {
  assert.deepEqual(PALETTE, []);
  assert.equal(INK, "");
  assert.equal(FONT, "");
  const source = readFileSync(new URL("../../static/js/theme.js", import.meta.url), "utf-8");
  assert.doesNotMatch(source, /#[0-9a-f]{6}\b/i, "no colour literal in theme.js");
});

test("parseTheme reads what base.html renders from theme.tokens()", () => {
  const t = parseTheme(JSON.stringify({ palette: ["#0072B2", "#E69F00"], ink: "#1f2933", muted: "#9aa5b1",
    grid: "#e4e7eb", paper: "#ffffff", font: "Inter, sans-serif" }));
  assert.deepEqual(t.palette, ["#0072B2", "#E69F00"]);
  assert.equal(t.ink, "#1f2933");
  assert.equal(t.paper, "#ffffff");
  assert.equal(t.font, "Inter, sans-serif");
});

test("garbage gives an empty theme, wrong types are dropped", () => {
  assert.deepEqual(parseTheme("not json").palette, []);
  assert.deepEqual(parseTheme(null).palette, []);
  const t = parseTheme(JSON.stringify({ palette: ["#000000", 3, null], ink: 5 }));
  assert.deepEqual(t.palette, ["#000000"]);
  assert.equal(t.ink, "");
});
