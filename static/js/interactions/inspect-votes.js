// @ts-check
// interactions/inspect-votes.js: click a data point to see how each model of a voting committee votes on it.
//
// Declaration: {"kind": "inspect-votes"}. Works on a result that carries `votes` (per point, each model's class),
// `points`, `labels`, `models` and `weights`, plus `probabilities` (per point, per model, per class) for soft
// voting and `predicted` (the vote's class per point); app/engines/voting.py documents them. The frame on show
// says how many models have voted so far: a `model` frame (state.model = i) shows models 1..i+1 and their tally
// so far, the `ensemble` frame all of them and the vote's answer. Escape, the close button or a click on empty
// space clears it. The tally here only adds up what the engine gave (rounded probabilities); the final answer
// is the engine's own `predicted`.

import { el } from "../dom.js";
import { INK, PALETTE, PAPER } from "../theme.js";
import { freeCorner, nearestRow } from "./lib/vote.js";

const HIT_PX = 14; // a click this close to a point (in screen pixels) selects it
const HIGHLIGHT = 5; // palette index of the inspected point's ring (vermillion, as the box's edge in app.css)

/**
 * @typedef {Object} VotesResult
 * @property {number[][]} votes    per point, each model's predicted class
 * @property {number[][]} points   per point, its [x, y]
 * @property {number[]} labels     per point, its true class
 * @property {string[]} models     the models in words
 * @property {number[]} [weights]  each model's vote weight (1 each when absent)
 * @property {number[][][]} [probabilities]  per point, per model, per class (soft voting)
 * @property {number[]} [predicted] per point, the vote's class
 * @property {"hard" | "soft"} [voting]
 * @property {string[]} [classes]  class names by index
 * @property {number[]} [train_indices]
 */

/**
 * @typedef {Object} MemberVote
 * @property {number} index      the model's position (from 0)
 * @property {string} name
 * @property {number} vote       the class it predicts
 * @property {number} weight
 * @property {number | null} sure  soft voting: its probability of the class it votes for (null: hard voting)
 */

/**
 * @typedef {Object} Tally
 * @property {number} row
 * @property {boolean} soft       averaged probabilities (else weighted vote counts)
 * @property {number} shown       how many models have voted so far
 * @property {boolean} complete   every model has voted (the winner is then the engine's answer)
 * @property {MemberVote[]} members
 * @property {{cls: number, score: number}[]} order  one score per class, largest first (ties in class order)
 * @property {number} winner
 * @property {number} truth
 * @property {boolean} unequal    the weights differ
 */

/**
 * True when `result` carries what the inspector needs.
 * @param {any} result
 * @returns {result is VotesResult}
 */
export function inspectableVotes(result) {
  return Array.isArray(result?.votes) && Array.isArray(result?.points) && Array.isArray(result?.labels)
    && Array.isArray(result?.models) && result.votes.length === result.points.length;
}

/**
 * How many models have voted at `frame`: a model frame (state.model = i) shows i + 1, any other frame all.
 * @param {VotesResult} r
 * @param {Record<string, any> | null | undefined} frame
 * @returns {number}
 */
export function modelsShown(r, frame) {
  const m = r.models.length;
  const i = frame?.state?.model;
  return Number.isInteger(i) ? Math.max(1, Math.min(m, Number(i) + 1)) : m;
}

/**
 * The votes of the first `shown` models on `row` and their tally.
 * @param {VotesResult} r
 * @param {number} row
 * @param {number} shown
 * @returns {Tally}
 */
export function tallyVotes(r, row, shown) {
  const m = r.models.length;
  const weights = Array.isArray(r.weights) && r.weights.length === m ? r.weights : r.models.map(() => 1);
  const probs = Array.isArray(r.probabilities) ? r.probabilities[row] : null;
  const soft = r.voting === "soft" && Array.isArray(probs);
  const n = Math.max(1, Math.min(m, shown));
  /** @type {MemberVote[]} */
  const members = [];
  for (let i = 0; i < n; i += 1) {
    const vote = r.votes[row][i];
    members.push({ index: i, name: r.models[i], vote, weight: weights[i], sure: soft && probs ? probs[i][vote] : null });
  }
  const nClasses = Math.max(r.classes?.length ?? 0, 1 + Math.max(...r.labels, ...members.map((v) => v.vote)));
  const scores = new Array(nClasses).fill(0);
  const total = members.reduce((s, v) => s + v.weight, 0) || 1;
  for (const v of members) {
    if (soft && probs) probs[v.index].forEach((p, c) => { scores[c] += (v.weight * p) / total; });
    else scores[v.vote] += v.weight;
  }
  const order = scores.map((score, cls) => ({ cls, score })).filter((t) => t.score > 0 || soft)
    .sort((a, b) => b.score - a.score || a.cls - b.cls);
  const complete = n === m;
  const engine = complete && Array.isArray(r.predicted) ? r.predicted[row] : undefined;
  return {
    row, soft, shown: n, complete, members, order,
    winner: engine ?? order[0]?.cls ?? 0,
    truth: r.labels[row],
    unequal: new Set(weights).size > 1,
  };
}

