"""The fetcher against a real loopback server: politeness, caps and errors in words."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot import USER_AGENT
from bot.feeds import Fetcher, create_session
from bot.feeds.fetcher import parse_max_age, parse_retry_after
from bot.models import Feed, FeedState
from tests.servers.feeds import FeedItem, FeedServer, dead_port, make_rss

LIMIT = 1024 * 1024


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    session = create_session(timeout=3.0)
    yield Fetcher(session, body_limit=LIMIT)
    await session.close()


def feed(url: str) -> Feed:
    return Feed(id="t", url=url)


def sample() -> bytes:
    return make_rss([FeedItem("Hello", "http://example.org/1")])


async def test_second_fetch_is_conditional_and_gets_304(feed_server: FeedServer, fetcher: Fetcher):
    """The ETag from the first answer is sent back, and a 304 carries no body."""
    feed_server.feeds["a"] = sample()
    first = await fetcher.fetch(feed(feed_server.url("/feed/a")), FeedState("t"))
    assert first.status == 200
    assert first.body == sample()
    state = FeedState("t", etag=first.etag, last_modified=first.last_modified)
    second = await fetcher.fetch(feed(feed_server.url("/feed/a")), state)
    assert second.not_modified
    assert second.body is None
    assert second.error is None


async def test_gzip_body_is_decoded(feed_server: FeedServer, fetcher: Fetcher):
    """A gzip-encoded feed arrives decoded."""
    feed_server.feeds["a"] = sample()
    result = await fetcher.fetch(feed(feed_server.url("/gzip/a")), FeedState("t"))
    assert result.body == sample()


async def test_user_agent_names_bot_version_and_project(feed_server: FeedServer, fetcher: Fetcher):
    """Publishers can see who polls them and where to write."""
    feed_server.feeds["a"] = sample()
    await fetcher.fetch(feed(feed_server.url("/feed/a")), FeedState("t"))
    assert feed_server.user_agents == [USER_AGENT]
    assert "AIDataWatch/" in USER_AGENT
    assert "https://" in USER_AGENT


async def test_huge_body_stops_at_the_cap(feed_server: FeedServer, fetcher: Fetcher):
    """A 200 MB answer is cut off once past the cap, with the limit in the reason."""
    result = await fetcher.fetch(feed(feed_server.url("/huge")), FeedState("t"))
    assert result.body is None
    assert result.error is not None
    assert "larger than the 1.0 MB limit" in result.error


async def test_gzip_bomb_is_bounded_after_decompression(feed_server: FeedServer, fetcher: Fetcher):
    """A small compressed body that inflates past the cap is refused, not inflated."""
    result = await fetcher.fetch(feed(feed_server.url("/bomb")), FeedState("t"))
    assert result.body is None
    assert result.error is not None
    assert "once decompressed" in result.error


async def test_redirect_loop_is_cut_after_five(feed_server: FeedServer, fetcher: Fetcher):
    """A redirect loop ends after at most 5 redirects with a reason that says so."""
    result = await fetcher.fetch(feed(feed_server.url("/loop/0")), FeedState("t"))
    assert result.error is not None
    assert "redirect" in result.error
    assert sum(feed_server.hits.values()) <= 6


@pytest.mark.parametrize(
    ("code", "words"),
    [(404, "may have moved"), (500, "server had a problem"), (429, "wait 1.0 hours")],
)
async def test_error_status_is_explained(feed_server: FeedServer, fetcher: Fetcher, code, words):
    """Each failing status gets a reason a person can act on."""
    result = await fetcher.fetch(feed(feed_server.url(f"/status/{code}")), FeedState("t"))
    assert result.status == code
    assert result.error is not None
    assert words in result.error


async def test_429_reports_retry_after(feed_server: FeedServer, fetcher: Fetcher):
    """Retry-After is passed on for the schedule to honour."""
    result = await fetcher.fetch(feed(feed_server.url("/status/429")), FeedState("t"))
    assert result.retry_after == 3600


async def test_dead_port_is_connection_refused(fetcher: Fetcher):
    """Nothing listening is reported as such, not as a traceback."""
    result = await fetcher.fetch(feed(f"http://127.0.0.1:{dead_port()}/x"), FeedState("t"))
    assert result.error is not None
    assert "connection refused" in result.error


async def test_drip_feed_times_out(feed_server: FeedServer):
    """A server sending one byte a second is abandoned at the total timeout."""
    session = create_session(timeout=1.5)
    try:
        fetcher = Fetcher(session, body_limit=LIMIT)
        result = await fetcher.fetch(feed(feed_server.url("/drip")), FeedState("t"))
    finally:
        await session.close()
    assert result.error == "no complete answer within 2 seconds"


async def test_per_host_concurrency_is_two(feed_server: FeedServer, fetcher: Fetcher):
    """Ten feeds on one host never have more than two requests open at once."""
    feed_server.feeds["a"] = sample()
    feeds = [Feed(id=f"f{i}", url=feed_server.url(f"/slow/a?i={i}")) for i in range(10)]
    await asyncio.gather(*(fetcher.fetch(f, FeedState(f.id)) for f in feeds))
    assert feed_server.max_in_flight == 2


def test_retry_after_parses_seconds_and_dates():
    """Both forms of Retry-After become seconds."""
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Mon, 23 Nov 2026 13:00:00 GMT", now) == 3600
    assert parse_retry_after("soon") is None


def test_max_age_is_read_from_cache_control():
    """max-age is found among other directives."""
    assert parse_max_age("public, max-age=1800") == 1800
    assert parse_max_age("no-cache") is None
