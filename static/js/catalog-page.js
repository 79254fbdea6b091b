// @ts-check
// catalog-page.js: live search over the algorithm cards (title, tagline, summary, family).

/**
 * An element templates/index.html always renders (the page is useless without it, so a missing one throws).
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
function required(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`catalog page: #${id} is missing`);
  return /** @type {T} */ (node);
}

/** @type {HTMLInputElement} */
const input = required("search");
const count = required("search-count");
const empty = required("no-results");
const emptyQuery = required("no-results-query");
// The cards (<li class="card">) and their families (<section class="family">): HTML elements, not just Elements.
const cards = /** @type {HTMLElement[]} */ ([...document.querySelectorAll(".card")]);
const families = /** @type {HTMLElement[]} */ ([...document.querySelectorAll(".family")]);

/** Lower case, accents and punctuation gone: "Réseau-neuronal" → "reseau neuronal". @param {string} text */
function normalise(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9+]+/g, " ").trim();
}

const haystacks = new Map(cards.map((c) => [c, normalise(c.dataset.search ?? c.textContent ?? "")]));

function apply() {
  const words = normalise(input.value).split(" ").filter(Boolean);
  let shown = 0;
  for (const card of cards) {
    const hay = haystacks.get(card) ?? "";
    const hit = words.every((w) => hay.includes(w));
    card.hidden = !hit;
    if (hit) shown += 1;
  }
  for (const fam of families) {
    const visible = fam.querySelectorAll(".card:not([hidden])").length;
    fam.hidden = visible === 0;
    // A family spans one grid column per visible card (catalog.css), so a filtered family leaves no holes.
    if (visible > 0) fam.dataset.size = String(Math.min(visible, 4));
  }
  count.textContent = `${shown} algorithm${shown === 1 ? "" : "s"}`;
  empty.hidden = shown > 0 || cards.length === 0;
  emptyQuery.textContent = input.value.trim();
  const url = new URL(window.location.href);
  if (input.value.trim()) url.searchParams.set("q", input.value.trim());
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
}

input.addEventListener("input", apply);
document.addEventListener("keydown", (e) => {
  if (e.key === "/" && document.activeElement !== input) {
    e.preventDefault();
    input.focus();
  } else if (e.key === "Escape" && document.activeElement === input) {
    input.value = "";
    apply();
  }
});
const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  apply();
}
