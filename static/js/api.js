// @ts-check
// api.js: the JSON API client, including a POST-capable Server-Sent Events reader.
// EventSource cannot POST, so runs are read with fetch + ReadableStream and parsed here.
// No DOM: fetch, streams and TextDecoder only (node --test drives it with a stub fetch).

export const API = "/api/v1";

/**
 * An error body or an SSE `error` event's data: `detail` (a sentence or pydantic's list) and, for a run that
 * failed on valid settings, who is at fault. Open: other keys may come along.
 * @typedef {{detail?: unknown, fault?: "server" | "limit" | null, setting?: string | null, error?: string | null,
 *   reason?: string | null, [key: string]: unknown}} ErrorPayload
 */
/** One pydantic validation error as FastAPI sends it. @typedef {{loc?: (string | number)[], msg?: unknown}} ValidationItem */
/** One parsed SSE event. @typedef {{event: string, data: string, id: string | null}} SseEvent */
/**
 * What a run stream calls back with, one handler per SSE event name (all optional). Payloads are the
 * parsed JSON of each event's data: the API's frame / scene / panels / result models.
 * @typedef {{
 *   onScene?: (scene: any) => void,
 *   onFrame?: (frame: any) => void,
 *   onPanels?: (panels: any) => void,
 *   onResult?: (result: any) => void,
 *   onError?: (error: ErrorPayload) => void,
 *   onQueued?: (queued: {position: number}) => void,
 * }} RunHandlers
 */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isRecord = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
/** @param {Record<string, unknown> | null} body @param {string} key @returns {string | null} */
const field = (body, key) => {
  const v = body?.[key];
  return v === undefined || v === null ? null : String(v);
};

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {unknown} detail the body's `detail` (or the whole body when it has none)
   * @param {number | null} [retryAfter] seconds, from a 503's Retry-After
   * @param {unknown} [body] the parsed error body
   */
  constructor(status, detail, retryAfter = null, body = null) {
    super(describeDetail(status, detail));
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
    const record = isRecord(body) ? body : null;
    // Who is at fault, from the error body: "server" (the lab broke on valid settings: a bug on our side),
    // "limit" (valid settings that need more than this server gives one run), or null (the request itself).
    /** @type {string | null} */
    this.fault = field(record, "fault");
    /** @type {string | null} */
    this.setting = field(record, "setting");
    /** @type {string | null} */
    this.reason = field(record, "error");
  }
}

/**
 * The sentence the page shows for a run that failed for a reason other than invalid settings, from an
 * error body or an SSE `error` event's data (`{detail, fault, setting?, error?}`); null when the fault is
 * the request's own (a validation message, shown next to the controls instead).
 * @param {ErrorPayload | ApiError | null | undefined} payload
 * @returns {string | null}
 */
export function faultMessage(payload) {
  if (!payload) return null;
  const fault = payload.fault;
  if (fault === "server") {
    const why = ("error" in payload ? payload.error : null) ?? payload.reason;
    const reason = why ? ` (${why})` : "";
    return `The lab failed: a bug on our side, not your settings${reason}. It has been logged; `
      + "other settings may work.";
  }
  if (fault === "limit") {
    return `This run is bigger than this server allows one run: ${payload.detail ?? "a limit was reached"}`;
  }
  return null;
}

/**
 * A human sentence for an error body's `detail` (string, pydantic list, or anything).
 * @param {number} status
 * @param {unknown} detail
 * @returns {string}
 */
export function describeDetail(status, detail) {
  if (status === 503) return "The server is busy with other runs. Trying again shortly…";
  if (status === 413) return "That request is too large. Use fewer points.";
  if (Array.isArray(detail)) {
    return detail.map((/** @type {ValidationItem | string} */ d) => {
      if (!isRecord(d)) return String(d);
      const loc = (d.loc || []).filter((p) => p !== "body" && p !== "params").join(".");
      return loc ? `${loc}: ${d.msg}` : String(d.msg ?? d);
    }).join("; ");
  }
  if (typeof detail === "string") return detail;
  if (detail == null) return `Request failed (HTTP ${status}).`;
  return JSON.stringify(detail);
}

/** @param {Response} response a non-2xx answer @returns {Promise<ApiError>} */
async function errorFrom(response) {
  /** @type {unknown} */
  let detail = null;
  /** @type {unknown} */
  let body = null;
  try {
    body = await response.json();
    detail = isRecord(body) && "detail" in body ? body.detail : body;
  } catch {
    detail = response.statusText || null;
  }
  const retry = Number(response.headers.get("Retry-After"));
  return new ApiError(response.status, detail, Number.isFinite(retry) && retry > 0 ? retry : null, body);
}

/**
 * GET a JSON document under /api/v1; throws ApiError for a non-2xx answer.
 * @param {string} path e.g. "/datasets"
 * @param {{signal?: AbortSignal}} [opts]
 * @returns {Promise<any>} the parsed body (the caller knows which API model it is)
 */
