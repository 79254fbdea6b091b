// inspect.js: click a data point to see who decides its class.
//
// Generic: it switches on whenever a run's result carries `neighbors` (each row's neighbours, nearest first)
// with `points` (the rows' coordinates) and `labels` (their class indices); optional `neighbor_weights` (each
// neighbour's vote weight, else 1) and `classes` (class names). The k-NN lab documents these fields in
// app/engines/neighbors.py. At a frame whose `state.k` is k, the first k neighbours of the list vote; this
// module only takes that prefix and adds up the labels (or weights) the engine gave; it computes nothing else.
//
// Click on or near a point: lines to its k neighbours, rings around them, and a vote box in the corner of the
// plot away from the point; scrubbing updates both. Escape, the box's close button or a click on empty space
// clears it. The page routes plot clicks here only when nothing else owns them (drawing your own data,
// placing k-means centres, a start-point param).

import { PALETTE, formatNumber } from "./plot.js";

const INK = "#1b2430";
const QUERY = "#D55E00";
const HIT_PX = 14; // a click this close to a point (in screen pixels) selects it

const el = (tag, cls, text) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** True when `result` carries what the inspector needs. */
export function inspectable(result) {
  return Array.isArray(result?.neighbors) && Array.isArray(result?.points) && Array.isArray(result?.labels)
    && result.neighbors.length === result.points.length;
}

