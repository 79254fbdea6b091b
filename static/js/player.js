// @ts-check
// player.js: a frame buffer with a video-like timeline (play, pause, step, scrub, speed, keys).
//
// The clock runs on requestAnimationFrame: frame k+1 is due one interval (1 / frames per second) after
// frame k was due, whatever the draw cost, so the cadence does not drift by the draw time. When a draw
// takes longer than the interval the next frame is shown as soon as the last one was painted; nothing is
// skipped (every frame a learner should see is drawn and painted), and a stall (waiting for the stream, a
// slow draw) restarts the cadence instead of bursting to catch up. The speed menu offers frames per second;
// "auto" plays the whole run in about AUTO_SECONDS.
//
// A due frame is drawn in a task queued from the animation-frame callback, not in the callback: that task
// runs right after the browser has painted the frame on show, and when the draw is long the browser paints
// as soon as it ends. Drawn inside the callback, a long draw would also wait for the next vsync after its
// paint (a 60 ms draw would show every 83 ms on a 60 Hz display instead of every ~68 ms).

/** "auto" plays a whole run in about this many seconds. */
export const AUTO_SECONDS = 12;
/** Bounds of "auto": never slower than one frame every 2 s, never faster than the menu's top speed. */
export const AUTO_MIN_FPS = 0.5;
export const MAX_FPS = 30;
/** A frame whose due time is this close (ms) counts as due: animation frames land on a ~16.7 ms grid. */
const SLACK_MS = 4;

/** @typedef {number | "auto"} Speed  frames per second, or "auto" */

/** Input types whose keys are not text: the timeline's keys still work while one has focus. */
const NON_TEXT_INPUTS = ["range", "checkbox", "radio", "button", "submit", "reset"];

/**
 * Whether a key pressed with `target` focused is typed into it (a text field, a select, editable content):
 * the page's own keys (space, arrows, "p") leave those alone.
 * @param {{tagName?: string, type?: string, isContentEditable?: boolean} | null | undefined} target
 * @returns {boolean}
 */
