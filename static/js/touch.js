// @ts-check
// touch.js: swipe left / right on the figure steps one frame forward / back (a phone has no arrow keys).
// A swipe is a mostly horizontal stroke of at least MIN_SWIPE_PX done within MAX_SWIPE_MS; taps and vertical
// strokes (scrolling the page) are left alone. `swipeStep` is pure (node --test imports it).

export const MIN_SWIPE_PX = 40;
export const MAX_SWIPE_MS = 800;

/**
 * +1 (next frame: the content moves left, as a page turns), -1 (previous frame) or 0 (not a swipe).
 * @param {{x: number, y: number, t: number}} start
 * @param {{x: number, y: number, t: number}} end
 * @returns {-1 | 0 | 1}
 */
export function swipeStep(start, end) {
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  if (end.t - start.t > MAX_SWIPE_MS) return 0;
  if (Math.abs(dx) < MIN_SWIPE_PX || Math.abs(dx) < 1.5 * Math.abs(dy)) return 0;
  return dx < 0 ? 1 : -1;
}

/**
 * Listen for one-finger swipes on `el` (passive: scrolling is never blocked).
 * @param {HTMLElement} el
 * @param {(delta: -1 | 1) => void} onStep
 * @param {() => boolean} [enabled]  e.g. not while the learner is placing points
 */
export function bindSwipe(el, onStep, enabled = () => true) {
  /** @type {{x: number, y: number, t: number} | null} */
  let start = null;
  el.addEventListener("touchstart", (e) => {
    start = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY, t: e.timeStamp } : null;
  }, { passive: true, capture: true });
  el.addEventListener("touchend", (e) => {
    const touch = e.changedTouches[0];
    if (!start || !touch || e.touches.length) { start = null; return; }
    const step = swipeStep(start, { x: touch.clientX, y: touch.clientY, t: e.timeStamp });
    start = null;
    if (step && enabled()) onStep(step);
  }, { passive: true, capture: true });
  el.addEventListener("touchcancel", () => { start = null; }, { passive: true, capture: true });
}

/** Whether the page is used with a finger (no hover, coarse pointer): no drag-to-zoom on the figure then. */
export const isTouchScreen = () => typeof window !== "undefined"
  && window.matchMedia("(hover: none), (pointer: coarse)").matches;
