// @ts-check
// interactions/inspect-neighbors.js: click a data point to see which neighbours vote for its class (k-NN).
//
// Declaration: {"kind": "inspect-neighbors"}. Works on a result that carries `neighbors`, `points` and `labels`
// (see lib/vote.js); at the frame on show, the first `state.k` neighbours vote. Click on or near a point: lines
// to its k neighbours, rings around them, and a vote box in the corner of the axes that hides the fewest of
// them; scrubbing updates both. Escape, the box's close button or a click on empty space clears it.

import { el } from "../dom.js";
import { formatNumber } from "../plot.js";
import { INK, PALETTE, PAPER } from "../theme.js";
import { className, freeCorner, inspectable, nearestRow, summary, vote } from "./lib/vote.js";

const HIT_PX = 14; // a click this close to a point (in screen pixels) selects it
const HIGHLIGHT = 5; // palette index of the inspected point's ring (vermillion, as the box's edge in app.css)

/** @typedef {import("./lib/vote.js").NeighborResult} NeighborResult */
/** @typedef {import("./lib/vote.js").Vote} Vote */
/** @typedef {"tr" | "tl" | "br" | "bl"} Corner */
/** @typedef {{_offset: number, _length: number, d2p: (v: number) => number}} Axis */

/**
 * @param {import("./registry.js").InteractionContext} ctx
 * @returns {import("./registry.js").Interaction}
 */
