// @ts-check
// chapters.js: chapter marks on the scrubber. A scene's `x-phases` maps frame kinds to phase titles
// (k-means: {"init": "Seeding", "assign": "Lloyd iterations", "update": "Lloyd iterations", "elbow": "Elbow"});
// a frame whose kind maps to a title other than the current chapter's starts a new chapter. Kinds it does not
// name ("converged") stay in the chapter they are in. The scrubber shows a tick and the title at each chapter
// start; a click on the title jumps there. `chapterStarts` and `markPosition` are pure (node --test imports them).

/** @typedef {{index: number, title: string}} Chapter  the frame a chapter starts at, and its title */
/** @typedef {Record<string, string>} Phases  frame kind → phase title (the scene's `x-phases`) */

/**
 * The scene's `x-phases`, kept only when it is a map of kinds to non-empty titles (else null: one phase).
 * @param {unknown} scene
 * @returns {Phases | null}
 */
export function phasesOf(scene) {
  const raw = /** @type {any} */ (scene)?.["x-phases"];
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  /** @type {Phases} */
  const out = {};
  for (const [kind, title] of Object.entries(raw)) if (typeof title === "string" && title.trim()) out[kind] = title;
  return Object.keys(out).length ? out : null;
}

/**
 * Where each chapter starts in `frames`.
 * @param {{kind?: string}[]} frames
 * @param {Phases | null} phases
 * @returns {Chapter[]}
 */
export function chapterStarts(frames, phases) {
  if (!phases) return [];
  /** @type {Chapter[]} */
  const out = [];
  /** @type {string | null} */
  let current = null;
  frames.forEach((frame, index) => {
    const title = phases[frame?.kind ?? ""];
    if (title === undefined || title === current) return;
    current = title;
    out.push({ index, title });
  });
  return out;
}

/**
 * A mark's place along the range input's track, as a CSS length: the thumb's centre travels from half a thumb
 * in to half a thumb from the end, so frame i of n sits at thumb/2 + (100% - thumb) * i / (n - 1).
 * @param {number} index
 * @param {number} frames
 * @param {number} thumbPx
 * @returns {string}
 */
export function markPosition(index, frames, thumbPx) {
  const fraction = frames > 1 ? Math.min(1, Math.max(0, index / (frames - 1))) : 0;
  return `calc(${thumbPx / 2}px + (100% - ${thumbPx}px) * ${Number(fraction.toFixed(5))})`;
}

/** The scrubber's thumb width (app.css `.scrubber input[type="range"]::-webkit-slider-thumb`). */
const THUMB_PX = 18;

/** Draws the chapter marks into the scrubber's mark layer. */
export class ChapterMarks {
  /**
   * @param {HTMLElement} layer  positioned over the scrubber's track (app.css `.chapter-marks`)
   * @param {(index: number) => void} onJump  show that frame (paused)
   */
  constructor(layer, onJump) {
    this.layer = layer;
    this.onJump = onJump;
    /** @type {Phases | null} */
    this.phases = null;
    this.key = "";
  }

  /** @param {Phases | null} phases  the new run's (null: one phase, no marks) */
  setPhases(phases) {
    this.phases = phases;
    this.key = "";
    this.layer.textContent = "";
    this.layer.hidden = !phases;
  }

  /**
   * Redraw the marks when the chapters or the frame count changed (frames stream in: positions move).
   * @param {{kind?: string}[]} frames
   */
  update(frames) {
    const chapters = chapterStarts(frames, this.phases);
    const key = `${frames.length}|${chapters.map((c) => `${c.index}:${c.title}`).join(",")}`;
    if (key === this.key) return;
    this.key = key;
    this.layer.textContent = "";
    const n = frames.length;
    // A late last chapter ("Converged", "Elbow") has no room after its tick: its title ends at the tick instead,
    // sharing the gap before it with the previous title (half each), so no two titles overlap.
    const last = chapters[chapters.length - 1];
    const lateLast = chapters.length > 0 && n > 1 && last.index / (n - 1) > 0.75;
    chapters.forEach((chapter, i) => {
      const left = markPosition(chapter.index, n, THUMB_PX);
      const next = chapters[i + 1];
      const prev = chapters[i - 1];
      const end = next ? markPosition(next.index, n, THUMB_PX) : "100%";
      const shared = lateLast && (i === chapters.length - 2 || i === chapters.length - 1);
      const mark = document.createElement("span");
      mark.className = "chapter-tick";
      mark.style.left = left;
      mark.setAttribute("aria-hidden", "true");
      const label = document.createElement("button");
      label.type = "button";
      label.className = "chapter-label";
      label.dataset.index = String(chapter.index);
      label.textContent = chapter.title;
      label.title = `${chapter.title}: jump to frame ${chapter.index + 1}`;
      label.setAttribute("aria-label", `Chapter: ${chapter.title} (frame ${chapter.index + 1})`);
      if (lateLast && chapter === last) {
        label.classList.add("ends-at-tick");
        label.style.right = `calc(100% - ${left})`;
        const from = prev ? markPosition(prev.index, n, THUMB_PX) : "0px";
        label.style.maxWidth = `max(1.6em, calc((${left} - ${from}) / ${prev ? 2 : 1} - 4px))`;
      } else {
        label.style.left = left;
        const room = shared ? `(${end} - ${left}) / 2` : `${end} - ${left}`;
        label.style.maxWidth = `max(1.6em, calc(${room} - 4px))`; // up to the next title: never overlaps it
      }
      label.addEventListener("click", () => this.onJump(chapter.index));
      this.layer.append(mark, label);
    });
  }
}
