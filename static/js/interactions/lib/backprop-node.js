// @ts-check
// interactions/lib/backprop-node.js: the pure part of inspect-node.js (the backpropagation lab): which node a
// click hits, and what the panel says about it at the frame on show.

/**
 * One node as the scene declares it (app/views/backprop.py).
 * @typedef {{id: string, label: string, role: string, text: string, x: number, y: number}} GraphNode
 */

/**
 * What the panel says: a heading, the node's formula, its forward value and its gradient at this frame.
 * @typedef {{title: string, formula: string, value: string, grad: string, role: string}} NodeFacts
 */

/**
 * The index of the node nearest to (px, py) within `radius` pixels, or null.
 * @param {GraphNode[]} nodes
 * @param {(n: GraphNode) => [number, number]} toPx  a node's pixel position
 * @param {number} px
 * @param {number} py
 * @param {number} radius
 * @returns {number | null}
 */
export function nearestNode(nodes, toPx, px, py, radius) {
  let best = null;
  let bestD = radius * radius;
  nodes.forEach((n, i) => {
    const [x, y] = toPx(n);
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (d <= bestD) { bestD = d; best = i; }
  });
  return best;
}

/**
 * True when `list` is a list of declared nodes.
 * @param {unknown} list
 * @returns {list is GraphNode[]}
 */
export function validNodes(list) {
  return Array.isArray(list) && list.length > 0 && list.every((n) => n && typeof n.id === "string"
    && Number.isFinite(n.x) && Number.isFinite(n.y));
}

/**
 * A number as the captions write it: 4 significant figures, no trailing zeros ("0.5", "-3.45", "1.2e+7").
 * @param {number} v
 * @returns {string}
 */
export function short(v) {
  if (!Number.isFinite(v)) return String(v);
  const text = String(Number(v.toPrecision(4)));
  return text === "-0" ? "0" : text;
}

const ROLE = { parameter: "parameter (trained)", input: "input (not trained)", constant: "constant", operation: "operation" };

/**
 * The panel's words for `node` at `frame` (its state's `values`, `grads`, and `parameters` after an update).
 * @param {GraphNode} node
 * @param {Record<string, any> | null} frame
 * @param {(v: number) => string} [fmt]
 * @returns {NodeFacts}
 */
export function describe(node, frame, fmt = short) {
  const state = frame?.state ?? {};
  const values = state.values ?? {};
  const grads = state.grads ?? {};
  const params = state.parameters ?? {};
  const kind = frame?.kind ?? "";
  const has = (/** @type {Record<string, any>} */ o) => Object.prototype.hasOwnProperty.call(o, node.id)
    && typeof o[node.id] === "number";
  let value = has(values) ? `value = ${fmt(values[node.id])}` : "value: not computed yet in this forward pass";
  if ((kind === "update" || kind === "step") && has(params)) value += ` → ${fmt(params[node.id])} after the update`;
  const grad = has(grads) ? `∂L/∂${node.id} = ${fmt(grads[node.id])}` : "gradient: not computed yet in this backward pass";
  const op = node.role === "operation" ? ` · ${node.label}` : "";
  return {
    title: `${node.id}${op}`,
    formula: node.text && node.text !== node.id ? `${node.id} = ${node.text}` : "",
    value,
    grad,
    role: ROLE[/** @type {keyof typeof ROLE} */ (node.role)] ?? node.role,
  };
}
