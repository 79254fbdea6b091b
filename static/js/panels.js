// @ts-check
// panels.js: the run's result panels (the k-means elbow, the SVM kernel view, ...), each a titled figure of
// readable size (its height comes from the page's CSS: .panel-plot, unless its layout gives one: a table knows
// its rows), with an optional caption.

import { deepMerge } from "./compose.js";
import { BASE_LAYOUT, Plotly, pretty, purgePlot } from "./figure-base.js";

/** @typedef {import("./compose.js").Figure} Figure */
/** @typedef {import("./compose.js").Trace} Trace */
/** @typedef {{id: string | number, title?: string, caption?: string, figure?: Figure}} Panel */

/**
 * Draw the result panels (e.g. the elbow plot) into `container`.
 * @param {HTMLElement} container
 * @param {Panel[] | null | undefined} panels
 * @param {{large?: boolean}} [opts]  presenter mode: larger type
 */
export function drawPanels(container, panels, { large = false } = {}) {
  for (const gd of container.querySelectorAll(".panel-plot")) purgePlot(/** @type {HTMLElement} */ (gd));
  container.innerHTML = "";
  container.dataset.count = String(panels?.length ?? 0);
  for (const panel of panels ?? []) {
    const section = document.createElement("section");
    section.className = "panel result-panel";
    section.dataset.panel = String(panel.id);
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
    const base = deepMerge(BASE_LAYOUT, { margin: { l: 56, r: 16, t: 12, b: 48 }, font: { size: large ? 18 : 13 } });
    const layout = deepMerge(base, fig.layout ?? {});
    if (large) layout.font = { ...layout.font, size: 18 };
    delete layout.width;
    const own = fig.layout?.height;
    if (typeof own === "number" && own > 0) gd.style.height = `${Math.round(own * (large ? 1.4 : 1))}px`;
    layout.height = gd.clientHeight || 320;
    layout.autosize = true;
    delete layout.title;
    void Plotly().react(gd, /** @type {Trace[]} */ (fig.data ?? []), layout, { displayModeBar: false, responsive: true });
  }
}
