"""Browser fixtures: a real uvicorn server on a free port and Debian's headless Chromium via playwright.

The tests never skip: a missing ``/usr/bin/chromium`` (or ``STEPWISE_CHROMIUM``) is a failure with a
message saying what to install, because CI installs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("STEPWISE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The real app (``create_app`` factory) served by uvicorn in a subprocess."""
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = tempfile.NamedTemporaryFile("w+", prefix="stepwise-e2e-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded 2-core box imports torch and sklearn slowly
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(f"uvicorn exited with {proc.returncode}:\n{Path(log.name).read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the app did not answer /healthz within 180 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need it "
            "(Debian/Ubuntu: `apt-get install chromium`; or set STEPWISE_CHROMIUM to its path)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleLog:
    """Console errors, page errors and CSP violations seen by one page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[str] = []

    def allow(self, fragment: str) -> None:
        """Expect console errors containing ``fragment`` (e.g. the browser's own log of a 422 response)."""
        self.allowed.append(fragment)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser: Any, base_url: str, console: ConsoleLog) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(20_000)

    def on_console(msg: Any) -> None:
        if msg.type == "error" or "Content Security Policy" in msg.text:
            console.errors.append(f"console.{msg.type}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: console.errors.append(f"pageerror: {exc}"))
    yield page
    context.close()
    problems = console.unexpected()
    assert not problems, "browser console errors / CSP violations:\n" + "\n".join(problems)


@pytest.fixture
def wait_until(page: Any) -> Callable[..., Any]:
    """Poll a JS expression (via CDP evaluate, which the page's CSP does not block) until truthy."""

    def _wait(expression: str, timeout: float = 20.0, message: str = "") -> Any:
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = page.evaluate(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {expression!r} (last value {value!r}) {message}")

    return _wait
