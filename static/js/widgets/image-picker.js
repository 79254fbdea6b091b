// @ts-check
// widgets/image-picker.js: the convolution lab's `image` param. A row of thumbnails (the two photos, a few
// digits, a shape: drawn from the image datasets' typed pixels), the chosen picture's own fields as plain inputs,
// and "Upload an image": a PNG/JPEG sent to POST /api/v1/datasets/image (shrunk to UPLOAD_SIDE so the pixels
// fit a share link), whose typed array becomes {"name": "inline", dtype, shape, bdata}. An upload's 4xx detail
// is said under the control; a value too long for a link is said too, rather than breaking the link silently.

import { el } from "../dom.js";
import { base64Bytes, LINK_BUDGET, linkLength, rgbaOf } from "./lib/conv-widgets.js";

const API = "/api/v1/datasets";
/** An upload's longer side: 48 × 48 RGB is 9 KB of base64, ~10 K characters in the URL (under LINK_BUDGET). */
export const UPLOAD_SIDE = 48;
const DIGITS = [0, 1, 3, 7];

/** @typedef {Record<string, any>} ImageValue */

/**
 * @param {string} query
 * @returns {Promise<{images: {shape: number[], bdata: string}}>}
 */
async function imageSet(query) {
  const res = await fetch(`${API}/${query}`, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`thumbnails: ${res.status}`);
  return res.json();
}

/**
 * A canvas showing image `index` of a set.
 * @param {{shape: number[], bdata: string}} images
 * @param {number} index
 * @returns {HTMLCanvasElement}
 */
function thumb(images, index) {
  const { width, height, rgba } = rgbaOf(base64Bytes(images.bdata), images.shape, index);
  const canvas = el("canvas", { width, height, class: "image-thumb-canvas" });
  const g = canvas.getContext("2d");
  if (g) g.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas;
}

/**
 * The plain words of a failed upload's answer.
 * @param {number} status
 * @param {any} body
 * @returns {string}
 */
export function uploadMessage(status, body) {
  const detail = body?.detail;
  if (typeof detail === "string") return `The upload was refused: ${detail}.`;
  if (Array.isArray(detail) && detail.length) return `The upload was refused: ${detail.map((d) => d?.msg ?? "").join("; ")}.`;
  return `The upload was refused (HTTP ${status}).`;
}

/**
 * A number input for one field of the chosen picture.
 * @param {string} label
 * @param {number} value
 * @param {{min: number, max: number, step?: number}} range
 * @param {(v: number) => void} onChange
 */
function numberField(label, value, range, onChange) {
  const input = el("input", { type: "number", value: String(value), min: String(range.min), max: String(range.max), step: String(range.step ?? 1), class: "image-field-input" });
  input.addEventListener("change", () => {
    const v = Number(input.value);
    if (Number.isFinite(v) && v >= range.min && v <= range.max) {
      onChange(v);
    } else {
      input.setCustomValidity(`${label}: a number from ${range.min} to ${range.max}`);
      input.reportValidity();
    }
  });
  input.addEventListener("input", () => input.setCustomValidity(""));
  return el("label", { class: "image-field" }, el("span", { text: label }), input);
}

