// @ts-check
// Your own data in a share link (static/js/data-link.js): `data=d1.<base64url>` must give back exactly the
// points the sender ran on, stay short, and never break the page when the link is damaged.

import assert from "node:assert/strict";
import { describe as suite, test } from "node:test";

import {
  MAX_LINK_POINTS, compactDataQuery, decodeData, encodeData, expandDataQuery, roundTrip,
} from "../../static/js/data-link.js";
import { fromQuery, toQuery } from "../../static/js/state.js";
import { clone, datasetDefaultsFor, datasetsFor, lab } from "./helpers.mjs";

/**
 * A deterministic spread of points with `decimals` digits (no Math.random: tests repeat exactly).
 * @param {number} n
 * @param {number} [decimals]
 * @param {number} [classes]
 * @returns {{X: number[][], y: number[]}}
 */
function points(n, decimals = 2, classes = 3) {
  const f = 10 ** decimals;
  const X = [];
  const y = [];
  for (let i = 0; i < n; i += 1) {
    // (+ 0 turns -0 into 0: JSON, and so the link, has no negative zero)
    X.push([Math.round(Math.sin(i * 1.7) * 40 * f) / f + 0, Math.round(Math.cos(i * 0.3) * -12.5 * f) / f + 0]);
    y.push(i % classes);
  }
  return { X, y };
}

suite("encode / decode", () => {
  test("points and labels come back exactly", () => {
    for (const decimals of [0, 1, 3, 6]) {
      const data = points(120, decimals);
      const text = encodeData(data);
      assert.ok(text !== null && text.startsWith("d1."));
      assert.deepEqual(decodeData(text), data, `${decimals} decimals`);
    }
  });

  test("negative, zero and large coordinates", () => {
    const data = { X: [[0, -0.5], [-123456.789, 98765.4321], [1e-6, -1e-6]], y: [0, 1, 2] };
    assert.deepEqual(decodeData(/** @type {string} */ (encodeData(data))), data);
  });

  test("without labels (or with labels that are not class numbers) only X goes in the link", () => {
    const { X } = points(10);
    assert.deepEqual(decodeData(/** @type {string} */ (encodeData({ X }))), { X });
    assert.deepEqual(decodeData(/** @type {string} */ (encodeData({ X, y: X.map(() => 0.5) }))), { X });
    assert.deepEqual(decodeData(/** @type {string} */ (encodeData({ X, y: X.map(() => -1) }))), { X });
  });

  test("more than 6 decimals round to 6 (and roundTrip says what the link will hold)", () => {
    const data = { X: [[Math.PI, Math.E]] };
    const held = roundTrip(data);
    assert.deepEqual(held, { X: [[3.141593, 2.718282]] });
    assert.deepEqual(roundTrip(held), held);
  });

  test("what cannot go in a link: null from encodeData, unchanged from roundTrip", () => {
    const many = points(MAX_LINK_POINTS + 1);
    assert.equal(encodeData(many), null);
    assert.equal(roundTrip(many), many);
    assert.equal(encodeData({ X: [] }), null);
    assert.equal(encodeData({ X: [[1, 2, 3]] }), null);
  });

  test("500 labelled points fit in a few kilobytes of URL-safe text", () => {
    const text = /** @type {string} */ (encodeData(points(MAX_LINK_POINTS)));
    assert.match(text, /^d1\.[A-Za-z0-9_-]+$/);
    assert.ok(text.length < 4000, `${text.length} characters`);
  });

  test("damaged text throws (the page then runs the defaults)", () => {
    assert.throws(() => decodeData("d2.AAAA"), /unknown data encoding/);
    const text = /** @type {string} */ (encodeData(points(20)));
    assert.throws(() => decodeData(text.slice(0, 11)), /truncated/);
    assert.throws(() => decodeData(`d1.${Buffer.from([9, 1, 1]).toString("base64url")}`), /bad data header/);
  });
});

suite("the share link", () => {
  const kmeans = lab("kmeans");
  const opts = { schema: kmeans.params_schema, defaults: kmeans.defaults, datasetDefaults: datasetDefaultsFor(kmeans), datasets: datasetsFor(kmeans) };

  test("inline data goes out as data=d1.… and comes back as the same params", () => {
    const params = { ...clone(kmeans.defaults), k: 3, dataset: points(60) };
    const link = compactDataQuery(toQuery(params, 7, kmeans.defaults, opts.datasetDefaults));
    const q = new URLSearchParams(link);
    assert.ok(!q.has("dataset"));
    assert.ok(q.get("data")?.startsWith("d1."));
    assert.deepEqual(fromQuery(expandDataQuery(`?${link}`), opts), { params, seed: 7 });
  });

  test("a query without inline data is left alone", () => {
    for (const query of ["seed=0&k=3", "seed=0&dataset.name=moons", "dataset=%7Bbroken"]) {
      assert.equal(compactDataQuery(query), query);
    }
    assert.equal(expandDataQuery("?seed=1&k=2"), "?seed=1&k=2");
  });

  test("data too big for a link is dropped from it (the run still used it)", () => {
    const query = new URLSearchParams({ seed: "0", dataset: JSON.stringify(points(MAX_LINK_POINTS + 1)) }).toString();
    assert.equal(compactDataQuery(query), "seed=0");
  });

  test("a damaged data= link falls back to the lab's default dataset", () => {
    const search = expandDataQuery("?seed=2&k=3&data=d1.%%%");
    assert.deepEqual(fromQuery(search, opts), { params: { ...kmeans.defaults, k: 3 }, seed: 2 });
  });
});
