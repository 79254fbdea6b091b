// plot.js: compose scene + frame figures and draw them with Plotly.react (uirevision keeps zoom).

export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';

const Plotly = () => {
  if (!window.Plotly) throw new Error("plotly.js did not load (/static/vendor/plotly.min.js).");
  return window.Plotly;
};

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v)
  && !ArrayBuffer.isView(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Plotly typed-array spec `{dtype, bdata}` (plotly.js decodes it natively): a leaf, never merged. */
export const isTypedArraySpec = (v) => isPlainObject(v) && typeof v.bdata === "string" && "dtype" in v;

/**
 * Merge `patch` onto `base` without mutating either. Plain objects merge key by key; arrays, typed
 * arrays, typed-array specs and scalars in `patch` replace what is in `base`.
 */
export function deepMerge(base, patch) {
  if (patch === undefined) return base;
  if (!isPlainObject(patch) || isTypedArraySpec(patch)) return patch;
  if (!isPlainObject(base) || isTypedArraySpec(base)) return patch;
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = deepMerge(base[key], value);
  return out;
}

const EXTEND = "x-extend";

/**
 * A partial trace may carry `"x-extend": {x: [...], y: [...]}`: the points that frame adds to a growing
 * trace (a path, a loss curve), so no frame resends the whole of it. Returns, per scene trace, the
 * concatenated extensions of `figures` (frames 0..i, in order), or null where there are none.
 */
function extensions(count, figures) {
  const out = new Array(count).fill(null);
  for (const fig of figures) {
    (fig?.data ?? []).forEach((t, j) => {
      const ext = t?.[EXTEND];
      if (!ext || j >= count) return;
      out[j] ??= {};
      for (const [key, values] of Object.entries(ext)) for (const v of values) (out[j][key] ??= []).push(v);
    });
  }
  return out;
}

/**
 * The figure for one frame: scene traces merged with the frame's partial traces, extras appended.
 * `history`: the figures of the frames before this one (their `x-extend` points are kept).
 */
export function composeFigure(scene, frameFigure, history = []) {
  const sceneData = scene?.data ?? [];
  const patchData = frameFigure?.data ?? [];
  const ext = extensions(sceneData.length, [...history, frameFigure]);
  const data = sceneData.map((trace, j) => {
    const { [EXTEND]: _added, ...patch } = patchData[j] ?? {};
    let base = trace;
    if (ext[j]) {
      base = { ...trace };
      for (const [key, values] of Object.entries(ext[j])) base[key] = [...(Array.isArray(trace[key]) ? trace[key] : []), ...values];
    }
    return deepMerge(base, patch);
  });
  for (let j = sceneData.length; j < patchData.length; j += 1) data.push(patchData[j]);
  const layout = deepMerge(scene?.layout ?? {}, frameFigure?.layout ?? {});
  return { data, layout };
}

const BASE_LAYOUT = {
  font: { family: FONT, size: 14, color: "#1b2430" },
  paper_bgcolor: "#ffffff",
  plot_bgcolor: "#ffffff",
  colorway: PALETTE,
  margin: { l: 56, r: 24, t: 24, b: 48 },
  hoverlabel: { font: { family: FONT, size: 14 } },
  legend: { bgcolor: "rgba(255,255,255,0.85)" },
};

export const PLOT_CONFIG = {
  responsive: true,
  displaylogo: false,
  scrollZoom: false,
  modeBarButtonsToRemove: ["lasso2d", "select2d", "toImage"],
};

/** Draw (or redraw) the main figure. `extra` traces (e.g. manual init points) are appended. */
export function drawMain(gd, figure, { uirevision = "main", extra = [], dragmode, hovermode } = {}) {
  const layout = deepMerge(BASE_LAYOUT, figure.layout ?? {});
  delete layout.width;
  delete layout.height;
  layout.autosize = true;
  layout.uirevision = uirevision;
  if (dragmode !== undefined) layout.dragmode = dragmode;
  if (hovermode !== undefined) layout.hovermode = hovermode;
  return Plotly().react(gd, [...(figure.data ?? []), ...extra], layout, PLOT_CONFIG);
}

export function purge(gd) {
  if (window.Plotly && gd) window.Plotly.purge(gd);
}

export function resize(gd) {
  if (window.Plotly && gd && gd.data) window.Plotly.Plots.resize(gd);
}

/** Data coordinates of a mouse event over the main cartesian axes, or null outside them. */
export function eventToData(gd, event) {
  const full = gd._fullLayout;
  const xa = full?.xaxis;
  const ya = full?.yaxis;
  const drag = gd.querySelector(".nsewdrag") || gd.querySelector(".draglayer");
  if (!xa || !ya || !drag) return null;
  const rect = drag.getBoundingClientRect();
  const px = event.clientX - rect.left;
  const py = event.clientY - rect.top;
  if (px < 0 || py < 0 || px > rect.width || py > rect.height) return null;
  const x = xa.p2d(px);
  const y = ya.p2d(py);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  return [x, y];
}

const ACRONYMS = new Set(["wcss", "sse", "mse", "rmse", "mae", "auc", "r2", "f1", "lr", "bss", "tss"]);
const pretty = (name) => (ACRONYMS.has(name.toLowerCase()) ? name.toUpperCase()
  : name.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase()));

