// @ts-check
// interactions/set-point.js: a click on the plot sets a single [x, y] param (the optimisers' start point).
//
// Declaration: {"kind": "set-point", "param": "start"}. The param's widget (click-point.js, from the schema's
// `x-click: {mode: "set"}` hint) shows the value and a "Default" button; a click inside the axes sets the value,
// which re-runs like any other edit.

import { setPoint } from "../click-point.js";

/**
 * @param {import("./registry.js").InteractionContext} ctx
 * @param {import("./registry.js").Declaration} decl
 * @returns {import("./registry.js").Interaction}
 */
export function create(ctx, decl) {
  const name = String(decl.param ?? "");
  if (ctx.controls.desc(name)?.kind !== "point") {
    console.warn(`set-point: "${name}" is not a point param of this lab; ignored`);
    return {};
  }
  return {
    onClick(point) {
      if (!point) return false;
      setPoint(ctx.controls, name, point);
      return true;
    },
  };
}
