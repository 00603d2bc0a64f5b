"""The status page in headless Chromium (Debian's package, driven by Playwright), loaded
from a running bot whose loopback feeds include a failing one.

Without Chromium this test cannot pass quietly: under CI (env CI set) it fails; elsewhere it
is skipped with the reason printed. `.ci/run` installs Chromium when it is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, ViewportSize, async_playwright

from tests.servers.feeds import FeedServer
from tests.status.running import FAILING_REASON, HOSTILE_NAME, RunningBot, start_status_bot

pytestmark = pytest.mark.slow
CHROMIUM = Path(os.environ.get("AIWATCH_CHROMIUM", "/usr/bin/chromium"))
PHONE = ViewportSize(width=375, height=812)
DESKTOP = ViewportSize(width=1280, height=900)
RED = "rgb(198, 40, 40)"  # .bad .tag in bot/status/page.py


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"headless Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


def _screenshot_dir(tmp_path: Path) -> Path:
    wanted = os.environ.get("AIWATCH_SCREENSHOT_DIR")
    directory = Path(wanted) if wanted else tmp_path
    directory.mkdir(parents=True, exist_ok=True)
    return directory


async def _open(browser: Browser, url: str, viewport: ViewportSize, *,
                javascript: bool = True) -> tuple[Page, list[str]]:  # fmt: skip
    """The page loaded at that size; the list fills with console errors and page errors."""
    context = await browser.new_context(viewport=viewport, java_script_enabled=javascript,
                                        is_mobile=viewport["width"] < 600)  # fmt: skip
    page = await context.new_page()
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            errors.append(f"console {message.type}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    answer = await page.goto(url, wait_until="load")
    assert answer is not None
    assert answer.status == 200
    return page, errors


async def _overflow(page: Page) -> tuple[int, int]:
    """(document width, viewport width): the first larger means sideways scrolling."""
    widths = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return int(widths[0]), int(widths[1])


async def _check_failing_card(page: Page, bot: RunningBot) -> None:
    card = page.locator(f"[data-source='{bot.failing}']")
    text = await card.inner_text()
    assert "FAILING" in text
    assert FAILING_REASON in text
    assert HOSTILE_NAME in text  # shown as text, not as markup
    tag = card.locator(".tag")
    assert await tag.inner_text() == "FAILING"
    assert await tag.evaluate("e => getComputedStyle(e).backgroundColor") == RED
    assert await tag.is_visible()
    good = page.locator(f"[data-source='{bot.good}'] .tag")
    assert await good.inner_text() == "OK"
    assert await good.evaluate("e => getComputedStyle(e).backgroundColor") != RED


async def test_the_status_page_in_chromium_marks_the_failing_feed_and_fits_a_phone(
    feed_server: FeedServer, tmp_path: Path
):
    """At 375 px and at 1280 px: the failing feed marked FAILING in red with its reason, no
    console errors, nothing wider than the screen; with JavaScript off it reads the same."""
    _need_chromium()
    bot = await start_status_bot(feed_server, tmp_path)
    shots = _screenshot_dir(tmp_path)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page, errors = await _open(browser, bot.url, PHONE)
            await _check_failing_card(page, bot)
            assert await page.locator("[data-story]").count() == 3
            assert await page.locator("meta[http-equiv=refresh]").get_attribute("content") == "30"
            width, viewport = await _overflow(page)
            assert width <= viewport == PHONE["width"]
            shot = shots / "status-page-375px.png"
            await page.screenshot(path=str(shot), full_page=True)
            print(f"status page screenshot: {shot}")
            assert errors == []

            desktop, errors = await _open(browser, bot.url, DESKTOP)
            await _check_failing_card(desktop, bot)
            width, viewport = await _overflow(desktop)
            assert width <= viewport == DESKTOP["width"]
            assert errors == []

            plain, errors = await _open(browser, bot.url, PHONE, javascript=False)
            await _check_failing_card(plain, bot)
            assert errors == []
        finally:
            await browser.close()
    assert await bot.stop() == 0
