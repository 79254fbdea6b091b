// @ts-check
// draw-layer.js: drawing your own points on the main plot, as a standing interaction (interactions/registry.js
// `stand`): while drawing it owns every click, draws the points itself (extra traces, so they appear in the
// same animation frame as the click, whatever the run is doing) and fixes the axes (its `figure` hook).
//
// Input: a click (mouse) or tap (touch, pen) adds a point of the chosen class; Shift-click, right-click or a
// click in eraser mode removes the nearest point within REMOVE_RADIUS_PX. Taps are read from pointer events:
// with drag disabled, Plotly re-dispatches a tap as a click at (0, 0) and the page drops the real one as a
// duplicate, so the clicks that follow a tap are swallowed here.

import { eventToData } from "./plot.js";
import {
  DEFAULT_EXTENT, DrawnPoints, drawnTraces, extentOf, mainAxes, marginsOf, roundPoint, stageFigure, stageMode,
} from "./drawn-points.js";

/** @typedef {import("./drawn-points.js").Extent} Extent */
/** @typedef {import("./interactions/registry.js").Interaction} Interaction */
/** @typedef {import("./interactions/registry.js").RunState} RunState */

const TAP_MOVE_PX = 10; // a touch that moves further is a scroll, not a tap
const TAP_MS = 600;
const CLICK_AFTER_TAP_MS = 700; // the (synthetic) clicks a tap produces arrive within this

/**
 * @typedef {Object} DrawLayerOptions
 * @property {HTMLElement & Record<string, any>} plot  the main plot (Plotly graph div)
 * @property {() => RunState} run  the run on show
 * @property {() => number} cls  the class new points get
 * @property {(change: "add" | "remove" | "miss") => void} onEdit  after the points changed (or a remove missed)
 * @property {readonly string[]} colours  class colours (the theme's palette)
 * @property {readonly string[]} [symbols]  class marker symbols
 */

/**
 * @param {DrawLayerOptions} opts
 * @returns {Interaction & {points: DrawnPoints, drawing: boolean, erasing: boolean, extent: Extent,
 *   sent: Set<string>, start(): void, stop(): void, addAt(point: number[]): boolean, pixelScale(): [number, number],
 *   mode(): import("./drawn-points.js").StageMode, dispose(): void}}
 */
export function createDrawLayer({ plot, run, cls, onEdit, colours, symbols }) {
  const points = new DrawnPoints();
  /** @type {Record<string, any>} the main axes' titles and domain when drawing began (for an empty canvas) */
  let axes = {};
  /** @type {Record<string, any> | null} the plot's margins when drawing began (kept: the axes stay put) */
  let margin = null;
  let swallowClicksUntil = 0;
  /** @type {{id: number, x: number, y: number, t: number} | null} */
  let touch = null;

  const layer = {
    points,
    drawing: false,
    erasing: false,
    /** @type {Extent} */
    extent: { x: [...DEFAULT_EXTENT.x], y: [...DEFAULT_EXTENT.y] },
    /** Every version of the points sent to a run (their dataKey): a run of one of them is stale, not foreign. */
    sent: new Set(),

    /** Begin drawing on the axes the plot shows now. */
    start() {
      layer.drawing = true;
      layer.extent = extentOf(plot._fullLayout) ?? { x: [...DEFAULT_EXTENT.x], y: [...DEFAULT_EXTENT.y] };
      axes = mainAxes(run().scene ?? { layout: plot.layout });
      margin = marginsOf(plot._fullLayout);
      plot.classList.add("drawing");
    },

    stop() {
      layer.drawing = false;
      layer.erasing = false;
      plot.classList.remove("drawing");
    },

    /** Pixels per data unit of each main axis (1, 1 before the plot is drawn). @returns {[number, number]} */
    pixelScale() {
      const xa = plot._fullLayout?.xaxis;
      const ya = plot._fullLayout?.yaxis;
      const per = (/** @type {any} */ a) => (a?._length && a.range ? a._length / Math.abs(a.range[1] - a.range[0]) : 1);
      return [per(xa), per(ya)];
    },

    /** Add a point of the chosen class at data coordinates `point` (keyboard users' form, tests). */
    addAt(/** @type {number[]} */ point) {
      if (!points.add(roundPoint(point, layer.extent), cls())) return false;
      onEdit("add");
      return true;
    },

    /** @param {number[] | null} point @param {boolean} remove */
    edit(point, remove) {
      if (!point) return;
      if (remove || layer.erasing) onEdit(points.removeNear(point, layer.pixelScale()) >= 0 ? "remove" : "miss");
      else layer.addAt(point);
    },

    capturing: () => layer.drawing,

    /** @param {[number, number] | null} point @param {MouseEvent} event */
    onClick(point, event) {
      if (!layer.drawing) return false;
      if (performance.now() < swallowClicksUntil) return true;
      layer.edit(point, event.shiftKey);
      return true; // a click outside the axes while drawing is still ours: it must not inspect or pan
    },

    hint() {
      if (!layer.drawing) return null;
      if (layer.erasing) return "Eraser: click or tap a point to remove it.";
      const n = points.length;
      return n ? `${n} point${n === 1 ? "" : "s"}: click to add, Shift-click or right-click to remove.` : "Click the plot to add your first point.";
    },

    traces() {
      if (!layer.drawing) return [];
      const mode = layer.mode();
      return drawnTraces(points.data(), { colours, symbols, outline: mode === "live", legend: mode === "clear" });
    },

    /** The figure under the points: the run's when it is of these points, faded when stale, else empty axes. */
    mode() {
      const { params, scene } = run();
      return stageMode({ runData: params?.dataset, drawn: points.data(), drawnBefore: layer.sent, hasFigure: Boolean(scene) });
    },

    /** @param {Record<string, any> | null} figure */
    figure(figure) {
      if (!layer.drawing) return figure;
      return stageFigure(figure, figure ? layer.mode() : "clear", layer.extent, axes, margin);
    },

    dispose() {
      plot.removeEventListener("contextmenu", onContextMenu, true);
      plot.removeEventListener("pointerdown", onPointerDown, true);
      plot.removeEventListener("pointerup", onPointerUp, true);
    },
  };

  /** @param {MouseEvent} e */
  function onContextMenu(e) {
    if (!layer.drawing) return;
    e.preventDefault();
    e.stopPropagation();
    layer.edit(eventToData(plot, e), true);
  }

  /** @param {PointerEvent} e */
  function onPointerDown(e) {
    if (!layer.drawing || e.pointerType === "mouse") return;
    touch = { id: e.pointerId, x: e.clientX, y: e.clientY, t: performance.now() };
  }

  /** @param {PointerEvent} e */
  function onPointerUp(e) {
    if (!layer.drawing || e.pointerType === "mouse" || !touch || touch.id !== e.pointerId) return;
    const tap = Math.hypot(e.clientX - touch.x, e.clientY - touch.y) <= TAP_MOVE_PX && performance.now() - touch.t <= TAP_MS;
    touch = null;
    if (!tap) return;
    swallowClicksUntil = performance.now() + CLICK_AFTER_TAP_MS;
    layer.edit(eventToData(plot, e), false);
  }

  plot.addEventListener("contextmenu", onContextMenu, true);
  plot.addEventListener("pointerdown", onPointerDown, true);
  plot.addEventListener("pointerup", onPointerUp, true);
  return layer;
}
