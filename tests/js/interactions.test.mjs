// @ts-check
// Unit tests for static/js/interactions/registry.js: declarations → plugins, click routing, traces, hints.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { Interactions, declarations } from "../../static/js/interactions/registry.js";

/**
 * Collect console.warn calls while `fn` runs.
 * @param {() => unknown} fn
 * @returns {Promise<string[]>}
 */
async function warnings(fn) {
  /** @type {string[]} */
  const seen = [];
  const original = console.warn;
  console.warn = (...args) => seen.push(args.map(String).join(" "));
  try { await fn(); } finally { console.warn = original; }
  return seen;
}

/** A stand-in page context. @param {any} [result] @returns {any} */
const ctx = (result = null) => ({ plot: {}, stage: {}, controls: {}, run: () => ({ result }), redraw: () => {} });

/**
 * A loader over in-memory plugin modules, recording what was asked for.
 * @param {Record<string, any>} modules
 */
function loader(modules) {
  /** @type {string[]} */
  const asked = [];
  /** @param {string} kind */
  const load = async (kind) => {
    asked.push(kind);
    if (!(kind in modules)) throw new Error(`Cannot find module ./${kind}.js`);
    return modules[kind];
  };
  return { load, asked };
}

test("declarations keep entries with a plugin-like kind and warn about the rest", async () => {
  let kept;
  const seen = await warnings(() => {
    kept = declarations([{ kind: "place-points", param: "init" }, { kind: "../evil" }, { kind: "Up" }, "x", null, {}]);
  });
  assert.deepEqual(kept, [{ kind: "place-points", param: "init" }]);
  assert.equal(seen.length, 5);
  assert.deepEqual(declarations(undefined), []);
  assert.deepEqual(await warnings(() => declarations(null)), []);
  assert.equal((await warnings(() => declarations({ kind: "a" }))).length, 1, "not a list: warned, ignored");
});

test("unknown kinds and modules without create are skipped with a warning, not a crash", async () => {
  /** @type {any[]} */
  const made = [];
  const { load, asked } = loader({
    good: { create: (/** @type {any} */ _ctx, /** @type {any} */ decl) => { made.push(decl); return { hint: () => "hello" }; } },
    "not-a-plugin": { something: 1 },
    broken: { create: () => { throw new Error("boom"); } },
  });
  const reg = new Interactions({ load });
  let changed;
  const seen = await warnings(async () => {
    changed = await reg.use([{ kind: "missing" }, { kind: "good", n: 2 }, { kind: "not-a-plugin" }, { kind: "broken" }, { kind: "a/b" }], ctx());
  });
  assert.equal(changed, true);
  assert.deepEqual(asked, ["missing", "good", "not-a-plugin", "broken"], "an invalid kind is never imported");
  assert.deepEqual(made, [{ kind: "good", n: 2 }], "the factory gets its declaration");
  assert.deepEqual(reg.kinds, ["good"]);
  assert.equal(reg.hint(), "hello");
  assert.equal(seen.length, 4);
});

test("the same declarations keep the plugins; others dispose them first", async () => {
  let created = 0;
  let disposed = 0;
  const { load } = loader({ a: { create: () => { created += 1; return { dispose: () => { disposed += 1; } }; } } });
  const reg = new Interactions({ load });
  assert.equal(await reg.use([{ kind: "a" }], ctx()), true);
  assert.equal(await reg.use([{ kind: "a" }], ctx()), false);
  assert.equal(created, 1);
  assert.equal(await reg.use([], ctx()), true);
  assert.equal(disposed, 1);
  assert.deepEqual(reg.kinds, []);
});

test("a newer scene wins over one still loading", async () => {
  /** @type {(v?: unknown) => void} */
  let release = () => {};
  const gate = new Promise((r) => { release = r; });
  let disposed = 0;
  /** @param {string} kind */
  const load = async (kind) => {
    if (kind === "slow") await gate;
    return { create: () => ({ dispose: () => { disposed += 1; } }) };
  };
  const reg = new Interactions({ load });
  const first = reg.use([{ kind: "slow" }], ctx());
  assert.equal(await reg.use([{ kind: "fast" }], ctx()), true);
  release();
  assert.equal(await first, false);
  assert.deepEqual(reg.kinds, ["fast"]);
  assert.equal(disposed, 1, "the late plugin is made and disposed, never active");
});

