// algorithm-page.js: the player page. Wires controls → URL → streamed run → player → plots.

import { ApiError, faultMessage, getAlgorithm, getDatasets, streamRun } from "./api.js";
import { pointField, setPointFromClick } from "./click-point.js";
import { Controls } from "./controls.js";
import { compactDataQuery, expandDataQuery, mountDataTools } from "./data-editor.js";
import { copyText, downloadBlob, downloadPng, snippets } from "./export.js";
import { Inspector } from "./inspect.js";
import { Player } from "./player.js";
import { MetricsView, composeFigure, drawMain, drawPanels, eventToData } from "./plot.js";
import { fromQuery, replaceUrl, toQuery } from "./state.js";

const $ = (id) => document.getElementById(id);
const root = $("player");
const algorithmId = root.dataset.algorithmId;
const plot = $("main-plot");
const caption = $("caption");
const badge = $("frame-kind");
const seedInput = $("ctl-seed");
const formError = $("form-error");
const panelsEl = $("result-panels");
const metrics = new MetricsView($("metrics"));
const inspector = new Inspector({ plot, onChange: () => drawCurrent() }); // click a point: who voted (result.neighbors)

let controls = null;
let algorithm = null;
let current = { params: null, seed: 0, scene: null, panels: [], result: null };
let controller = null;
let token = 0;
let debounce = null;
let retries = 0;
let metricsQueued = false;

const player = new Player({
  root, play: $("btn-play"), back: $("btn-back"), forward: $("btn-forward"), first: $("btn-first"),
  last: $("btn-last"), scrub: $("scrub"), buffered: $("scrub-buffered"), played: $("scrub-played"),
  counter: $("frame-counter"), speed: $("speed"),
}, (frame, index) => showFrame(frame, index));

function setCaption(text, kind, { error = false } = {}) {
  caption.textContent = text;
  caption.classList.toggle("is-error", error);
  badge.textContent = kind;
  badge.dataset.kind = error ? "error" : kind;
}

/** The badge word of a failed run: whose fault it is (see api.js faultMessage). */
function faultBadge(fault) {
  return fault === "server" ? "lab failed" : fault === "limit" ? "too big" : "error";
}

function manualTrace() {
  const st = controls?.clickState();
  if (!st || !st.points.length) return [];
  return [{
    type: "scatter", mode: "markers+text", name: "your starting centres",
    x: st.points.map((p) => p[0]), y: st.points.map((p) => p[1]),
    text: st.points.map((_, i) => String(i + 1)), textposition: "top right",
    textfont: { size: 15, color: "#000000" }, hoverinfo: "skip", showlegend: false,
    marker: { symbol: "star", size: 20, color: "#000000", line: { color: "#ffffff", width: 1.5 } },
  }];
}

function overlay(text) {
  const o = $("plot-overlay");
  o.textContent = text;
  o.hidden = !text;
}

function drawCurrent() {
  const frame = player.current;
  const st = controls?.clickState();
  root.classList.toggle("placing", Boolean(st));
  const hint = $("click-hint");
  if (st) {
    const left = st.count - st.points.length;
    hint.textContent = left > 0
      ? `Click the plot to place starting centre ${st.points.length + 1} of ${st.count}.`
      : `All ${st.count} centres placed. Click again to start over.`;
  }
  hint.hidden = !st;
  const inspected = inspector.update(current.result, frame);
  if (!frame || !current.scene) {
    if (current.scene) drawMain(plot, current.scene, { uirevision: uirev(), extra: manualTrace() });
    return;
  }
  const figure = composeFigure(current.scene, frame.figure, player.frames.slice(0, player.index).map((f) => f.figure));
  overlay("");
  drawMain(plot, figure, {
    uirevision: uirev(), extra: [...manualTrace(), ...inspected], dragmode: st ? false : undefined,
    hovermode: st ? false : undefined,
  });
}

