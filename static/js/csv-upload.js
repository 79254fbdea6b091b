// @ts-check
// csv-upload.js: "Upload CSV" → POST /api/v1/datasets/parse → pick the two feature columns and the label
// column → onData({X, y, name}). The server sniffs the delimiter and header and names any defect
// (row and column); the message is shown in plain words right under the button, scrolled into view.
// The file input itself is the control (visually hidden but focusable, Enter or Space opens the chooser);
// the visible "Upload CSV" is its bound <label>, styled as a button.

import { el } from "./dom.js";

const API = "/api/v1/datasets/parse";

/**
 * POST /api/v1/datasets/parse → 200 body: the data and how the file was read.
 * @typedef {{
 *   X: number[][], y?: number[] | null, columns: string[], features: string[], label?: string | null,
 *   n_rows: number, delimiter: string, header: boolean,
 * }} ParsedCsv
 */
/** Which columns to use (null: the server's guess). @typedef {{features?: string[] | null, label?: string | null}} ColumnChoice */

/**
 * The sentence for a failed upload, from its status and (JSON) error body.
 * @param {number} status
 * @param {unknown} body
 * @returns {string}
 */
export function message(status, body) {
  const detail = body !== null && typeof body === "object" && "detail" in body ? body.detail : undefined;
  if (status === 413) return `the file is too large${typeof detail === "string" ? ` (${detail.replace(/ \(STEPWISE_[A-Z_]+\)/, "")})` : ""}`;
  if (Array.isArray(detail)) {
    const parts = detail.map((d) => String(d?.msg ?? "").replace(/^Value error, /, "")).filter(Boolean);
    if (parts.length) return parts.join("; ");
  }
  if (typeof detail === "string" && detail) return detail;
  return status >= 500 ? `the server failed to read it (HTTP ${status}); try again` : `the server could not read it (HTTP ${status})`;
}

/**
 * The whole sentence shown under the button: which file, what is wrong, what to do about it.
 * @param {string} fileName
 * @param {string} problem  message() of the response, or why the request failed
 */
export function errorSentence(fileName, problem) {
  const text = problem.replace(/[.\s]+$/, "");
  const fix = /\brow \d+/.test(text) ? " Fix that cell in the file, or pick other columns."
    : /\bcolumn\b/.test(text) ? " Pick other columns, or fix the file." : "";
  return `Could not use ${fileName}: ${text}.${fix}`;
}

/**
 * POST the file with the chosen columns; resolves to the parse response or throws Error(message).
 * @param {File} file
 * @param {ColumnChoice} [choice]
 * @returns {Promise<ParsedCsv>}
 */
export async function parseCsv(file, { features = null, label = null } = {}) {
  const q = new URLSearchParams();
  if (features) q.set("features", features.join(","));
  if (label) q.set("label", label);
  const form = new FormData();
  form.append("file", file, file.name);
  /** @type {Response} */
  let res;
  try {
    res = await fetch(`${API}${q.size ? `?${q}` : ""}`, { method: "POST", body: form, headers: { Accept: "application/json" } });
  } catch {
    throw new Error("the server could not be reached to read it");
  }
  /** @type {unknown} */
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) throw new Error(message(res.status, body));
  return /** @type {ParsedCsv} a 200 from the parse endpoint has this shape (app/api/datasets.py) */ (body);
}

/**
 * An "Upload CSV" button in `container`, and column pickers shown after a file is parsed.
 * @param {HTMLElement} container
 * @param {{onData: (d: {X: number[][], y: number[] | null | undefined, name: string}) => void}} opts
 * @returns {{input: HTMLInputElement, button: HTMLLabelElement, pickers: HTMLDivElement, error: HTMLParagraphElement}}
 */
export function mountCsvUpload(container, { onData }) {
  const input = el("input", {
    type: "file", accept: ".csv,.tsv,.txt,text/csv,text/plain", class: "visually-hidden csv-input", id: "csv-file",
    "aria-describedby": "csv-error",
  });
  const button = el("label", { htmlFor: "csv-file", class: "button small csv-button", id: "csv-button", text: "Upload CSV" });
  const pickers = el("div", { class: "csv-pickers", hidden: "" });
  const error = el("p", { class: "field-error csv-error", id: "csv-error", role: "alert", hidden: "" });
  container.append(input, button);
  container.after(error, pickers);
  /** @type {File | null} */
  let file = null;

  /**
   * @param {string} name
   * @param {string[]} columns
   * @param {string | null | undefined} value
   * @param {boolean} [allowNone] offer "(none)" (no label column)
   */
  const select = (name, columns, value, allowNone = false) => {
    const s = el("select", { name, "aria-label": name });
    if (allowNone) s.append(el("option", { value: "", text: "(none)" }));
    for (const c of columns) s.append(el("option", { value: c, text: c }));
    s.value = value ?? "";
    return s;
  };

  /** @param {File} chosen @param {ColumnChoice} choice */
  async function run(chosen, choice) {
    error.hidden = true;
    try {
      const body = await parseCsv(chosen, choice);
      showPickers(chosen, body);
      onData({ X: body.X, y: body.y, name: chosen.name });
    } catch (err) {
      error.textContent = errorSentence(chosen.name, err instanceof Error ? err.message : String(err));
      error.hidden = false;
      error.scrollIntoView({ block: "nearest" }); // in view, however long the column is
    }
  }

  /** @param {File} chosen @param {ParsedCsv} body */
  function showPickers(chosen, body) {
    pickers.innerHTML = "";
    const [f1, f2] = body.features;
    const s1 = select("x₁ column", body.columns, f1);
    const s2 = select("x₂ column", body.columns, f2 ?? f1);
    const sl = select("label column", body.columns, body.label, true);
    const apply = () => run(chosen, { features: [s1.value, s2.value], label: sl.value || null });
    for (const s of [s1, s2, sl]) s.addEventListener("change", apply);
    pickers.append(
      el("label", {}, el("span", { text: "x₁" }), s1),
      el("label", {}, el("span", { text: "x₂" }), s2),
      el("label", {}, el("span", { text: "label" }), sl),
      el("p", { class: "hint", text: `${body.n_rows} rows, ${body.columns.length} columns (delimiter ${JSON.stringify(body.delimiter)}${body.header ? ", with a header" : ""}).` }),
    );
    pickers.hidden = false;
  }

  input.addEventListener("change", () => {
    file = input.files?.[0] ?? null;
    input.value = "";
    if (file) run(file, {});
  });
  return { input, button, pickers, error };
}
