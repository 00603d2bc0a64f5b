"""Page sources through a real poll cycle: loopback server, real fetcher, real SQLite file.

A page is fetched, stored, judged and reported exactly as a feed is; the bad inputs of
issue #22 each end in a health row in words, and the cycle goes on.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.commands.handlers import Asker, Commands
from bot.feeds import Fetcher, create_session
from bot.health import feed_health_lines
from bot.models import Feed, PageSelectors
from bot.optout.guide import Guide
from bot.pages import PAGE_ALERT_CAP
from bot.pipeline import Pipeline
from bot.settings import Config
from bot.storage import Database
from bot.storage.outbox import pending_count
from tests.servers.feeds import FeedItem, FeedServer, make_rss
from tests.servers.pages import SELECTORS, make_page

NOW = datetime.now(UTC)
HTML = "text/html; charset=utf-8"
LIMIT = 5 * 1024 * 1024  # the default body cap


class Clock:
    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    session = create_session(timeout=10)
    yield Fetcher(session, body_limit=LIMIT)
    await session.close()


def relevant(n: int, age: timedelta | None = timedelta(hours=1)) -> FeedItem:
    """A distinct relevant statement (each about another platform, so each its own story)."""
    platforms = ["LinkedIn", "Reddit", "Zoom", "Slack", "Tumblr", "Quora", "Figma", "Udemy"]
    return FeedItem(
        f"{platforms[n % len(platforms)]} to train generative AI on UK users' data by default"
        f" (notice {n})",
        f"/en/news/statement-{n}",
        "Users must switch off the setting to opt out.",
        NOW - age if age is not None else None,
    )


async def poll(config: Config, db: Database, fetcher: Fetcher, feed: Feed, clock: Clock):
    pipeline = Pipeline(db, replace(config, feeds=(feed,)), fetcher, clock=clock,
                        rng=random.Random(0))  # fmt: skip
    report = await pipeline.run_cycle([feed], await pipeline.states())
    return report, (await pipeline.states())[feed.id]


def page_source(server: FeedServer, path: str, selectors: PageSelectors = SELECTORS) -> Feed:
    return Feed(id="dpc", url=server.url(path), kind="regulator", region="IE", language="en",
                page=selectors)  # fmt: skip


async def stored(db: Database) -> list[tuple[str, int | None, int]]:
    rows = await db.fetch_all("SELECT link, published, alertable FROM items ORDER BY id")
    return [(r[0], r[1], r[2]) for r in rows]


async def test_a_page_flows_like_a_feed_and_its_second_poll_costs_a_304(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """Dated recent entries alert on the first poll, undated ones wait; links are absolute;
    an unchanged page is a 304 that stores nothing."""
    feed_server.pages["dpc"] = (make_page([relevant(0), relevant(1, age=None)]), HTML)
    clock = Clock()
    feed = page_source(feed_server, "/page/dpc")
    report, state = await poll(config, database, fetcher, feed, clock)
    assert (report.new_items, state.last_error, state.last_note) == (2, None, "")
    rows = await stored(database)
    assert [r[0] for r in rows] == [feed_server.url("/en/news/statement-0"),
                                    feed_server.url("/en/news/statement-1")]  # fmt: skip
    assert [r[2] for r in rows] == [1, 0]  # the undated entry does not alert on a first poll
    assert rows[1][1] == int(clock.now)  # dated when first seen
    assert await pending_count(database) == 1
    again, state = await poll(config, database, fetcher, feed, clock)
    assert (again.not_modified, again.new_items, state.last_status) == (1, 0, 304)


async def test_a_new_undated_entry_on_a_later_poll_alerts_dated_when_first_seen(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """After the first poll, an undated entry never seen before is news: it alerts."""
    feed = page_source(feed_server, "/page/dpc")
    clock = Clock()
    feed_server.pages["dpc"] = (make_page([relevant(0, age=None)]), HTML)
    await poll(config, database, fetcher, feed, clock)
    clock.now += 3600
    feed_server.pages["dpc"] = (make_page([relevant(2, age=None), relevant(0, age=None)]), HTML)
    report, _ = await poll(config, database, fetcher, feed, clock)
    assert report.new_items == 1
    link, published, alertable = (await stored(database))[-1]
    assert (link.endswith("statement-2"), published, alertable) == (True, int(clock.now), 1)
    assert report.alerts_queued == 1


async def test_a_layout_change_fails_loudly_in_the_cli_and_the_chat_command(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher,
    db_path: Path, caplog: pytest.LogCaptureFixture,
):  # fmt: skip
    """Selectors that match nothing make the source FAILING with the selector named, in
    `aiwatch feeds`, in `/aiwatch feeds` and in the log; it backs off like a dead feed."""
    feed_server.pages["dpc"] = (b"<html><body><div class='new-design'><ul><li><a href='/x'>"
                                b"Hi</a></li></ul></div></body></html>", HTML)  # fmt: skip
    feed = page_source(feed_server, "/page/dpc")
    report, state = await poll(config, database, fetcher, feed, Clock())
    expected = "the page layout changed: no entries matched `div.view-content article`"
    assert (report.failed, state.failures, state.last_error) == (1, 1, expected)
    assert any(expected in r.getMessage() for r in caplog.records)
    lines = await feed_health_lines(db_path, (feed,), config.rules.languages)
    assert any(line.startswith(f"dpc: FAILING (1 in a row): {expected}\n") for line in lines)
    guide = Guide(config.optout, config.platforms, config.regions)
    commands = Commands(database, replace(config, feeds=(feed,)), guide, Clock())
    reply = await commands.feeds(Asker("console:stdout", can_manage=False))
    assert expected in {f.name: f.value for f in reply.fields}["Failing"]


async def test_a_page_suddenly_showing_many_new_entries_alerts_only_a_few(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """When a poll brings more never-seen entries than the cap, only the first alert; the rest
    are stored, and the health note says so."""
    feed = page_source(feed_server, "/page/dpc")
    clock = Clock()
    feed_server.pages["dpc"] = (make_page([relevant(0)]), HTML)
    await poll(config, database, fetcher, feed, clock)
    flood = [relevant(n, age=None) for n in range(1, 26)]
    feed_server.pages["dpc"] = (make_page([*flood, relevant(0)]), HTML)
    report, state = await poll(config, database, fetcher, feed, clock)
    assert report.new_items == 25
    assert sum(r[2] for r in (await stored(database))[1:]) == PAGE_ALERT_CAP
    assert state.last_note is not None
    assert f"25 entries never seen before; only the first {PAGE_ALERT_CAP}" in state.last_note


async def test_a_page_over_the_body_cap_is_refused_in_words(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A 6 MB page against the 5 MiB cap: FAILING with the limit named; nothing stored."""
    feed_server.pages["dpc"] = (make_page([relevant(0)], padding=6_000_000), HTML)
    report, state = await poll(config, database, fetcher, page_source(feed_server, "/page/dpc"),
                               Clock())  # fmt: skip
    assert report.failed == 1
    assert state.last_error is not None
    assert "the page is larger than the 5.0 MB limit" in state.last_error


