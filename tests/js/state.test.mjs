// @ts-check
// URL state (static/js/state.js): params ↔ query string on the API's own schemas (tests/js/fixtures).
// A shared link must reproduce exactly what the sender saw; defaults stay out of the URL; what is not a
// value of its param (a hand-edited or truncated link) falls back to the default.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { describeObject } from "../../static/js/schema.js";
import { VIEW_KEYS, fromQuery, toQuery, viewFromQuery } from "../../static/js/state.js";
import { LAB_IDS, clone, datasetDefaultsFor, datasetsFor, lab } from "./helpers.mjs";

/** @typedef {import("./helpers.mjs").AlgorithmFixture} AlgorithmFixture */

/** @param {AlgorithmFixture} algo @param {Record<string, unknown>} params @param {number} [seed] */
const query = (algo, params, seed = 0) => toQuery(params, seed, algo.defaults, datasetDefaultsFor(algo));

/** @param {AlgorithmFixture} algo @param {string} search */
const parse = (algo, search) => fromQuery(search, {
  schema: algo.params_schema, defaults: algo.defaults, datasetDefaults: datasetDefaultsFor(algo), datasets: datasetsFor(algo),
});

/** toQuery then fromQuery: what a reader of the link gets. @param {AlgorithmFixture} algo @param {Record<string, unknown>} params */
const roundTrip = (algo, params, seed = 0) => parse(algo, `?${query(algo, params, seed)}`);

/** The query as a plain object (order-free comparisons). @param {string} q */
const keys = (q) => Object.fromEntries(new URLSearchParams(q));

const kmeans = lab("kmeans");
const neural = lab("neural-network");
const optimizers = lab("optimizers");
const svm = lab("svm");
const hierarchical = lab("hierarchical");
const pca = lab("pca");

describe("defaults stay out of the URL", () => {
  for (const id of LAB_IDS) {
    test(`${id}: the defaults are just ?seed=0, and read back as the defaults`, () => {
      const algo = lab(id);
      assert.equal(query(algo, clone(algo.defaults)), "seed=0");
      assert.deepEqual(parse(algo, ""), { params: algo.defaults, seed: 0 });
      assert.deepEqual(parse(algo, "?seed=0"), { params: algo.defaults, seed: 0 });
    });
  }

  test("only the changed param is written", () => {
    assert.deepEqual(keys(query(kmeans, { ...clone(kmeans.defaults), k: 7 }, 3)), { seed: "3", k: "7" });
  });

  test("a dataset field equal to its default is left out; a changed one is written alone", () => {
    const params = clone(kmeans.defaults);
    params.dataset.n_samples = 40;
    assert.deepEqual(keys(query(kmeans, params)), { seed: "0", "dataset.n_samples": "40" });
  });

  test("switching dataset writes its name and only the fields that differ from that dataset's defaults", () => {
    const moons = datasetDefaultsFor(kmeans)("moons");
    assert.deepEqual(keys(query(kmeans, { ...clone(kmeans.defaults), dataset: moons })), { seed: "0", "dataset.name": "moons" });
    const noisy = { ...moons, noise: 0.25 };
    assert.deepEqual(keys(query(kmeans, { ...clone(kmeans.defaults), dataset: noisy })),
      { seed: "0", "dataset.name": "moons", "dataset.noise": "0.25" });
  });
});

