// @ts-check
// chapters.js: chapter marks on the scrubber. A scene's `x-phases` maps frame kinds to phase titles
// (k-means: {"init": "Seeding", "assign": "Lloyd iterations", "update": "Lloyd iterations", "elbow": "Elbow"});
// a frame whose kind maps to a title other than the current chapter's starts a new chapter. Kinds it does not
// name ("converged") stay in the chapter they are in. The scrubber shows a tick and the title at each chapter
// start; a click on the title jumps there. Titles never overlap each other nor run past the track: where there
// is no room a title is cut short (an ellipsis), and below a readable width the titles of the shortest chapters are
// dropped (their ticks stay, with the title as the tick's tooltip; the dropped button stays for keyboards and screen
// readers, drawn only when focused). `chapterStarts`, `markPosition` and `layoutLabels` are pure (node --test).

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

/**
 * @typedef {{x: number, width: number, frames: number}} LabelWant
 *   a chapter's tick (px from the track's left), its title's natural width (px, padding and border included), and
 *   the chapter's length in frames (a longer chapter keeps its title before a shorter one)
 * @typedef {{show: boolean, left: number, width: number, endsAtTick: boolean}} LabelPlace
 *   where a title goes: from `left` (px), at most `width` px wide (narrower than natural: cut with an ellipsis);
 *   `endsAtTick`: it ends at its tick instead of starting there (a last title with no room after its tick)
 */

/**
 * Where the chapter titles go on a track `trackPx` wide, in tick order: each starts at its tick and runs at most to
 * `gapPx` before the next shown title's tick, or to the track's end. The last shown title may instead end at its
 * tick, sharing the room after the previous title's tick with it. A title shown is at least `minPx` wide (or its
 * natural width, if less); titles are admitted longest chapter first (ties: the earlier), each only if every title
 * already admitted keeps that width beside it, so the ones left out are the shorter chapters'.
 * @param {LabelWant[]} wants  in tick order (x ascending)
 * @param {number} trackPx
 * @param {number} minPx
 * @param {number} [gapPx]
 * @returns {LabelPlace[]}
 */
export function layoutLabels(wants, trackPx, minPx, gapPx = 4) {
  const order = wants.map((_, i) => i).sort((a, b) => wants[b].frames - wants[a].frames || a - b);
  /** @type {number[]} */
  let shown = [];
  /** @type {Map<number, LabelPlace>} */
  let placed = new Map();
  for (const i of order) {
    const trial = [...shown, i].sort((a, b) => a - b);
    const places = placeShown(wants, trial, trackPx, gapPx, minPx);
    if (places) {
      shown = trial;
      placed = places;
    }
  }
  return wants.map((_, i) => placed.get(i) ?? { show: false, left: 0, width: 0, endsAtTick: false });
}

/**
 * The places of the titles `shown` (indices in tick order), or null if one of them would be narrower than
 * `minPx` (or its natural width): both ways of the last one (starting or ending at its tick) are tried.
 * @param {LabelWant[]} wants
 * @param {number[]} shown
 * @param {number} trackPx
 * @param {number} gapPx
 * @param {number} minPx
 * @returns {Map<number, LabelPlace> | null}
 */
function placeShown(wants, shown, trackPx, gapPx, minPx) {
  /** @type {Map<number, LabelPlace>} */
  const places = new Map();
  shown.forEach((i, j) => {
    const next = shown[j + 1];
    const end = next === undefined ? trackPx : wants[next].x - gapPx;
    places.set(i, { show: true, left: wants[i].x, width: Math.min(wants[i].width, end - wants[i].x), endsAtTick: false });
  });
  const readable = (/** @type {Map<number, LabelPlace>} */ p) =>
    shown.every((i) => (p.get(i)?.width ?? 0) >= Math.min(wants[i].width, minPx));
  const last = shown[shown.length - 1];
  if (last === undefined || places.get(last)?.width === wants[last].width) return readable(places) ? places : null;
  // The last title is cut: try it ending at its tick, in the room after the previous title's tick (the two
  // share it: each its natural width if both fit, else the last at least half).
  const prev = shown[shown.length - 2];
  const from = prev === undefined ? 0 : wants[prev].x;
  const room = wants[last].x - from - (prev === undefined ? 0 : gapPx);
  const prevWants = prev === undefined ? 0 : wants[prev].width;
  const lastWidth = Math.min(wants[last].width, Math.max(room / 2, room - prevWants));
  const ending = new Map(places);
  ending.set(last, { show: true, left: wants[last].x - lastWidth, width: lastWidth, endsAtTick: true });
  if (prev !== undefined) {
    const before = /** @type {LabelPlace} */ (places.get(prev));
    ending.set(prev, { ...before, width: Math.min(before.width, room - lastWidth) });
  }
  const better = lastWidth > (places.get(last)?.width ?? 0);
  for (const option of better ? [ending, places] : [places, ending]) if (readable(option)) return option;
  return null;
}

