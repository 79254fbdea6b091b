// @ts-check
// list-controls.js: widgets for list-valued params (see list-schema.js for the descriptions).
// Each builder returns the body element of a `.field` made by Controls.build and reports the whole new list
// through onValue (Controls.set → URL + debounced re-run). Fields of an object item that the learner never
// touched stay out of the value, so the server applies its own defaults.

import { el } from "./dom.js";
import { LIST_KINDS } from "./list-schema.js";
import { optionLabel } from "./schema.js";

/** @typedef {import("./controls.js").Controls} Controls */
/** @typedef {import("./controls.js").OnValue} OnValue */
/** @typedef {import("./schema.js").Desc} Desc */
/** @typedef {import("./schema.js").NumberDesc} NumberDesc */
/** @typedef {import("./list-schema.js").ListDesc} ListDesc */
/** @typedef {import("./list-schema.js").MultiDesc} MultiDesc */
/** @typedef {import("./list-schema.js").NumlistDesc} NumlistDesc */
/** @typedef {import("./list-schema.js").TupleDesc} TupleDesc */
/** @typedef {import("./list-schema.js").ObjlistDesc} ObjlistDesc */
/** @typedef {import("./list-schema.js").Variant} Variant */
/** @typedef {Record<string, any>} Item  one object item of an objlist */

/**
 * @template T
 * @param {T} v
 * @returns {T}
 */
const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
/** @param {unknown} v */
const fmt = (v) => (typeof v === "number" ? String(Math.round(v * 1e9) / 1e9) : String(v));
/**
 * @param {number} v
 * @param {number | undefined} lo
 * @param {number | undefined} hi
 */
const clamp = (v, lo, hi) => Math.min(Math.max(v, Number.isFinite(lo) ? /** @type {number} */ (lo) : v),
  Number.isFinite(hi) ? /** @type {number} */ (hi) : v);
