// @ts-check
// widgets/weights-file.js: the CNN lab's `initial_weights` param (schema hint "x-plugin": "weights-file").
// A file input that reads a model file saved by the lab ("Download model (.pt)" under the plot), base64s it and
// reports it with ctx.onValue(b64): the run then starts from those weights. "Clear" goes back to fresh weights
// (null). It shows the file's name and size, refuses a file over the limit (the schema's maxLength of base64,
// else what a request body may carry) in plain words, and says when the value is too long for a share link.

import { el } from "../dom.js";
import { base64ToBytes } from "../interactions/lib/draw-grid.js";

/** Base64 characters a value may have when the schema gives no maxLength: under STEPWISE_MAX_BODY_BYTES (2 MB). */
const DEFAULT_MAX_CHARS = 1_900_000;
/** Past this many characters the page's URL (state.js keeps the value there) may no longer reload: measured on
 * uvicorn 0.54 (h11), a 100 KB request line loads, a 200 KB one is a 400. The default network's file is 24 K. */
export const LINK_CHARS = 90_000;

/** @param {number} bytes */
const size = (bytes) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

/**
 * Bytes as base64 (in chunks: String.fromCharCode over a whole file overflows the call stack).
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function bytesToBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/**
 * @param {import("./registry.js").WidgetContext} ctx
 * @returns {HTMLElement}
 */
export function create(ctx) {
  const schema = /** @type {Record<string, any>} */ (ctx.desc.schema ?? {});
  const maxChars = Number.isInteger(schema.maxLength) ? Number(schema.maxLength) : DEFAULT_MAX_CHARS;
  const maxBytes = Math.floor((maxChars * 3) / 4);

  const input = el("input", { type: "file", id: ctx.id, class: "weights-input", accept: ".pt,application/octet-stream" });
  const status = el("span", { class: "weights-status", "aria-live": "polite" });
  const note = el("p", { class: "weights-note", hidden: true });
  const clear = el("button", { type: "button", class: "button small", text: "Clear", title: "Start from fresh random weights" });

  /** @param {string | null} value @param {string} [name] */
  const show = (value, name) => {
    clear.disabled = !value;
    if (!value) {
      status.textContent = "Fresh random weights";
      note.hidden = true;
      return;
    }
    const bytes = Math.floor((value.length * 3) / 4) - (value.endsWith("==") ? 2 : value.endsWith("=") ? 1 : 0);
    status.textContent = `${name ?? "Loaded weights"} · ${size(bytes)}`;
    note.hidden = value.length <= LINK_CHARS;
    note.textContent = "This file is too large for the page's link: reloading or sharing the link will fail "
      + "(the server refuses addresses over about 100 KB). Share the file itself.";
  };
  show(typeof ctx.value === "string" ? ctx.value : null);

  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (!file) return;
    if (file.size > maxBytes) {
      ctx.showError(`${file.name} is ${size(file.size)}; a weights file may be at most ${size(maxBytes)}.`);
      input.value = "";
      return;
    }
    file.arrayBuffer().then((buffer) => {
      const b64 = bytesToBase64(new Uint8Array(buffer));
      // A quick check that it decodes to what was read (a truncated read is a plain message, not a bad run).
      if (base64ToBytes(b64).length !== file.size) throw new Error("the file could not be read whole");
      ctx.showError("");
      show(b64, file.name);
      ctx.onValue(b64);
    }).catch((/** @type {any} */ err) => {
      ctx.showError(`${file.name} could not be read (${err?.message ?? err}).`);
    });
  });
  clear.addEventListener("click", () => {
    input.value = "";
    ctx.showError("");
    show(null);
    ctx.onValue(null);
  });

  return el("div", { class: "weights-file", role: "group", "aria-label": ctx.desc.label },
    el("div", { class: "weights-row" }, input, clear), status, note);
}