export function create(ctx) {
  const { plot, stage } = ctx;
  /** @type {NeighborResult | null} */
  let result = null;
  /** @type {number | null} the selected row of X */
  let row = null;
  /** @type {Corner | null} chosen once per selection, where the box hides the fewest neighbours */
  let corner = null;

  const box = el("div", { class: "inspect-box", id: "inspect-box", role: "status", "aria-live": "polite", hidden: true });
  const hint = el("div", { class: "inspect-hint", text: "Click a point to see its nearest neighbours vote", hidden: true });
  stage.append(box, hint);

  const clear = () => {
    if (row === null) return;
    row = null;
    ctx.redraw();
  };
  /** @param {KeyboardEvent} e */
  const onKey = (e) => { if (e.key === "Escape" && row !== null) { e.preventDefault(); clear(); } };
  document.addEventListener("keydown", onKey);

  /** @returns {{xa: Axis, ya: Axis} | null} the main axes, null before the plot is drawn */
  const axes = () => {
    const full = plot._fullLayout;
    return full?.xaxis && full?.yaxis ? { xa: full.xaxis, ya: full.yaxis } : null;
  };

  /**
   * Pin `node` inside the main axes' `where` corner, 10 px in.
   * @param {HTMLElement} node
   * @param {Corner} where
   */
  const place = (node, where) => {
    const ax = axes();
    if (!ax) return;
    const left = plot.offsetLeft + ax.xa._offset;
    const top = plot.offsetTop + ax.ya._offset;
    const pad = 10;
    Object.assign(node.style, { left: "", right: "", top: "", bottom: "" });
    if (where[1] === "l") node.style.left = `${left + pad}px`;
    else node.style.right = `${stage.clientWidth - (left + ax.xa._length) + pad}px`;
    if (where[0] === "t") node.style.top = `${top + pad}px`;
    else node.style.bottom = `${stage.clientHeight - (top + ax.ya._length) + pad}px`;
    node.style.maxWidth = `${Math.max(180, ax.xa._length - 2 * pad)}px`;
  };

  /**
   * @param {NeighborResult} r
   * @param {number} selected
   * @returns {Corner}
   */
  const corner4 = (r, selected) => {
    const ax = axes();
    if (!ax) return "tr";
    /** @type {[number, number][]} */
    const marks = [selected, ...r.neighbors[selected]].map((n) => [ax.xa.d2p(r.points[n][0]), ax.ya.d2p(r.points[n][1])]);
    return freeCorner(marks, box.offsetWidth + 16, box.offsetHeight + 16, ax.xa._length, ax.ya._length);
  };

  /**
   * @param {NeighborResult} r
   * @param {Vote} v
   */
  const renderBox = (r, v) => {
    box.replaceChildren();
    box.hidden = false;
    const line = summary(r, v, formatNumber);
    Object.assign(box.dataset, {
      row: String(v.row), k: String(v.k), neighbors: String(v.rows.length), predicted: String(v.winner), summary: line,
    });
    box.title = line;
    const cls = (/** @type {number} */ c) => className(r, c);

    const trained = Array.isArray(r.train_indices) ? r.train_indices.includes(v.row) : v.rows.includes(v.row);
    const head = el("div", { class: "inspect-head" }, el("strong", { text: `Point ${v.row}` }),
      el("span", { class: "inspect-truth", text: ` · ${trained ? "training" : "test"} · ${cls(v.truth)}` }));
    const close = el("button", {
      class: "inspect-close", text: "×", type: "button", title: "Clear (Esc)", "aria-label": "Clear the neighbour view",
    });
    close.addEventListener("click", (e) => { e.stopPropagation(); clear(); });

    const lead = el("p", { class: "inspect-lead" }, el("strong", { text: `k = ${v.k}` }),
      ` ${v.k === 1 ? "nearest neighbour" : "nearest neighbours"}${v.weights ? ", weighted 1 / distance" : ""}`);

    const bars = el("ul", { class: "inspect-bars" });
    const top = v.score(v.order[0]) || 1;
    for (const t of v.order) {
      const li = el("li", { class: t.cls === v.winner ? "is-winner" : "" });
      li.style.setProperty("--swatch", PALETTE[t.cls % PALETTE.length] ?? "");
      const fill = el("span", { class: "inspect-fill" });
      fill.style.width = `${Math.max(3, (100 * v.score(t)) / top)}%`;
      li.append(el("span", { class: "inspect-swatch" }), el("span", { class: "inspect-class", text: cls(t.cls) }),
        el("span", { class: "inspect-track" }, fill),
        el("span", { class: "inspect-value", text: v.weights ? formatNumber(t.weight) : `${t.count} vote${t.count === 1 ? "" : "s"}` }));
      bars.append(li);
    }

    const right = v.winner === v.truth;
    const verdict = el("p", { class: "inspect-verdict" }, `→ ${cls(v.winner)} `,
      el("span", { class: right ? "inspect-ok" : "inspect-bad", text: right ? "✓" : `✗ (true ${cls(v.truth)})` }));
    box.append(close, head, lead, bars, verdict);

    if (v.tie) box.append(el("p", { class: "inspect-note", text: "A tie: the first class wins, as in scikit-learn." }));
    if (v.weights && v.weights.some((w) => w === 0)) {
      box.append(el("p", { class: "inspect-note", text: "A neighbour at distance 0 takes the whole vote." }));
    } else if (v.rows[0] === v.row) {
      box.append(el("p", { class: "inspect-note", text: "It is its own nearest neighbour (distance 0)." }));
    }
    if (corner === null) corner = corner4(r, v.row);
    place(box, corner);
  };

  /**
   * Lines from the point to its neighbours, rings around them, the point itself ringed.
   * @param {NeighborResult} r
   * @param {Vote} v
   */
  const overlay = (r, v) => {
    const pts = r.points;
    const [qx, qy] = pts[v.row];
    /** @type {(number | null)[]} */
    const lx = [];
    /** @type {(number | null)[]} */
    const ly = [];
    for (const n of v.rows) { lx.push(qx, pts[n][0], null); ly.push(qy, pts[n][1], null); }
    const ring = pts.length <= 300 ? 16 : pts.length <= 1000 ? 13 : 10; // the view's marker size + 7
    const text = v.rows.map((n, j) => `neighbour ${j + 1}: point ${n}, ${className(r, r.labels[n])}`
      + (v.weights ? `, weight ${formatNumber(v.weights[j])}` : ""));
    const query = PALETTE[HIGHLIGHT % Math.max(PALETTE.length, 1)];
    return [
      { type: "scatter", mode: "lines", name: "to neighbours", x: lx, y: ly, hoverinfo: "skip", showlegend: false,
        line: { color: INK, width: 1.5 }, opacity: 0.75 },
      { type: "scatter", mode: "markers", name: "neighbours", x: v.rows.map((n) => pts[n][0]),
        y: v.rows.map((n) => pts[n][1]), text, hovertemplate: "%{text}<extra></extra>", showlegend: false,
        marker: { symbol: "circle-open", size: ring, color: INK, line: { width: 2, color: INK } } },
      { type: "scatter", mode: "markers", name: "inspected point halo", x: [qx], y: [qy], showlegend: false,
        hoverinfo: "skip", marker: { symbol: "circle-open", size: 26, color: PAPER, line: { width: 7, color: PAPER } } },
      { type: "scatter", mode: "markers", name: "inspected point", x: [qx], y: [qy], showlegend: false,
        hoverinfo: "skip", marker: { symbol: "circle-open", size: 26, color: query, line: { width: 3, color: query } } },
    ];
  };

  /** @param {Record<string, any> | null} next */
  const bind = (next) => {
    if (next === result) return;
    result = inspectable(next) ? next : null;
    row = null; // a new run drops the selection
  };

  return {
    onResult: bind,

    onClick(_point, event) {
      if (!result) return false;
      const ax = axes();
      const drag = plot.querySelector(".nsewdrag");
      if (!ax || !drag) return false;
      const rect = drag.getBoundingClientRect();
      const px = event.clientX - rect.left;
      const py = event.clientY - rect.top;
      if (px < 0 || py < 0 || px > rect.width || py > rect.height) return false;
      const best = nearestRow(result.points, (p) => [ax.xa.d2p(p[0]), ax.ya.d2p(p[1])], px, py, HIT_PX);
      if (best === null && row === null) return true;
      row = best;
      corner = null;
      ctx.redraw();
      return true;
    },

    traces(frame, next) {
      if (next !== undefined) bind(next);
      const ok = Boolean(result && frame);
      hint.hidden = !ok || row !== null;
      if (!hint.hidden) place(hint, "bl");
      plot.classList.toggle("inspectable", ok);
      if (!result || !frame || row === null) { box.hidden = true; box.dataset.row = ""; return []; }
      const v = vote(result, row, frame.state?.k);
      renderBox(result, v);
      return overlay(result, v);
    },

    dispose() {
      document.removeEventListener("keydown", onKey);
      box.remove();
      hint.remove();
      plot.classList.remove("inspectable");
    },
  };
}