describe("every kind of param survives the round trip", () => {
  /** @type {[string, AlgorithmFixture, Record<string, unknown>][]} */
  const cases = [
    ["an integer", kmeans, { k: 7 }],
    ["a small float (log slider)", kmeans, { tol: 0.00025 }],
    ["an enum (a click param's named option)", kmeans, { init: "random" }],
    ["manual points (a click param's point list)", kmeans, { k: 2, init: [[0.5, -1.25], [3, 4]] }],
    ["an enum (select)", neural, { activation: "relu", optimizer: "sgd" }],
    ["a boolean switched on", neural, { batch_norm: true }],
    ["a boolean switched off", pca, { standardize: false }],
    ["a log-scale float", neural, { lr: 0.003 }],
    ["a list of integers (hidden layers)", neural, { hidden_layers: [16, 8, 4] }],
    ["an empty list", neural, { hidden_layers: [] }],
    ["a list of options (features)", neural, { features: ["x1", "x2", "x1_x2", "sin_x1"] }],
    ["a list of tagged objects (racers)", optimizers, { runs: [{ optimizer: "adam", lr: 0.01, betas: [0.8, 0.99] }, { optimizer: "sgd", lr: 0.1 }] }],
    ["a point set by a click", optimizers, { start: [-1.5, 2] }],
    ["a nullable number set", hierarchical, { n_clusters: null, distance_threshold: 2.5 }],
    ["a nullable number with a value", svm, { gamma: 0.5 }],
    ["a dataset of the lab's own (PCA's x-datasets)", pca, { dataset: { name: "wine" }, n_components: 3 }],
    ["inline data", kmeans, { dataset: { X: [[0, 1], [2.5, -3]], y: [0, 1] } }],
  ];
  for (const [what, algo, change] of cases) {
    test(`${what} (${algo.id})`, () => {
      const params = { ...clone(algo.defaults), ...clone(change) };
      const q = query(algo, params, 42);
      for (const name of Object.keys(change)) {
        if (name !== "dataset") assert.ok(new URLSearchParams(q).has(name), `${name} is in ${q}`);
      }
      assert.deepEqual(roundTrip(algo, params, 42), { params, seed: 42 });
    });
  }

  test("a nested dataset: another generator with changed fields", () => {
    const params = clone(kmeans.defaults);
    params.dataset = { ...datasetDefaultsFor(kmeans)("moons"), noise: 0.3, n_samples: 150, seed: 9 };
    assert.deepEqual(roundTrip(kmeans, params), { params, seed: 0 });
  });

  test("a nested dataset: a bundled table's feature list and a boolean", () => {
    const params = clone(kmeans.defaults);
    params.dataset = { ...datasetDefaultsFor(kmeans)("wine"), features: ["alcohol", "proline"], standardize: false };
    assert.deepEqual(roundTrip(kmeans, params), { params, seed: 0 });
  });

  for (const id of LAB_IDS) {
    test(`${id}: each number, option and switch, moved off its default alone, comes back`, () => {
      const algo = lab(id);
      let checked = 0;
      for (const d of describeObject(algo.params_schema)) {
        /** @type {unknown} */
        let value;
        const def = algo.defaults[d.name];
        if (d.kind === "select") value = d.options.find((o) => o !== def);
        else if (d.kind === "checkbox") value = !def;
        else if (d.kind === "range" || d.kind === "number") value = d.max !== undefined && d.max !== def ? d.max : d.min;
        if (value === undefined || value === def) continue;
        const params = { ...clone(algo.defaults), [d.name]: value };
        assert.deepEqual(roundTrip(algo, params).params, params, `${id}.${d.name} = ${JSON.stringify(value)}`);
        checked += 1;
      }
      assert.ok(checked > 0);
    });
  }
});

