// @ts-check
// algorithm-page.js: the player page. Wires controls → URL → streamed run → player → plots.
//
// What a click on the plot does is not decided here: the scene declares its interactions (`x-interactions`)
// and interactions/registry.js loads the plugins that handle them. This module knows no lab and no kind.

import { ApiError, faultMessage, getAlgorithm, getDatasets, streamRun } from "./api.js";
import { Controls } from "./controls.js";
import { compactDataQuery, expandDataQuery, mountDataTools } from "./data-editor.js";
import { snippets, wireShare } from "./export.js";
import { Interactions } from "./interactions/registry.js";
import { Player } from "./player.js";
import { MetricsView, composeFrame, drawMain, drawPanels, eventToData, getDisplay, setDisplay, timelineOf } from "./plot.js";
import { fromQuery, replaceUrl, toQuery, viewFromQuery } from "./state.js";
import { CaptionBox } from "./caption.js";
import { compareQuery } from "./compare-align.js";
import { ChapterMarks, phasesOf } from "./chapters.js";
import { SettingsDrawer } from "./drawer.js";
import { Presenter } from "./presenter.js";
import { bindSwipe, isTouchScreen } from "./touch.js";

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const root = $("player");
const algorithmId = root.dataset.algorithmId ?? "";
const plot = /** @type {HTMLElement & Record<string, any>} */ ($("main-plot"));
const captionBox = new CaptionBox({ bar: $("caption-bar"), text: $("caption"), badge: $("frame-kind"), more: $("caption-more") });
const seedInput = /** @type {HTMLInputElement} */ ($("ctl-seed"));
const formError = $("form-error");
const panelsEl = $("result-panels");
const metrics = new MetricsView($("metrics"));
const interactions = new Interactions();

/**
 * The run on show: what the last request asked for and what came back.
 * @typedef {{params: Record<string, any> | null, seed: number, scene: Record<string, any> | null,
 *   panels: any[], result: Record<string, any> | null}} Current
 */

/**
 * All the page's mutable state, in one place.
 * @typedef {Object} PageState
 * @property {Controls | null} controls   the form, once the lab's schema is loaded
 * @property {Record<string, any> | null} algorithm  the lab (`GET /api/v1/algorithms/{id}`)
 * @property {Current} current
 * @property {AbortController | null} controller  aborts the run in flight
 * @property {number} token        runs started so far: a handler of an older run sees it changed and stops
 * @property {ReturnType<typeof setTimeout> | undefined} debounce  the pending (re-)run
 * @property {number} retries      503 retries of the current request
 * @property {boolean} metricsQueued  a metrics redraw is waiting for the next animation frame
 */

/** @type {PageState} */
const page = {
  controls: null,
  algorithm: null,
  current: { params: null, seed: 0, scene: null, panels: [], result: null },
  controller: null,
  token: 0,
  debounce: undefined,
  retries: 0,
  metricsQueued: false,
};

/** What the interaction plugins may use (interactions/registry.js, InteractionContext). */
const context = {
  plot,
  stage: /** @type {HTMLElement} */ (plot.parentElement),
  panels: /** @type {HTMLElement} */ (document.querySelector(".insights")),
  get controls() { return /** @type {Controls} */ (page.controls); },
  run: () => page.current,
  redraw: () => drawCurrent(),
};

const player = new Player({
  root, play: $("btn-play"), back: $("btn-back"), forward: $("btn-forward"), first: $("btn-first"),
  last: $("btn-last"), scrub: $("scrub"), buffered: $("scrub-buffered"), played: $("scrub-played"),
  counter: $("frame-counter"), speed: $("speed"),
}, (/** @type {any} */ frame, /** @type {number} */ index) => showFrame(frame, index));
/** Chapter marks on the scrubber, from the scene's `x-phases` (a click jumps to the chapter's first frame). */
const chapters = new ChapterMarks($("chapter-marks"), (index) => player.seek(index));

/**
 * @param {string} text
 * @param {string} kind
 * @param {{error?: boolean}} [opts]
 */
function setCaption(text, kind, { error = false } = {}) {
  captionBox.set(text, kind, { error }); // a slot of fixed height: a long caption never moves the timeline
}

