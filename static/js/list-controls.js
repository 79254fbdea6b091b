// list-controls.js: widgets for list-valued params (see list-schema.js for the descriptions).
// Each builder returns the body element of a `.field` made by Controls.build and reports the whole new list
// through onValue (Controls.set → URL + debounced re-run). Fields of an object item that the learner never
// touched stay out of the value, so the server applies its own defaults.

import { LIST_KINDS } from "./list-schema.js";

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("data-") || k.startsWith("aria-")) node.setAttribute(k, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};
const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
const fmt = (v) => (typeof v === "number" ? String(Math.round(v * 1e9) / 1e9) : String(v));
const clamp = (v, lo, hi) => Math.min(Math.max(v, Number.isFinite(lo) ? lo : v), Number.isFinite(hi) ? hi : v);
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** The body for a list widget description `d` (kind multi | numlist | tuple | objlist). */
export function buildList(ctrl, d, value, id, path, onValue) {
  switch (d.kind) {
    case "multi": return buildMulti(d, value, id, path, onValue);
    case "numlist": return buildNumList(ctrl, d, value, id, path, onValue);
    case "tuple": return buildTuple(d, value, id, path, onValue);
    default: return buildObjList(ctrl, d, value, id, path, onValue);
  }
}

const touched = (body) => {
  for (const f of body.querySelectorAll(".invalid")) f.classList.remove("invalid");
  for (const b of body.querySelectorAll(".field-error")) b.hidden = true;
};

/* ── array of enum strings → checkboxes ─────────────────────────────── */
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
      b.parentElement.title = b.disabled ? (b.checked ? `Keep at least ${d.minItems}.` : `At most ${d.maxItems}.`) : "";
    }
  };
  boxes.forEach((box, i) => {
    group.append(el("label", { class: "check-chip", htmlFor: box.id }, box, el("span", { text: String(d.options[i]) })));
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
function buildNumList(ctrl, d, value, id, path, onValue) {
  let items = Array.isArray(value) ? clone(value) : [];
  const wrap = el("div", { class: "list-control numlist" });
  const rows = el("ol", { class: "num-rows" });
  const add = el("button", { type: "button", class: "button ghost small list-add", text: `+ ${d.noun}` });
  const item = d.item;
  const emit = () => { touched(wrap); onValue(clone(items)); };
  const render = () => {
    rows.innerHTML = "";
    items.forEach((v, i) => {
      const sub = { ...item, label: `${cap(d.noun)} ${i + 1}` };
      const rid = i === 0 ? id : `${id}-${i}`;
      const input = item.kind === "range"
        ? ctrl.buildRange(sub, v, rid, `${path}.${i}`, (nv) => { items[i] = nv; emit(); })
        : ctrl.buildNumber(sub, v, rid, `${path}.${i}`, (nv) => { items[i] = nv; emit(); });
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
    const last = items.length ? items[items.length - 1] : (d.fallback?.[0] ?? item.schema?.default ?? 0);
    items.push(clamp(last, item.hardMin ?? item.min, item.hardMax ?? item.max));
    render();
    emit();
    rows.querySelector(".num-row:last-of-type input[type='number']")?.focus();
  });
  render();
  wrap.append(rows, add);
  return wrap;
}

/* ── fixed-length numeric tuple → N inputs ─────────────────────────────── */
function buildTuple(d, value, id, path, onValue) {
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
      onValue(vals.map((v, i) => (d.items[i].integer ? Math.round(v) : v)));
    });
    row.append(input);
  }
  return row;
}

/* ── array of objects / tagged union → a sub-form per item ──────────────── */
function variantOf(d, obj) {
  if (!d.discriminator) return d.variants[0];
  return d.variants.find((v) => v.tag === obj?.[d.discriminator]) ?? d.variants[0];
}

/** A field description tuned for a narrow sub-form: no paragraph of help; sliders only for log scales. */
function compact(fd) {
  const f = { ...fd, help: "", title: fd.help };
  if (fd.kind !== "range" && fd.kind !== "number") return f;
  const s = fd.schema;
  if (fd.log) {
    const hi = s["x-max"] ?? s.maximum ?? s.exclusiveMaximum ?? fd.max;
    const lo = s["x-min"] ?? (s.minimum > 0 ? s.minimum : 10 ** (Math.ceil(Math.log10(hi)) - 6));
    return { ...f, kind: "range", min: lo, max: hi, hardMin: s.minimum, hardMax: s.maximum };
  }
  // A number box: the hard bounds the browser can express, and a step only if the default sits on it.
  const def = s.default;
  const onStep = typeof fd.step === "number" && typeof def === "number"
    && Math.abs(def / fd.step - Math.round(def / fd.step)) < 1e-9;
  return { ...f, kind: "number", min: s.minimum, max: s.maximum, step: onStep ? fd.step : (fd.integer ? 1 : "any") };
}

