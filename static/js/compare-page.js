// @ts-check
// compare-page.js: /compare?a=<player state>&b=<player state>: two runs side by side on one timeline.
//
// Each side is a player state ("kmeans?seed=0&k=4"), read with the player's own URL rules (state.js). Both
// runs stream; once both are in, compare-align.js merges their frames into one timeline (by the labs' shared
// timeline key — epoch, step, k — or frame by frame) and one Player drives both figures, both captions and
// the overlaid metrics. One settings form edits one side at a time (a second form would repeat the player's
// element ids); a change re-runs that side only and rewrites the URL, which stays the whole state.

import { ApiError, faultMessage, getAlgorithm, getDatasets, getJSON, streamRun } from "./api.js";
import { CaptionBox } from "./caption.js";
import { alignRuns, compareQuery, diffWords, parseSide } from "./compare-align.js";
import { CompareMetrics } from "./compare-metrics.js";
import { Controls } from "./controls.js";
import { compactDataQuery, expandDataQuery } from "./data-editor.js";
import { el } from "./dom.js";
import { Player } from "./player.js";
import { composeFrame, drawMain, timelineOf } from "./plot.js";
import { fromQuery, replaceUrl, toQuery } from "./state.js";

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * One side of the comparison.
 * @typedef {Object} SideState
 * @property {"a" | "b"} name
 * @property {string} lab
 * @property {Record<string, any>} algo     GET /api/v1/algorithms/{lab}
 * @property {any[]} datasets
 * @property {Controls} headless   a form never drawn: its datasetDefaults() for the URL rules
 * @property {Record<string, any>} params
 * @property {number} seed
 * @property {Record<string, any> | null} scene
 * @property {any[]} frames
 * @property {string | null} error
 * @property {AbortController | null} controller
 * @property {HTMLElement & Record<string, any>} plot
 * @property {CaptionBox} caption
 */

/** @type {Record<"a" | "b", SideState | null>} */
const sides = { a: null, b: null };
/** @type {"a" | "b"} the side the form edits */
let editing = "b";
/** @type {Controls | null} */
let form = null;
let debounce = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
/** @type {{ticks: import("./compare-align.js").Tick[], by: string}} */
let aligned = { ticks: [], by: "frame" };
/** @type {any[]} */
let labs = [];
/** @type {any[]} */
let sharedDatasets = [];

const metrics = new CompareMetrics($("compare-metrics"));
const player = new Player({
  root: $("compare"), play: $("btn-play"), back: $("btn-back"), forward: $("btn-forward"), first: $("btn-first"),
  last: $("btn-last"), scrub: $("scrub"), buffered: $("scrub-buffered"), played: $("scrub-played"),
  counter: $("frame-counter"), speed: $("speed"),
}, (/** @type {any} */ tick) => showTick(tick));

/** @param {"a" | "b"} name */
function captionOf(name) {
  return new CaptionBox({ bar: $(`caption-bar-${name}`), text: $(`caption-${name}`), badge: $(`frame-kind-${name}`), more: $(`caption-more-${name}`) });
}

/**
 * A side from its state: the lab's schema, then its params by the player's URL rules.
 * @param {"a" | "b"} name
 * @param {{lab: string, query: string}} state
 * @returns {Promise<SideState>}
 */
async function loadSide(name, state) {
  const algo = await getAlgorithm(state.lab);
  const datasets = algo.params_schema?.properties?.dataset?.["x-datasets"] ?? sharedDatasets;
  const headless = new Controls(el("div"), { schema: algo.params_schema, defaults: algo.defaults, datasets });
  const { params, seed } = fromQuery(expandDataQuery(`?${state.query}`), {
    schema: algo.params_schema, defaults: algo.defaults, datasets, datasetDefaults: (n) => headless.datasetDefaults(n),
  });
  const old = sides[name];
  return {
    name, lab: state.lab, algo, datasets, headless, params, seed, scene: null, frames: [], error: null,
    controller: null, plot: old?.plot ?? /** @type {any} */ ($(`plot-${name}`)), caption: old?.caption ?? captionOf(name),
  };
}

