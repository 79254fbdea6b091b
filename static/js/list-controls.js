// @ts-check
// list-controls.js: widgets for list-valued params (see list-schema.js for the descriptions), and the door to
// the one-object (object-control.js) and word-or-number (choice-control.js) widgets.
// Each builder returns the body element of a `.field` made by Controls.build and reports the whole new value
// through onValue (Controls.set → URL + debounced re-run). Fields of an object item that the learner never
// touched stay out of the value, so the server applies its own defaults.

import { buildChoice, numberRange } from "./choice-control.js";
import { el } from "./dom.js";
import { LIST_KINDS } from "./list-schema.js";
import { buildObject, switchVariant, tagSelect, touched, variantFields, variantOf } from "./object-control.js";
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
/** @typedef {import("./list-schema.js").ObjectDesc} ObjectDesc */
/** @typedef {import("./choice-schema.js").ChoiceDesc} ChoiceDesc */
/** @typedef {import("./object-control.js").Item} Item  one object item of an objlist */

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
 * The body for a list widget description `d` (kind multi | numlist | tuple | objlist), one object (kind
 * object) or a word-or-number (kind choice).
 * @param {Controls} ctrl  the form (its number widgets and build() make the items' inputs)
 * @param {ListDesc | ObjectDesc | ChoiceDesc} d
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
    case "object": return buildObject(ctrl, d, value, id, path, onValue);
    case "choice": {
      const range = numberRange(d);
      const notANumber = () => ctrl.showError(path, `Pick a word or enter a number${range ? ` (${range})` : ""}.`);
      return buildChoice(d, value, id, path, onValue, notANumber);
    }
    default: return buildObjList(ctrl, d, value, id, path, onValue);
  }
}

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
    // The item's number alone (its noun is in the field's label, the select's and the × button's names): the
    // tag select keeps the width for words like "k-nearest neighbours".
    const index = el("span", { class: "obj-index", text: String(i + 1), title: `${cap(d.noun)} ${i + 1}`, "aria-hidden": "true" });
    const head = el("div", { class: "obj-head" }, index);
    if (tag) {
      const attrs = { id: i === 0 ? id : `${id}-${i}`, name: `${path}.${i}.${tag}`, "aria-label": `${cap(d.noun)} ${i + 1} ${tag}` };
      head.append(tagSelect(d, v, attrs, (next) => {
        const kept = switchVariant(d, next, obj, null); // e.g. lr carries over
        items[i] = kept;
        list.replaceChild(renderItem(kept, i), list.children[i]);
        /** @type {HTMLElement | null} */ (list.children[i].querySelector(".obj-head select"))?.focus(); // keyboard stays
        emit();
      }));
    }
    const remove = el("button", {
      type: "button", class: "list-remove", text: "×", title: `Remove ${d.noun} ${i + 1}`,
      "aria-label": `Remove ${d.noun} ${i + 1}`, disabled: items.length <= d.minItems,
    });
    remove.addEventListener("click", () => { items.splice(i, 1); render(); emit(); });
    head.append(remove);
    const body = variantFields(ctrl, v, obj, `${path}.${i}`, (name, nv) => { items[i][name] = nv; emit(); });
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
