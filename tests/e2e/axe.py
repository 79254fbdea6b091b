"""axe-core inside the real page: the accessibility rules every page must pass (npm ``axe-core``, pinned in
package.json; ``make js`` installs it into node_modules).

The page's CSP forbids injected script tags, so axe's source is evaluated through the DevTools protocol
(``page.evaluate``), which the CSP does not govern. ``serious_violations(page)`` runs the WCAG 2.x A/AA rules
and returns the serious and critical ones, each as ``"rule-id: help (target, target, ...)"``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make js` (npm ci installs axe-core)")
    return AXE.read_text()


def violations(
    page: Any, *, include: str | None = None, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[str]:
    """axe's violations of ``impacts`` on the page as it is now (``include``: a CSS selector to limit it to)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source() + "\n;undefined")
    context = include or "document"
    found: list[dict[str, Any]] = page.evaluate(
        """async ([context, tags]) => {
            const where = context === "document" ? document : context;
            const r = await window.axe.run(where, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           targets: v.nodes.slice(0, 6).map(n => n.target.join(" "))}));
        }""",
        [context, TAGS],
    )
    return [f"{v['id']}: {v['help']} ({', '.join(v['targets'])})" for v in found if v["impact"] in impacts]


def serious_violations(page: Any, include: str | None = None) -> list[str]:
    return violations(page, include=include)