/** @param {import("./registry.js").WidgetContext} ctx */
export function create(ctx) {
  /** @type {ImageValue} */
  let value = ctx.value && typeof ctx.value === "object" ? { ...ctx.value } : { name: "photo", which: "flower", side: 48 };
  const root = el("div", { class: "image-picker", id: ctx.id, role: "group", "aria-label": ctx.desc.label });
  const thumbs = el("div", { class: "image-thumbs" });
  const fields = el("div", { class: "image-fields" });
  const status = el("p", { class: "image-status", "aria-live": "polite" });
  /** @type {HTMLButtonElement[]} */
  const buttons = [];

  /** @param {ImageValue} next */
  function choose(next) {
    value = next;
    if (next.name === "inline" && linkLength(next) > LINK_BUDGET) {
      ctx.showError(`This image is too large for a share link (${linkLength(next).toLocaleString()} characters); the run works but the link will not hold it.`);
    } else ctx.showError("");
    ctx.onValue(next);
    draw();
  }

  /**
   * @param {string} label
   * @param {(v: ImageValue) => boolean} isChosen
   * @param {() => ImageValue} make
   * @param {() => Promise<HTMLCanvasElement>} picture
   */
  function addThumb(label, isChosen, make, picture) {
    const button = el("button", { type: "button", class: "image-thumb", title: label, "aria-label": label, "data-image": label });
    button.dataset.chosen = "false";
    button.addEventListener("click", () => choose(make()));
    /** @type {any} */ (button).isChosen = isChosen;
    picture().then((c) => button.replaceChildren(c, el("span", { class: "image-thumb-label", text: label })))
      .catch(() => button.replaceChildren(el("span", { class: "image-thumb-label", text: label })));
    button.append(el("span", { class: "image-thumb-label", text: label }));
    buttons.push(button);
    thumbs.append(button);
  }

  const side = () => (value.name === "photo" ? value.side : 48);
  for (const which of ["flower", "china"]) {
    addThumb(which === "flower" ? "Flower" : "Temple", (v) => v.name === "photo" && v.which === which,
      () => ({ name: "photo", which, side: side() }), () => imageSet(`photo?which=${which}&side=40`).then((s) => thumb(s.images, 0)));
  }
  const digits = imageSet("digit_images");
  for (const index of DIGITS) {
    addThumb(`Digit ${index}`, (v) => v.name === "digit" && v.index === index, () => ({ name: "digit", index }),
      () => digits.then((s) => thumb(s.images, index)));
  }
  addThumb("Shape", (v) => v.name === "shape", () => ({ name: "shape", side: 16, noise: 0.05, seed: 0 }),
    () => imageSet("shapes?n_samples=4&side=24&seed=0").then((s) => thumb(s.images, 0)));

  const upload = el("input", { type: "file", accept: "image/png,image/jpeg", class: "image-upload-input", "aria-label": "Upload an image" });
  upload.addEventListener("change", async () => {
    const file = upload.files?.[0];
    if (!file) return;
    status.textContent = "Reading the image…";
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const res = await fetch(`${API}/image?max_side=${UPLOAD_SIDE}`, { method: "POST", body: form, headers: { Accept: "application/json" } });
      /** @type {any} */
      let body = null;
      try { body = await res.json(); } catch { /* not JSON */ }
      if (!res.ok) {
        status.textContent = "";
        ctx.showError(uploadMessage(res.status, body));
        return;
      }
      const [h, w] = body.original_shape;
      status.textContent = `${file.name}: ${w}×${h} shrunk to ${body.shape[1]}×${body.shape[0]}.`;
      choose({ name: "inline", ...body.image });
    } catch {
      status.textContent = "";
      ctx.showError("The server could not be reached to read the image.");
    } finally {
      upload.value = "";
    }
  });
  const uploadLabel = el("label", { class: "image-upload" }, el("span", { text: "Upload an image" }), upload);

  function draw() {
    for (const b of buttons) {
      const on = /** @type {any} */ (b).isChosen(value);
      b.dataset.chosen = String(on);
      b.setAttribute("aria-pressed", String(on));
    }
    fields.replaceChildren();
    const set = (/** @type {string} */ key) => (/** @type {number} */ v) => choose({ ...value, [key]: v });
    if (value.name === "photo") fields.append(numberField("Longer side (px)", value.side ?? 48, { min: 8, max: 256 }, set("side")));
    else if (value.name === "digit") fields.append(numberField("Digit number", value.index ?? 0, { min: 0, max: 1796 }, set("index")));
    else if (value.name === "shape") {
      fields.append(
        numberField("Size (px)", value.side ?? 16, { min: 8, max: 256 }, set("side")),
        numberField("Noise", value.noise ?? 0.05, { min: 0, max: 1, step: 0.01 }, set("noise")),
        numberField("Seed", value.seed ?? 0, { min: 0, max: 2 ** 31 - 1 }, set("seed")),
      );
    } else if (value.name === "inline" && Array.isArray(value.shape)) {
      fields.append(el("span", { class: "image-field", text: `Your image: ${value.shape[1]}×${value.shape[0]} pixels` }));
    }
  }
  draw();
  root.append(thumbs, fields, uploadLabel, status);
  return root;
}