/**
 * "class setosa" (a named class) or "class 2".
 * @param {VotesResult} r
 * @param {number} c
 */
export function voteClass(r, c) {
  const names = r.classes;
  return `class ${Array.isArray(names) && names[c] !== undefined ? names[c] : c}`;
}

/** @param {number} x */
const two = (x) => (Math.round(x * 100) / 100).toFixed(2);
/** @param {number} w */
const times = (w) => `×${Math.round(w * 100) / 100}`;

/**
 * One line for the tally: "hard vote, 3 of 4 models: class 0 2, class 1 1 → class 0".
 * @param {VotesResult} r
 * @param {Tally} t
 */
export function tallySummary(r, t) {
  const m = r.models.length;
  const who = t.complete ? `${m} models` : `${t.shown} of ${m} models`;
  const parts = t.order.map((s) => `${voteClass(r, s.cls)} ${t.soft ? two(s.score) : Math.round(s.score * 100) / 100}`);
  return `${t.soft ? "soft" : "hard"} vote, ${who}: ${parts.join(", ")} → ${voteClass(r, t.winner)}`;
}

/** @typedef {"tr" | "tl" | "br" | "bl"} Corner */
/** @typedef {{_offset: number, _length: number, d2p: (v: number) => number}} Axis */

/**
 * @param {import("./registry.js").InteractionContext} ctx
 * @returns {import("./registry.js").Interaction}
 */
