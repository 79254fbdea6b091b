// @ts-check
// interactions/registry.js: what a click on the main plot does, declared by the lab, not by the page.
//
// A lab's scene (its view's `scene()` in app/views/*.py) may carry
//   "x-interactions": [{"kind": "inspect-neighbors"}, {"kind": "place-points", "param": "init"}, ...]
// Each kind is a plugin module `static/js/interactions/<kind>.js` exporting `create(ctx, declaration)`, imported
// on demand. The page knows no kind and no lab: it hands clicks, extra traces, the hint line and the run's
// result to whatever the scene declared. Adding a lab with its own click behaviour is one new file in this
// directory plus the declaration in the lab's view. (This module is not a plugin: it exports no `create`.)
//
// The plugins: inspect-neighbors (k-NN: who voted), inspect-votes (voting: each model's vote), place-points
// (k-means: click the initial centres), set-point (the optimiser race: click the start), inspect-node (backprop:
// a node's value and gradient).
//
// A page-level tool that is not the scene's (drawing your own data, data-editor.js) `stand`s a plugin: it stays
// across scenes, sees clicks first while it captures, and its traces go on top of the scene plugins'.

/**
 * The run the page is showing, as plugins may read it.
 * @typedef {Object} RunState
 * @property {Record<string, any> | null} params  the params of the run (null before the first one)
 * @property {number} seed
 * @property {Record<string, any> | null} scene   the scene figure (data, layout, x-interactions)
 * @property {Record<string, any> | null} result  the run's result, once it arrived
 */

/**
 * What the page lends a plugin.
 * @typedef {Object} InteractionContext
 * @property {HTMLElement & Record<string, any>} plot  the main plot (a Plotly graph div: `_fullLayout` once drawn)
 * @property {HTMLElement} stage   the plot's wrapper, positioned: where a plugin mounts overlays of its own
 * @property {HTMLElement} [panels] the section under the stage (metrics, result panels): where a plugin mounts a
 *   panel of its own across their width (first in it)
 * @property {import("../controls.js").Controls} controls  the form (values, set, desc, the click widgets' state)
 * @property {() => RunState} run  the current run
 * @property {() => void} redraw   redraw the main plot (after the plugin's own state changed)
 */

/**
 * One declaration from the scene: `kind` names the plugin, the other keys are its options.
 * @typedef {{kind: string} & Record<string, any>} Declaration
 */

/**
 * The one interface of a plugin; every member is optional.
 * @typedef {Object} Interaction
 * @property {(point: [number, number] | null, event: MouseEvent) => boolean | void} [onClick]
 *   A click on the plot; `point` is in the main axes' data coordinates (null outside them). Return true when
 *   the click was this plugin's: the ones after it do not see it.
 * @property {(frame: Record<string, any> | null, result: Record<string, any> | null) => object[]} [traces]
 *   Extra Plotly traces drawn over the frame on show (null frame: only the scene is drawn).
 * @property {(result: Record<string, any> | null) => void} [onResult]  a new run's result (null: a new run began)
 * @property {() => string | null} [hint]  a line shown over the plot ("Click to place centre 2 of 3"), or null
 * @property {() => boolean} [capturing]
 *   True while it owns every click (placing points): it sees clicks first, and the plot neither pans nor hovers.
 * @property {(figure: Record<string, any> | null, frame: Record<string, any> | null, run: RunState) => Record<string, any> | null} [figure]
 *   Replace the figure about to be drawn (null: there is none: no scene yet, or the run failed) before the
 *   extra traces go on it; returning null draws nothing. Drawing your own data uses it to fix the axes and to
 *   clear a run that is not of the drawn points.
 * @property {() => void} [dispose]  remove what it added to the page
 */

/**
 * A plugin module.
 * @typedef {{create?: (ctx: InteractionContext, declaration: Declaration) => Interaction}} PluginModule
 */

/** Kinds are file names in this directory: lower-case words joined by hyphens, nothing that could walk a path. */
export const KIND = /^[a-z][a-z-]*$/;

/**
 * The valid declarations of a scene's `x-interactions`, each with a string kind (the rest are dropped with a
 * warning, so a typo in a lab never breaks the page).
 * @param {unknown} list
 * @returns {Declaration[]}
 */
export function declarations(list) {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    console.warn("x-interactions should be a list of {kind, ...}; ignored:", list);
    return [];
  }
  /** @type {Declaration[]} */
  const out = [];
  for (const d of list) {
    if (d && typeof d === "object" && typeof d.kind === "string" && KIND.test(d.kind)) out.push(d);
    else console.warn("an x-interactions entry needs a kind like \"place-points\"; ignored:", d);
  }
  return out;
}