export async function getJSON(path, { signal } = {}) {
  const response = await fetch(API + path, { headers: { Accept: "application/json" }, signal });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/** GET /api/v1/algorithms/{id}. @param {string} id @param {{signal?: AbortSignal}} [opts] */
export const getAlgorithm = (id, opts) => getJSON(`/algorithms/${encodeURIComponent(id)}`, opts);
/** GET /api/v1/datasets. @param {{signal?: AbortSignal}} [opts] */
export const getDatasets = (opts) => getJSON("/datasets", opts);

/**
 * The runs endpoint of an algorithm.
 * @param {string} id
 * @param {{figure?: boolean, origin?: string}} [opts] figure: ask for figures; origin: make it absolute
 * @returns {string}
 */
export function runUrl(id, { figure = false, origin = "" } = {}) {
  return `${origin}${API}/algorithms/${encodeURIComponent(id)}/runs${figure ? "?figure=true" : ""}`;
}

/**
 * Parse an SSE byte stream. Calls onEvent({event, data, id}) for each complete event.
 * `data` lines are joined with "\n"; the event name defaults to "message".
 * @param {ReadableStream<Uint8Array>} body
 * @param {(event: SseEvent) => void} onEvent
 * @param {{signal?: AbortSignal}} [opts]
 * @returns {Promise<void>}
 */
export async function readEventStream(body, onEvent, { signal } = {}) {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  /** @type {{event: string, data: string[], id: string | null}} */
  let ev = { event: "", data: [], id: null };
  const dispatch = () => {
    if (ev.data.length || ev.event) {
      onEvent({ event: ev.event || "message", data: ev.data.join("\n"), id: ev.id });
    }
    ev = { event: "", data: [], id: null };
  };
  /** @param {string} line one line, without its terminator */
  const handleLine = (line) => {
    if (line === "") return dispatch();
    if (line.startsWith(":")) return undefined; // comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") ev.event = value;
    else if (field === "data") ev.data.push(value);
    else if (field === "id") ev.id = value;
    return undefined;
  };
  /**
   * Handle every complete line in the buffer. A CR that ends what has arrived so far may be the first half
   * of a CRLF split across two chunks: it waits for the next chunk unless the stream has ended.
   * @param {boolean} ended
   */
  const drain = (ended) => {
    let nl;
    while ((nl = buffer.search(/\r\n|\r|\n/)) !== -1) {
      if (!ended && buffer[nl] === "\r" && nl === buffer.length - 1) break;
      const line = buffer.slice(0, nl);
      const skip = buffer[nl] === "\r" && buffer[nl + 1] === "\n" ? 2 : 1;
      buffer = buffer.slice(nl + skip);
      handleLine(line);
    }
  };
  try {
    for (;;) {
      if (signal?.aborted) break;
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      drain(false);
    }
    buffer += decoder.decode();
    drain(true);
    if (buffer) handleLine(buffer);
    dispatch();
  } finally {
    reader.releaseLock?.();
  }
}

/**
 * Start a streamed run. Handlers: onScene, onFrame, onPanels, onResult, onError (server `event: error`),
 * onQueued (`event: queued` {position}: the run waits behind `position` others before its first frame).
 * Resolves when the stream ends; rejects with ApiError for non-2xx, AbortError when aborted.
 * A stream that breaks before its result (a dropped connection, a restarted replica) is resumed up to
 * `retries` times with `Last-Event-ID`: the server replays the run and skips the frames already here.
 * @param {string} id the algorithm
 * @param {{params?: Record<string, unknown>, seed?: number}} body the run request
 * @param {RunHandlers} handlers
 * @param {{signal?: AbortSignal, retries?: number}} [opts]
 * @returns {Promise<void>}
 */
export async function streamRun(id, body, handlers, { signal, retries = 3 } = {}) {
  /** @type {number | null} */
  let lastIndex = null;
  let finished = false;
  let attempt = 0;
  /** @param {SseEvent} event */
  const onEvent = ({ event, data, id: eventId }) => {
    /** @type {any} an API model, by event name */
    let payload;
    try {
      payload = data ? JSON.parse(data) : null;
    } catch {
      handlers.onError?.({ detail: `Could not read a "${event}" event from the server.` });
      return;
    }
    switch (event) {
      case "scene": if (attempt === 0) handlers.onScene?.(payload); break;
      case "frame":
        if (payload && payload.index == null && eventId != null) payload.index = Number(eventId);
        if (payload && lastIndex !== null && payload.index <= lastIndex) break;
        lastIndex = payload ? payload.index : lastIndex;
        handlers.onFrame?.(payload);
        break;
      case "panels": handlers.onPanels?.(payload); break;
      case "queued": handlers.onQueued?.(payload); break; // the server is busy: this run waits its turn
      case "result": finished = true; handlers.onResult?.(payload); break;
      case "error": finished = true; handlers.onError?.(payload || { detail: "The run failed." }); break;
      default: break;
    }
  };
  for (;;) {
    /** @type {Record<string, string>} */
    const headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
    if (lastIndex !== null) headers["Last-Event-ID"] = String(lastIndex);
    try {
      const response = await fetch(runUrl(id, { figure: true }), {
        method: "POST", headers, body: JSON.stringify(body), signal,
      });
      if (!response.ok) throw await errorFrom(response);
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("text/event-stream")) {
        // A server that ignored Accept: replay the whole JSON body as if streamed.
        const all = await response.json();
        if (all.scene) handlers.onScene?.(all.scene);
        for (const frame of all.frames || []) handlers.onFrame?.(frame);
        if (all.panels) handlers.onPanels?.(all.panels);
        if (all.result) handlers.onResult?.(all.result);
        return;
      }
      if (!response.body) throw new Error("The server sent an empty stream.");
      await readEventStream(response.body, onEvent, { signal });
    } catch (error) {
      // Only a broken connection is retried: HTTP errors and aborts go to the caller.
      const aborted = isRecord(error) && error.name === "AbortError"; // a DOMException from fetch or a reader
      if (error instanceof ApiError || aborted || signal?.aborted) throw error;
      if (attempt >= retries) throw error;
    }
    if (finished || signal?.aborted) return;
    if (attempt >= retries) {
      handlers.onError?.({ detail: "The connection kept dropping before the run finished." });
      return;
    }
    attempt += 1;
    await new Promise((resolve) => { setTimeout(resolve, 300 * attempt); });
  }
}
