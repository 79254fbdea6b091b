// @ts-check
// presenter.js: presenter mode for a projector. Toggled by the "Present" button or the P key (when focus is not
// in a text field); kept in the URL as present=1 (state.js ViewState) so a reload or a shared link keeps it.
// The page's look is CSS (app.css html.presenting: no settings, larger type, high contrast); the figures are
// enlarged by plot.js (setDisplay({large})) when the page redraws them.

import { isTypingTarget } from "./player.js";

export class Presenter {
  /**
   * @param {{button: HTMLElement, onChange: (on: boolean) => void, initial?: boolean}} opts
   *   onChange: after the mode changed (rewrite the URL, redraw the figures at their new size)
   */
  constructor({ button, onChange, initial = false }) {
    this.button = button;
    this.onChange = onChange;
    this.on = false;
    this.apply(initial);
    button.addEventListener("click", () => this.toggle());
    document.addEventListener("keydown", (e) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
      if ((e.key === "p" || e.key === "P") && !isTypingTarget(/** @type {HTMLElement | null} */ (e.target))) {
        e.preventDefault();
        this.toggle();
      }
    });
  }

  toggle() { this.set(!this.on); }

  /** @param {boolean} on */
  set(on) {
    if (on === this.on) return;
    this.apply(on);
    this.onChange(on);
  }

  /** @param {boolean} on */
  apply(on) {
    this.on = on;
    document.documentElement.classList.toggle("presenting", on);
    this.button.setAttribute("aria-pressed", String(on));
    const label = this.button.querySelector(".present-label");
    if (label) label.textContent = on ? "Exit presenter" : "Present";
  }
}