export class Inspector {
  /**
   * @param {{plot: HTMLElement, onChange: () => void}} opts  onChange redraws the page (it calls update()).
   */
  constructor({ plot, onChange }) {
    this.plot = plot;
    this.onChange = onChange;
    this.result = null;
    this.row = null; // the selected row of X, or null
    this.corner = null;
    this.box = el("div", "inspect-box");
    this.box.id = "inspect-box";
    this.box.hidden = true;
    this.box.setAttribute("role", "status");
    this.box.setAttribute("aria-live", "polite");
    this.hint = el("div", "inspect-hint", "Click a point to see its nearest neighbours vote");
    this.hint.hidden = true;
    plot.parentElement.append(this.box, this.hint);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.row !== null) { e.preventDefault(); this.clear(); }
    });
  }

  get active() { return this.row !== null; }

  clear() {
    if (this.row === null) return;
    this.row = null;
    this.onChange();
  }

  /** Axis objects of the main plot, or null before it is drawn. */
  axes() {
    const full = this.plot._fullLayout;
    return full?.xaxis && full?.yaxis ? { xa: full.xaxis, ya: full.yaxis } : null;
  }

  /**
   * Handle a click on the plot: select the point under (or near) it, or clear on empty space. Returns true
   * when the click was the inspector's (the result is inspectable and the click fell in the main axes).
   */
  click(event) {
    if (!inspectable(this.result)) return false;
    const ax = this.axes();
    const drag = this.plot.querySelector(".nsewdrag");
    if (!ax || !drag) return false;
    const rect = drag.getBoundingClientRect();
    const px = event.clientX - rect.left;
    const py = event.clientY - rect.top;
    if (px < 0 || py < 0 || px > rect.width || py > rect.height) return false;
    let best = null;
    let bestD = HIT_PX * HIT_PX;
    this.result.points.forEach(([x, y], i) => {
      const d = (ax.xa.d2p(x) - px) ** 2 + (ax.ya.d2p(y) - py) ** 2;
      if (d <= bestD) { bestD = d; best = i; }
    });
    if (best === null && this.row === null) return true;
    this.row = best;
    this.corner = null; // chosen once the box is filled: where it hides the fewest neighbours
    this.onChange();
    return true;
  }

  /**
   * Bind to the run's result and the frame on show; render the box and return the overlay traces to draw.
   * A new result (a new run) drops the selection.
   */
  update(result, frame) {
    if (result !== this.result) { this.result = result; this.row = null; }
    const ok = inspectable(result) && frame;
    this.hint.hidden = !ok || this.row !== null;
    if (!this.hint.hidden) this.place(this.hint, "bl");
    this.plot.classList.toggle("inspectable", Boolean(ok));
    if (!ok || this.row === null) { this.box.hidden = true; this.box.dataset.row = ""; return []; }
    const vote = this.vote(frame);
    this.renderBox(vote);
    return this.traces(vote);
  }

  /** Pin `node` inside the main axes' `corner` ("tl", "tr", "bl", "br"), 10 px in. */
  place(node, corner) {
    const ax = this.axes();
    const wrap = this.plot.parentElement;
    if (!ax || !wrap) return;
    const left = this.plot.offsetLeft + ax.xa._offset;
    const top = this.plot.offsetTop + ax.ya._offset;
    const pad = 10;
    Object.assign(node.style, { left: "", right: "", top: "", bottom: "" });
    if (corner[1] === "l") node.style.left = `${left + pad}px`;
    else node.style.right = `${wrap.clientWidth - (left + ax.xa._length) + pad}px`;
    if (corner[0] === "t") node.style.top = `${top + pad}px`;
    else node.style.bottom = `${wrap.clientHeight - (top + ax.ya._length) + pad}px`;
    node.style.maxWidth = `${Math.max(180, ax.xa._length - 2 * pad)}px`;
  }

  /** The first k neighbours of the selected row and their tally, from the engine's lists. */
  vote(frame) {
    const r = this.result;
    const row = this.row;
    const list = r.neighbors[row];
    const k = Math.max(1, Math.min(list.length, Number(frame?.state?.k) || list.length));
    const rows = list.slice(0, k);
    const weights = Array.isArray(r.neighbor_weights) ? r.neighbor_weights[row].slice(0, k) : null;
    const tally = new Map();
    rows.forEach((n, j) => {
      const c = r.labels[n];
      const t = tally.get(c) ?? { cls: c, count: 0, weight: 0 };
      t.count += 1;
      t.weight += weights ? weights[j] : 1;
      tally.set(c, t);
    });
    const score = (t) => (weights ? t.weight : t.count);
    // Largest first; equal scores in class order: the first of them wins, as the engine decides ties.
    const order = [...tally.values()].sort((a, b) => score(b) - score(a) || a.cls - b.cls);
    const tie = order.length > 1 && score(order[1]) === score(order[0]);
    return { row, k, rows, weights, order, tie, winner: order[0].cls, truth: r.labels[row], score };
  }

  className(c) {
    const names = this.result.classes;
    return `class ${Array.isArray(names) && names[c] !== undefined ? names[c] : c}`;
  }

  summary(v) {
    const parts = v.order.map((t) => (v.weights
      ? `${this.className(t.cls)} weight ${formatNumber(t.weight)}`
      : `${t.count} × ${this.className(t.cls)}`));
    return `k = ${v.k}: ${parts.join(", ")} → ${this.className(v.winner)}`;
  }

  renderBox(v) {
    const box = this.box;
    box.replaceChildren();
    box.hidden = false;
    const summary = this.summary(v);
    Object.assign(box.dataset, {
      row: String(v.row), k: String(v.k), neighbors: String(v.rows.length), predicted: String(v.winner), summary,
    });
    box.title = summary;

    const head = el("div", "inspect-head");
    const trained = Array.isArray(this.result.train_indices) ? this.result.train_indices.includes(v.row)
      : v.rows.includes(v.row);
    head.append(el("strong", "", `Point ${v.row}`),
      el("span", "inspect-truth", ` · ${trained ? "training" : "test"} · ${this.className(v.truth)}`));
    const close = el("button", "inspect-close", "×");
    close.type = "button";
    close.title = "Clear (Esc)";
    close.setAttribute("aria-label", "Clear the neighbour view");
    close.addEventListener("click", (e) => { e.stopPropagation(); this.clear(); });

    const lead = el("p", "inspect-lead");
    lead.append(el("strong", "", `k = ${v.k}`),
      ` ${v.k === 1 ? "nearest neighbour" : "nearest neighbours"}${v.weights ? ", weighted 1 / distance" : ""}`);

    const bars = el("ul", "inspect-bars");
    const top = v.score(v.order[0]) || 1;
    for (const t of v.order) {
      const li = el("li", t.cls === v.winner ? "is-winner" : "");
      li.style.setProperty("--swatch", PALETTE[t.cls % PALETTE.length]);
      const track = el("span", "inspect-track");
      const fill = el("span", "inspect-fill");
      fill.style.width = `${Math.max(3, (100 * v.score(t)) / top)}%`;
      track.append(fill);
      li.append(el("span", "inspect-swatch"), el("span", "inspect-class", this.className(t.cls)), track,
        el("span", "inspect-value", v.weights ? formatNumber(t.weight) : `${t.count} vote${t.count === 1 ? "" : "s"}`));
      bars.append(li);
    }

    const right = v.winner === v.truth;
    const verdict = el("p", "inspect-verdict");
    verdict.append(`→ ${this.className(v.winner)} `,
      el("span", right ? "inspect-ok" : "inspect-bad", right ? "✓" : `✗ (true ${this.className(v.truth)})`));
    box.append(close, head, lead, bars, verdict);

    if (v.tie) box.append(el("p", "inspect-note", "A tie: the first class wins, as in scikit-learn."));
    if (v.weights && v.weights.some((w) => w === 0)) {
      box.append(el("p", "inspect-note", "A neighbour at distance 0 takes the whole vote."));
    } else if (v.rows[0] === v.row) {
      box.append(el("p", "inspect-note", "It is its own nearest neighbour (distance 0)."));
    }
    if (this.corner === null) this.corner = this.freeCorner(v.row);
    this.place(box, this.corner);
  }

  /** The corner of the main axes where the box hides the fewest of the point's neighbours (all K of them). */
  freeCorner(row) {
    const ax = this.axes();
    if (!ax) return "tr";
    const pts = this.result.points;
    const marks = [row, ...this.result.neighbors[row]].map((n) => [ax.xa.d2p(pts[n][0]), ax.ya.d2p(pts[n][1])]);
    const w = this.box.offsetWidth + 16;
    const h = this.box.offsetHeight + 16;
    const W = ax.xa._length;
    const H = ax.ya._length;
    const [qx, qy] = marks[0];
    let best = "tr";
    let bestCost = Infinity;
    for (const corner of ["tr", "tl", "br", "bl"]) {
      const x0 = corner[1] === "l" ? 0 : W - w;
      const y0 = corner[0] === "t" ? 0 : H - h;
      const covered = marks.filter(([x, y]) => x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h).length;
      const far = Math.hypot(x0 + w / 2 - qx, y0 + h / 2 - qy);
      const cost = covered * 1e6 - far;
      if (cost < bestCost) { bestCost = cost; best = corner; }
    }
    return best;
  }

  /** Plotly traces: lines from the point to its neighbours, rings around them, the point highlighted. */
  traces(v) {
    const pts = this.result.points;
    const [qx, qy] = pts[v.row];
    const lx = [];
    const ly = [];
    for (const n of v.rows) { lx.push(qx, pts[n][0], null); ly.push(qy, pts[n][1], null); }
    const ring = pts.length <= 300 ? 16 : pts.length <= 1000 ? 13 : 10; // the view's marker size + 7
    const text = v.rows.map((n, j) => `neighbour ${j + 1}: point ${n}, ${this.className(this.result.labels[n])}`
      + (v.weights ? `, weight ${formatNumber(v.weights[j])}` : ""));
    return [
      { type: "scatter", mode: "lines", name: "to neighbours", x: lx, y: ly, hoverinfo: "skip", showlegend: false,
        line: { color: INK, width: 1.5 }, opacity: 0.75 },
      { type: "scatter", mode: "markers", name: "neighbours", x: v.rows.map((n) => pts[n][0]),
        y: v.rows.map((n) => pts[n][1]), text, hovertemplate: "%{text}<extra></extra>", showlegend: false,
        marker: { symbol: "circle-open", size: ring, color: INK, line: { width: 2, color: INK } } },
      { type: "scatter", mode: "markers", name: "inspected point halo", x: [qx], y: [qy], showlegend: false,
        hoverinfo: "skip", marker: { symbol: "circle-open", size: 26, color: "#ffffff", line: { width: 7, color: "#ffffff" } } },
      { type: "scatter", mode: "markers", name: "inspected point", x: [qx], y: [qy], showlegend: false,
        hoverinfo: "skip", marker: { symbol: "circle-open", size: 26, color: QUERY, line: { width: 3, color: QUERY } } },
    ];
  }
}