/**
 * The badge word of a failed run: whose fault it is (see api.js faultMessage).
 * @param {unknown} fault
 */
function faultBadge(fault) {
  return fault === "server" ? "lab failed" : fault === "limit" ? "too big" : "error";
}

/** @param {string} text */
function overlay(text) {
  const o = $("plot-overlay");
  o.textContent = text;
  o.hidden = !text;
}

function drawCurrent() {
  const frame = player.current;
  const { current } = page;
  const capturing = interactions.capturing(); // e.g. placing points: no pan, no hover
  // Drawing starts: the old run stops playing, so its captions do not narrate data that is no longer shown.
  if (capturing && !root.classList.contains("placing")) player.pause();
  root.classList.toggle("placing", capturing);
  const hint = $("click-hint");
  const line = interactions.hint();
  hint.textContent = line ?? "";
  hint.hidden = !line;
  const extra = interactions.traces(frame ?? null, current.result);
  const live = Boolean(frame && current.scene);
  // Composed incrementally: the cost of frame i does not grow with i (plot.js FigureComposer).
  const shown = frame && current.scene ? composeFrame(current.scene, player.frames, player.index) : current.scene;
  // A standing tool may replace it: drawing your own data fixes the axes and clears a run of other data
  // (its points are extra traces, drawn now whatever the run does: pending, failed or not started).
  const figure = interactions.figure(shown, frame ?? null, current);
  if (!figure) return undefined;
  if (live) overlay("");
  return drawMain(plot, figure, {
    uirevision: uirev(), extra, dragmode: capturing ? false : undefined, hovermode: capturing ? false : undefined,
  });
}

const uirev = () => JSON.stringify(page.current.params?.dataset ?? null);

/**
 * @param {Record<string, any>} frame
 * @param {number} index
 */
function showFrame(frame, index) {
  setCaption(frame.caption ?? "", frame.kind ?? "");
  root.dataset.kind = frame.kind ?? "";
  const drawn = drawCurrent(); // the player waits for this draw before it shows the next frame
  queueMetrics();
  void index;
  return drawn;
}

function queueMetrics() {
  if (page.metricsQueued) return;
  page.metricsQueued = true;
  requestAnimationFrame(() => {
    page.metricsQueued = false;
    // A finished run's metrics replace charts the last run had and this one lacks (MetricsView.update).
    metrics.update(player.frames, Math.max(player.index, 0), { complete: player.complete });
    chapters.update(player.frames);
  });
}