const uirev = () => JSON.stringify(current.params?.dataset ?? null);

function showFrame(frame, index) {
  setCaption(frame.caption ?? "", frame.kind ?? "");
  root.dataset.kind = frame.kind ?? "";
  drawCurrent();
  queueMetrics();
  void index;
}

function queueMetrics() {
  if (metricsQueued) return;
  metricsQueued = true;
  requestAnimationFrame(() => {
    metricsQueued = false;
    metrics.update(player.frames, Math.max(player.index, 0));
  });
}

function seedValue() {
  const n = Number(seedInput.value);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

function writeUrl(params, seed) {
  replaceUrl(compactDataQuery(toQuery(params, seed, algorithm.defaults, (name) => controls.datasetDefaults(name))));
  const { curl, python } = snippets(algorithmId, params, seed);
  $("snippet-curl").firstElementChild.textContent = curl;
  $("snippet-python").firstElementChild.textContent = python;
}

function scheduleRun() {
  clearTimeout(debounce);
  if (controls.ready()) writeUrl(controls.values(), seedValue());
  debounce = setTimeout(runNow, 300);
}

function showFormError(messages) {
  formError.textContent = messages.join(" ");
  formError.hidden = messages.length === 0;
}

async function runNow() {
  clearTimeout(debounce);
  if (!controls || !controls.ready()) return;
  const params = controls.values();
  const seed = seedValue();
  writeUrl(params, seed);
  controller?.abort();
  controller = new AbortController();
  const mine = ++token;
  root.dataset.runs = String(mine);
  const stale = () => mine !== token;
  current = { params, seed, scene: null, panels: [], result: null };
  player.reset({ autoplay: true });
  panelsEl.classList.add("is-stale");
  controls.clearErrors();
  showFormError([]);
  root.dataset.running = "true";
  $("run-button").textContent = "Running…";
  try {
    await streamRun(algorithmId, { params, seed }, {
      onScene: (scene) => { if (!stale()) current.scene = scene; },
      onFrame: (frame) => { if (!stale()) { player.push(frame); queueMetrics(); } },
      onPanels: (panels) => {
        if (stale()) return;
        current.panels = panels ?? [];
        panelsEl.classList.remove("is-stale");
        drawPanels(panelsEl, current.panels);
      },
      onResult: (result) => { if (!stale()) { current.result = result; inspector.update(result, player.current); } },
      onError: (e) => {
        if (stale()) return;
        setCaption(faultMessage(e) ?? e?.detail ?? "The run failed.", faultBadge(e?.fault), { error: true });
      },
    }, { signal: controller.signal });
    retries = 0;
  } catch (err) {
    if (stale() || err?.name === "AbortError") return;
    if (err instanceof ApiError && err.status === 503 && retries < 5) {
      retries += 1;
      setCaption(err.message, "busy", { error: true });
      debounce = setTimeout(runNow, 1000 * (err.retryAfter ?? 2));
      return;
    }
    const fault = err instanceof ApiError ? faultMessage(err) : null;
    if (fault) {  // the lab's bug or a server limit: not something to fix in the highlighted controls
      overlay(player.length ? "" : "No frames to show.");
      setCaption(fault, faultBadge(err.fault), { error: true });
    } else if (err instanceof ApiError && err.status === 422) {
      const leftover = controls.showErrors(err.detail);
      showFormError(leftover.map((l) => (l.path ? `${l.path}: ${l.msg}` : l.msg)));
      const msgs = (Array.isArray(err.detail) ? err.detail : [])
        .map((d) => String(d.msg ?? "").replace(/^Value error, /, "")).filter(Boolean);
      setCaption(`These settings can't run: ${msgs.join("; ") || err.message}. Change the highlighted control.`, "invalid", { error: true });
      $("controls-fields").querySelector(".field.invalid")?.scrollIntoView({ block: "nearest", behavior: "smooth" });
      overlay(player.length ? "" : "Nothing to draw until the settings are fixed.");
    } else {
      overlay(player.length ? "" : "No frames to show.");
      setCaption(err instanceof ApiError ? err.message : `Could not reach the server (${err?.message ?? err}).`, "error", { error: true });
    }
  } finally {
    if (!stale()) {
      player.finish();
      if (!current.panels.length) panelsEl.classList.remove("is-stale");
      root.dataset.running = "false";
      $("run-button").textContent = "Run";
    }
  }
}

function toast(text) {
  const t = $("toast");
  t.textContent = text;
  t.classList.add("show");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove("show"), 2200);
}

