// @ts-check
// object-control.js: the sub-form of one object value, shared by an objlist's items (list-controls.js) and a
// single object param (bagging's base model, kind "object"): a select of the variants (tagged unions only,
// each option read as the tag's `x-labels` word) and that variant's fields as compact controls.
// Fields the learner never touched stay out of the value, so the server applies its own defaults.

import { el } from "./dom.js";

/** @typedef {import("./controls.js").Controls} Controls */
/** @typedef {import("./controls.js").OnValue} OnValue */
/** @typedef {import("./schema.js").Desc} Desc */
/** @typedef {import("./list-schema.js").ObjectShape} ObjectShape */
/** @typedef {import("./list-schema.js").ObjectDesc} ObjectDesc */
/** @typedef {import("./list-schema.js").Variant} Variant */
/** @typedef {Record<string, any>} Item  one object value (an objlist item, a single object param) */

/**
 * @template T
 * @param {T} v
 * @returns {T}
 */
export const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
/** @param {unknown} v @returns {v is Item} */
const isItem = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** An edit clears the error marks inside a widget. @param {HTMLElement} body */
export const touched = (body) => {
  for (const f of body.querySelectorAll(".invalid")) f.classList.remove("invalid");
  for (const b of /** @type {NodeListOf<HTMLElement>} */ (body.querySelectorAll(".field-error"))) b.hidden = true;
};

/**
 * The variant an object is (by its tag), else the first.
 * @param {ObjectShape} shape
 * @param {Item | undefined} obj
 * @returns {Variant}
 */
export function variantOf(shape, obj) {
  if (!shape.discriminator) return shape.variants[0];
  const tag = shape.discriminator;
  return shape.variants.find((v) => v.tag === obj?.[tag]) ?? shape.variants[0];
}

/**
 * The object after a switch to variant `next`: the fields `next` also has keep their values (lr carries over
 * from SGD to Adam); the rest come from `fallback` when it is of that variant (the param's own default), else
 * stay out (the server's defaults).
 * @param {ObjectShape} shape
 * @param {Variant} next
 * @param {Item} obj
 * @param {Item | null} fallback
 * @returns {Item}
 */
export function switchVariant(shape, next, obj, fallback) {
  const tag = shape.discriminator;
  if (!tag) return clone(obj);
  /** @type {Item} */
  const out = fallback && fallback[tag] === next.tag ? clone(fallback) : { [tag]: next.tag };
  for (const f of next.fields) if (f.name in obj) out[f.name] = clone(obj[f.name]);
  return out;
}

/**
 * The select of a tagged union's variants (value: the tag; text: its label); `onPick` gets the new variant.
 * @param {ObjectShape} shape
 * @param {Variant} current
 * @param {Record<string, string>} attrs  id, name, aria-label...
 * @param {(next: Variant) => void} onPick
 * @returns {HTMLSelectElement}
 */
export function tagSelect(shape, current, attrs, onPick) {
  const select = el("select", { ...attrs, title: current.help });
  for (const x of shape.variants) select.append(el("option", { value: String(x.tag), text: x.label }));
  select.value = String(current.tag);
  select.addEventListener("change", () => {
    const next = shape.variants.find((x) => String(x.tag) === select.value) ?? shape.variants[0];
    select.title = next.help;
    onPick(next);
  });
  return select;
}

/**
 * A field description tuned for a narrow sub-form: no paragraph of help (it goes to `title`); sliders only for
 * log scales.
 * @param {Desc} fd
 * @returns {Desc & {title: string}}
 */
export function compact(fd) {
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
 * A variant's fields as compact controls (`.obj-fields`), each at `${path}.${name}` (where a 422 lands);
 * a field not in `obj` shows its schema default. `onField(name, value)` reports an edit.
 * @param {Controls} ctrl
 * @param {Variant} variant
 * @param {Item} obj
 * @param {string} path
 * @param {(name: string, value: unknown) => void} onField
 * @returns {HTMLElement}
 */
export function variantFields(ctrl, variant, obj, path, onField) {
  const body = el("div", { class: "obj-fields" });
  for (const fd of variant.fields) {
    if (fd.schema.const !== undefined) continue; // one possible value (a spec's own name): nothing to choose
    const sub = compact(fd);
    const shown = fd.name in obj ? obj[fd.name] : fd.schema.default;
    const field = ctrl.build(sub, shown, `${path}.${fd.name}`, (/** @type {unknown} */ nv) => onField(fd.name, nv));
    field.dataset.name = fd.name;
    if (sub.title) field.querySelector(":scope > label")?.setAttribute("title", sub.title);
    body.append(field);
  }
  return body;
}

/**
 * One object param: the variant select (labelled by the field's own label, `id`) and the variant's fields
 * below it. A switch re-draws only the fields (the select keeps the focus) and reports the new object.
 * @param {Controls} ctrl
 * @param {ObjectDesc} d
 * @param {unknown} value
 * @param {string} id
 * @param {string} path
 * @param {OnValue} onValue
 * @returns {HTMLElement}
 */
export function buildObject(ctrl, d, value, id, path, onValue) {
  /** @type {Item} */
  let obj = isItem(value) ? clone(value) : clone(d.fallback ?? {});
  const tag = d.discriminator;
  // Without a tag there is no select for the field's label: the fields are a group named by it.
  const wrap = el("div", tag ? { class: "object-control" } : { class: "object-control", id, role: "group", "aria-label": d.label });
  const emit = () => { touched(wrap); onValue(clone(obj)); };
  /** @param {Variant} v */
  const fieldsFor = (v) => variantFields(ctrl, v, obj, path, (name, nv) => { obj[name] = nv; emit(); });
  let fields = fieldsFor(variantOf(d, obj));
  if (tag) {
    const select = tagSelect(d, variantOf(d, obj), { id, name: `${path}.${tag}` }, (next) => {
      obj = switchVariant(d, next, obj, d.fallback);
      const fresh = fieldsFor(next);
      wrap.replaceChild(fresh, fields);
      fields = fresh;
      emit();
    });
    wrap.append(select);
  }
  wrap.append(fields);
  return wrap;
}
