// @ts-check
// The "reproduce this run" snippets (static/js/export.js): the Python literal and the curl command must say
// exactly the request the page ran.

import assert from "node:assert/strict";
import { after, before, describe as suite, test } from "node:test";

import { snippets, toPython } from "../../static/js/export.js";

suite("toPython", () => {
  test("scalars: None, True, False, numbers, strings as JSON writes them", () => {
    assert.deepEqual([null, true, false, 3, -0.5, 1e-8, "a \"b\""].map((v) => toPython(v)),
      ["None", "True", "False", "3", "-0.5", "1e-8", '"a \\"b\\""']);
  });

  test("flat lists stay on one line; lists of objects and objects are indented by 4", () => {
    assert.equal(toPython([1, null, "x"]), '[1, None, "x"]');
    assert.equal(toPython({ params: { k: 3, init: "random", on: true }, seed: 0 }), [
      "{",
      '    "params": {',
      '        "k": 3,',
      '        "init": "random",',
      '        "on": True,',
      "    },",
      '    "seed": 0,',
      "}",
    ].join("\n"));
    assert.equal(toPython([{ a: 1 }]), '[\n    {\n        "a": 1,\n    },\n]');
  });

  test("empty containers, and long lists of points kept on one line", () => {
    assert.equal(toPython([]), "[]");
    assert.equal(toPython({}), "{}");
    const X = Array.from({ length: 9 }, (_, i) => [i, -i]);
    assert.equal(toPython(X), `[${X.map(([a, b]) => `[${a}, ${b}]`).join(", ")}]`);
  });
});

suite("snippets", () => {
  const realWindow = globalThis.window;
  before(() => {
    globalThis.window = /** @type {Window & typeof globalThis} */ (/** @type {unknown} */ ({ location: { origin: "http://lab.example:8000" } }));
  });
  after(() => { globalThis.window = realWindow; });

  test("curl posts the same JSON body, shell-quoted", () => {
    const { curl } = snippets("kmeans", { k: 3, note: "it's" }, 7);
    assert.match(curl, /^curl -sS -X POST 'http:\/\/lab\.example:8000\/api\/v1\/algorithms\/kmeans\/runs' \\$/m);
    const body = curl.split("\n").at(-1)?.replace(/^ {2}-d /, "") ?? "";
    assert.equal(body, `'${JSON.stringify({ params: { k: 3, note: "it's" }, seed: 7 }).replace(/'/g, "'\\''")}'`);
  });

  test("python posts the same body with httpx", () => {
    const { python } = snippets("kmeans", { k: 3, dataset: { name: "moons" } }, 0);
    assert.match(python, /^import httpx$/m);
    assert.match(python, /httpx\.post\("http:\/\/lab\.example:8000\/api\/v1\/algorithms\/kmeans\/runs", json=body, timeout=60\)/);
    assert.ok(python.includes(`body = ${toPython({ params: { k: 3, dataset: { name: "moons" } }, seed: 0 })}`));
  });
});
