"""The header's "API" link works offline: /docs (Swagger UI) and /redoc render with every request that does not
go to 127.0.0.1 blocked, under the site's CSP (the page fixture fails on any console error or CSP violation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.e2e


def _block_off_box(page: Any) -> list[str]:
    """Abort every request to a host other than 127.0.0.1; returns the list of what was blocked."""
    blocked: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        if urlparse(url).hostname in ("127.0.0.1", None) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", handle)
    return blocked


def test_swagger_ui_renders_offline(page: Any, wait_until: Callable[..., Any]) -> None:
    blocked = _block_off_box(page)
    page.goto("/docs")
    # Swagger UI drew the operations of the schema: the runs endpoint among them.
    count = wait_until(
        "document.querySelectorAll('.swagger-ui .opblock').length", message="(Swagger UI drew no operations)"
    )
    assert count >= 5
    assert "/api/v1/algorithms/{algorithm_id}/runs" in page.inner_text(".swagger-ui") or "/runs" in page.inner_text(
        ".swagger-ui"
    )
    assert blocked == [], f"/docs asked for off-box resources: {blocked}"
    # Try it out works against the local server: the operation expands.
    page.click(".opblock-summary >> nth=0")
    wait_until("document.querySelectorAll('.opblock.is-open').length")


def test_redoc_renders_offline(page: Any, wait_until: Callable[..., Any], console: Any) -> None:
    # ReDoc's sidebar footer tries a logo from its CDN; the CSP refuses it (nothing leaves the box) and ReDoc
    # hides the image on its load error. That refusal is the only console error allowed.
    console.allow("cdn.redoc.ly/redoc/logo-mini.svg")
    blocked = _block_off_box(page)
    page.goto("/redoc")
    wait_until(
        "[...document.querySelectorAll('h1, h2')].some(h => h.textContent.includes('Stepwise'))",
        timeout=30,
        message="(ReDoc did not render the API title)",
    )
    wait_until("document.body.innerText.includes('/api/v1/algorithms')", timeout=30)
    assert blocked == [], f"/redoc asked for off-box resources: {blocked}"


def test_docs_page_shell_is_accessible(page: Any, wait_until: Callable[..., Any]) -> None:
    """Our part of /docs (the page shell: lang, title, the way back) has no serious axe violation; Swagger UI's
    own markup is a third-party widget, checked only for the worst (critical) problems."""
    page.goto("/docs")
    wait_until("document.querySelectorAll('.swagger-ui .opblock').length")
    assert page.evaluate("document.documentElement.lang") == "en"
    critical = [v for v in serious_violations(page) if "critical" in v]
    assert critical == []
