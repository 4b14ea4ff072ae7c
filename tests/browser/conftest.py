"""Browser fixtures: Debian's chromium driven by Playwright, with axe-core for accessibility.

`make test` installs both chromium and axe-core; when either is missing these fixtures fail
(never skip), so a browser pass cannot silently not happen.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

# pytest-django's live_server and Playwright's sync API share the test thread; Playwright
# runs an event loop there, which Django's async-safety check would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is missing: {AXE_JS} does not exist. Run `npm install` in {REPO} "
            "(or `make install-test`).",
            pytrace=False,
        )
    return AXE_JS.read_text(encoding="utf-8")


# Per module, not per session: Playwright's sync API keeps an asyncio loop running in the
# main thread while it is open, which would break later tests that call asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"chromium is missing: {CHROMIUM} is not an executable. Install Debian's "
            "`chromium` package (or run `make install-test` as root).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh context (no cookies) on a desktop-sized viewport, pointed at the live server."""
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url,
        viewport={"width": 1280, "height": 800},
        locale="en-US",
        timezone_id="America/New_York",
        reduced_motion="reduce",
    )
    # Generous: CI machines are small and busy; a wait that times out should mean a broken
    # page, not a slow one.
    context.set_default_timeout(30_000)
    expect.set_options(timeout=20_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


@pytest.fixture
def check_a11y(axe_source, page):
    """Inject axe-core into the current page and fail on any violation.

    The app's Content-Security-Policy (script-src 'self') would block an injected <script>;
    page.evaluate runs through the DevTools protocol, which CSP does not govern.
    `check_a11y.unchecked()` lists the pages the browser showed that were never checked.
    """
    visited: list[str] = []
    checked: list[str] = []

    def _navigated(frame) -> None:
        if frame == page.main_frame:
            visited.append(frame.url.split("#")[0])

    page.on("framenavigated", _navigated)

    def _check(page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        # axe's default rule set: WCAG 2.x A/AA and best practices (not the experimental rules).
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        checked.append(page.url.split("#")[0])
        assert not result["violations"], format_violations(page.url, result["violations"])

    def _unchecked() -> list[str]:
        return [url for url in visited if url not in checked]

    _check.checked = checked  # type: ignore[attr-defined]
    _check.unchecked = _unchecked  # type: ignore[attr-defined]
    return _check


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
        return path

    return _shot