test("clicks go to a capturing plugin first, then in order, until one takes it", async () => {
  /** @type {[string, unknown][]} */
  const log = [];
  /** @param {string} name @param {{takes?: boolean, capturing?: boolean}} [opts] */
  const plugin = (name, { takes = false, capturing = false } = {}) => ({
    create: () => ({ capturing: () => capturing, onClick: (/** @type {unknown} */ point) => { log.push([name, point]); return takes; } }),
  });
  const { load } = loader({ first: plugin("first"), second: plugin("second", { takes: true }), third: plugin("third", { takes: true }), modal: plugin("modal", { capturing: true }) });
  const reg = new Interactions({ load });
  await reg.use([{ kind: "first" }, { kind: "second" }, { kind: "third" }], ctx());
  assert.equal(reg.click([1, 2], /** @type {any} */ ({})), true);
  assert.deepEqual(log, [["first", [1, 2]], ["second", [1, 2]]]);
  assert.equal(reg.capturing(), false);

  log.length = 0;
  await reg.use([{ kind: "first" }, { kind: "modal" }], ctx());
  assert.equal(reg.capturing(), true);
  assert.equal(reg.click(null, /** @type {any} */ ({})), false);
  assert.deepEqual(log.map(([n]) => n), ["modal", "first"]);
});

test("traces concatenate in order; a result already there reaches new plugins", async () => {
  /** @type {unknown[]} */
  const results = [];
  const { load } = loader({
    a: { create: () => ({ traces: (/** @type {any} */ frame) => [{ name: `a${frame.index}` }], onResult: (/** @type {unknown} */ r) => results.push(r) }) },
    b: { create: () => ({ traces: () => [{ name: "b" }, { name: "b2" }] }) },
  });
  const reg = new Interactions({ load });
  /** @type {any} */
  const result = { neighbors: [] };
  await reg.use([{ kind: "a" }, { kind: "b" }], ctx(result));
  assert.deepEqual(reg.traces({ index: 3 }, result).map((/** @type {any} */ t) => t.name), ["a3", "b", "b2"]);
  assert.deepEqual(results, [result]);
  reg.onResult(null);
  assert.deepEqual(results, [result, null]);
});

test("the default loader imports interactions/<kind>.js and warns for a missing file", async () => {
  const reg = new Interactions();
  const controls = { clickField: () => ({ name: "init" }), clickState: () => ({ points: [[0, 1]], count: 3 }), addPoint() {} };
  let seen = await warnings(() => reg.use([{ kind: "place-points", param: "init" }], { ...ctx(), controls }));
  assert.deepEqual(seen, []);
  assert.deepEqual(reg.kinds, ["place-points"]);
  assert.equal(reg.capturing(), true);
  assert.match(reg.hint() ?? "", /centre 2 of 3/);
  seen = await warnings(() => reg.use([{ kind: "no-such-interaction" }], ctx()));
  assert.equal(seen.length, 1);
  assert.match(seen[0], /no-such-interaction/);
  assert.deepEqual(reg.kinds, []);
});

test("a standing plugin stays across scenes, sees clicks first while capturing, and draws on top", async () => {
  const reg = new Interactions(loader({ a: { create: () => ({ onClick: () => true, traces: () => [{ name: "scene" }], hint: () => "scene hint" }) } }));
  /** @type {string[]} */
  const clicks = [];
  let drawing = false;
  const remove = reg.stand({
    capturing: () => drawing,
    onClick: () => { clicks.push("standing"); return drawing; },
    traces: () => (drawing ? [{ name: "drawn" }] : []),
    hint: () => (drawing ? "drawing" : null),
    figure: (fig) => (drawing && fig ? { ...fig, layout: { fixed: true } } : fig),
  });
  await reg.use([{ kind: "a" }], ctx());
  assert.equal(reg.capturing(), false);
  assert.equal(reg.click([0, 0], /** @type {any} */ ({})), true);
  assert.deepEqual(clicks, ["standing"], "offered first (standing), not taken: the scene's plugin took it");
  assert.equal(reg.hint(), "scene hint");
  drawing = true;
  assert.equal(reg.capturing(), true);
  assert.equal(reg.hint(), "drawing", "a capturing plugin's hint first");
  assert.deepEqual(reg.traces(null, null).map((t) => /** @type {any} */ (t).name), ["scene", "drawn"], "standing traces on top");
  assert.deepEqual(reg.figure({ data: [] }, null, /** @type {any} */ ({})), { data: [], layout: { fixed: true } });
  assert.equal(reg.figure(null, null, /** @type {any} */ ({})), null);
  await reg.use([], ctx()); // a new scene: the scene's plugins go, the standing one stays
  assert.deepEqual(reg.traces(null, null).map((t) => /** @type {any} */ (t).name), ["drawn"]);
  reg.dispose();
  assert.equal(reg.capturing(), true, "dispose() is the scene's plugins only");
  remove();
  assert.equal(reg.capturing(), false);
  assert.deepEqual(reg.traces(null, null), []);
});
