// @ts-check
// Unit tests for static/js/player.js: the speed menu's values, the animation clock, and the timeline driven
// by a fake requestAnimationFrame (no DOM: the player is built without elements and without key bindings).
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  AUTO_SECONDS, MAX_FPS, Player, autoFps, dueAt, framesPerSecond, isTypingTarget, parseSpeed,
} from "../../static/js/player.js";

/**
 * A fake display: animation frames every `vsync` ms; `drawMs` is how long each onShow takes (the clock
 * moves on while it "draws"), so late draws can be simulated.
 * @param {{vsync?: number, drawMs?: number}} [opts]
 */
function fakeDisplay({ vsync = 1000 / 60, drawMs = 0 } = {}) {
  let now = 0;
  /** @type {Map<number, (t: number) => void>} */
  let queue = new Map();
  let nextId = 1;
  /** @type {(() => void)[]} */
  const tasks = [];
  const clock = {
    now: () => now,
    /** @param {(t: number) => void} cb */
    request: (cb) => { const id = nextId++; queue.set(id, cb); return id; },
    /** @param {number} id */
    cancel: (id) => { queue.delete(id); },
    /** @param {() => void} cb */
    defer: (cb) => { tasks.push(cb); },
  };
  /** @type {{index: number, at: number}[]} */
  const shown = [];
  const display = {
    clock,
    shown,
    get now() { return now; },
    /** @param {any} _frame @param {number} index */
    onShow: (_frame, index) => { shown.push({ index, at: now }); now += drawMs; },
    /** Run animation frames until `until` ms. @param {number} until */
    run(until) {
      while (now < until) {
        // the next vsync at or after now
        now = Math.ceil((now + 1e-9) / vsync) * vsync;
        const due = queue;
        queue = new Map();
        for (const cb of due.values()) cb(now);
        while (tasks.length) tasks.shift()?.(); // after the frame is "painted"
      }
    },
  };
  return display;
}

/** @param {ReturnType<typeof fakeDisplay>} d @param {number} n @param {unknown} [speed] */
function playerWith(d, n, speed = 30) {
  const p = new Player({}, d.onShow, { clock: d.clock, keyboard: false });
  p.setSpeed(speed);
  p.reset({ autoplay: false });
  for (let i = 0; i < n; i += 1) p.push({ index: i });
  p.finish();
  return p;
}

test("speeds: numbers per second or auto; auto plays a run in about 12 s, within [0.5, 30] fps", () => {
  assert.equal(parseSpeed("30"), 30);
  assert.equal(parseSpeed(2), 2);
  assert.equal(parseSpeed("auto"), "auto");
  assert.equal(parseSpeed("0"), "auto");
  assert.equal(parseSpeed("-1"), "auto");
  assert.equal(parseSpeed("fast"), "auto");
  assert.equal(parseSpeed(""), "auto");
  assert.equal(autoFps(120), 120 / AUTO_SECONDS);
  assert.equal(autoFps(2), 0.5);
  assert.equal(autoFps(2000), MAX_FPS);
  for (const n of [8, 20, 35, 151, 300]) {
    const seconds = n / framesPerSecond("auto", n);
    assert.ok(seconds >= 10 && seconds <= 16, `${n} frames take ${seconds} s`);
  }
  assert.equal(framesPerSecond(5, 100), 5);
});

test("dueAt: a fixed cadence from the due time, not from when the draw finished; no burst after a stall", () => {
  assert.equal(dueAt(0, 10, 33), null, "not yet due");
  assert.equal(dueAt(0, 33.4, 33.3), 33.3, "due: the next anchor is the due time, not now");
  assert.equal(dueAt(0, 31, 33.3), 33.3, "within the slack of an animation frame");
  assert.equal(dueAt(0, 50, 33.3), 33.3, "a little late: keep the cadence");
  assert.equal(dueAt(0, 500, 33.3), 500, "a stall: start again from now");
});

test("at 30 fps on a 60 Hz display every frame is shown, in order, two vsyncs apart", () => {
  const d = fakeDisplay();
  const p = playerWith(d, 31);
  p.first();
  d.shown.length = 0;
  const start = d.now;
  p.play();
  d.run(5000);
  assert.deepEqual(d.shown.map((s) => s.index), Array.from({ length: 30 }, (_, i) => i + 1));
  assert.equal(p.playing, false, "it stops at the end of a finished run");
  assert.equal(p.index, 30);
  const seconds = (d.shown[29].at - start) / 1000;
  assert.ok(Math.abs(30 / seconds - 30) < 1, `${30 / seconds} fps`);
});

test("draws slower than the interval: nothing is skipped, one frame per animation frame", () => {
  const d = fakeDisplay({ drawMs: 45 });
  const p = playerWith(d, 21);
  p.first();
  d.shown.length = 0;
  const start = d.now;
  p.play();
  d.run(10000);
  assert.deepEqual(d.shown.map((s) => s.index), Array.from({ length: 20 }, (_, i) => i + 1));
  const gaps = d.shown.slice(1).map((s, i) => s.at - d.shown[i].at);
  for (const g of gaps) assert.ok(g <= 45 + 1000 / 60 + 1e-6, `a frame waited ${g} ms after a 45 ms draw`);
  assert.ok(d.shown[19].at - start < 20 * (45 + 1000 / 60));
});

