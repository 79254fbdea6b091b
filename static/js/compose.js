// @ts-check
// compose.js: a frame's figure = the run's scene merged with the frame's partial figure (pure: no window, no
// document; node --test imports it).
//
// Playback composes one frame per animation frame, so the work per frame must not grow with the run:
// FigureComposer composes frame i in time proportional to frame i's own patch (plus the length of any
// `x-extend`ed array), not to i: it keeps every trace's extensions concatenated once, with each frame's end
// offset, and slices (composeFigure is the plain reference it must equal).

/** @typedef {Record<string, any>} Trace  one Plotly trace (open JSON) */
/** @typedef {Record<string, any>} Layout  a Plotly layout (open JSON) */
/** @typedef {{data?: (Trace | null | undefined)[], layout?: Layout}} Figure  a figure or a frame's partial figure */
/** @typedef {{data: Trace[], layout: Layout, "x-narrow"?: Record<string, any>}} ComposedFigure  what composeFigure returns */
/** @typedef {{dtype: string, bdata: string, shape?: string | number}} TypedArraySpec */
/** @typedef {{figure?: Figure | null} & Record<string, any>} FrameLike  a streamed frame (only its figure is read) */

/**
 * @param {unknown} v
 * @returns {v is Record<string, any>}
 */
export const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v)
  && !ArrayBuffer.isView(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Plotly typed-array spec `{dtype, bdata}` (plotly.js decodes it natively): a leaf, never merged.
 * @param {unknown} v
 * @returns {v is TypedArraySpec}
 */
export const isTypedArraySpec = (v) => isPlainObject(v) && typeof v.bdata === "string" && "dtype" in v;

/**
 * Merge `patch` onto `base` without mutating either. Plain objects merge key by key; arrays, typed
 * arrays, typed-array specs and scalars in `patch` replace what is in `base`.
 * @param {any} base
 * @param {any} patch
 * @returns {any}
 */
export function deepMerge(base, patch) {
  if (patch === undefined) return base;
  if (!isPlainObject(patch) || isTypedArraySpec(patch)) return patch;
  if (!isPlainObject(base) || isTypedArraySpec(base)) return patch;
  /** @type {Record<string, any>} */
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = deepMerge(base[key], value);
  return out;
}

const EXTEND = "x-extend";

/**
 * A partial trace may carry `"x-extend": {x: [...], y: [...]}`: the points that frame adds to a growing
 * trace (a path, a loss curve), so no frame resends the whole of it. Returns, per scene trace, the
 * concatenated extensions of `figures` (frames 0..i, in order), or null where there are none.
 * @param {number} count
 * @param {(Figure | null | undefined)[]} figures
 * @returns {(Record<string, any[]> | null)[]}
 */
function extensions(count, figures) {
  /** @type {(Record<string, any[]> | null)[]} */
  const out = new Array(count).fill(null);
  for (const fig of figures) {
    (fig?.data ?? []).forEach((t, j) => {
      const ext = t?.[EXTEND];
      if (!ext || j >= count) return;
      const acc = (out[j] ??= {});
      for (const [key, values] of Object.entries(ext)) for (const v of values) (acc[key] ??= []).push(v);
    });
  }
  return out;
}

/**
 * The figure for one frame: scene traces merged with the frame's partial traces, extras appended.
 * `history`: the figures of the frames before this one (their `x-extend` points are kept).
 * The reference definition: the player composes with FigureComposer, which must give the same figure.
 * @param {Figure | null | undefined} scene
 * @param {Figure | null | undefined} frameFigure
 * @param {(Figure | null | undefined)[]} [history]
 * @returns {ComposedFigure}
 */
export function composeFigure(scene, frameFigure, history = []) {
  const sceneData = scene?.data ?? [];
  const patchData = frameFigure?.data ?? [];
  const ext = extensions(sceneData.length, [...history, frameFigure]);
  const data = sceneData.map((trace, j) => {
    const { [EXTEND]: _added, ...patch } = patchData[j] ?? {};
    let base = trace;
    const e = ext[j];
    if (e) {
      base = { ...trace };
      for (const [key, values] of Object.entries(e)) {
        base[key] = [...(Array.isArray(trace?.[key]) ? trace?.[key] : []), ...values];
      }
    }
    return deepMerge(base, patch);
  });
  for (let j = sceneData.length; j < patchData.length; j += 1) data.push(/** @type {Trace} */ (patchData[j]));
  const layout = deepMerge(scene?.layout ?? {}, frameFigure?.layout ?? {});
  return { data, layout };
}

/**
 * One growing attribute of one scene trace: every frame's `x-extend` values for it, concatenated in frame
 * order, and after each frame how many of them there are.
 * @typedef {{values: any[], ends: number[]}} Growth
 */

/**
 * Composes any frame of one run in time independent of its index (composeFigure replays every earlier
 * frame's extensions; this keeps them concatenated, with per-frame end offsets, and slices).
 * Frames are added in stream order with `add`; `compose(i)` deep-equals
 * `composeFigure(scene, figures[i], figures.slice(0, i))` for any i, in any order (forward, back, jumps).
 */
export class FigureComposer {
  /** @param {Figure | null | undefined} scene */
  constructor(scene) {
    this.scene = scene;
    /** @type {(Trace | null | undefined)[]} */
    this.sceneData = scene?.data ?? [];
    /** @type {(Figure | null | undefined)[]} the frames' figures, as added */
    this.figures = [];
    /** @type {(Map<string, Growth> | null)[]} per scene trace: its growing attributes (null: none yet) */
    this.growth = this.sceneData.map(() => null);
    /** @type {Growth[]} every Growth, to record each frame's end offsets */
    this.all = [];
  }

  get length() { return this.figures.length; }

  /**
   * Append the next frame's figure (frames arrive in order).
   * @param {Figure | null | undefined} figure
   */
  add(figure) {
    const i = this.figures.length;
    this.figures.push(figure);
    (figure?.data ?? []).forEach((t, j) => {
      const ext = t?.[EXTEND];
      if (!ext || j >= this.sceneData.length) return;
      const traceGrowth = (this.growth[j] ??= new Map());
      for (const [key, values] of Object.entries(ext)) {
        let g = traceGrowth.get(key);
        if (!g) {
          g = { values: [], ends: new Array(i).fill(0) }; // nothing before the frame that first extends it
          traceGrowth.set(key, g);
          this.all.push(g);
        }
        for (const v of values) g.values.push(v);
      }
    });
    for (const g of this.all) g.ends.push(g.values.length);
  }

  /**
   * The composed figure of frame `i` (0 ≤ i < length).
   * @param {number} i
   * @returns {ComposedFigure}
   */
  compose(i) {
    if (!(i >= 0 && i < this.figures.length)) throw new RangeError(`no frame ${i} (have ${this.figures.length})`);
    const figure = this.figures[i];
    const patchData = figure?.data ?? [];
    const data = this.sceneData.map((trace, j) => {
      const { [EXTEND]: _added, ...patch } = patchData[j] ?? {};
      const grown = this.growth[j];
      if (!grown) return deepMerge(trace, patch);
      /** @type {Trace | null} */
      let base = null;
      for (const [key, g] of grown) {
        const end = g.ends[i];
        if (!end) continue;
        base ??= { ...trace };
        const head = Array.isArray(trace?.[key]) ? trace?.[key] : [];
        base[key] = head.concat(g.values.slice(0, end));
      }
      return deepMerge(base ?? trace, patch);
    });
    for (let j = this.sceneData.length; j < patchData.length; j += 1) data.push(/** @type {Trace} */ (patchData[j]));
    const layout = deepMerge(this.scene?.layout ?? {}, figure?.layout ?? {});
    const narrow = /** @type {Record<string, any> | null | undefined} */ (this.scene)?.["x-narrow"];
    return narrow ? { data, layout, "x-narrow": narrow } : { data, layout }; // narrow.js reads it at draw time
  }
}

/** @type {WeakMap<object, FigureComposer>} one composer per scene (a new run brings a new scene object) */
const composers = new WeakMap();

/**
 * The composed figure of `frames[index]` of the run whose scene is `scene`, composed incrementally: frames
 * are taken into the scene's composer as they appear in the buffer (a buffer that no longer matches, e.g.
 * a new run with the same scene object, starts a new composer).
 * @param {Figure} scene
 * @param {FrameLike[]} frames
 * @param {number} index
 * @returns {ComposedFigure}
 */
export function composeFrame(scene, frames, index) {
  let c = composers.get(scene);
  const last = c ? c.length - 1 : -1;
  if (!c || c.length > frames.length || (last >= 0 && c.figures[last] !== frames[last]?.figure)) {
    c = new FigureComposer(scene);
    composers.set(scene, c);
  }
  for (let k = c.length; k < frames.length; k += 1) c.add(frames[k]?.figure);
  return c.compose(index);
}