export function create(ctx) {
  const { plot, stage } = ctx;
  /** @type {VotesResult | null} */
  let result = null;
  /** @type {number | null} the selected row of X */
  let row = null;
  /** @type {Corner | null} chosen once per selection, where the box hides the fewest marks */
  let corner = null;

  const box = el("div", { class: "inspect-box", id: "inspect-box", role: "status", "aria-live": "polite", hidden: true });
  const hint = el("div", { class: "inspect-hint", text: "Click a point to see how each model votes", hidden: true });
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
   * A bar row: swatch, label, bar, value.
   * @param {number} cls  the class whose colour it wears
   * @param {string} label
   * @param {number} share  the bar's length, 0..1
   * @param {string} value
   * @param {string} extra  a class name for the row
   */
  const bar = (cls, label, share, value, extra) => {
    const li = el("li", { class: extra, title: label });
    li.style.setProperty("--swatch", PALETTE[cls % Math.max(PALETTE.length, 1)] ?? "");
    const fill = el("span", { class: "inspect-fill" });
    fill.style.width = `${Math.max(3, 100 * Math.min(1, share))}%`;
    li.append(el("span", { class: "inspect-swatch" }), el("span", { class: "inspect-class", text: label }),
      el("span", { class: "inspect-track" }, fill), el("span", { class: "inspect-value", text: value }));
    return li;
  };

  /**
   * A model's row: swatch (the colour of the class it votes for), its name, its vote.
   * @param {number} cls
   * @param {string} name
   * @param {string} value
   * @param {string} extra  a class name for the row
   */
  const memberRow = (cls, name, value, extra) => {
    const li = el("li", { class: extra, title: `${name}: ${value}` });
    li.style.setProperty("--swatch", PALETTE[cls % Math.max(PALETTE.length, 1)] ?? "");
    li.style.gridTemplateColumns = "10px 1fr auto"; // no bar: the names need the room
    li.append(el("span", { class: "inspect-swatch" }), el("span", { class: "inspect-class", text: name }),
      el("span", { class: "inspect-value", text: value }));
    return li;
  };

  /**
   * @param {VotesResult} r
   * @param {Tally} t
   * @param {number | null} current  the model whose frame is on show (bold), or null
   */
  const renderBox = (r, t, current) => {
    box.replaceChildren();
    box.hidden = false;
    const line = tallySummary(r, t);
    Object.assign(box.dataset, {
      row: String(t.row), shown: String(t.shown), predicted: String(t.winner), summary: line,
    });
    box.title = line;
    const cls = (/** @type {number} */ c) => voteClass(r, c);
    const trained = Array.isArray(r.train_indices) ? r.train_indices.includes(t.row) : false;
    const head = el("div", { class: "inspect-head" }, el("strong", { text: `Point ${t.row}` }),
      el("span", { class: "inspect-truth", text: ` · ${trained ? "training" : "test"} · ${cls(t.truth)}` }));
    const close = el("button", {
      class: "inspect-close", text: "×", type: "button", title: "Clear (Esc)", "aria-label": "Clear the vote view",
    });
    close.addEventListener("click", (e) => { e.stopPropagation(); clear(); });
    const m = r.models.length;
    const so = t.complete ? `all ${m} models` : `models 1–${t.shown} of ${m} so far`;
    const lead = el("p", { class: "inspect-lead" }, el("strong", { text: t.soft ? "Soft vote" : "Hard vote" }),
      `: ${so}`);

    const votes = el("ul", { class: "inspect-bars inspect-members" });
    for (const v of t.members) {
      const weight = t.unequal ? ` ${times(v.weight)}` : "";
      const sure = v.sure === null ? "" : ` (${two(v.sure)})`; // soft: how sure it is of its class
      votes.append(memberRow(v.vote, v.name, `${cls(v.vote)}${sure}${weight}`, v.index === current ? "is-winner" : ""));
    }

    const tally = el("ul", { class: "inspect-bars" });
    const top = t.order[0]?.score || 1;
    for (const s of t.order) {
      const value = t.soft ? two(s.score) : `${Math.round(s.score * 100) / 100} vote${s.score === 1 ? "" : "s"}`;
      tally.append(bar(s.cls, cls(s.cls), s.score / top, value, s.cls === t.winner ? "is-winner" : ""));
    }
    const sum = el("p", { class: "inspect-lead" }, t.soft ? "Average probability" : t.unequal ? "Weighted votes" : "Votes");

    const right = t.winner === t.truth;
    const verdict = el("p", { class: "inspect-verdict" }, `${t.complete ? "→" : "so far →"} ${cls(t.winner)} `,
      el("span", { class: right ? "inspect-ok" : "inspect-bad", text: right ? "✓" : `✗ (true ${cls(t.truth)})` }));
    box.append(close, head, lead, votes, sum, tally, verdict);
    if (!t.soft && t.order.length > 1 && t.order[0].score === t.order[1].score) {
      box.append(el("p", { class: "inspect-note", text: "A tie: the lowest class wins, as in scikit-learn." }));
    }
    if (r.voting === "soft" && !t.soft) {
      box.append(el("p", { class: "inspect-note", text: "Too many points to list probabilities: votes shown." }));
    }
    if (corner === null) {
      const ax = axes();
      corner = ax ? freeCorner([[ax.xa.d2p(r.points[t.row][0]), ax.ya.d2p(r.points[t.row][1])]],
        box.offsetWidth + 16, box.offsetHeight + 16, ax.xa._length, ax.ya._length) : "tr";
    }
    place(box, corner);
  };

  /**
   * The inspected point ringed (over a white halo, so it reads on any shading).
   * @param {VotesResult} r
   * @param {number} selected
   */
  const overlay = (r, selected) => {
    const [qx, qy] = r.points[selected];
    const query = PALETTE[HIGHLIGHT % Math.max(PALETTE.length, 1)];
    return [
      { type: "scatter", mode: "markers", name: "inspected point halo", x: [qx], y: [qy], showlegend: false,
        hoverinfo: "skip", marker: { symbol: "circle-open", size: 26, color: PAPER, line: { width: 7, color: PAPER } } },
      { type: "scatter", mode: "markers", name: "inspected point", x: [qx], y: [qy], showlegend: false,
        hoverinfo: "skip", marker: { symbol: "circle-open", size: 26, color: query || INK, line: { width: 3, color: query || INK } } },
    ];
  };

  /** @param {Record<string, any> | null} next */
  const bind = (next) => {
    if (next === result) return;
    result = inspectableVotes(next) ? next : null;
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
      const shown = modelsShown(result, frame);
      const current = Number.isInteger(frame.state?.model) ? Number(frame.state.model) : null;
      renderBox(result, tallyVotes(result, row, shown), current);
      return overlay(result, row);
    },

    dispose() {
      document.removeEventListener("keydown", onKey);
      box.remove();
      hint.remove();
      plot.classList.remove("inspectable");
    },
  };
}
