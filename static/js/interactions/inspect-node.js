// @ts-check
// interactions/inspect-node.js: click a node of the backpropagation lab's graph to read its operation, its forward
// value and its gradient ∂L/∂node at the frame on show (scrubbing updates the panel).
//
// Declaration: {"kind": "inspect-node", "nodes": [{id, label, role, text, x, y}, ...], "size": px} (app/views/
// backprop.py): the nodes in the main axes' data coordinates, and the node boxes' size. The numbers come from the frame's state (`values`, `grads`,
// `parameters`). Escape, the close button or a click on empty space clears it.

import { el } from "../dom.js";
import { INK, PAPER } from "../theme.js";
import { describe, nearestNode, validNodes } from "./lib/backprop-node.js";
import { freeCorner } from "./lib/vote.js";

const HIT_PX = 30; // a click this close to a node's centre (in screen pixels) selects it

/** @typedef {import("./lib/backprop-node.js").GraphNode} GraphNode */
/** @typedef {{_offset: number, _length: number, d2p: (v: number) => number}} Axis */

/**
 * @param {import("./registry.js").InteractionContext} ctx
 * @param {import("./registry.js").Declaration} declaration
 * @returns {import("./registry.js").Interaction}
 */
export function create(ctx, declaration) {
  const { plot, stage } = ctx;
  /** @type {GraphNode[]} */
  const nodes = validNodes(declaration.nodes) ? declaration.nodes : [];
  const ring = (Number.isFinite(declaration.size) ? Number(declaration.size) : 50) + 14; // the node boxes' size + 14 px
  /** @type {number | null} */
  let selected = null;

  const box = el("div", { class: "inspect-box", id: "inspect-node-box", role: "status", "aria-live": "polite", hidden: true });
  stage.append(box); // no hint line: the graph panel's title says "click a node"

  const clear = () => {
    if (selected === null) return;
    selected = null;
    ctx.redraw();
  };
  /** @param {KeyboardEvent} e */
  const onKey = (e) => { if (e.key === "Escape" && selected !== null) { e.preventDefault(); clear(); } };
  document.addEventListener("keydown", onKey);

  /** @returns {{xa: Axis, ya: Axis} | null} */
  const axes = () => {
    const full = plot._fullLayout;
    return full?.xaxis && full?.yaxis ? { xa: full.xaxis, ya: full.yaxis } : null;
  };

  /**
   * Pin the panel in the corner of the graph's axes that hides the fewest nodes (the inspected one first).
   * @param {number} at  the inspected node's index
   */
  const place = (at) => {
    const ax = axes();
    if (!ax) return;
    /** @type {[number, number][]} */
    const marks = [nodes[at], ...nodes].map((n) => [ax.xa.d2p(n.x), ax.ya.d2p(n.y)]);
    const where = freeCorner(marks, box.offsetWidth + 16, box.offsetHeight + 16, ax.xa._length, ax.ya._length);
    const left = plot.offsetLeft + ax.xa._offset;
    const top = plot.offsetTop + ax.ya._offset;
    const pad = 10;
    Object.assign(box.style, { left: "", right: "", top: "", bottom: "" });
    if (where[1] === "l") box.style.left = `${left + pad}px`;
    else box.style.right = `${stage.clientWidth - (left + ax.xa._length) + pad}px`;
    if (where[0] === "t") box.style.top = `${top + pad}px`;
    else box.style.bottom = `${stage.clientHeight - (top + ax.ya._length) + pad}px`;
    box.style.maxWidth = `${Math.max(200, Math.min(360, ax.xa._length - 2 * pad))}px`;
  };

  /**
   * @param {number} at
   * @param {Record<string, any>} frame
   */
  const render = (at, frame) => {
    const node = nodes[at];
    const facts = describe(node, frame);
    box.replaceChildren();
    box.hidden = false;
    Object.assign(box.dataset, { node: node.id, value: facts.value, grad: facts.grad });
    const close = el("button", {
      class: "inspect-close", text: "×", type: "button", title: "Clear (Esc)", "aria-label": "Close the node panel",
    });
    close.addEventListener("click", (e) => { e.stopPropagation(); clear(); });
    box.append(close, el("div", { class: "inspect-head" }, el("strong", { text: facts.title }),
      el("span", { class: "inspect-truth", text: ` · ${facts.role}` })));
    if (facts.formula) box.append(el("p", { class: "inspect-lead", text: facts.formula }));
    box.append(el("p", { class: "inspect-value-line", text: facts.value }), el("p", { class: "inspect-grad-line", text: facts.grad }));
    place(at);
  };

  return {
    onClick(_point, event) {
      if (!nodes.length) return false;
      const ax = axes();
      const drag = plot.querySelector(".nsewdrag");
      if (!ax || !drag) return false;
      const rect = drag.getBoundingClientRect();
      const px = event.clientX - rect.left;
      const py = event.clientY - rect.top;
      if (px < 0 || py < 0 || px > rect.width || py > rect.height) return false;
      const best = nearestNode(nodes, (n) => [ax.xa.d2p(n.x), ax.ya.d2p(n.y)], px, py, HIT_PX);
      if (best === null && selected === null) return false;
      selected = best;
      ctx.redraw();
      return true;
    },

    traces(frame) {
      const ok = Boolean(nodes.length && frame);
      plot.classList.toggle("inspectable", ok);
      if (!frame || selected === null || !nodes[selected]) { box.hidden = true; box.dataset.node = ""; return []; }
      const node = nodes[selected];
      render(selected, frame);
      return [
        { type: "scatter", mode: "markers", name: "inspected node halo", x: [node.x], y: [node.y], xaxis: "x", yaxis: "y",
          showlegend: false, hoverinfo: "skip", marker: { symbol: "square-open", size: ring, color: PAPER, line: { width: 6, color: PAPER } } },
        { type: "scatter", mode: "markers", name: "inspected node", x: [node.x], y: [node.y], xaxis: "x", yaxis: "y",
          showlegend: false, hoverinfo: "skip", marker: { symbol: "square-open", size: ring, color: INK, line: { width: 2.5, color: INK } } },
      ];
    },

    dispose() {
      document.removeEventListener("keydown", onKey);
      box.remove();
      plot.classList.remove("inspectable");
    },
  };
}
