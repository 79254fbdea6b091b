// @ts-check
// widgets/registry.js: a form control a lab needs and no other lab has, declared by the lab's params schema,
// not by the page. A param whose JSON Schema carries `"x-plugin": "<name>"` is drawn by the plugin module
// `static/js/widgets/<name>.js`, imported on demand, which exports `create(ctx)` returning the control's
// element. controls.js knows no plugin name: adding a widget is one new file here plus the schema hint
// (`fields.plugin(...)` or `json_schema_extra={"x-plugin": ...}` in app/schemas). (This module is not a plugin.)
//
// The value a plugin edits is the param's JSON value as the API takes it; it reports a new one with
// `ctx.onValue(value)` (one run per report) and may put a message under the control with `ctx.showError`.
// The URL keeps the value as JSON in one key (state.js), so a plugin whose value can be large says so to the
// learner rather than break a link.

/**
 * What the form lends a widget plugin.
 * @typedef {Object} WidgetContext
 * @property {import("../controls.js").Controls} controls  the form (other params: `controls.params`)
 * @property {import("../schema.js").PluginDesc} desc  the param's description (its schema, label, help)
 * @property {any} value   the param's current value (undefined: the server's default applies)
 * @property {string} id   the id the field's <label> points at (give it to the main input)
 * @property {string} path where the value lives ("image"): the field's data-path
 * @property {import("../controls.js").OnValue} onValue  report a new value
 * @property {(message: string) => void} showError  a message in plain words under the control
 */

/** @typedef {{create?: (ctx: WidgetContext) => HTMLElement}} WidgetModule */

/** Plugin names are file names in this directory: lower-case words joined by hyphens. */
export const PLUGIN = /^[a-z][a-z-]*$/;

/** @type {(name: string) => Promise<WidgetModule>} */
let importWidget = (name) => import(`./${name}.js`);

/**
 * Replace the dynamic import (node tests).
 * @param {(name: string) => Promise<WidgetModule>} load
 */
export function setWidgetLoader(load) { importWidget = load; }

/**
 * The control of a plugin param: a placeholder at once, the plugin's element once its module has loaded.
 * A plugin that cannot be loaded or throws leaves a line saying so (the rest of the form works).
 * @param {WidgetContext} ctx
 * @returns {HTMLElement}
 */
export function buildPluginWidget(ctx) {
  const name = ctx.desc.plugin;
  const holder = document.createElement("div");
  holder.className = "plugin-widget";
  holder.dataset.plugin = name;
  holder.dataset.ready = "false";
  holder.textContent = "Loading…";
  if (!PLUGIN.test(name)) {
    holder.textContent = `No control for ${ctx.desc.label}.`;
    return holder;
  }
  importWidget(name)
    .then((mod) => {
      if (typeof mod.create !== "function") throw new Error(`widgets/${name}.js exports no create()`);
      holder.replaceChildren(mod.create(ctx));
      holder.dataset.ready = "true";
    })
    .catch((err) => {
      console.warn(`widget ${name}:`, err);
      holder.textContent = `This control (${ctx.desc.label}) could not be loaded; reload the page.`;
      holder.dataset.ready = "failed";
    });
  return holder;
}
