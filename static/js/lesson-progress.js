// @ts-check
// lesson-progress.js: which days of the path this browser has opened (localStorage, no accounts).
// On a lesson page (#lesson[data-day]) the day is recorded; on the path page each visited card is ticked.

const KEY = "stepwise.lessons.visited";

/** @returns {Set<number>} */
export function visitedDays() {
  try {
    const raw = JSON.parse(window.localStorage.getItem(KEY) ?? "[]");
    return new Set(Array.isArray(raw) ? raw.filter((d) => Number.isInteger(d)) : []);
  } catch {
    return new Set(); // storage off (private mode) or a value another version wrote: nothing visited
  }
}

/** @param {number} day */
export function markVisited(day) {
  const days = visitedDays();
  days.add(day);
  try {
    window.localStorage.setItem(KEY, JSON.stringify([...days].sort((a, b) => a - b)));
  } catch {
    /* storage full or off: progress is a convenience, the page works without it */
  }
}

function main() {
  const lesson = document.getElementById("lesson");
  const day = Number(lesson?.dataset.day);
  if (lesson && Number.isInteger(day)) markVisited(day);
  const cards = document.querySelectorAll(".lesson-card");
  if (!cards.length) return;
  const days = visitedDays();
  let seen = 0;
  for (const card of cards) {
    const el = /** @type {HTMLElement} */ (card);
    const visited = days.has(Number(el.dataset.day));
    el.classList.toggle("visited", visited);
    const label = el.querySelector(".lesson-visited-label");
    if (label) label.textContent = visited ? " (visited)" : "";
    if (visited) seen += 1;
  }
  const line = document.getElementById("lessons-progress");
  if (line) line.textContent = seen ? `You have opened ${seen} of ${cards.length} days.` : "";
}

main();
