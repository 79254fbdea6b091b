// player.js: a frame buffer with a video-like timeline (play, pause, step, scrub, speed, keys).

const BASE_FPS = 2; // frames per second at 1×

export class Player {
  /**
   * @param {object} els  {play, back, forward, first, last, scrub, buffered, played, counter, speed, root}
   * @param {(frame: object, index: number) => void} onShow
   */
  constructor(els, onShow) {
    this.els = els;
    this.onShow = onShow;
    this.frames = [];
    this.index = -1;
    this.playing = false;
    this.complete = false;
    this.timer = null;
    this.speed = Number(els.speed?.value ?? 1) || 1;
    this.bind();
    this.renderUi();
  }

  get length() { return this.frames.length; }
  get current() { return this.frames[this.index] ?? null; }

  /** Forget the buffered run (a new run is starting). Playback resumes automatically as frames arrive. */
  reset({ autoplay = true } = {}) {
    this.stopTimer();
    this.frames = [];
    this.index = -1;
    this.complete = false;
    this.playing = autoplay;
    this.renderUi();
  }

  /** Append a streamed frame. The first one is shown at once; playback continues if it was waiting. */
  push(frame) {
    this.frames.push(frame);
    if (this.index < 0) this.show(0);
    else if (this.playing && !this.timer) this.schedule();
    this.renderUi();
  }

  /** The stream ended: nothing more will arrive. */
  finish() {
    this.complete = true;
    if (this.playing && this.index >= this.length - 1) this.pause();
    this.renderUi();
  }

  show(i) {
    if (!this.length) return;
    const next = Math.max(0, Math.min(this.length - 1, i));
    this.index = next;
    this.onShow(this.frames[next], next);
    this.renderUi();
    if (this.playing) this.schedule();
  }

  play() {
    this.playing = true;
    if (this.length && this.complete && this.index >= this.length - 1) this.show(0); // replay from the start
    else this.schedule();
    this.renderUi();
  }

  pause() {
    this.playing = false;
    this.stopTimer();
    this.renderUi();
  }

  toggle() { if (this.playing) this.pause(); else this.play(); }
  step(delta) { this.pause(); this.show(this.index + delta); }
  first() { this.pause(); this.show(0); }
  last() { this.pause(); this.show(this.length - 1); }
  seek(i) { this.pause(); this.show(i); }

  setSpeed(s) {
    this.speed = s > 0 ? s : 1;
    if (this.playing) this.schedule();
  }

  schedule() {
    this.stopTimer();
    if (!this.playing) return;
    if (this.index >= this.length - 1) {
      if (this.complete) this.pause();
      return; // buffering: push() reschedules when the next frame lands
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.playing) this.show(this.index + 1);
    }, 1000 / (BASE_FPS * this.speed));
  }

  stopTimer() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  renderUi() {
    const { play, scrub, buffered, played, counter, root } = this.els;
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
    }
  }

  bind() {
    const { play, back, forward, first, last, scrub, speed } = this.els;
    play?.addEventListener("click", () => this.toggle());
    back?.addEventListener("click", () => this.step(-1));
    forward?.addEventListener("click", () => this.step(1));
    first?.addEventListener("click", () => this.first());
    last?.addEventListener("click", () => this.last());
    scrub?.addEventListener("input", () => this.seek(Number(scrub.value)));
    speed?.addEventListener("change", () => this.setSpeed(Number(speed.value)));
    document.addEventListener("keydown", (e) => this.onKey(e));
    // A focused button would also "click" on space keyup: swallow it, keydown already toggled.
    document.addEventListener("keyup", (e) => {
      if ((e.key === " " || e.code === "Space") && e.target instanceof HTMLButtonElement) e.preventDefault();
    });
  }

  onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    const tag = t?.tagName;
    const typing = t?.isContentEditable || tag === "TEXTAREA" || tag === "SELECT"
      || (tag === "INPUT" && !["range", "checkbox", "radio", "button", "submit"].includes(t.type));
    if (typing) return;
    const onRange = tag === "INPUT" && t.type === "range";
    const onToggle = tag === "INPUT" && (t.type === "checkbox" || t.type === "radio");
    switch (e.key) {
      case " ":
      case "Spacebar":
        if (onToggle) return;
        e.preventDefault();
        this.toggle();
        break;
      case "ArrowLeft":
        if (onRange) return;
        e.preventDefault();
        this.step(-1);
        break;
      case "ArrowRight":
        if (onRange) return;
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
