// @ts-check
// caption.js: the caption bar. Its height never changes (app.css .caption-slot: N lines): a longer caption is
// clamped, and a "more" button opens the whole of it over the figure, so the play button, the scrubber and the
// figure keep their boxes while frames change. The caption stays an aria-live region with the frame's full
// text. A clamp note ("Note: k = 15 is more than the 8 training points, so k = 8 is used. ") that starts a
// caption is set apart (same words: the text is unchanged). `splitNote` is pure (node --test imports it).

/**
 * A caption split into its leading note sentence (or "") and the rest; note + rest is the caption.
 * @param {string} text
 * @returns {{note: string, rest: string}}
 */
export function splitNote(text) {
  if (!text.startsWith("Note:")) return { note: "", rest: text };
  const end = text.indexOf(". ");  // a decimal point is never followed by a space
  if (end < 0) return { note: text, rest: "" };
  return { note: text.slice(0, end + 2), rest: text.slice(end + 2) };
}

export class CaptionBox {
  /**
   * @param {{bar: HTMLElement, text: HTMLElement, badge: HTMLElement, more: HTMLElement}} els
   */
  constructor({ bar, text, badge, more }) {
    this.bar = bar;
    this.text = text;
    this.badge = badge;
    this.more = more;
    this.measureQueued = false;
    more.addEventListener("click", () => this.expand(!this.bar.classList.contains("expanded")));
    // Escape or a click elsewhere closes the opened caption.
    document.addEventListener("keydown", (e) => { if (e.key === "Escape" && this.expanded) this.expand(false); });
    document.addEventListener("pointerdown", (e) => {
      if (this.expanded && e.target instanceof Node && !this.bar.contains(e.target)) this.expand(false);
    });
  }

  get expanded() { return this.bar.classList.contains("expanded"); }

  /** @param {boolean} open */
  expand(open) {
    this.bar.classList.toggle("expanded", open);
    this.more.textContent = open ? "less" : "more";
    this.more.setAttribute("aria-expanded", String(open));
    this.queueMeasure();
  }

  /**
   * @param {string} text
   * @param {string} kind  the badge word (the frame's kind, or "invalid", "busy", ...)
   * @param {{error?: boolean}} [opts]
   */
  set(text, kind, { error = false } = {}) {
    const { note, rest } = splitNote(text);
    if (note) {
      const strong = document.createElement("span");
      strong.className = "caption-note";
      strong.textContent = note;
      this.text.replaceChildren(strong, document.createTextNode(rest));
    } else {
      this.text.textContent = text;
    }
    this.text.classList.toggle("is-error", error);
    this.badge.textContent = kind;
    this.badge.dataset.kind = error ? "error" : kind;
    this.queueMeasure();
  }

  /** Whether the text is longer than the slot's lines: shows "more" (measured once per animation frame). */
  queueMeasure() {
    if (this.measureQueued) return;
    this.measureQueued = true;
    requestAnimationFrame(() => {
      this.measureQueued = false;
      const style = getComputedStyle(this.text);
      const lines = Number(getComputedStyle(this.bar.parentElement ?? this.bar).getPropertyValue("--caption-lines")) || 3;
      const lineHeight = parseFloat(style.lineHeight) || 24;
      const over = this.text.scrollHeight > lines * lineHeight + 2;
      this.bar.classList.toggle("overflowing", over);
      if (!over && this.expanded) this.expand(false);
    });
  }
}
