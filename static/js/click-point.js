// click-point.js: a single-point param set by clicking the main plot.
// Schema hint: `"x-click": {"mode": "set"}` on a [x, y] param (nullable: null = the lab's own default).
// The widget shows the point and a "Default" button; a click on the plot sets it and re-runs.

const round = (v) => Math.round(v * 1000) / 1000;

/** The description of the controls' single-point field, or null. */
export function pointField(controls) {
  return controls?.descs?.find((d) => d.kind === "point") ?? null;
}

/** The widget for a point param: its value as text, and a button back to the default (null). */
export function buildPoint(d, value, id, onValue) {
  const wrap = document.createElement("div");
  wrap.className = "point-control";
  const text = document.createElement("output");
  text.id = id;
  text.className = "point-value";
  text.textContent = Array.isArray(value) ? `(${value.map(round).join(", ")})` : "default";
  const hint = document.createElement("span");
  hint.className = "hint";
  hint.textContent = " — click the plot to move it";
  wrap.append(text, hint);
  if (d.nullable) {
    const reset = document.createElement("button");
    reset.type = "button";
    reset.className = "button ghost small";
    reset.textContent = "Default";
    reset.addEventListener("click", () => { text.textContent = "default"; onValue(null); });
    wrap.append(reset);
  }
  return wrap;
}

/** Set the point param from plot coordinates [x, y]; returns true when the page has such a param. */
export function setPointFromClick(controls, point) {
  const d = pointField(controls);
  if (!d || !point) return false;
  const value = point.map(round);
  const out = controls.container.querySelector(`[data-path="${d.name}"] .point-value`);
  if (out) out.textContent = `(${value.join(", ")})`;
  controls.set(d.name, value);
  return true;
}
