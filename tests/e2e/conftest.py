"""Browser fixtures: a real uvicorn server on a free port and Debian's headless Chromium via playwright.

Pages come from two long-lived Chromium profiles per test worker (``screens``: a desktop one and a phone one,
mobile viewport with touch). A profile keeps its disk cache, so from its third page on Chromium runs
plotly.min.js from V8's code cache instead of compiling its 3.5 MB again: ~2 s instead of ~10 s before a page
is interactive on a loaded 2-core box. Nothing else carries over from test to test: the app keeps no cookies
or storage, and each test gets a page of its own. ``browser`` (a plain Chromium, fresh contexts) stays for the
tests that want a context of their own.

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
def playwright_driver() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need it "
            "(Debian/Ubuntu: `apt-get install chromium`; or set STEPWISE_CHROMIUM to its path)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[Any]:
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


DESKTOP = (1280, 800)
PHONE = (390, 844)


class Screens:
    """New pages of the worker's two Chromium profiles (see the module's docstring): ``new_page(size)`` on the
    desktop one, ``new_page(size, phone=True)`` on the phone one (is_mobile, has_touch). Each profile starts
    on first use and lives for the session."""

    def __init__(self, driver: Any, base_url: str, root: Path) -> None:
        self.driver = driver
        self.base_url = base_url
        self.root = root
        self.contexts: dict[bool, Any] = {}

    def context(self, phone: bool) -> Any:
        if phone not in self.contexts:
            width, height = PHONE if phone else DESKTOP
            self.contexts[phone] = self.driver.chromium.launch_persistent_context(
                str(self.root / ("phone" if phone else "desktop")),
                executable_path=CHROMIUM,
                args=CHROMIUM_ARGS,
                base_url=self.base_url,
                viewport={"width": width, "height": height},
                is_mobile=phone,
                has_touch=phone,
            )
        return self.contexts[phone]

    def new_page(self, size: tuple[int, int] | None = None, *, phone: bool = False) -> Any:
        context = self.context(phone)
        page = context.new_page()
        width, height = size or (PHONE if phone else DESKTOP)
        page.set_viewport_size({"width": width, "height": height})
        return page

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="session")
def screens(playwright_driver: Any, base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screens]:
    found = Screens(playwright_driver, base_url, tmp_path_factory.mktemp("chromium-profiles"))
    yield found
    found.close()


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


def watch_console(page: Any, console: ConsoleLog) -> None:
    """Collect the page's console errors, uncaught errors and CSP violations into ``console``."""

    def on_console(msg: Any) -> None:
        if msg.type == "error" or "Content Security Policy" in msg.text:
            console.errors.append(f"console.{msg.type}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: console.errors.append(f"pageerror: {exc}"))


@pytest.fixture
def page(screens: Screens, console: ConsoleLog) -> Iterator[Any]:
    page = screens.new_page(DESKTOP)
    page.set_default_timeout(20_000)
    watch_console(page, console)
    yield page
    page.close()
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