test("a draw that returns a promise holds the next frame until it settles", async () => {
  const d = fakeDisplay();
  /** @type {(() => void)[]} */
  const pending = [];
  const p = new Player({}, (_f, i) => {
    d.shown.push({ index: i, at: d.now });
    return new Promise((resolve) => { pending.push(() => resolve(undefined)); });
  }, { clock: d.clock, keyboard: false });
  p.setSpeed(30);
  for (let i = 0; i < 5; i += 1) p.push({ index: i });
  p.finish();
  p.first();
  d.shown.length = 0;
  p.play();
  d.run(1000);
  assert.equal(d.shown.length, 0, "frame 0's draw has not finished");
  for (const settle of pending.splice(0)) settle();
  await new Promise((r) => setImmediate(r));
  d.run(2000);
  assert.deepEqual(d.shown.map((s) => s.index), [1], "then the next frame shows (and waits for its own draw)");
});

test("streaming: playback waits at the buffered end and goes on when frames land", () => {
  const d = fakeDisplay();
  const p = new Player({}, d.onShow, { clock: d.clock, keyboard: false });
  p.setSpeed(10);
  p.reset({ autoplay: true });
  p.push({ index: 0 });
  p.push({ index: 1 });
  d.run(1000);
  assert.equal(p.index, 1);
  assert.equal(p.playing, true, "still playing: more frames may come");
  d.run(3000); // a stall
  p.push({ index: 2 });
  p.push({ index: 3 });
  const landed = d.now;
  d.run(d.now + 50);
  assert.equal(p.index, 2, "the late frame shows at once");
  d.run(landed + 80);
  assert.equal(p.index, 2, "then the cadence starts again (no burst)");
  d.run(landed + 200);
  assert.equal(p.index, 3);
  p.finish();
  assert.equal(p.playing, false);
});

test("auto speed follows the run's length; changing the speed while playing takes effect", () => {
  const d = fakeDisplay();
  const p = playerWith(d, 120, "auto"); // 10 fps
  assert.equal(p.fps, 10);
  p.first();
  p.play();
  d.run(d.now + 1000);
  assert.ok(p.index >= 9 && p.index <= 11, `index ${p.index} after 1 s at 10 fps`);
  p.setSpeed("30");
  const at = p.index;
  d.run(d.now + 1000);
  assert.ok(p.index - at >= 28 && p.index - at <= 31, `${p.index - at} frames in 1 s at 30 fps`);
});

test("pause, step, seek and replay", () => {
  const d = fakeDisplay();
  const p = playerWith(d, 10);
  p.last();
  assert.equal(p.index, 9);
  p.step(-1);
  assert.equal(p.index, 8);
  p.seek(100);
  assert.equal(p.index, 9, "clamped");
  p.play(); // at the end of a finished run: replay from the start
  assert.equal(p.index, 0);
  d.run(d.now + 100);
  p.pause();
  const at = p.index;
  d.run(d.now + 1000);
  assert.equal(p.index, at, "paused means paused");
  assert.equal(p.timer, null);
});

test("a frame queued for drawing is dropped when the timeline moved first (pause, step)", () => {
  /** @type {(() => void)[]} */
  const tasks = [];
  /** @type {((t: number) => void)[]} */
  const frames = [];
  let now = 0;
  const clock = {
    now: () => now,
    /** @param {(t: number) => void} cb */
    request: (cb) => frames.push(cb),
    cancel: () => {},
    /** @param {() => void} cb */
    defer: (cb) => { tasks.push(cb); },
  };
  /** @type {number[]} */
  const shown = [];
  const p = new Player({}, (_f, i) => { shown.push(i); }, { clock, keyboard: false });
  p.setSpeed(30);
  for (let i = 0; i < 5; i += 1) p.push({ index: i });
  p.finish();
  p.first();
  p.play();
  now = 40;
  frames.shift()?.(now); // due: a draw is queued
  assert.equal(tasks.length, 1);
  p.pause();
  tasks.shift()?.();
  assert.deepEqual(shown, [0, 0], "the queued draw did not run after the pause");
  assert.equal(p.index, 0);
  p.play();
  now = 80;
  frames.shift()?.(now);
  p.step(2); // the user moves on before the queued draw ran
  tasks.shift()?.();
  assert.equal(p.index, 2);
  assert.deepEqual(shown, [0, 0, 2]);
});

test("the play and step buttons are disabled while there are no frames, enabled once one lands", () => {
  const d = fakeDisplay();
  const button = () => ({ disabled: false, classList: { toggle() {} }, setAttribute() {}, addEventListener() {}, title: "" });
  const els = { play: button(), back: button(), forward: button(), first: button(), last: button() };
  const p = new Player(/** @type {any} */ (els), d.onShow, { clock: d.clock, keyboard: false });
  for (const b of Object.values(els)) assert.equal(b.disabled, true, "0 frames: nothing to play");
  p.push({ index: 0 });
  for (const b of Object.values(els)) assert.equal(b.disabled, false);
  p.reset();
  for (const b of Object.values(els)) assert.equal(b.disabled, true, "a new run empties the buffer again");
});

test("auto pace: a 151-frame run (gradient descent's default) plays in 10-15 s; a 20-frame one too", () => {
  for (const n of [20, 151, 300]) {
    const seconds = n / autoFps(n);
    assert.ok(seconds >= 10 && seconds <= 15, `${n} frames take ${seconds} s`);
  }
  assert.ok(AUTO_SECONDS >= 10 && AUTO_SECONDS <= 15);
});

test("isTypingTarget: text fields and selects keep their keys; buttons, ranges and the page do not", () => {
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "number" }), true);
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "text" }), true);
  assert.equal(isTypingTarget({ tagName: "TEXTAREA" }), true);
  assert.equal(isTypingTarget({ tagName: "SELECT" }), true);
  assert.equal(isTypingTarget({ tagName: "DIV", isContentEditable: true }), true);
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "range" }), false);
  assert.equal(isTypingTarget({ tagName: "BUTTON" }), false);
  assert.equal(isTypingTarget({ tagName: "BODY" }), false);
  assert.equal(isTypingTarget(null), false);
});