/** @param {string} s */
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The body for a list widget description `d` (kind multi | numlist | tuple | objlist).
 * @param {Controls} ctrl  the form (its number widgets and build() make the items' inputs)
 * @param {ListDesc} d
 * @param {unknown} value
 * @param {string} id
 * @param {string} path
 * @param {OnValue} onValue
 * @returns {HTMLElement}
 */
export function buildList(ctrl, d, value, id, path, onValue) {
  switch (d.kind) {
    case "multi": return buildMulti(d, value, id, path, onValue);
    case "numlist": return buildNumList(ctrl, d, value, id, path, onValue);
    case "tuple": return buildTuple(d, value, id, path, onValue);
    default: return buildObjList(ctrl, d, value, id, path, onValue);
  }
}

/** An edit clears the list's error marks. @param {HTMLElement} body */
const touched = (body) => {
  for (const f of body.querySelectorAll(".invalid")) f.classList.remove("invalid");
  for (const b of /** @type {NodeListOf<HTMLElement>} */ (body.querySelectorAll(".field-error"))) b.hidden = true;
};

/* ── array of enum strings → checkboxes ─────────────────────────────── */
/**
 * @param {MultiDesc} d
 * @param {unknown} value
 * @param {string} id
 * @param {string} path
 * @param {OnValue} onValue
 */
function buildMulti(d, value, id, path, onValue) {
  const chosen = new Set(Array.isArray(value) ? value : []);
  const group = el("div", { class: "check-group", id, role: "group", "aria-label": d.label });
  const boxes = d.options.map((o, i) => el("input", {
    type: "checkbox", id: `${id}-${i}`, name: path, value: o, checked: chosen.has(o),
  }));
  const sync = () => {
    const n = boxes.filter((b) => b.checked).length;
    for (const b of boxes) {
      b.disabled = (b.checked && n <= d.minItems) || (!b.checked && n >= d.maxItems);
      if (b.parentElement) b.parentElement.title = b.disabled ? (b.checked ? `Keep at least ${d.minItems}.` : `At most ${d.maxItems}.`) : "";
    }
  };
  boxes.forEach((box, i) => {
    group.append(el("label", { class: "check-chip", htmlFor: box.id }, box, el("span", { text: optionLabel(d, d.options[i]) })));
    box.addEventListener("change", () => {
      sync();
      touched(group);
      onValue(d.options.filter((_, j) => boxes[j].checked)); // schema order, so the URL is stable
    });
  });
  sync();
  return group;
}

/* ── array of numbers → one row per item ─────────────────────────────── */
/**
 * @param {Controls} ctrl
 * @param {NumlistDesc} d
 * @param {unknown} value
 * @param {string} id
 * @param {string} path
 * @param {OnValue} onValue
 */
function buildNumList(ctrl, d, value, id, path, onValue) {
  /** @type {number[]} */
  const items = Array.isArray(value) ? clone(value) : [];
  const wrap = el("div", { class: "list-control numlist" });
  const rows = el("ol", { class: "num-rows" });
  const add = el("button", { type: "button", class: "button ghost small list-add", text: `+ ${d.noun}` });
  const item = /** @type {NumberDesc} */ (d.item); // list-schema makes numlists of numbers only
  const emit = () => { touched(wrap); onValue(clone(items)); };
  const render = () => {
    rows.innerHTML = "";
    items.forEach((v, i) => {
      const sub = { ...item, label: `${cap(d.noun)} ${i + 1}` };
      const rid = i === 0 ? id : `${id}-${i}`;
      const input = item.kind === "range"
        ? ctrl.buildRange(sub, v, rid, `${path}.${i}`, (/** @type {number} */ nv) => { items[i] = nv; emit(); })
        : ctrl.buildNumber(sub, v, rid, `${path}.${i}`, (/** @type {number} */ nv) => { items[i] = nv; emit(); });
      const remove = el("button", {
        type: "button", class: "list-remove", text: "−", title: `Remove ${d.noun} ${i + 1}`,
        "aria-label": `Remove ${d.noun} ${i + 1}`, disabled: items.length <= d.minItems,
      });
      remove.addEventListener("click", () => { items.splice(i, 1); render(); emit(); });
      rows.append(el("li", { class: "num-row", "data-index": String(i), "data-label": sub.label },
        el("label", { class: "num-row-label", htmlFor: rid, text: `${i + 1}` }), input, remove));
    });
    if (!items.length) rows.append(el("li", { class: "list-empty", text: `No ${d.noun}s.` }));
    add.disabled = items.length >= d.maxItems;
  };
  add.addEventListener("click", () => {
    const last = items.length ? items[items.length - 1] : Number(d.fallback?.[0] ?? item.schema?.default ?? 0);
    items.push(clamp(last, item.hardMin ?? item.min, item.hardMax ?? item.max));
    render();
    emit();
    /** @type {HTMLInputElement | null} */ (rows.querySelector(".num-row:last-of-type input[type='number']"))?.focus();
  });
  render();
  wrap.append(rows, add);
  return wrap;
}

/* ── fixed-length numeric tuple → N inputs ─────────────────────────────── */
/**
 * @param {TupleDesc} d
 * @param {unknown} value
 * @param {string} id
 * @param {string} path
 * @param {OnValue} onValue
 */
function buildTuple(d, value, id, path, onValue) {
  /** @type {unknown[]} */
  const base = Array.isArray(value) ? value : (Array.isArray(d.schema.default) ? d.schema.default : []);
  const row = el("div", { class: "tuple-row", role: "group", "aria-label": d.label });
  const inputs = d.items.map((it, i) => el("input", {
    type: "number", id: i === 0 ? id : `${id}-${i}`, name: `${path}.${i}`, step: "any", inputMode: "decimal",
    value: base[i] === undefined || base[i] === null ? "" : fmt(base[i]), "aria-label": `${d.label} ${i + 1}`,
    min: it.schema.minimum, max: it.schema.maximum,
  }));
  for (const input of inputs) {
    input.addEventListener("change", () => {
      const vals = inputs.map((x) => Number(x.value));
      if (inputs.some((x) => x.value === "") || !vals.every(Number.isFinite)) return;
      onValue(vals.map((v, i) => {
        const it = d.items[i];
        return "integer" in it && it.integer ? Math.round(v) : v;
      }));
    });
    row.append(input);
  }
  return row;
}

/* ── array of objects / tagged union → a sub-form per item ──────────────── */
/**
 * The variant an object item is (by its tag), else the first.
 * @param {ObjlistDesc} d
 * @param {Item | undefined} obj
 * @returns {Variant}
 */
function variantOf(d, obj) {
  if (!d.discriminator) return d.variants[0];
  const tag = d.discriminator;
  return d.variants.find((v) => v.tag === obj?.[tag]) ?? d.variants[0];
}

/**
 * A field description tuned for a narrow sub-form: no paragraph of help (it goes to `title`); sliders only for
 * log scales.
 * @param {Desc} fd
 * @returns {Desc & {title: string}}
 */
function compact(fd) {
  if (fd.kind !== "range" && fd.kind !== "number") return { ...fd, help: "", title: fd.help };
  const f = { ...fd, help: "", title: fd.help };
  /** @type {Record<string, any>} */
  const s = fd.schema;
  if (fd.log) {
    /** @type {number} */
    const hi = s["x-max"] ?? s.maximum ?? s.exclusiveMaximum ?? fd.max;
    /** @type {number} */
    const lo = s["x-min"] ?? (s.minimum > 0 ? s.minimum : 10 ** (Math.ceil(Math.log10(hi)) - 6));
    return { ...f, kind: "range", min: lo, max: hi, hardMin: s.minimum, hardMax: s.maximum };
  }
  // A number box: the hard bounds the browser can express, and a step only if the default sits on it.
  const def = s.default;
  const onStep = typeof fd.step === "number" && typeof def === "number"
    && Math.abs(def / fd.step - Math.round(def / fd.step)) < 1e-9;
  return { ...f, kind: "number", min: s.minimum, max: s.maximum, step: onStep ? fd.step : (fd.integer ? 1 : "any") };
}

/**
 * A new object item: the schema's example of an unused variant if it has one, else the variant's required
 * fields without defaults at their lowest value / first option.
 * @param {ObjlistDesc} d
 * @param {unknown[]} used  the tags already in the list
 * @returns {Item}
 */
function newItem(d, used) {
  const v = d.variants.find((x) => !used.includes(x.tag)) ?? d.variants[0];
  const tag = d.discriminator;
  const example = /** @type {Item[]} */ (d.fallback ?? []).find((o) => !tag || o?.[tag] === v.tag);
  if (example) return clone(example);
  /** @type {Item} */
  const obj = tag ? { [tag]: v.tag } : {};
  for (const f of v.fields) {
    if (!v.required.includes(f.name) || f.schema.default !== undefined) continue;
    const low = "min" in f ? f.min : undefined;
    const first = "options" in f ? f.options[0] : undefined;
    obj[f.name] = low ?? first ?? (f.kind === "checkbox" ? false : 0);
  }
  return obj;
}

/**
 * @param {Controls} ctrl
 * @param {ObjlistDesc} d
 * @param {unknown} value
 * @param {string} id
 * @param {string} path
 * @param {OnValue} onValue
 */
function buildObjList(ctrl, d, value, id, path, onValue) {
  /** @type {Item[]} */
  const items = Array.isArray(value) ? clone(value) : [];
  const tag = d.discriminator;
  const wrap = el("div", { class: "list-control objlist" });
  const list = el("ol", { class: "obj-items" });
  const add = el("button", { type: "button", class: "button ghost small list-add", text: `+ ${d.noun}` });
  const emit = () => { touched(wrap); onValue(clone(items)); };
  /**
   * @param {Item} obj
   * @param {number} i
   * @returns {HTMLElement}
   */
  const renderItem = (obj, i) => {
    const v = variantOf(d, obj);
    const head = el("div", { class: "obj-head" }, el("span", { class: "obj-index", text: `${cap(d.noun)} ${i + 1}` }));
    const iid = `${id}-${i}`;
    if (tag) {
      const select = el("select", {
        id: i === 0 ? id : iid, name: `${path}.${i}.${tag}`, "aria-label": `${cap(d.noun)} ${i + 1} ${tag}`,
        title: v.help,
      });
      for (const x of d.variants) select.append(el("option", { value: String(x.tag), text: String(x.tag) }));
      select.value = String(v.tag);
      select.addEventListener("change", () => {
        const next = d.variants.find((x) => String(x.tag) === select.value) ?? d.variants[0];
        /** @type {Item} */
        const kept = { [tag]: next.tag };
        for (const f of next.fields) if (f.name in obj) kept[f.name] = obj[f.name]; // e.g. lr carries over
        items[i] = kept;
        list.replaceChild(renderItem(kept, i), list.children[i]);
        emit();
      });
      head.append(select);
    }
    const remove = el("button", {
      type: "button", class: "list-remove", text: "×", title: `Remove ${d.noun} ${i + 1}`,
      "aria-label": `Remove ${d.noun} ${i + 1}`, disabled: items.length <= d.minItems,
    });
    remove.addEventListener("click", () => { items.splice(i, 1); render(); emit(); });
    head.append(remove);
    const body = el("div", { class: "obj-fields" });
    for (const fd of v.fields) {
      const sub = compact(fd);
      const shown = fd.name in obj ? obj[fd.name] : fd.schema.default;
      const field = ctrl.build(sub, shown, `${path}.${i}.${fd.name}`, (/** @type {unknown} */ nv) => { items[i][fd.name] = nv; emit(); });
      field.dataset.name = fd.name;
      if (sub.title) field.querySelector(":scope > label")?.setAttribute("title", sub.title);
      body.append(field);
    }
    return el("li", {
      class: "obj-item", "data-index": String(i), "data-label": `${cap(d.noun)} ${i + 1}`,
      "data-tag": tag ? String(v.tag) : null,
    }, head, body);
  };
  const render = () => {
    list.innerHTML = "";
    items.forEach((obj, i) => list.append(renderItem(obj, i)));
    if (!items.length) list.append(el("li", { class: "list-empty", text: `No ${d.noun}s.` }));
    add.disabled = items.length >= d.maxItems;
  };
  add.addEventListener("click", () => {
    const used = tag ? items.map((o) => o?.[tag]) : [];
    items.push(newItem(d, used));
    render();
    emit();
  });
  render();
  wrap.append(list, add);
  return wrap;
}

/**
 * A 422 whose loc points inside a list field (`parts` = ["runs", "0", "adam", "lr"]): highlight the item's
 * input and return the message, prefixed with the item ("Run 1: …") unless it names it already. Other
 * fields: msg unchanged.
 * @param {HTMLElement | null} field  the `.field` the error landed on
 * @param {string[]} parts
 * @param {unknown} msg
 * @returns {string}
 */
export function listErrorMessage(field, parts, msg) {
  const text = String(msg ?? "").replace(/^Value error, /, "");
  if (!field || !LIST_KINDS.has(field.dataset.kind ?? "") || parts.length < 2) return text;
  const index = Number(parts[1]);
  if (!Number.isInteger(index)) return text;
  const row = /** @type {HTMLElement | null} */ (field.querySelector(`:scope .obj-item[data-index="${index}"], :scope .num-row[data-index="${index}"]`));
  if (!row) return text;
  const where = row.dataset.label || `#${index + 1}`;
  if (row.classList.contains("num-row")) row.classList.add("invalid");
  else {
    for (const name of parts.slice(2).reverse()) {
      const sub = row.querySelector(`:scope .field[data-name="${CSS.escape(name)}"]`);
      if (!sub) continue;
      sub.classList.add("invalid");
      const box = /** @type {HTMLElement | null} */ (sub.querySelector(":scope > .field-error"));
      if (box) { box.textContent = text; box.hidden = false; } // right under the input, too
      break;
    }
  }
  // A plain message (plain-errors.js) already says which item ("… of run 1"); a bare one gets the item's name.
  return text.toLowerCase().includes(where.toLowerCase()) ? text : `${where}: ${text}`;
}
