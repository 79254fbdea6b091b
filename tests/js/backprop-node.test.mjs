// @ts-check
// Unit tests for the pure part of static/js/interactions/inspect-node.js (the backpropagation lab): which node a
// click hits, and what the panel says at a frame. Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { describe, nearestNode, short, validNodes } from "../../static/js/interactions/lib/backprop-node.js";

const NODES = [
  { id: "w", label: "w", role: "parameter", text: "w", x: 0, y: 1 },
  { id: "x", label: "x", role: "input", text: "x", x: 0, y: 0 },
  { id: "n1", label: "×", role: "operation", text: "w * x", x: 1, y: 0.5 },
];
const px = (/** @type {{x: number, y: number}} */ n) => /** @type {[number, number]} */ ([100 * n.x, 100 - 100 * n.y]);

test("a click selects the nearest node within the radius, or none", () => {
  assert.equal(nearestNode(NODES, px, 2, 3, 30), 0);
  assert.equal(nearestNode(NODES, px, 95, 45, 30), 2);
  assert.equal(nearestNode(NODES, px, 50, 50, 30), null);
});

test("declared nodes need ids and finite places", () => {
  assert.equal(validNodes(NODES), true);
  assert.equal(validNodes([]), false);
  assert.equal(validNodes([{ id: "w", x: Number.NaN, y: 0 }]), false);
  assert.equal(validNodes(null), false);
});

test("numbers read as in the captions", () => {
  assert.equal(short(0.5), "0.5");
  assert.equal(short(-3.4499999999999997), "-3.45");
  assert.equal(short(-0), "0");
});

test("the panel says the value and gradient known at the frame", () => {
  const forward = { kind: "forward", state: { values: { w: 0.5 }, grads: {}, parameters: { w: 0.5 } } };
  let facts = describe(NODES[0], forward);
  assert.equal(facts.value, "value = 0.5");
  assert.match(facts.grad, /not computed yet/);
  assert.equal(facts.role, "parameter (trained)");
  const backward = { kind: "backward", state: { values: { w: 0.5, x: 1.5, n1: 0.75 }, grads: { n1: -2.3, w: -3.45 }, parameters: {} } };
  facts = describe(NODES[2], backward);
  assert.equal(facts.title, "n1 · ×");
  assert.equal(facts.formula, "n1 = w * x");
  assert.equal(facts.grad, "∂L/∂n1 = -2.3");
  const update = { kind: "update", state: { values: { w: 0.5 }, grads: { w: -3.45 }, parameters: { w: 0.845 } } };
  assert.equal(describe(NODES[0], update).value, "value = 0.5 → 0.845 after the update");
  assert.equal(describe(NODES[1], null).value, "value: not computed yet in this forward pass");
});