describe("garbage in the URL falls back to the defaults", () => {
  /** @type {[string, AlgorithmFixture, string][]} */
  const garbage = [
    ["a word for an integer", kmeans, "k=abc"],
    ["an empty number", kmeans, "k="],
    ["Infinity", kmeans, "tol=Infinity"],
    ["null for a param that is not nullable", kmeans, "k=null"],
    ["an option the schema does not list", kmeans, "init=kmeans--"],
    ["a select option the schema does not list", neural, "activation=softsign"],
    ["a boolean that is neither", neural, "batch_norm=maybe"],
    ["broken JSON for a list", neural, "hidden_layers=%5B8,8"],
    ["a number for a list", neural, "hidden_layers=8"],
    ["an object for a list", neural, "features=%7B%7D"],
    ["text for a point", optimizers, "start=here"],
    ["an unknown param", kmeans, "n_init=10"],
    ["a dataset nobody serves", kmeans, "dataset.name=mnist"],
    ["a dataset the lab does not take", pca, "dataset.name=moons"],
    ["a field the dataset does not have", kmeans, "dataset.noise=0.2"],
    ["a word for a dataset field", kmeans, "dataset.n_samples=lots"],
    ["broken inline data", kmeans, "dataset=%7B%22X%22:%5B%5B0,1%5D"],
    ["inline data that is not an object", kmeans, "dataset=5"],
  ];
  for (const [what, algo, q] of garbage) {
    test(`${what}: ?${decodeURIComponent(q)} (${algo.id})`, () => {
      assert.deepEqual(parse(algo, `?seed=5&${q}`), { params: algo.defaults, seed: 5 });
    });
  }

  test("garbage in one param keeps the others", () => {
    const { params } = parse(kmeans, "?k=abc&init=random&max_iter=50");
    assert.deepEqual(params, { ...kmeans.defaults, init: "random", max_iter: 50 });
  });

  for (const seed of ["-1", "1.5", "abc", "", "1e3"]) {
    test(`a seed that is not a whole number (${JSON.stringify(seed)}) is 0`, () => {
      assert.equal(parse(kmeans, `?seed=${seed}`).seed, 0);
    });
  }

  test("a value of the right type that breaks a rule comes through (the server names the rule)", () => {
    // tests/e2e/test_player.py::test_invalid_setting_is_shown_next_to_its_control relies on this.
    const { params } = parse(kmeans, "?k=8&dataset.n_samples=5");
    assert.equal(params.k, 8);
    assert.deepEqual(params.dataset, { ...kmeans.defaults.dataset, n_samples: 5 });
    assert.equal(parse(kmeans, "?k=999").params.k, 999);
    assert.equal(parse(kmeans, "?k=2.5").params.k, 2.5);
  });
});

describe("what the page reads", () => {
  test("the leading ? is optional and numbers, options and datasets are typed", () => {
    const search = "seed=3&k=2&init=random&dataset.name=moons&dataset.noise=0.2";
    const moons = datasetDefaultsFor(kmeans)("moons");
    const expected = { params: { ...kmeans.defaults, k: 2, init: "random", dataset: { ...moons, noise: 0.2 } }, seed: 3 };
    assert.deepEqual(parse(kmeans, search), expected);
    assert.deepEqual(parse(kmeans, `?${search}`), expected);
  });

  test("the defaults object is not modified", () => {
    const before = clone(kmeans.defaults);
    parse(kmeans, "?k=2&dataset.n_samples=10");
    assert.deepEqual(kmeans.defaults, before);
  });

  test("without a datasets list the dataset fields are guessed from their text", () => {
    const { params } = fromQuery("?dataset.n_samples=40&dataset.flag=true&dataset.label=a", {
      schema: kmeans.params_schema, defaults: kmeans.defaults, datasetDefaults: datasetDefaultsFor(kmeans),
    });
    assert.deepEqual(params.dataset, { ...kmeans.defaults.dataset, n_samples: 40, flag: true, label: "a" });
  });
});

describe("presenter mode rides in the URL but is never a param", () => {
  for (const id of LAB_IDS) {
    test(`${id}: present=1 round-trips and stays out of the params`, () => {
      const algo = lab(id);
      const datasetDefaults = datasetDefaultsFor(algo);
      const params = clone(algo.defaults);
      const query = toQuery(params, 4, algo.defaults, datasetDefaults, { present: true });
      assert.equal(new URLSearchParams(query).get("present"), "1");
      assert.deepEqual(viewFromQuery(query), { present: true });
      const back = fromQuery(query, { schema: algo.params_schema, defaults: algo.defaults, datasetDefaults, datasets: datasetsFor(algo) });
      assert.deepEqual(back, { params: algo.defaults, seed: 4 }, "present is not sent to the API as a param");
      assert.equal("present" in back.params, false);
      const plain = toQuery(params, 4, algo.defaults, datasetDefaults, { present: false });
      assert.equal(new URLSearchParams(plain).has("present"), false, "off is the default: not written");
      assert.deepEqual(viewFromQuery(plain), { present: false });
    });
  }
  test("VIEW_KEYS names present, and a params object carrying one does not write it as a param", () => {
    assert.deepEqual([...VIEW_KEYS], ["present"]);
    const query = toQuery({ present: 3, k: 2 }, 0, {}, () => null);
    assert.equal(new URLSearchParams(query).has("present"), false);
  });
});
