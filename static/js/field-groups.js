// @ts-check
// field-groups.js: where each control goes and whether it shows. Pure (no DOM): controls.js draws the result.
//
// Schema extras read (shared contract 1 of issue 12):
//   "x-group": "data" | "model" | "training" | "display" on a top-level property (none → "model"; the dataset
//              is always in "data", first, after only the params its list follows: `x-datasets-by`). Groups
//              come in that order, properties in schema order inside one.
//   "x-visible-when": {"<sibling>": [value, ...], ...}: the control shows only while every named sibling's
//              current value is in its list. A hidden control keeps its value (the server ignores it).

/** @typedef {import("./schema.js").Desc} Desc */
/** @typedef {"data" | "model" | "training" | "display"} GroupId */
/** @typedef {{id: GroupId, title: string, descs: Desc[]}} Group  one heading of the form and its controls */

/** @type {readonly GroupId[]} */
export const GROUP_ORDER = Object.freeze(["data", "model", "training", "display"]);

/** @type {Readonly<Record<GroupId, string>>} */
export const GROUP_TITLES = Object.freeze({ data: "Data", model: "Model", training: "Training", display: "Display" });

/** @param {unknown} v @returns {v is GroupId} */
const isGroupId = (v) => typeof v === "string" && /** @type {readonly string[]} */ (GROUP_ORDER).includes(v);

/**
 * The group a control belongs to: the dataset always in "data"; else its `x-group`, "model" when it has none
 * (or names a group the form does not know).
 * @param {Desc} desc
 * @returns {GroupId}
 */
export function groupOf(desc) {
  if (desc.kind === "dataset") return "data";
  const g = desc.hints["x-group"] ?? desc.schema["x-group"];
  return isGroupId(g) ? g : "model";
}

/**
 * The form's groups in order (Data, Model, Training, Display), each with its controls in schema order and the
 * dataset first in Data (after the Data params its list follows, `x-datasets-by`: what it offers depends on
 * them). Groups with no controls are left out.
 * @param {Desc[]} descs  the top-level controls, in schema order
 * @returns {Group[]}
 */
export function groupDescs(descs) {
  /** @type {Map<GroupId, Desc[]>} */
  const by = new Map(GROUP_ORDER.map((g) => [g, []]));
  for (const d of descs) by.get(groupOf(d))?.push(d);
  const data = by.get("data") ?? [];
  // A param the dataset list follows (`x-datasets-by`: a `task` switch) comes right before the picker: it
  // decides what the picker offers, so it is read first.
  const ds = data.find((d) => d.kind === "dataset");
  const hint = ds?.hints["x-datasets-by"];
  const followed = hint && typeof hint === "object" && !Array.isArray(hint) ? Object.keys(hint) : [];
  const first = data.filter((d) => d.kind !== "dataset" && followed.includes(d.name));
  by.set("data", [...first, ...(ds ? [ds] : []), ...data.filter((d) => d !== ds && !first.includes(d))]);
  return GROUP_ORDER.map((id) => ({ id, title: GROUP_TITLES[id], descs: by.get(id) ?? [] }))
    .filter((g) => g.descs.length > 0);
}

/**
 * The `x-visible-when` condition of a control as {sibling: allowed values}, or null when it always shows.
 * A malformed hint (not an object of lists) counts as no condition: a control is never lost to a typo.
 * @param {Desc} desc
 * @returns {Record<string, unknown[]> | null}
 */
export function visibleWhen(desc) {
  const raw = desc.hints["x-visible-when"] ?? desc.schema["x-visible-when"];
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  /** @type {Record<string, unknown[]>} */
  const out = {};
  for (const [name, values] of Object.entries(raw)) if (Array.isArray(values)) out[name] = values;
  return Object.keys(out).length ? out : null;
}

/**
 * The value a condition compares: a dataset (an object with a `name`) by its name, anything else as it is.
 * @param {unknown} v
 */
const comparable = (v) => (v && typeof v === "object" && !Array.isArray(v) && "name" in v ? /** @type {any} */ (v).name : v);

/**
 * Whether `desc` shows for the current `params`: every sibling its `x-visible-when` names has a value in its
 * list. A sibling missing from `params` counts with its schema default; a sibling the form does not have at
 * all (`siblings` lacks it) puts no condition.
 * @param {Desc} desc
 * @param {Record<string, unknown>} params
 * @param {Desc[]} [siblings]  the other top-level controls (for defaults and to know which names exist)
 * @returns {boolean}
 */
export function isVisible(desc, params, siblings = []) {
  const when = visibleWhen(desc);
  if (!when) return true;
  return Object.entries(when).every(([name, allowed]) => {
    const sib = siblings.find((s) => s.name === name);
    if (siblings.length && !sib && !(name in params)) return true;
    const value = name in params ? params[name] : sib?.schema.default;
    const v = comparable(value);
    return allowed.some((a) => a === v || String(a) === String(v));
  });
}

/**
 * Names of the controls hidden for `params` (the ones `isVisible` says no to).
 * @param {Desc[]} descs
 * @param {Record<string, unknown>} params
 * @returns {Set<string>}
 */
export function hiddenNames(descs, params) {
  return new Set(descs.filter((d) => !isVisible(d, params, descs)).map((d) => d.name));
}
