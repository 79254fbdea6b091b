// @ts-check
// The API client (static/js/api.js): the SSE parser over awkward chunk boundaries, error sentences, and
// streamRun's resume after a dropped connection, with a stub fetch (no server).

import assert from "node:assert/strict";
import { afterEach, describe as suite, test } from "node:test";

import { ApiError, describeDetail, faultMessage, readEventStream, runUrl, streamRun } from "../../static/js/api.js";

/** @typedef {import("../../static/js/api.js").SseEvent} SseEvent */

const encoder = new TextEncoder();

/**
 * A byte stream that delivers these chunks in order (strings are UTF-8 encoded), then ends or fails.
 * @param {(string | Uint8Array)[]} chunks
 * @param {{fail?: Error}} [opts] fail: error the stream after the chunks (a dropped connection)
 * @returns {ReadableStream<Uint8Array>}
 */
function streamOf(chunks, { fail } = {}) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) {
        const c = chunks[i++];
        controller.enqueue(typeof c === "string" ? encoder.encode(c) : c);
      } else if (fail) controller.error(fail);
      else controller.close();
    },
  });
}

/** Every event the parser reports for these chunks. @param {(string | Uint8Array)[]} chunks */
async function eventsOf(chunks) {
  /** @type {SseEvent[]} */
  const out = [];
  await readEventStream(streamOf(chunks), (e) => out.push(e));
  return out;
}

suite("readEventStream", () => {
  test("events with names, ids and multi-line data; comments and unknown fields ignored", async () => {
    const text = ": keep-alive\n\nevent: frame\nid: 0\ndata: {\"a\":\ndata: 1}\n\nretry: 10\ndata: plain\n\n";
    assert.deepEqual(await eventsOf([text]), [
      { event: "frame", data: "{\"a\":\n1}", id: "0" },
      { event: "message", data: "plain", id: null },
    ]);
  });

  test("one space after the colon is dropped, others kept; a field with no colon is empty", async () => {
    assert.deepEqual(await eventsOf(["data:  two\ndata\n\n"]), [{ event: "message", data: " two\n", id: null }]);
  });

  test("LF, CRLF and CR all end lines", async () => {
    const expected = [{ event: "a", data: "1", id: null }, { event: "b", data: "2", id: null }];
    for (const nl of ["\n", "\r\n", "\r"]) {
      assert.deepEqual(await eventsOf([`event: a${nl}data: 1${nl}${nl}event: b${nl}data: 2${nl}${nl}`]), expected, JSON.stringify(nl));
    }
  });

  test("a CRLF split across two chunks is one line end, not an empty line (which would end the event)", async () => {
    assert.deepEqual(await eventsOf(["event: frame\r", "\ndata: 1\r", "\ndata: 2\r\n\r\n"]), [
      { event: "frame", data: "1\n2", id: null },
    ]);
  });

  test("any split of the bytes gives the same events (multi-byte UTF-8 included)", async () => {
    const text = "event: frame\r\nid: 7\r\ndata: {\"caption\": \"Σ fell — 3→2 ✓\"}\r\n\r\nevent: result\ndata: {}\n\n";
    const bytes = encoder.encode(text);
    const whole = await eventsOf([bytes]);
    assert.equal(whole.length, 2);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      assert.deepEqual(await eventsOf([bytes.slice(0, cut), bytes.slice(cut)]), whole, `cut at byte ${cut}`);
    }
    const oneByOne = Array.from(bytes, (b) => Uint8Array.of(b));
    assert.deepEqual(await eventsOf(oneByOne), whole);
  });

  test("the last event is delivered even without the closing blank line", async () => {
    assert.deepEqual(await eventsOf(["event: result\ndata: {}"]), [{ event: "result", data: "{}", id: null }]);
    assert.deepEqual(await eventsOf(["event: result\ndata: {}\r"]), [{ event: "result", data: "{}", id: null }]);
  });
});

suite("error sentences", () => {
  test("describeDetail: busy, too large, pydantic's list, a string, nothing, anything", () => {
    assert.match(describeDetail(503, null), /busy/);
    assert.match(describeDetail(413, "x"), /too large/);
    const list = [{ loc: ["body", "params", "k"], msg: "Input should be ≤ 20" }, { loc: ["body"], msg: "Bad" }, "odd"];
    assert.equal(describeDetail(422, list), "k: Input should be ≤ 20; Bad; odd");
    assert.equal(describeDetail(404, "Unknown algorithm 'x'"), "Unknown algorithm 'x'");
    assert.equal(describeDetail(500, null), "Request failed (HTTP 500).");
    assert.equal(describeDetail(500, { a: 1 }), '{"a":1}');
  });

  test("faultMessage: the lab's fault, a limit, or the request's own (null)", () => {
    assert.match(/** @type {string} */ (faultMessage({ fault: "server", error: "ValueError" })), /bug on our side.*\(ValueError\)/);
    assert.match(/** @type {string} */ (faultMessage({ fault: "limit", detail: "at most 2,000 points" })), /bigger than this server allows one run: at most 2,000 points/);
    assert.equal(faultMessage({ detail: "k must be ≤ n" }), null);
    assert.equal(faultMessage(null), null);
    const error = new ApiError(500, "boom", null, { detail: "boom", fault: "server", error: "KeyError" });
    assert.equal(error.reason, "KeyError");
    assert.match(/** @type {string} */ (faultMessage(error)), /\(KeyError\)/);
  });

  test("ApiError carries the status, detail and who is at fault", () => {
    const error = new ApiError(422, [{ loc: ["body", "params", "k"], msg: "too big" }], null, { fault: "limit", setting: "k" });
    assert.ok(error instanceof Error);
    assert.equal(error.message, "k: too big");
    assert.deepEqual([error.status, error.fault, error.setting, error.reason], [422, "limit", "k", null]);
  });

  test("runUrl", () => {
    assert.equal(runUrl("k means"), "/api/v1/algorithms/k%20means/runs");
    assert.equal(runUrl("kmeans", { figure: true, origin: "http://h" }), "http://h/api/v1/algorithms/kmeans/runs?figure=true");
  });
});