/** @param {SideState} side */
function stateOf(side) {
  const query = compactDataQuery(toQuery(side.params, side.seed, side.algo.defaults, (n) => side.headless.datasetDefaults(n)));
  return { lab: side.lab, query };
}

function writeUrl() {
  const { a, b } = sides;
  if (!a || !b) return;
  replaceUrl(compareQuery(stateOf(a), stateOf(b)));
  for (const side of [a, b]) {
    const { lab, query } = stateOf(side);
    /** @type {HTMLAnchorElement} */ ($(`open-${side.name}`)).href = `/algorithms/${lab}?${query}`;
    $(`title-${side.name}`).textContent = side.algo.title;
  }
  const words = diffWords(
    { schema: a.algo.params_schema, params: a.params, seed: a.seed, title: a.algo.title, lab: a.lab },
    { schema: b.algo.params_schema, params: b.params, seed: b.seed, title: b.algo.title, lab: b.lab },
  );
  $("compare-diff").textContent = words.length
    ? `B: ${words.join("; ")}.`
    : "A and B have the same settings: change one of B's below and watch what it does.";
}

/**
 * Run one side to its end (its frames replace the ones it had).
 * @param {SideState} side
 */
async function runSide(side) {
  side.controller?.abort();
  const controller = new AbortController();
  side.controller = controller;
  side.frames = [];
  side.scene = null;
  side.error = null;
  side.caption.set(`Running ${side.algo.title}…`, "running");
  try {
    await streamRun(side.lab, { params: side.params, seed: side.seed }, {
      onScene: (/** @type {any} */ scene) => { side.scene = scene; },
      onFrame: (/** @type {any} */ frame) => {
        side.frames.push(frame);
        if (side.frames.length % 10 === 1) side.caption.set(`Running ${side.algo.title}: ${side.frames.length} frames so far…`, "running");
      },
      onError: (/** @type {any} */ e) => { side.error = faultMessage(e) ?? e?.detail ?? "The run failed."; },
    }, { signal: controller.signal });
  } catch (/** @type {any} */ err) {
    if (err?.name === "AbortError") throw err;
    side.error = err instanceof ApiError && err.status === 422
      ? `These settings can't run: ${err.message}`
      : err instanceof ApiError ? (faultMessage(err) ?? err.message) : `Could not reach the server (${err?.message ?? err}).`;
  }
}

/** Both sides' frames on one timeline, the player restarted on it. */
function realign() {
  const { a, b } = sides;
  if (!a || !b) return;
  aligned = alignRuns(a.frames, b.frames, timelineOf(a.scene), timelineOf(b.scene));
  player.reset({ autoplay: true });
  for (const tick of aligned.ticks) player.push(tick);
  player.finish();
  const note = aligned.ticks.length
    ? `${a.frames.length} frames of A and ${b.frames.length} of B on one timeline of ${aligned.ticks.length} steps, aligned by ${aligned.by}.`
    : "";
  $("align-note").textContent = note;
  metrics.set(a, b, aligned.by === "frame");
  for (const side of [a, b]) {
    if (side.error) side.caption.set(side.error, "error", { error: true });
    else if (!side.frames.length) side.caption.set("This run sent no frames.", "error", { error: true });
  }
}

/** @param {import("./compare-align.js").Tick} tick */
function showTick(tick) {
  const draws = [];
  for (const [side, i] of /** @type {[SideState | null, number][]} */ ([[sides.a, tick.a], [sides.b, tick.b]])) {
    if (!side || side.error || !side.scene || !side.frames[i]) continue;
    const frame = side.frames[i];
    side.caption.set(frame.caption ?? "", frame.kind ?? "");
    draws.push(drawMain(side.plot, composeFrame(side.scene, side.frames, i), { uirevision: side.name }));
  }
  metrics.mark(tick);
  return Promise.all(draws).then(() => undefined);
}

/** @param {("a" | "b")[]} which */
async function rerun(which) {
  writeUrl();
  $("compare").dataset.running = "true";
  try {
    await Promise.all(which.map((n) => runSide(/** @type {SideState} */ (sides[n]))));
  } catch (/** @type {any} */ err) {
    if (err?.name === "AbortError") return; // a newer change started another run
    throw err;
  }
  realign();
  $("compare").dataset.running = "false";
  $("compare").dataset.ready = "true";
}

