// api.js: the JSON API client, including a POST-capable Server-Sent Events reader.
// EventSource cannot POST, so runs are read with fetch + ReadableStream and parsed here.

export const API = "/api/v1";

export class ApiError extends Error {
  constructor(status, detail, retryAfter = null, body = null) {
    super(describeDetail(status, detail));
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
    // Who is at fault, from the error body: "server" (the lab broke on valid settings: a bug on our side),
    // "limit" (valid settings that need more than this server gives one run), or null (the request itself).
    this.fault = body && typeof body === "object" ? body.fault ?? null : null;
    this.setting = body && typeof body === "object" ? body.setting ?? null : null;
    this.reason = body && typeof body === "object" ? body.error ?? null : null;
  }
}

/**
 * The sentence the page shows for a run that failed for a reason other than invalid settings, from an
 * error body or an SSE `error` event's data (`{detail, fault, setting?, error?}`); null when the fault is
 * the request's own (a validation message, shown next to the controls instead).
 */
export function faultMessage(payload) {
  const fault = payload?.fault;
  if (fault === "server") {
    const why = payload.error ?? payload.reason;
    const reason = why ? ` (${why})` : "";
    return `The lab failed: a bug on our side, not your settings${reason}. It has been logged; `
      + "other settings may work.";
  }
  if (fault === "limit") {
    return `This run is bigger than this server allows one run: ${payload.detail ?? "a limit was reached"}`;
  }
  return null;
}

/** A human sentence for an error body's `detail` (string, pydantic list, or anything). */
export function describeDetail(status, detail) {
  if (status === 503) return "The server is busy with other runs. Trying again shortly…";
  if (status === 413) return "That request is too large. Use fewer points.";
  if (Array.isArray(detail)) {
    return detail.map((d) => {
      const loc = (d.loc || []).filter((p) => p !== "body" && p !== "params").join(".");
      return loc ? `${loc}: ${d.msg}` : String(d.msg ?? d);
    }).join("; ");
  }
  if (typeof detail === "string") return detail;
  if (detail == null) return `Request failed (HTTP ${status}).`;
  return JSON.stringify(detail);
}

async function errorFrom(response) {
  let detail = null;
  let body = null;
  try {
    body = await response.json();
    detail = body && "detail" in body ? body.detail : body;
  } catch {
    detail = response.statusText || null;
  }
  const retry = Number(response.headers.get("Retry-After"));
  return new ApiError(response.status, detail, Number.isFinite(retry) && retry > 0 ? retry : null, body);
}

export async function getJSON(path, { signal } = {}) {
  const response = await fetch(API + path, { headers: { Accept: "application/json" }, signal });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

export const getAlgorithm = (id, opts) => getJSON(`/algorithms/${encodeURIComponent(id)}`, opts);
export const getDatasets = (opts) => getJSON("/datasets", opts);

export function runUrl(id, { figure = false, origin = "" } = {}) {
  return `${origin}${API}/algorithms/${encodeURIComponent(id)}/runs${figure ? "?figure=true" : ""}`;
}

/**
 * Parse an SSE byte stream. Calls onEvent({event, data, id}) for each complete event.
 * `data` lines are joined with "\n"; the event name defaults to "message".
 */
export async function readEventStream(body, onEvent, { signal } = {}) {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let ev = { event: "", data: [], id: null };
  const dispatch = () => {
    if (ev.data.length || ev.event) {
      onEvent({ event: ev.event || "message", data: ev.data.join("\n"), id: ev.id });
    }
    ev = { event: "", data: [], id: null };
  };
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
  try {
    for (;;) {
      if (signal?.aborted) break;
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buffer.search(/\r\n|\r|\n/)) !== -1) {
        const line = buffer.slice(0, nl);
        const skip = buffer[nl] === "\r" && buffer[nl + 1] === "\n" ? 2 : 1;
        buffer = buffer.slice(nl + skip);
        handleLine(line);
      }
    }
    buffer += decoder.decode();
    if (buffer) handleLine(buffer);
    dispatch();
  } finally {
    reader.releaseLock?.();
  }
}

/**
 * Start a streamed run. Handlers: onScene, onFrame, onPanels, onResult, onError (server `event: error`).
 * Resolves when the stream ends; rejects with ApiError for non-2xx, AbortError when aborted.
 * A stream that breaks before its result (a dropped connection, a restarted replica) is resumed up to
 * `retries` times with `Last-Event-ID`: the server replays the run and skips the frames already here.
 */
export async function streamRun(id, body, handlers, { signal, retries = 3 } = {}) {
  let lastIndex = null;
  let finished = false;
  let attempt = 0;
  const onEvent = ({ event, data, id: eventId }) => {
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
      case "result": finished = true; handlers.onResult?.(payload); break;
      case "error": finished = true; handlers.onError?.(payload || { detail: "The run failed." }); break;
      default: break;
    }
  };
  for (;;) {
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
      await readEventStream(response.body, onEvent, { signal });
    } catch (error) {
      // Only a broken connection is retried: HTTP errors and aborts go to the caller.
      if (error instanceof ApiError || error?.name === "AbortError" || signal?.aborted) throw error;
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