export function formatNumber(v) {
  if (typeof v !== "number" || !Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString("en");
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toLocaleString("en", { maximumFractionDigits: 1 });
  if (abs >= 1) return v.toLocaleString("en", { maximumFractionDigits: 3 });
  return v.toPrecision(3);
}

/**
 * Small line charts: one per metric over frame index, with a marker at the current frame.
 * `frames` is the buffered list; `current` the index shown.
 */
export class MetricsView {
  constructor(container) {
    this.container = container;
    this.charts = new Map(); // name -> {el, valueEl, gd}
  }

  reset() {
    for (const { gd } of this.charts.values()) purge(gd);
    this.charts.clear();
    this.container.innerHTML = "";
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = "Metrics appear as frames stream in.";
    this.container.append(p);
  }

  ensure(name, colorIndex) {
    if (this.charts.has(name)) return this.charts.get(name);
    if (!this.charts.size) this.container.innerHTML = "";
    const el = document.createElement("div");
    el.className = "metric";
    el.dataset.metric = name;
    const head = document.createElement("div");
    head.className = "metric-head";
    const label = document.createElement("span");
    label.className = "metric-name";
    label.textContent = pretty(name);
    const valueEl = document.createElement("span");
    valueEl.className = "metric-value";
    head.append(label, valueEl);
    const gd = document.createElement("div");
    gd.className = "metric-plot";
    el.append(head, gd);
    this.container.append(el);
    const chart = { el, valueEl, gd, color: PALETTE[colorIndex % PALETTE.length] };
    this.charts.set(name, chart);
    return chart;
  }

  update(frames, current) {
    const names = [];
    for (const f of frames) for (const k of Object.keys(f.metrics ?? {})) if (!names.includes(k)) names.push(k);
    names.forEach((name, i) => {
      const chart = this.ensure(name, i);
      const xs = [];
      const ys = [];
      for (const f of frames) {
        const v = f.metrics?.[name];
        if (typeof v === "number" && Number.isFinite(v)) { xs.push(f.index); ys.push(v); }
      }
      const cur = frames[current]?.metrics?.[name];
      chart.valueEl.textContent = cur === undefined || cur === null ? "–" : formatNumber(cur);
      const data = [
        { x: xs, y: ys, type: "scatter", mode: "lines", line: { color: chart.color, width: 2.5 }, hoverinfo: "x+y", name },
        {
          x: typeof cur === "number" ? [current] : [], y: typeof cur === "number" ? [cur] : [],
          type: "scatter", mode: "markers", hoverinfo: "skip",
          marker: { size: 11, color: "#ffffff", line: { color: chart.color, width: 3 } },
        },
      ];
      const layout = {
        font: { family: FONT, size: 13, color: "#4a5563" },
        margin: { l: 44, r: 10, t: 6, b: 26 },
        height: chart.gd.clientHeight || 120,
        showlegend: false,
        paper_bgcolor: "rgba(0,0,0,0)",
        plot_bgcolor: "rgba(0,0,0,0)",
        xaxis: { range: [-0.5, Math.max(frames.length - 0.5, 1.5)], zeroline: false, gridcolor: "#eef1f5", tickformat: "d", fixedrange: true },
        yaxis: { zeroline: false, gridcolor: "#eef1f5", fixedrange: true, nticks: 4 },
        shapes: [{ type: "line", xref: "x", yref: "paper", x0: current, x1: current, y0: 0, y1: 1, line: { color: "#9aa3af", width: 1, dash: "dot" } }],
      };
      Plotly().react(chart.gd, data, layout, { displayModeBar: false, responsive: true, staticPlot: false });
    });
  }
}

/** Draw the result panels (e.g. the elbow plot) into `container`. */
export function drawPanels(container, panels) {
  for (const gd of container.querySelectorAll(".panel-plot")) purge(gd);
  container.innerHTML = "";
  for (const panel of panels ?? []) {
    const section = document.createElement("section");
    section.className = "panel result-panel";
    section.dataset.panel = panel.id;
    const h = document.createElement("h2");
    h.className = "panel-title";
    h.textContent = panel.title ?? pretty(String(panel.id));
    const gd = document.createElement("div");
    gd.className = "panel-plot";
    gd.id = `panel-${panel.id}`;
    section.append(h, gd);
    if (panel.caption) {  // a panel may explain itself (the SVM kernel panel says what a kernel is)
      const p = document.createElement("p");
      p.className = "panel-caption";
      p.textContent = panel.caption;
      section.append(p);
    }
    container.append(section);
    const fig = panel.figure ?? {};
    const layout = deepMerge(deepMerge(BASE_LAYOUT, { margin: { l: 52, r: 16, t: 12, b: 44 }, font: { size: 12 } }), fig.layout ?? {});
    delete layout.width;
    layout.height = gd.clientHeight || 260;
    layout.autosize = true;
    delete layout.title;
    Plotly().react(gd, fig.data ?? [], layout, { displayModeBar: false, responsive: true });
  }
}