/** The form for the side being edited, with its lab menu. */
function buildForm() {
  const side = /** @type {SideState} */ (sides[editing]);
  for (const name of /** @type {const} */ (["a", "b"])) {
    const button = $(`edit-${name}`);
    button.setAttribute("aria-pressed", String(name === editing));
  }
  const menu = /** @type {HTMLSelectElement} */ ($("compare-lab"));
  menu.replaceChildren(...labs.map((l) => el("option", { value: l.id }, l.title)));
  menu.value = side.lab;
  form = new Controls($("controls-fields"), {
    schema: side.algo.params_schema, defaults: side.algo.defaults, datasets: side.datasets,
    onChange: () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        if (!form?.ready()) return;
        side.params = form.values();
        void rerun([side.name]);
      }, 400);
    },
    previewable: sharedDatasets.map((d) => d.name),
  });
  form.setValues(side.params);
  /** @type {HTMLInputElement} */ ($("ctl-seed")).value = String(side.seed);
}

/**
 * The edited side opens another lab: its defaults, on the other side's dataset when the new lab takes it.
 * @param {string} lab
 */
async function switchLab(lab) {
  const other = /** @type {SideState} */ (sides[editing === "a" ? "b" : "a"]);
  const side = await loadSide(editing, { lab, query: "" });
  const dataset = other.params.dataset;
  const wanted = dataset && typeof dataset === "object" && !("X" in dataset) ? dataset.name : null;
  const names = side.datasets.map((/** @type {any} */ d) => d.name);
  const desc = side.algo.params_schema?.properties?.dataset;
  if (wanted && desc && names.includes(wanted) && side.algo.defaults.dataset && JSON.stringify(desc).includes(`"${wanted}"`)) {
    side.params.dataset = JSON.parse(JSON.stringify(dataset)); // the same data: only the lab differs
  }
  sides[editing] = side;
  buildForm();
  await rerun([editing]);
}

function wire() {
  $("controls").addEventListener("submit", (e) => e.preventDefault()); // every change re-runs by itself
  for (const name of /** @type {const} */ (["a", "b"])) {
    $(`edit-${name}`).addEventListener("click", () => { editing = name; buildForm(); });
  }
  $("compare-lab").addEventListener("change", (e) => void switchLab(/** @type {HTMLSelectElement} */ (e.target).value));
  $("ctl-seed").addEventListener("change", () => {
    const side = /** @type {SideState} */ (sides[editing]);
    const n = Number(/** @type {HTMLInputElement} */ ($("ctl-seed")).value);
    side.seed = Number.isInteger(n) && n >= 0 ? n : 0;
    void rerun([side.name]);
  });
  $("swap").addEventListener("click", () => {
    const { a, b } = sides;
    if (!a || !b) return;
    void (async () => {
      const [na, nb] = await Promise.all([loadSide("a", stateOf(b)), loadSide("b", stateOf(a))]);
      Object.assign(sides, { a: na, b: nb });
      buildForm();
      await rerun(["a", "b"]);
    })();
  });
  $("copy-compare").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      $("compare-toast").textContent = "Link copied: it opens these two runs.";
    } catch {
      $("compare-toast").textContent = "Copy the address bar: it holds both runs.";
    }
  });
}

async function main() {
  wire();
  const query = new URLSearchParams(window.location.search);
  try {
    [labs, sharedDatasets] = await Promise.all([getJSON("/algorithms"), getDatasets().catch(() => [])]);
    const first = parseSide(query.get("a")) ?? { lab: $("compare").dataset.defaultLab ?? labs[0].id, query: "seed=0" };
    const second = parseSide(query.get("b")) ?? first;
    const [a, b] = await Promise.all([loadSide("a", first), loadSide("b", second)]);
    Object.assign(sides, { a, b });
    buildForm();
    await rerun(["a", "b"]);
  } catch (/** @type {any} */ err) {
    $("compare-diff").textContent = err instanceof ApiError && err.status === 404
      ? `${err.message}. Open a lab from the catalog and press "Compare with…".`
      : `Could not load the comparison: ${err?.message ?? err}`;
    $("compare").dataset.ready = "error";
  }
}

void main();