export function isTypingTarget(target) {
  const tag = target?.tagName;
  if (!tag) return false;
  if (target?.isContentEditable || tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !NON_TEXT_INPUTS.includes(String(target?.type ?? "text"));
}

/**
 * Frames per second of "auto" for a run of `frames` frames (the frames buffered so far while streaming).
 * @param {number} frames
 * @returns {number}
 */
export function autoFps(frames) {
  return Math.min(MAX_FPS, Math.max(AUTO_MIN_FPS, frames / AUTO_SECONDS));
}

/**
 * Read the speed menu's value: "auto", or a positive number of frames per second (anything else is "auto").
 * @param {unknown} value
 * @returns {Speed}
 */
export function parseSpeed(value) {
  const n = Number(value);
  return value !== "auto" && value !== "" && value !== null && Number.isFinite(n) && n > 0 ? n : "auto";
}

/**
 * @param {Speed} speed
 * @param {number} frames
 * @returns {number} frames per second
 */
export function framesPerSecond(speed, frames) {
  return speed === "auto" ? autoFps(frames) : speed;
}

/**
 * One tick of the playback clock. `anchor`: when the frame on show was due; `now`: this animation frame's
 * time; `interval`: ms per frame. Returns null when the next frame is not due yet, else the time it was due
 * (the anchor for the frame after it) — or `now` when it is more than a whole interval late, so that after a
 * stall the cadence starts again from now instead of showing the frames it missed in a burst.
 * @param {number} anchor
 * @param {number} now
 * @param {number} interval
 * @returns {number | null}
 */
export function dueAt(anchor, now, interval) {
  const due = anchor + interval;
  if (now < due - Math.min(SLACK_MS, interval / 4)) return null;
  return now - due > interval ? now : due;
}

/**
 * The animation clock (injectable so the timeline can be tested without a browser).
 * @typedef {Object} Clock
 * @property {() => number} now
 * @property {(cb: (time: number) => void) => number} request  requestAnimationFrame
 * @property {(id: number) => void} cancel  cancelAnimationFrame
 * @property {(cb: () => void) => void} defer  queue a task (it runs after the current frame is painted)
 */

/** @type {() => Clock} */
const browserClock = () => {
  /** @type {(() => void)[]} */
  const tasks = [];
  const channel = new MessageChannel(); // a task with no timer clamp (setTimeout may wait 4 ms)
  channel.port1.onmessage = () => { tasks.shift()?.(); };
  return {
    now: () => performance.now(),
    request: (cb) => requestAnimationFrame(cb),
    cancel: (id) => cancelAnimationFrame(id),
    defer: (cb) => { tasks.push(cb); channel.port2.postMessage(null); },
  };
};

/**
 * The page's timeline elements (all optional: a missing one is simply not updated).
 * @typedef {Object} PlayerElements
 * @property {HTMLElement} [root]     gets data-frames, data-index, data-complete, data-playing, data-fps
 * @property {HTMLElement} [play]
 * @property {HTMLElement} [back]
 * @property {HTMLElement} [forward]
 * @property {HTMLElement} [first]
 * @property {HTMLElement} [last]
 * @property {HTMLElement} [scrub]    an <input type="range">
 * @property {HTMLElement} [buffered]
 * @property {HTMLElement} [played]
 * @property {HTMLElement} [counter]
 * @property {HTMLElement} [speed]    a <select>: "auto" or frames per second
 */

/**
 * Shows a frame; may return a promise (the draw): playback waits for it before the next frame.
 * @typedef {(frame: any, index: number) => unknown} ShowFrame
 */

export class Player {
  /**
   * @param {PlayerElements} els
   * @param {ShowFrame} onShow
   * @param {{clock?: Clock, keyboard?: boolean}} [options]  keyboard: listen to the document's keys (default true)
   */
  constructor(els, onShow, { clock, keyboard = true } = {}) {
    this.els = els;
    this.onShow = onShow;
    this.clock = clock ?? browserClock();
    /** @type {any[]} */
    this.frames = [];
    this.index = -1;
    this.playing = false;
    this.complete = false;
    /** @type {number | null} the pending animation frame request */
    this.timer = null;
    /** @type {number} bumped by anything that moves the timeline: a queued draw of an older state is dropped */
    this.generation = 0;
    /** @type {number} when the frame on show was due (the cadence's reference) */
    this.anchor = 0;
    /** @type {Promise<void> | null} the draw still in flight, if onShow returned a promise */
    this.drawing = null;
    /** @type {Speed} */
    this.speed = parseSpeed(/** @type {HTMLSelectElement | undefined} */ (els.speed)?.value ?? "auto");
    this.bind(keyboard);
    this.renderUi();
  }

  get length() { return this.frames.length; }
  get current() { return this.frames[this.index] ?? null; }
  /** Frames per second at the current speed (auto follows the frames buffered so far). */
  get fps() { return framesPerSecond(this.speed, this.length); }

  /**
   * Forget the buffered run (a new run is starting). Playback resumes automatically as frames arrive.
   * @param {{autoplay?: boolean}} [options]
   */
  reset({ autoplay = true } = {}) {
    this.stopTimer();
    this.generation += 1;
    this.frames = [];
    this.index = -1;
    this.complete = false;
    this.playing = autoplay;
    this.drawing = null;
    this.renderUi();
  }

  /**
   * Append a streamed frame. The first one is shown at once; playback continues if it was waiting.
   * @param {any} frame
   */
  push(frame) {
    this.frames.push(frame);
    if (this.index < 0) this.show(0);
    else if (this.playing && this.timer === null) this.schedule();
    this.renderUi();
  }

  /** The stream ended: nothing more will arrive. */
  finish() {
    this.complete = true;
    if (this.playing && this.index >= this.length - 1) this.pause();
    this.renderUi();
  }

  /**
   * Show frame `i` (clamped to the buffer) now.
   * @param {number} i
   * @param {number} [anchor]  when it was due (the playback clock passes it; otherwise: now)
   */
  show(i, anchor) {
    if (!this.length) return;
    this.generation += 1;
    const next = Math.max(0, Math.min(this.length - 1, i));
    this.index = next;
    this.anchor = anchor ?? this.clock.now();
    const drawn = this.onShow(this.frames[next], next);
    if (drawn && typeof (/** @type {any} */ (drawn).then) === "function") {
      /** @type {Promise<void>} */
      const pending = Promise.resolve(drawn).then(() => undefined, () => undefined).then(() => {
        if (this.drawing === pending) this.drawing = null;
      });
      this.drawing = pending;
    } else {
      this.drawing = null;
    }
    this.renderUi();
    if (this.playing) this.schedule();
  }

  play() {
    this.playing = true;
    if (this.length && this.complete && this.index >= this.length - 1) this.show(0); // replay from the start
    else {
      this.anchor = this.clock.now(); // the frame on show counts from now
      this.schedule();
    }
    this.renderUi();
  }

  pause() {
    this.playing = false;
    this.generation += 1;
    this.stopTimer();
    this.renderUi();
  }

  toggle() { if (this.playing) this.pause(); else this.play(); }
  /** @param {number} delta */
  step(delta) { this.pause(); this.show(this.index + delta); }
  first() { this.pause(); this.show(0); }
  last() { this.pause(); this.show(this.length - 1); }
  /** @param {number} i */
  seek(i) { this.pause(); this.show(i); }

  /**
   * @param {unknown} s  frames per second, or "auto"
   */
  setSpeed(s) {
    this.speed = parseSpeed(s);
    this.renderUi();
    if (this.playing) this.schedule(); // the next frame is due one new interval after the one on show
  }

  /** Keep the clock running while there is a next frame to play (or stop at the end of a finished run). */
  schedule() {
    if (!this.playing) { this.stopTimer(); return; }
    if (this.index >= this.length - 1) {
      this.stopTimer();
      if (this.complete) this.pause();
      return; // buffering: push() restarts the clock when the next frame lands
    }
    if (this.timer === null) this.timer = this.clock.request((t) => this.tick(t));
  }

  /**
   * One animation frame: show the next frame if it is due and the last draw has finished.
   * @param {number} time
   */
  tick(time) {
    this.timer = null;
    if (!this.playing) return;
    if (this.index >= this.length - 1) { this.schedule(); return; }
    const at = this.drawing ? null : dueAt(this.anchor, time, 1000 / this.fps);
    if (at === null) { this.timer = this.clock.request((t) => this.tick(t)); return; }
    const generation = this.generation;
    this.timer = -1; // a draw is queued: nothing else schedules until it ran
    this.clock.defer(() => {
      if (this.timer === -1) this.timer = null;
      // Paused, stepped, reset or sped past meanwhile: that action drew (or will draw) what is on show.
      if (!this.playing || generation !== this.generation) { this.schedule(); return; }
      this.show(this.index + 1, at); // schedules the next tick
    });
  }

  stopTimer() {
    if (this.timer !== null && this.timer !== -1) this.clock.cancel(this.timer);
    this.timer = null;
  }

  renderUi() {
    const { play, back, forward, first, last, buffered, played, counter, root } = this.els;
    const scrub = /** @type {HTMLInputElement | undefined} */ (this.els.scrub);
    const n = this.length;
    const i = Math.max(this.index, 0);
    if (scrub) {
      scrub.max = String(Math.max(n - 1, 0));
      scrub.value = String(i);
      scrub.disabled = n === 0;
      scrub.setAttribute("aria-valuetext", n ? `frame ${i + 1} of ${n}` : "no frames yet");
    }
    // The bar is drawn against the final count once known, otherwise against what is buffered so far.
    const total = Math.max(n, 1);
    if (buffered) buffered.style.width = `${this.complete ? 100 : Math.min(96, 100 * (n / (total + 1)))}%`;
    if (played) played.style.width = n > 1 ? `${(100 * i) / (n - 1)}%` : "0%";
    if (counter) counter.textContent = n ? `frame ${i + 1} / ${n}${this.complete ? "" : "+"}` : "frame 0 / 0";
    // Nothing to play or step through until the first frame lands (a button that does nothing is a lie).
    for (const button of [play, back, forward, first, last]) {
      const b = /** @type {HTMLButtonElement | undefined} */ (button);
      if (b && b.disabled !== (n === 0)) b.disabled = n === 0;
    }
    if (play) {
      play.classList.toggle("is-playing", this.playing);
      play.setAttribute("aria-label", this.playing ? "Pause" : "Play");
      play.title = this.playing ? "Pause (space)" : "Play (space)";
    }
    if (root) {
      root.dataset.frames = String(n);
      root.dataset.index = String(this.index);
      root.dataset.complete = String(this.complete);
      root.dataset.playing = String(this.playing);
      root.dataset.fps = String(Math.round(this.fps * 100) / 100);
    }
  }

  /** @param {boolean} keyboard */
  bind(keyboard) {
    const { play, back, forward, first, last } = this.els;
    const scrub = /** @type {HTMLInputElement | undefined} */ (this.els.scrub);
    const speed = /** @type {HTMLSelectElement | undefined} */ (this.els.speed);
    play?.addEventListener("click", () => this.toggle());
    back?.addEventListener("click", () => this.step(-1));
    forward?.addEventListener("click", () => this.step(1));
    first?.addEventListener("click", () => this.first());
    last?.addEventListener("click", () => this.last());
    scrub?.addEventListener("input", () => this.seek(Number(scrub.value)));
    speed?.addEventListener("change", () => this.setSpeed(speed.value));
    if (!keyboard || typeof document === "undefined") return;
    document.addEventListener("keydown", (e) => this.onKey(e));
    // A focused button would also "click" on space keyup: swallow it, keydown already toggled.
    document.addEventListener("keyup", (e) => {
      if ((e.key === " " || e.code === "Space") && e.target instanceof HTMLButtonElement) e.preventDefault();
    });
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = /** @type {HTMLElement | null} */ (e.target);
    if (isTypingTarget(t)) return;
    const type = t?.tagName === "INPUT" ? /** @type {HTMLInputElement} */ (t).type : "";
    const onRange = type === "range";
    const onToggle = type === "checkbox" || type === "radio";
    // Radio groups (real or ARIA: the dataset thumbnails, the class picker) move their choice with the arrows.
    const onRadio = type === "radio" || t?.getAttribute("role") === "radio";
    switch (e.key) {
      case " ":
      case "Spacebar":
        if (onToggle) return;
        e.preventDefault();
        this.toggle();
        break;
      case "ArrowLeft":
        if (onRange || onRadio) return;
        e.preventDefault();
        this.step(-1);
        break;
      case "ArrowRight":
        if (onRange || onRadio) return;
        e.preventDefault();
        this.step(1);
        break;
      case "Home":
        if (onRange) return;
        e.preventDefault();
        this.first();
        break;
      case "End":
        if (onRange) return;
        e.preventDefault();
        this.last();
        break;
      default:
        break;
    }
  }
}