/** The scrubber's thumb width (app.css `.scrubber input[type="range"]::-webkit-slider-thumb`). */
const THUMB_PX = 18;
/** The narrowest title shown, in the title's own font size: its padding, three letters and an ellipsis. */
const MIN_LABEL_EM = 4.4;

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
    /** @type {{chapter: Chapter, frames: number, tick: HTMLElement, label: HTMLButtonElement}[]} */
    this.marks = [];
    this.frameCount = 0;
    this.width = -1;
    // The titles are placed in pixels (what fits depends on the track's width): placed again when it changes.
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(() => {
        if (this.layer.clientWidth !== this.width) this.place();
      }).observe(layer);
    }
  }

  /** @param {Phases | null} phases  the new run's (null: one phase, no marks) */
  setPhases(phases) {
    this.phases = phases;
    this.key = "";
    this.marks = [];
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
    this.frameCount = n;
    this.marks = chapters.map((chapter, i) => {
      const mark = document.createElement("span");
      mark.className = "chapter-tick";
      mark.style.left = markPosition(chapter.index, n, THUMB_PX);
      mark.setAttribute("aria-hidden", "true");
      mark.addEventListener("click", () => this.onJump(chapter.index)); // a tick whose title is dropped
      const label = document.createElement("button");
      label.type = "button";
      label.className = "chapter-label";
      label.dataset.index = String(chapter.index);
      label.textContent = chapter.title;
      label.title = `${chapter.title}: jump to frame ${chapter.index + 1}`;
      label.setAttribute("aria-label", `Chapter: ${chapter.title} (frame ${chapter.index + 1})`);
      label.addEventListener("click", () => this.onJump(chapter.index));
      this.layer.append(mark, label);
      const end = chapters[i + 1]?.index ?? n;
      return { chapter, frames: end - chapter.index, tick: mark, label };
    });
    this.place();
  }

  /** Measure the titles and place them (`layoutLabels`) on the track as wide as it is now. */
  place() {
    const track = this.layer.clientWidth;
    this.width = track;
    if (!this.marks.length || track <= 0) return;
    const n = this.frameCount;
    const fraction = (/** @type {number} */ index) => (n > 1 ? index / (n - 1) : 0);
    for (const { label } of this.marks) {
      label.classList.remove("dropped", "ends-at-tick");
      label.style.left = "0px";
      label.style.right = "";
      label.style.maxWidth = "none";
    }
    const wants = this.marks.map(({ chapter, frames, label }) => ({
      x: THUMB_PX / 2 + (track - THUMB_PX) * fraction(chapter.index),
      width: Math.ceil(label.getBoundingClientRect().width),
      frames,
    }));
    const em = parseFloat(getComputedStyle(this.marks[0].label).fontSize) || 12;
    const places = layoutLabels(wants, track, MIN_LABEL_EM * em);
    this.marks.forEach(({ tick, label }, i) => {
      const place = places[i];
      tick.classList.toggle("bare", !place.show);
      if (place.show) tick.removeAttribute("title");
      else tick.title = label.title;
      label.classList.toggle("dropped", !place.show);
      label.classList.toggle("ends-at-tick", place.endsAtTick);
      label.style.maxWidth = `${Math.floor(place.width)}px`;
      if (place.endsAtTick) {
        label.style.left = "auto";
        label.style.right = `${track - wants[i].x}px`;
      } else {
        label.style.left = `${place.show ? place.left : wants[i].x}px`;
      }
    });
  }
}