async def test_a_page_of_almost_5_mb_is_read(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A 4.9 MB page under the cap is parsed, its entries after the padding found."""
    feed_server.pages["dpc"] = (make_page([relevant(0)], padding=4_900_000), HTML)
    report, state = await poll(config, database, fetcher, page_source(feed_server, "/page/dpc"),
                               Clock())  # fmt: skip
    assert (report.new_items, state.last_error) == (1, None)


async def test_a_page_in_the_wrong_encoding_is_read_with_a_note(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """Windows-1252 labelled UTF-8: the entry is stored with its accents, and a note says so."""
    item = replace(relevant(0), title="Données personnelles: LinkedIn entraîne son IA")
    body = make_page([item]).decode().encode("windows-1252")
    feed_server.pages["dpc"] = (body, HTML)
    _, state = await poll(config, database, fetcher, page_source(feed_server, "/page/dpc"),
                          Clock())  # fmt: skip
    title = (await database.fetch_one("SELECT title FROM items"))[0]
    assert title == "Données personnelles: LinkedIn entraîne son IA"
    assert state.last_error is None
    assert "is not valid utf-8; read it as windows-1252" in (state.last_note or "")


async def test_javascript_links_are_dropped_and_relative_ones_resolved(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A javascript: entry is left out with a note; a relative one is stored absolute."""
    items = [replace(relevant(0), link="javascript:openPopup(3)"), relevant(1)]
    feed_server.pages["dpc"] = (make_page(items), HTML)
    _, state = await poll(config, database, fetcher, page_source(feed_server, "/page/dpc"),
                          Clock())  # fmt: skip
    assert [r[0] for r in await stored(database)] == [feed_server.url("/en/news/statement-1")]
    assert "dropped 1 entries whose link is not a web address" in (state.last_note or "")


async def test_a_redirect_to_a_login_page_is_named(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A listing that now redirects to a sign-in form fails with the login page named."""
    _, state = await poll(config, database, fetcher, page_source(feed_server, "/to-login"),
                          Clock())  # fmt: skip
    assert state.last_error is not None
    assert state.last_error.startswith("the page redirected to a login page (http://127.0.0.1:")
    assert "/login?next=/to-login" in state.last_error


async def test_a_moved_page_resolves_links_against_where_it_ended(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """After a redirect, relative links resolve against the page's new address."""
    item = replace(relevant(0), link="statement-0")
    feed_server.pages["dpc"] = (make_page([item]), HTML)
    await poll(config, database, fetcher, page_source(feed_server, "/moved/dpc"), Clock())
    assert [r[0] for r in await stored(database)] == [feed_server.url("/page/statement-0")]


async def test_a_page_that_is_a_feed_after_all_is_read_as_one(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """RSS served at a page source's URL: its items are stored, and the note says what it is."""
    rss = make_rss([replace(relevant(0), link="https://dpc.example/a")])
    feed_server.pages["dpc"] = (rss, "application/rss+xml")
    report, state = await poll(config, database, fetcher, page_source(feed_server, "/page/dpc"),
                               Clock())  # fmt: skip
    assert (report.new_items, state.last_error) == (1, None)
    assert "this page is a feed after all" in (state.last_note or "")