function wireToolbar() {
  $("copy-link").addEventListener("click", async () => {
    toast((await copyText(window.location.href)) ? "Link copied: it reproduces this exact run." : window.location.href);
  });
  $("export-png").addEventListener("click", () => {
    downloadPng(plot, `stepwise-${algorithmId}-seed${current.seed}-frame${player.index + 1}`);
  });
  $("export-json").addEventListener("click", () => {
    const { params, seed, scene, panels, result } = current;
    const body = { algorithm: algorithmId, seed, params, scene, frames: player.frames, panels, result };
    downloadBlob(`stepwise-${algorithmId}-seed${seed}.json`, JSON.stringify(body));
    toast(`Saved ${player.length} frames.`);
  });
  for (const tab of document.querySelectorAll(".snippet-tabs .tab")) {
    tab.addEventListener("click", () => {
      for (const t of document.querySelectorAll(".snippet-tabs .tab")) {
        const on = t === tab;
        t.classList.toggle("active", on);
        t.setAttribute("aria-selected", String(on));
        $(`snippet-${t.dataset.tab}`).hidden = !on;
      }
    });
  }
  $("copy-snippet").addEventListener("click", async () => {
    const which = document.querySelector(".snippet-tabs .tab.active").dataset.tab;
    toast((await copyText($(`snippet-${which}`).textContent)) ? "Snippet copied." : "Select the text to copy it.");
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
    controls.setValues(algorithm.defaults);
    seedInput.value = "0";
    runNow();
  });
  let lastClick = 0;
  plot.addEventListener("click", (e) => {
    if (!controls) return;
    if (e.timeStamp - lastClick < 40) return; // plotly may re-dispatch the same click
    lastClick = e.timeStamp;
    const point = eventToData(plot, e);
    if (controls.clickState()) { if (point) controls.addPoint(point); } // placing manual centres
    else if (pointField(controls)) setPointFromClick(controls, point); // a single-point param, if the lab has one
    else inspector.click(e); // otherwise a click picks a point to inspect, where the result allows it
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

async function main() {
  wireAbout();
  wireToolbar();
  wireForm();
  try {
    const [algo, shared] = await Promise.all([getAlgorithm(algorithmId), getDatasets().catch(() => [])]);
    // A lab with datasets of its own (PCA keeps every feature) lists them in its dataset param's x-datasets.
    const datasets = algo.params_schema?.properties?.dataset?.["x-datasets"] ?? shared;
    algorithm = algo;
    controls = new Controls($("controls-fields"), {
      schema: algo.params_schema, defaults: algo.defaults, datasets,
      onChange: scheduleRun, onPointsChange: drawCurrent,
    });
    const { params, seed } = fromQuery(expandDataQuery(window.location.search), {
      schema: algo.params_schema, defaults: algo.defaults, datasets,
      datasetDefaults: (name) => controls.datasetDefaults(name),
    });
    controls.setValues(params);
    mountDataTools({ form: $("controls"), plot, controls, schema: algo.params_schema });
    seedInput.value = String(seed);
    root.dataset.ready = "true";
    await runNow();
  } catch (err) {
    setCaption(`Could not load this lab: ${err?.message ?? err}`, "error", { error: true });
    $("controls-fields").textContent = "";
  }
}

main();