/** @type {(kind: string) => Promise<PluginModule>} */
const importPlugin = (kind) => import(`./${kind}.js`);

/**
 * The plugins of the current scene, in declaration order.
 */
export class Interactions {
  /**
   * @param {{load?: (kind: string) => Promise<PluginModule>}} [opts]  `load` replaces the dynamic import (tests)
   */
  constructor({ load = importPlugin } = {}) {
    this.load = load;
    /** @type {Interaction[]} */
    this.active = [];
    /** @type {string[]} the kinds of `active`, same order */
    this.kinds = [];
    this.key = "[]"; // the declarations `active` was made from, as JSON: the same scene again keeps the plugins
    this.generation = 0;
    /** @type {Interaction[]} plugins of the page, not of a scene: kept by `use` and `dispose` */
    this.standing = [];
  }

  /**
   * Add a plugin that stays whatever the scene declares (until the returned function removes it).
   * @param {Interaction} plugin
   * @returns {() => void}
   */
  stand(plugin) {
    this.standing.push(plugin);
    return () => {
      this.standing = this.standing.filter((p) => p !== plugin);
      plugin.dispose?.();
    };
  }

  /** Standing plugins, then the scene's (the order clicks and hints are offered in, capturing ones first). */
  all() { return [...this.standing, ...this.active]; }

  /**
   * Make the plugins a scene declares (keeping the current ones when the declarations did not change).
   * Unknown kinds, modules without `create` and plugins that throw while being made are skipped with a warning.
   * @param {unknown} list  the scene's `x-interactions`
   * @param {InteractionContext} ctx
   * @returns {Promise<boolean>} true when the set of plugins changed
   */
  async use(list, ctx) {
    const decls = declarations(list);
    const key = JSON.stringify(decls);
    if (key === this.key) return false;
    const mine = ++this.generation;
    this.dispose();
    this.key = key;
    const made = await Promise.all(decls.map(async (d) => {
      try {
        const mod = await this.load(d.kind);
        if (typeof mod?.create !== "function") {
          console.warn(`interactions/${d.kind}.js is not an interaction plugin (it exports no create()); ignored`);
          return null;
        }
        return { kind: d.kind, plugin: mod.create(ctx, d) };
      } catch (err) {
        console.warn(`no interaction "${d.kind}" (static/js/interactions/${d.kind}.js); ignored:`, err);
        return null;
      }
    }));
    const ok = made.filter((m) => m !== null);
    if (mine !== this.generation) { // a newer scene declared others while these loaded
      for (const m of ok) m.plugin.dispose?.();
      return false;
    }
    this.active = ok.map((m) => m.plugin);
    this.kinds = ok.map((m) => m.kind);
    const { result } = ctx.run();
    if (result) this.onResult(result);
    return true;
  }

  /** True while some plugin owns every click. */
  capturing() { return this.all().some((p) => Boolean(p.capturing?.())); }

  /**
   * Offer a click to the plugins: a capturing one first, then in declaration order, until one takes it.
   * @param {[number, number] | null} point
   * @param {MouseEvent} event
   * @returns {boolean} whether a plugin took it
   */
  click(point, event) {
    const all = this.all();
    const order = [...all.filter((p) => p.capturing?.()), ...all.filter((p) => !p.capturing?.())];
    for (const p of order) if (p.onClick?.(point, event)) return true;
    return false;
  }

  /**
   * Every plugin's extra traces for the frame on show.
   * @param {Record<string, any> | null} frame
   * @param {Record<string, any> | null} result
   * @returns {object[]}
   */
  traces(frame, result) { return [...this.active, ...this.standing].flatMap((p) => p.traces?.(frame, result) ?? []); }

  /**
   * The figure to draw, after every plugin's `figure` hook (scene plugins first, standing ones last).
   * @param {Record<string, any> | null} figure
   * @param {Record<string, any> | null} frame
   * @param {RunState} run
   * @returns {Record<string, any> | null}
   */
  figure(figure, frame, run) {
    let out = figure;
    for (const p of [...this.active, ...this.standing]) if (p.figure) out = p.figure(out, frame, run);
    return out;
  }

  /** The hint line of the first plugin that has one (a capturing one first), or null. */
  hint() {
    const all = this.all();
    for (const p of [...all.filter((q) => q.capturing?.()), ...all]) {
      const h = p.hint?.();
      if (h) return h;
    }
    return null;
  }

  /** @param {Record<string, any> | null} result */
  onResult(result) { for (const p of this.all()) p.onResult?.(result); }

  dispose() {
    for (const p of this.active) {
      try { p.dispose?.(); } catch (err) { console.warn("an interaction failed to clean up:", err); }
    }
    this.active = [];
    this.kinds = [];
    this.key = "[]";
  }
}
