// @ts-check
// drawer.js: on a phone the settings column is a drawer (app.css, max-width 820 px). "Settings" opens it and
// moves focus into it; Escape, the close button or a tap on the backdrop closes it and gives focus back to
// "Settings"; Tab stays inside it while it is open. On wider screens the column is always there and this does
// nothing (the button is not shown).

const FOCUSABLE = "button:not([disabled]), [href], input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

export class SettingsDrawer {
  /**
   * @param {{drawer: HTMLElement, open: HTMLElement, close: HTMLElement, backdrop: HTMLElement, query?: string}} els
   *   query: when the column is a drawer (a media query; app.css uses the same width)
   */
  constructor({ drawer, open, close, backdrop, query = "(max-width: 820px)" }) {
    this.drawer = drawer;
    this.openButton = open;
    this.closeButton = close;
    this.backdrop = backdrop;
    this.media = window.matchMedia(query);
    open.addEventListener("click", () => (this.isOpen ? this.close() : this.open()));
    close.addEventListener("click", () => this.close());
    backdrop.addEventListener("click", () => this.close());
    drawer.addEventListener("keydown", (e) => this.onKey(e));
    // Back to a wide screen (a rotated tablet): the column is a column again, nothing is "open".
    this.media.addEventListener("change", () => { if (!this.media.matches) this.close({ restoreFocus: false }); });
    this.sync();
  }

  get isOpen() { return this.drawer.classList.contains("open"); }

  open() {
    if (!this.media.matches) return;
    this.drawer.classList.add("open");
    this.sync();
    const first = /** @type {HTMLElement | null} */ (this.drawer.querySelector(".controls-scroll")?.querySelector(FOCUSABLE) ?? null);
    (first ?? this.closeButton).focus({ preventScroll: true });
  }

  /** @param {{restoreFocus?: boolean}} [opts] */
  close({ restoreFocus = true } = {}) {
    const was = this.isOpen;
    this.drawer.classList.remove("open");
    this.sync();
    if (was && restoreFocus) this.openButton.focus({ preventScroll: true });
  }

  sync() {
    const open = this.isOpen;
    this.openButton.setAttribute("aria-expanded", String(open));
    this.backdrop.hidden = !open;
    if (this.media.matches) {
      this.drawer.setAttribute("role", "dialog");
      this.drawer.setAttribute("aria-modal", String(open));
    } else {
      this.drawer.removeAttribute("role");
      this.drawer.removeAttribute("aria-modal");
    }
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    if (!this.isOpen) return;
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); this.close(); return; }
    if (e.key !== "Tab") return;
    const items = /** @type {HTMLElement[]} */ ([...this.drawer.querySelectorAll(FOCUSABLE)])
      .filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  }
}