function newItem(d, used) {
  const v = d.variants.find((x) => !used.includes(x.tag)) ?? d.variants[0];
  const example = (d.fallback ?? []).find((o) => !d.discriminator || o?.[d.discriminator] === v.tag);
  if (example) return clone(example);
  const obj = d.discriminator ? { [d.discriminator]: v.tag } : {};
  for (const f of v.fields) {
    if (!v.required.includes(f.name) || f.schema.default !== undefined) continue;
    obj[f.name] = f.min ?? f.options?.[0] ?? (f.kind === "checkbox" ? false : 0);
  }
  return obj;
}

function buildObjList(ctrl, d, value, id, path, onValue) {
  let items = Array.isArray(value) ? clone(value) : [];
  const wrap = el("div", { class: "list-control objlist" });
  const list = el("ol", { class: "obj-items" });
  const add = el("button", { type: "button", class: "button ghost small list-add", text: `+ ${d.noun}` });
  const emit = () => { touched(wrap); onValue(clone(items)); };
  const renderItem = (obj, i) => {
    const v = variantOf(d, obj);
    const head = el("div", { class: "obj-head" }, el("span", { class: "obj-index", text: `${cap(d.noun)} ${i + 1}` }));
    const iid = `${id}-${i}`;
    if (d.discriminator) {
      const select = el("select", {
        id: i === 0 ? id : iid, name: `${path}.${i}.${d.discriminator}`, "aria-label": `${cap(d.noun)} ${i + 1} ${d.discriminator}`,
        title: v.help,
      });
      for (const x of d.variants) select.append(el("option", { value: String(x.tag), text: String(x.tag) }));
      select.value = String(v.tag);
      select.addEventListener("change", () => {
        const next = d.variants.find((x) => String(x.tag) === select.value);
        const kept = { [d.discriminator]: next.tag };
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
      const field = ctrl.build(sub, shown, `${path}.${i}.${fd.name}`, (nv) => { items[i][fd.name] = nv; emit(); });
      field.dataset.name = fd.name;
      if (sub.title) field.querySelector(":scope > label")?.setAttribute("title", sub.title);
      body.append(field);
    }
    return el("li", {
      class: "obj-item", "data-index": String(i), "data-label": `${cap(d.noun)} ${i + 1}`,
      "data-tag": d.discriminator ? String(v.tag) : null,
    }, head, body);
  };
  const render = () => {
    list.innerHTML = "";
    items.forEach((obj, i) => list.append(renderItem(obj, i)));
    if (!items.length) list.append(el("li", { class: "list-empty", text: `No ${d.noun}s.` }));
    add.disabled = items.length >= d.maxItems;
  };
  add.addEventListener("click", () => {
    const used = d.discriminator ? items.map((o) => o?.[d.discriminator]) : [];
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
 * input and return the message prefixed with where it is ("Run 1 · lr: …"). Other fields: msg unchanged.
 */
export function listErrorMessage(field, parts, msg) {
  const text = String(msg ?? "").replace(/^Value error, /, "");
  if (!field || !LIST_KINDS.has(field.dataset.kind) || parts.length < 2) return text;
  const index = Number(parts[1]);
  if (!Number.isInteger(index)) return text;
  const row = field.querySelector(`:scope .obj-item[data-index="${index}"], :scope .num-row[data-index="${index}"]`);
  if (!row) return text;
  let where = row.dataset.label || `#${index + 1}`;
  if (row.classList.contains("num-row")) row.classList.add("invalid");
  else {
    for (const name of parts.slice(2).reverse()) {
      const sub = row.querySelector(`:scope .field[data-name="${CSS.escape(name)}"]`);
      if (!sub) continue;
      sub.classList.add("invalid");
      const box = sub.querySelector(":scope > .field-error");
      if (box) { box.textContent = text; box.hidden = false; } // right under the input, too
      where += ` · ${name}`;
      break;
    }
  }
  return `${where}: ${text}`;
}