suite("streamRun", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => { globalThis.fetch = realFetch; });

  /** @param {number} i */
  const frame = (i) => `event: frame\nid: ${i}\ndata: {"index": ${i}, "kind": "step"}\n\n`;
  const SSE = { "Content-Type": "text/event-stream" };

  /**
   * Replace fetch with one that answers each call from `answers` in turn, recording the requests.
   * @param {(() => Response)[]} answers
   */
  function stubFetch(answers) {
    /** @type {{url: string, headers: Record<string, string>}[]} */
    const calls = [];
    globalThis.fetch = async (url, init) => {
      calls.push({ url: String(url), headers: /** @type {Record<string, string>} */ (init?.headers ?? {}) });
      const answer = answers[calls.length - 1];
      if (!answer) throw new Error("unexpected fetch");
      return answer();
    };
    return calls;
  }

  /** Collect what the handlers see. */
  function recorder() {
    /** @type {string[]} */
    const seen = [];
    return {
      seen,
      handlers: {
        onScene: () => seen.push("scene"),
        onFrame: (/** @type {{index: number}} */ f) => seen.push(`frame ${f.index}`),
        onResult: () => seen.push("result"),
        onError: (/** @type {{detail?: unknown}} */ e) => seen.push(`error ${e.detail}`),
      },
    };
  }

  test("a dropped connection resumes with Last-Event-ID and skips frames already shown", async () => {
    const calls = stubFetch([
      () => new Response(streamOf([`event: scene\ndata: {}\n\n${frame(0)}${frame(1)}`], { fail: new TypeError("network") }), { headers: SSE }),
      // The server replays from after the last id; a frame repeated anyway is not shown twice.
      () => new Response(streamOf([`event: scene\ndata: {}\n\n${frame(1)}${frame(2)}event: result\ndata: {}\n\n`]), { headers: SSE }),
    ]);
    const { seen, handlers } = recorder();
    await streamRun("kmeans", { params: {}, seed: 0 }, handlers);
    assert.deepEqual(seen, ["scene", "frame 0", "frame 1", "frame 2", "result"]);
    assert.equal(calls.length, 2);
    assert.equal(calls[0].headers["Last-Event-ID"], undefined);
    assert.equal(calls[1].headers["Last-Event-ID"], "1");
    assert.equal(calls[0].url, "/api/v1/algorithms/kmeans/runs?figure=true");
  });

  test("a queued run reports its place in the queue before its first frame", async () => {
    stubFetch([
      () => new Response(streamOf([
        'event: queued\ndata: {"position":2}\n\nevent: queued\ndata: {"position":1}\n\n',
        `event: scene\ndata: {}\n\n${frame(0)}event: result\ndata: {}\n\n`,
      ]), { headers: SSE }),
    ]);
    const { seen, handlers } = recorder();
    const queued = { ...handlers, onQueued: (/** @type {{position: number}} */ q) => seen.push(`queued ${q.position}`) };
    await streamRun("kmeans", {}, queued);
    assert.deepEqual(seen, ["queued 2", "queued 1", "scene", "frame 0", "result"]);
  });

  test("an HTTP error is an ApiError at once (no retry)", async () => {
    const calls = stubFetch([
      () => new Response(JSON.stringify({ detail: [{ loc: ["body", "params", "k"], msg: "too big" }] }), { status: 422 }),
    ]);
    const { handlers } = recorder();
    await assert.rejects(streamRun("kmeans", {}, handlers), (/** @type {unknown} */ e) => e instanceof ApiError && e.status === 422 && e.message === "k: too big");
    assert.equal(calls.length, 1);
  });

  test("a 503 carries Retry-After", async () => {
    stubFetch([() => new Response("{}", { status: 503, headers: { "Retry-After": "2" } })]);
    await assert.rejects(streamRun("kmeans", {}, {}), (/** @type {unknown} */ e) => e instanceof ApiError && e.retryAfter === 2);
  });

  test("a server error event ends the run without a retry", async () => {
    const calls = stubFetch([
      () => new Response(streamOf([`${frame(0)}event: error\ndata: {"detail": "diverged", "fault": "server"}\n\n`]), { headers: SSE }),
    ]);
    const { seen, handlers } = recorder();
    await streamRun("kmeans", {}, handlers);
    assert.deepEqual(seen, ["frame 0", "error diverged"]);
    assert.equal(calls.length, 1);
  });

  test("a server that ignores Accept: the JSON document is replayed as if streamed", async () => {
    const body = { scene: {}, frames: [{ index: 0 }, { index: 1 }], result: {} };
    stubFetch([() => new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } })]);
    const { seen, handlers } = recorder();
    await streamRun("kmeans", {}, handlers);
    assert.deepEqual(seen, ["scene", "frame 0", "frame 1", "result"]);
  });
});
