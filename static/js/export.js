// @ts-check
// export.js: share link, PNG, frames JSON and the curl / Python snippets that reproduce a run.

import { runUrl } from "./api.js";

/**
 * Copy text to the clipboard; falls back to a hidden textarea when the async API is unavailable.
 * @param {string} text
 * @returns {Promise<boolean>} whether it was copied
 */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  area.remove();
  return ok;
}

/**
 * Save `text` as a file through a temporary link.
 * @param {string} filename
 * @param {string} text
 * @param {string} [type] its media type
 */
export function downloadBlob(filename, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.className = "offscreen";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Save the plot as a PNG at twice its on-screen size.
 * @param {HTMLElement} gd the plot's element
 * @param {string} filename without extension
 * @returns {Promise<string>}
 */
export function downloadPng(gd, filename) {
  const Plotly = window.Plotly;
  if (!Plotly) return Promise.reject(new Error("plotly.js did not load (/static/vendor/plotly.min.js)."));
  const rect = gd.getBoundingClientRect();
  return Plotly.downloadImage(gd, {
    format: "png",
    filename,
    width: Math.round(rect.width) || 1000,
    height: Math.round(rect.height) || 700,
    scale: 2,
  });
}

/** @param {string} s */
const shellQuote = (s) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * Python literal for a JSON value (True/False/None), indented like json.dumps(indent=4).
 * @param {unknown} value
 * @param {number} [indent]
 * @returns {string}
 */
export function toPython(value, indent = 0) {
  const pad = " ".repeat(indent + 4);
  const end = " ".repeat(indent);
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    if (value.every((v) => typeof v !== "object" || v === null)) return `[${value.map((v) => toPython(v)).join(", ")}]`;
    if (value.length > 8) return `[${value.map((v) => toPython(v)).join(", ")}]`;
    return `[\n${value.map((v) => pad + toPython(v, indent + 4)).join(",\n")},\n${end}]`;
  }
  if (typeof value !== "object") return JSON.stringify(String(value)); // not JSON (a function, a bigint): its text
  const entries = Object.entries(value);
  if (!entries.length) return "{}";
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${toPython(v, indent + 4)}`).join(",\n")},\n${end}}`;
}

/**
 * The curl and Python (httpx) commands that run the same request against this server.
 * @param {string} algorithmId
 * @param {Record<string, unknown>} params
 * @param {number} seed
 * @returns {{curl: string, python: string}}
 */
export function snippets(algorithmId, params, seed) {
  const url = runUrl(algorithmId, { origin: window.location.origin });
  const body = { params, seed };
  const curl = [
    `curl -sS -X POST ${shellQuote(url)} \\`,
    "  -H 'Content-Type: application/json' \\",
    "  -H 'Accept: application/json' \\",
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join("\n");
  const python = [
    "import httpx",
    "",
    `body = ${toPython(body)}`,
    `response = httpx.post(${JSON.stringify(url)}, json=body, timeout=60)`,
    "response.raise_for_status()",
    "run = response.json()",
    'for frame in run["frames"]:',
    '    print(frame["index"], frame["kind"], frame["caption"])',
    'print(run["result"])',
  ].join("\n");
  return { curl, python };
}

/**
 * What the share bar exports: the run on show and the frame the player is at.
 * @typedef {Object} ShareSource
 * @property {HTMLElement} plot  the main figure (its PNG)
 * @property {string} algorithmId
 * @property {() => {params: unknown, seed: number, scene: unknown, panels: unknown, result: unknown}} run
 * @property {() => {frames: unknown[], index: number}} timeline
 */

/**
 * Wire the share bar (templates/algorithm.html .share): copy link, PNG, frames JSON, the snippet tabs and
 * their copy button; a short toast says what happened.
 * @param {ShareSource} source
 */
export function wireShare({ plot, algorithmId, run, timeline }) {
  /** @param {string} id */
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @param {string} text */
  const toast = (text) => {
    const t = $("toast");
    t.textContent = text;
    t.classList.add("show");
    clearTimeout(timer);
    timer = setTimeout(() => t.classList.remove("show"), 2200);
  };
  $("copy-link").addEventListener("click", async () => {
    toast((await copyText(window.location.href)) ? "Link copied: it reproduces this exact run." : window.location.href);
  });
  $("export-png").addEventListener("click", () => {
    downloadPng(plot, `stepwise-${algorithmId}-seed${run().seed}-frame${timeline().index + 1}`);
  });
  $("export-json").addEventListener("click", () => {
    const { params, seed, scene, panels, result } = run();
    const { frames } = timeline();
    const body = { algorithm: algorithmId, seed, params, scene, frames, panels, result };
    downloadBlob(`stepwise-${algorithmId}-seed${seed}.json`, JSON.stringify(body));
    toast(`Saved ${frames.length} frames.`);
  });
  const tabs = /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".snippet-tabs .tab"));
  for (const tab of tabs) {
    tab.addEventListener("click", () => {
      for (const t of tabs) {
        const on = t === tab;
        t.classList.toggle("active", on);
        t.setAttribute("aria-selected", String(on));
        $(`snippet-${t.dataset.tab}`).hidden = !on;
      }
    });
  }
  $("copy-snippet").addEventListener("click", async () => {
    const which = /** @type {HTMLElement | null} */ (document.querySelector(".snippet-tabs .tab.active"))?.dataset.tab;
    toast((await copyText($(`snippet-${which}`).textContent ?? "")) ? "Snippet copied." : "Select the text to copy it.");
  });
}
