"""`aiwatch try-source` against the loopback server: what the bot would read, and verdicts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from tests.conftest import CONFIG_DIR
from tests.servers.feeds import FeedItem, FeedServer, make_rss
from tests.servers.pages import PAGE_YAML, make_page

HTML = "text/html; charset=utf-8"
RECENT = datetime.now(UTC) - timedelta(hours=3)
ITEMS = [
    FeedItem("LinkedIn to train generative AI on UK users' data by default", "/news/linkedin",
             "Members must switch off the setting to opt out.", RECENT),
    FeedItem("Commission publishes its annual report", "/news/report", "", None),
]  # fmt: skip


async def run(*args: str) -> int:
    """The CLI in a worker thread: it runs its own event loop, as it does from a shell."""
    return await asyncio.to_thread(main, ["try-source", *args, "--config", str(CONFIG_DIR)])


def page_flags() -> list[str]:
    return [part for name, css in PAGE_YAML.items() for part in (f"--page-{name}", css)]


async def test_a_page_prints_titles_links_dates_and_verdicts(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
):
    """Each entry with its absolute link, its date or none, and the classifier's verdict."""
    feed_server.pages["news"] = (make_page(ITEMS), HTML)
    code = await run(feed_server.url("/page/news"), *page_flags(), "--kind", "regulator")
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(f"{feed_server.url('/page/news')}: 2 entries read as a page\n")
    assert "1. LinkedIn to train generative AI on UK users' data by default" in out
    assert f"   {feed_server.url('/news/linkedin')}\n" in out
    assert f"   {RECENT:%Y-%m-%d %H:%M} UTC\n" in out
    assert "RELEVANT (score" in out
    assert "platforms linkedin" in out
    assert "2. Commission publishes its annual report" in out
    assert "no date (dated when first seen)" in out
    assert "not relevant (score" in out


async def test_a_feed_is_tried_without_selectors(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
):
    """Without --page-entries the URL is read as a feed, as the bot reads one."""
    feed_server.feeds["f"] = make_rss([FeedItem("Feed entry", "https://e.example/1")])
    assert await run(feed_server.url("/feed/f")) == 0
    assert "1 entries read as a feed" in capsys.readouterr().out


async def test_nothing_matched_exits_2_with_one_clear_line(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
):
    """Selectors that match nothing: exit 2 and one line naming the URL and the selector."""
    feed_server.pages["news"] = (make_page(ITEMS), HTML)
    url = feed_server.url("/page/news")
    code = await run(url, "--page-entries", "ul.news li")
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"aiwatch: error: nothing matched at {url}: the page layout changed:"
                   " no entries matched `ul.news li`\n")  # fmt: skip


async def test_a_page_tried_as_a_feed_says_to_give_selectors(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
):
    """An HTML page read as a feed exits 2 and suggests --page-entries."""
    assert await run(feed_server.url("/html")) == 2
    assert "give --page-entries CSS" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--page-entries", "div[class="], "--page-entries 'div[class=': 'div[class=' is not"),
        (["--page-title", "h2"], "need --page-entries"),
        (["--page-entries", "li", "--region", "XX"], "--region 'XX'"),
    ],
)
async def test_bad_selectors_and_flags_exit_2_naming_the_flag(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
):
    """A selector that is not CSS, a lone --page-title or an unknown region: exit 2, one line."""
    assert await run(feed_server.url("/page/none"), *flags) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


async def test_an_unreachable_source_exits_1(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
):
    """A 404 is a failure to fetch (exit 1), said in words."""
    assert await run(feed_server.url("/page/missing"), "--page-entries", "li") == 1
    assert "HTTP 404" in capsys.readouterr().err
