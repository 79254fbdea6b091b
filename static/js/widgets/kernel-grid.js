// @ts-check
// widgets/kernel-grid.js: the convolution lab's `custom_kernel` param. A k × k grid of number boxes (k = 1, 3,
// 5 or 7), one matrix shared by every channel or, for a colour image, one per channel; "Start from" copies a
// preset's numbers, read from the param's own schema (`x-presets`, written by app/schemas/convolution.py from
// the engine's table: nothing is copied here). A box that is not a number is flagged in place and nothing is
// sent until every box reads.

import { el } from "../dom.js";
import { parseCell, resizeKernel } from "./lib/conv-widgets.js";

const SIZES = [1, 3, 5, 7];
const CHANNELS = ["red", "green", "blue"];

/** @param {import("./registry.js").WidgetContext} ctx */
export function create(ctx) {
  const hints = /** @type {Record<string, any>} */ (ctx.desc.schema);
  /** @type {Record<string, number[][]>} */
  const presets = hints["x-presets"] ?? {};
  /** @type {Record<string, string>} */
  const words = hints["x-preset-words"] ?? {};
  /** @type {number[][][]} */
  let matrices = Array.isArray(ctx.value) && ctx.value.length ? ctx.value : [presets.sobel_x ?? resizeKernel(null, 3)];
  const root = el("div", { class: "kernel-grid", role: "group", "aria-label": ctx.desc.label });
  const size = el("select", { class: "kernel-size", id: ctx.id, "aria-label": "Kernel size" },
    ...SIZES.map((k) => el("option", { value: String(k), text: `${k} × ${k}` })));
  size.value = String(matrices[0].length);
  const perChannel = el("input", { type: "checkbox", class: "kernel-per-channel" });
  perChannel.checked = matrices.length === 3;
  const perChannelLabel = el("label", { class: "kernel-option" }, perChannel, el("span", { text: "One per channel (colour)" }));
  const preset = el("select", { class: "kernel-preset", "aria-label": "Preset to start from" },
    ...Object.keys(presets).map((name) => el("option", { value: name, text: words[name] ?? name })));
  const copy = el("button", { type: "button", class: "kernel-copy", text: "Start from preset" });
  const grids = el("div", { class: "kernel-grids" });
  /** @type {HTMLInputElement[][][]} */
  let boxes = [];

  const colour = () => ctx.controls.params?.channels === "rgb";

  function send() {
    let bad = 0;
    const values = boxes.map((grid) => grid.map((row) => row.map((box) => {
      const v = parseCell(box.value);
      box.setAttribute("aria-invalid", String(v === null));
      box.classList.toggle("kernel-cell-bad", v === null);
      if (v === null) bad += 1;
      return v ?? 0;
    })));
    if (bad) {
      ctx.showError(`${bad === 1 ? "One box is" : `${bad} boxes are`} not a number (write e.g. -1, 0.5 or 1/9).`);
      return;
    }
    ctx.showError("");
    matrices = values;
    ctx.onValue(values);
  }

  function draw() {
    const k = Number(size.value);
    const n = perChannel.checked && colour() ? 3 : 1;
    matrices = Array.from({ length: n }, (_, c) => resizeKernel(matrices[Math.min(c, matrices.length - 1)], k));
    perChannelLabel.hidden = !colour();
    boxes = [];
    grids.replaceChildren();
    matrices.forEach((matrix, c) => {
      const table = el("div", { class: "kernel-cells", style: `grid-template-columns: repeat(${k}, minmax(0, 1fr))` });
      /** @type {HTMLInputElement[][]} */
      const rows = matrix.map((row, r) => row.map((v, col) => {
        const box = el("input", { type: "text", inputMode: "decimal", value: String(v), class: "kernel-cell",
          "aria-label": `${n > 1 ? `${CHANNELS[c]} ` : ""}row ${r + 1}, column ${col + 1}` });
        box.addEventListener("change", send);
        table.append(box);
        return box;
      }));
      boxes.push(rows);
      grids.append(el("div", { class: "kernel-channel" }, n > 1 ? el("span", { class: "kernel-channel-name", text: CHANNELS[c] }) : null, table));
    });
  }

  size.addEventListener("change", () => { draw(); send(); });
  perChannel.addEventListener("change", () => { draw(); send(); });
  copy.addEventListener("click", () => {
    const numbers = presets[preset.value];
    if (!numbers) return;
    matrices = matrices.map(() => numbers);
    size.value = String(numbers.length);
    draw();
    send();
  });
  draw();
  // The grid's starting numbers become the value once "Your own numbers" is chosen (so that choice runs on the
  // numbers the grid shows instead of asking for them), not before: while a preset is chosen the param keeps
  // its default (null), out of the link and out of the run's cache key.
  let recorded = Array.isArray(ctx.value);
  const kernelIsCustom = () => ctx.controls.params?.kernel === "custom";
  if (!recorded && kernelIsCustom()) { ctx.onValue(matrices, { emit: false }); recorded = true; }
  ctx.controls.container.addEventListener("change", () => {
    if (recorded || !kernelIsCustom()) return;
    recorded = true;
    ctx.onValue(matrices); // after the kernel select's own change: its run (debounced) carries the numbers
  });
  root.append(el("div", { class: "kernel-row" }, size, perChannelLabel), grids, el("div", { class: "kernel-row" }, preset, copy));
  return root;
}
