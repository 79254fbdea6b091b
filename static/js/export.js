// export.js: share link, PNG, frames JSON and the curl / Python snippets that reproduce a run.

import { runUrl } from "./api.js";

/** Copy text to the clipboard; falls back to a hidden textarea when the async API is unavailable. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  area.remove();
  return ok;
}

export function downloadBlob(filename, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.className = "offscreen";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadPng(gd, filename) {
  const rect = gd.getBoundingClientRect();
  return window.Plotly.downloadImage(gd, {
    format: "png",
    filename,
    width: Math.round(rect.width) || 1000,
    height: Math.round(rect.height) || 700,
    scale: 2,
  });
}

const shellQuote = (s) => `'${s.replace(/'/g, "'\\''")}'`;

/** Python literal for a JSON value (True/False/None), indented like json.dumps(indent=4). */
function toPython(value, indent = 0) {
  const pad = " ".repeat(indent + 4);
  const end = " ".repeat(indent);
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    if (value.every((v) => typeof v !== "object" || v === null)) return `[${value.map((v) => toPython(v)).join(", ")}]`;
    if (value.length > 8) return `[${value.map((v) => toPython(v)).join(", ")}]`;
    return `[\n${value.map((v) => pad + toPython(v, indent + 4)).join(",\n")},\n${end}]`;
  }
  const entries = Object.entries(value);
  if (!entries.length) return "{}";
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${toPython(v, indent + 4)}`).join(",\n")},\n${end}}`;
}

export function snippets(algorithmId, params, seed) {
  const url = runUrl(algorithmId, { origin: window.location.origin });
  const body = { params, seed };
  const curl = [
    `curl -sS -X POST ${shellQuote(url)} \\`,
    "  -H 'Content-Type: application/json' \\",
    "  -H 'Accept: application/json' \\",
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join("\n");
  const python = [
    "import httpx",
    "",
    `body = ${toPython(body)}`,
    `response = httpx.post(${JSON.stringify(url)}, json=body, timeout=60)`,
    "response.raise_for_status()",
    "run = response.json()",
    'for frame in run["frames"]:',
    '    print(frame["index"], frame["kind"], frame["caption"])',
    'print(run["result"])',
  ].join("\n");
  return { curl, python };
}
