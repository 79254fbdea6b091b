// @ts-check
// Unit tests for static/js/csv-upload.js's words: what a failed upload says, in plain words.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { errorSentence, message } from "../../static/js/csv-upload.js";

test("a parse error names the file, the defect and what to do", () => {
  const body = { detail: [{ type: "csv_not_a_number", loc: ["body", "csv"], msg: "row 3, column 'b': 'oops' is not a number" }] };
  assert.equal(errorSentence("bad.csv", message(422, body)),
    "Could not use bad.csv: row 3, column 'b': 'oops' is not a number. Fix that cell in the file, or pick other columns.");
  const noColumn = { detail: [{ msg: "no column holds only numbers, so there is nothing to use as X" }] };
  assert.equal(errorSentence("t.csv", message(422, noColumn)),
    "Could not use t.csv: no column holds only numbers, so there is nothing to use as X. Pick other columns, or fix the file.");
  assert.equal(errorSentence("e.csv", message(422, { detail: [{ msg: "the file is empty" }] })), "Could not use e.csv: the file is empty.");
});

test("too large, server failures and odd bodies still read as sentences", () => {
  assert.equal(message(413, { detail: "the CSV is over the limit of 2,000,000 bytes (STEPWISE_CSV_MAX_BYTES)" }),
    "the file is too large (the CSV is over the limit of 2,000,000 bytes)");
  assert.equal(message(413, null), "the file is too large");
  assert.equal(message(500, null), "the server failed to read it (HTTP 500); try again");
  assert.equal(message(400, { detail: "bad multipart" }), "bad multipart");
  assert.equal(message(422, { detail: [] }), "the server could not read it (HTTP 422)");
});