function seedValue() {
  const n = Number(seedInput.value);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The form, once loaded (every caller runs after main() made it). */
const form = () => /** @type {Controls} */ (page.controls);

/**
 * @param {Record<string, any>} params
 * @param {number} seed
 */
function writeUrl(params, seed) {
  const defaults = page.algorithm?.defaults ?? {};
  const view = { present: getDisplay().large }; // how the page shows the run: in the URL, never a param
  const query = compactDataQuery(toQuery(params, seed, defaults, (/** @type {string} */ name) => form().datasetDefaults(name)));
  replaceUrl(compactDataQuery(toQuery(params, seed, defaults, (/** @type {string} */ name) => form().datasetDefaults(name), view)));
  // "Compare with…": this run as side A (compare-page.js starts B as a copy of it, to change one setting)
  /** @type {HTMLAnchorElement} */ ($("compare-link")).href = `/compare?${compareQuery({ lab: algorithmId, query }, null)}`;
  const { curl, python } = snippets(algorithmId, params, seed);
  /** @type {HTMLElement} */ ($("snippet-curl").firstElementChild).textContent = curl;
  /** @type {HTMLElement} */ ($("snippet-python").firstElementChild).textContent = python;
}

function scheduleRun() {
  clearTimeout(page.debounce);
  if (form().ready()) writeUrl(form().values(), seedValue());
  page.debounce = setTimeout(runNow, 300);
}

/** @param {string[]} messages */
function showFormError(messages) {
  formError.textContent = messages.join(" ");
  formError.hidden = messages.length === 0;
}

async function runNow() {
  clearTimeout(page.debounce);
  const controls = page.controls;
  if (!controls || !controls.ready()) return;
  const params = controls.values();
  const seed = seedValue();
  writeUrl(params, seed);
  page.controller?.abort();
  const controller = new AbortController();
  page.controller = controller;
  const mine = ++page.token;
  root.dataset.runs = String(mine);
  const stale = () => mine !== page.token;
  const current = { params, seed, scene: null, panels: [], result: null };
  page.current = current;
  player.reset({ autoplay: true });
  panelsEl.classList.add("is-stale");
  controls.clearErrors();
  showFormError([]);
  root.dataset.running = "true";
  $("run-button").textContent = "Running…";
  try {
    await streamRun(algorithmId, { params, seed }, {
      onScene: (/** @type {any} */ scene) => {
        if (stale()) return;
        current.scene = scene;
        metrics.setTimeline(timelineOf(scene)); // the sparklines' x: epoch, iteration, k, ... (x-timeline)
        chapters.setPhases(phasesOf(scene));
        // The plugins this scene declares (loaded once; the same declarations again keep them and their state).
        void interactions.use(scene?.["x-interactions"], context).then((changed) => { if (changed && !stale()) drawCurrent(); });
      },
      onQueued: (/** @type {{position: number}} */ { position }) => {
        if (stale() || player.length) return;
        const ahead = position === 1 ? "1 run" : `${position} runs`;
        setCaption(`The server is busy: waiting for ${ahead} ahead of you. Your run starts by itself.`, "queued");
      },
      onFrame: (/** @type {any} */ frame) => { if (!stale()) { player.push(frame); queueMetrics(); } },
      onPanels: (/** @type {any} */ panels) => {
        if (stale()) return;
        current.panels = panels ?? [];
        panelsEl.classList.remove("is-stale");
        drawPanels(panelsEl, current.panels, { large: getDisplay().large });
      },
      onResult: (/** @type {any} */ result) => { if (!stale()) { current.result = result; interactions.onResult(result); } },
      onError: (/** @type {any} */ e) => {
        if (stale()) return;
        setCaption(faultMessage(e) ?? e?.detail ?? "The run failed.", faultBadge(e?.fault), { error: true });
      },
    }, { signal: controller.signal });
    page.retries = 0;
  } catch (/** @type {any} */ err) {
    if (stale() || err?.name === "AbortError") return;
    if (err instanceof ApiError && err.status === 503 && page.retries < 5) {
      page.retries += 1;
      setCaption(err.message, "busy", { error: true });
      page.debounce = setTimeout(runNow, 1000 * (err.retryAfter ?? 2));
      return;
    }
    const fault = err instanceof ApiError ? faultMessage(err) : null;
    if (fault) {  // the lab's bug or a server limit: not something to fix in the highlighted controls
      overlay(player.length ? "" : "No frames to show.");
      setCaption(fault, faultBadge(err.fault), { error: true });
    } else if (err instanceof ApiError && err.status === 422) {
      // Each message in plain words next to its control (scrolled into view by showErrors); the caption says them all.
      const leftover = controls.showErrors(err.detail);
      showFormError(leftover.map((l) => l.msg));
      const msgs = controls.plainMessages(err.detail);
      setCaption(`These settings can't run: ${msgs.join("; ") || err.message}. Change the highlighted control.`, "invalid", { error: true });
      // While drawing, the caption explains and the drawn points stay visible (no overlay over them).
      if (!root.classList.contains("placing")) overlay(player.length ? "" : "Nothing to draw until the settings are fixed.");
    } else {
      overlay(player.length ? "" : "No frames to show.");
      setCaption(err instanceof ApiError ? err.message : `Could not reach the server (${err?.message ?? err}).`, "error", { error: true });
    }
  } finally {
    if (!stale()) {
      player.finish();
      queueMetrics(); // with the run complete: charts of metrics it lacks go
      if (!current.panels.length) panelsEl.classList.remove("is-stale");
      root.dataset.running = "false";
      $("run-button").textContent = "Run";
    }
  }
}

function wireToolbar() {
  wireShare({
    plot, algorithmId, run: () => page.current, timeline: () => ({ frames: player.frames, index: player.index }),
  });
}

function wireForm() {
  $("controls").addEventListener("submit", (e) => { e.preventDefault(); runNow(); });
  seedInput.addEventListener("change", scheduleRun);
  $("seed-shuffle").addEventListener("click", () => {
    seedInput.value = String(Math.floor(Math.random() * 10_000));
    scheduleRun();
  });
  $("reset-button").addEventListener("click", () => {
    form().setValues(page.algorithm?.defaults ?? {});
    seedInput.value = "0";
    runNow();
  });
  let lastClick = { t: -Infinity, x: NaN, y: NaN };
  plot.addEventListener("click", (e) => {
    if (!page.controls) return;
    // Plotly may re-dispatch the same click (same place, within a few ms); a second click elsewhere, however
    // quick (a test, a fast hand), is a click of its own.
    if (e.timeStamp - lastClick.t < 40 && e.clientX === lastClick.x && e.clientY === lastClick.y) return;
    lastClick = { t: e.timeStamp, x: e.clientX, y: e.clientY };
    interactions.click(/** @type {[number, number] | null} */ (eventToData(plot, e)), e); // whatever the scene declared (nothing: the click does nothing)
  });
}

function wireAbout() {
  const about = $("about");
  const summary = $("algo-summary");
  const toggle = $("more-toggle");
  if (summary.scrollHeight <= summary.clientHeight + 2) {
    about.classList.remove("clamped");
    return;
  }
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = about.classList.toggle("clamped") === false;
    toggle.textContent = open ? "Show less" : "Read more";
    toggle.setAttribute("aria-expanded", String(open));
  });
}

/**
 * How the page shows the run: presenter mode (button, P key, ?present=1), the settings drawer on a phone,
 * swipes on the figure, no drag-to-zoom for a finger.
 */
function wireView() {
  const touch = isTouchScreen();
  const initial = viewFromQuery(window.location.search).present;
  setDisplay({ large: initial, touch });
  metrics.setLarge(initial);
  new Presenter({
    button: $("present-toggle"),
    initial,
    onChange: (on) => {
      setDisplay({ large: on });
      metrics.setLarge(on);
      if (page.controls?.ready()) writeUrl(form().values(), seedValue());
      else replaceUrl(toQuery({}, seedValue(), {}, () => null, { present: on }));
      // The stage changed size without a window resize: every responsive figure measures itself again.
      requestAnimationFrame(() => {
        window.dispatchEvent(new Event("resize"));
        void drawCurrent();
        drawPanels(panelsEl, page.current.panels, { large: on });
        queueMetrics();
      });
    },
  });
  new SettingsDrawer({ drawer: $("settings"), open: $("settings-open"), close: $("settings-close"), backdrop: $("drawer-backdrop") });
  bindSwipe(/** @type {HTMLElement} */ (plot.parentElement), (step) => player.step(step), () => !interactions.capturing());
}

async function main() {
  wireView();
  wireAbout();
  wireToolbar();
  wireForm();
  try {
    const [algo, shared] = await Promise.all([getAlgorithm(algorithmId), getDatasets().catch(() => [])]);
    // A lab with datasets of its own (PCA keeps every feature) lists them in its dataset param's x-datasets.
    const datasets = algo.params_schema?.properties?.dataset?.["x-datasets"] ?? shared;
    page.algorithm = algo;
    const controls = new Controls($("controls-fields"), {
      schema: algo.params_schema, defaults: algo.defaults, datasets,
      onChange: scheduleRun, onPointsChange: drawCurrent,
      previewable: shared.map((/** @type {{name: string}} */ d) => d.name), // thumbnails from the first render
    });
    page.controls = controls;
    const { params, seed } = fromQuery(expandDataQuery(window.location.search), {
      schema: algo.params_schema, defaults: algo.defaults, datasets,
      datasetDefaults: (/** @type {string} */ name) => controls.datasetDefaults(name),
    });
    controls.setValues(params);
    mountDataTools({
      form: $("controls"), plot, controls, schema: algo.params_schema, interactions, run: context.run, redraw: drawCurrent, runNow,
    });
    seedInput.value = String(seed);
    root.dataset.ready = "true";
    await runNow();
  } catch (/** @type {any} */ err) {
    setCaption(`Could not load this lab: ${err?.message ?? err}`, "error", { error: true });
    $("controls-fields").textContent = "";
  }
}

main();
