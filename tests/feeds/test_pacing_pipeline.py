"""Adaptive polling through the real pipeline: loopback feed server, real SQLite file, an
injected clock. A feed's pace is learned from what it serves, stored, and sets its next poll;
Cache-Control holds a poll back; a developing story makes its regions' regulators hot."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.feeds import Fetcher, create_session, schedule
from bot.feeds.cadence import Pace
from bot.health import describe
from bot.models import Feed, FeedState
from bot.pipeline import Pipeline
from bot.runner import _schedule_loop
from bot.settings import Config, read_environment
from bot.status.service import Watch
from bot.storage import Database
from bot.storage.feeds import save_feed_states
from tests.servers.feeds import FeedItem, FeedServer, make_rss

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
MINUTE, HOUR, DAY = 60, 3600, 86400


class Clock:
    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    session = create_session(timeout=3)
    yield Fetcher(session, body_limit=1024 * 1024)
    await session.close()


def items(name: str, count: int, gap: timedelta, newest: datetime) -> list[FeedItem]:
    """`count` dull items `gap` apart, the newest first, as a feed lists them."""
    return [
        FeedItem(f"{name} note {i}", f"https://{name}.example.org/{i}", "", newest - i * gap)
        for i in range(count)
    ]


async def store_quiet_feeds(database: Database, count: int) -> list[Feed]:
    """Regulators whose pace (monthly) is already stored, as after a restart: their share of
    the request budget is there to be spent on busy feeds."""
    quiet = [Feed(id=f"quiet-{n}", url=f"https://quiet-{n}.example.org/feed", kind="regulator")
             for n in range(count)]  # fmt: skip
    async with database.transaction() as tx:
        await save_feed_states(tx, [FeedState(q.id, last_fetch_at=int(NOW.timestamp()),
                                              publish_gap=30 * DAY,
                                              newest_item_at=int(NOW.timestamp()) - DAY)
                                    for q in quiet])  # fmt: skip
    return quiet


async def test_each_feed_is_polled_as_often_as_it_publishes(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """Among a dozen quiet regulators, a feed publishing every 10 minutes is polled again
    within a quarter of an hour, one publishing monthly hours later, and a busy one whose
    server says max-age=1800 not before 30 minutes. The pace is stored: a new pipeline (a
    restart) reads it back, and new items refine it; `aiwatch feeds` shows it."""
    feed_server.feeds["busy"] = make_rss(items("busy", 20, timedelta(minutes=10), NOW))
    feed_server.feeds["monthly"] = make_rss(items("monthly", 10, timedelta(days=30), NOW))
    feed_server.feeds["cached"] = make_rss(items("cached", 20, timedelta(minutes=10), NOW))
    feed_server.cache_control["cached"] = "public, max-age=1800"
    feeds = [Feed(id=name, url=feed_server.url(f"/feed/{name}")) for name in
             ("busy", "monthly", "cached")]  # fmt: skip
    every = (*feeds, *await store_quiet_feeds(database, 12))
    clock = Clock()
    pipeline = Pipeline(database, replace(config, feeds=every), fetcher, clock=clock,
                        rng=random.Random(0))  # fmt: skip
    await pipeline.run_cycle(feeds, await pipeline.states())
    states = await pipeline.states()
    waits = {name: (states[name].next_poll_at or 0) - clock.now for name in states}
    assert states["busy"].publish_gap == pytest.approx(10 * MINUTE)
    assert "an item about every 10 min" in describe(feeds[0], states["busy"])  # aiwatch feeds
    assert "an item about every 30 days" in describe(feeds[1], states["monthly"])
    assert waits["busy"] <= 15 * MINUTE
    assert waits["monthly"] >= 2 * HOUR
    assert waits["cached"] >= 30 * MINUTE

    clock.now += 10 * MINUTE
    newer = NOW + timedelta(minutes=10)
    feed_server.feeds["busy"] = make_rss(items("busy", 20, timedelta(minutes=1), newer))
    again = Pipeline(database, replace(config, feeds=every), fetcher, clock=clock,
                     rng=random.Random(0))  # fmt: skip
    await again.run_cycle(feeds[:1], await again.states())
    busier = (await again.states())["busy"]
    assert busier.publish_gap is not None
    assert busier.publish_gap < 10 * MINUTE  # ten more items in ten minutes
    assert busier.newest_item_at == int(newer.timestamp())


async def test_a_developing_story_makes_its_regions_regulators_hot_for_a_day(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A news feed reports Meta training AI on EU users' posts: the Irish regulator (IE, in
    the EU), which publishes monthly, is due again within half its usual period of its last
    poll, and the Japanese one is not. A day later, with nothing new, neither is hot."""
    story = FeedItem("Meta to train AI on EU users' public posts from next month",
                     "https://news.example.org/meta-eu", "Users can object with a form.",
                     NOW - timedelta(hours=1))  # fmt: skip
    feed_server.feeds["news"] = make_rss([story])
    feed_server.feeds["dpc"] = make_rss(
        items("dpc", 10, timedelta(days=30), NOW - timedelta(days=3))
    )
    feed_server.feeds["ppc"] = make_rss(
        items("ppc", 10, timedelta(days=30), NOW - timedelta(days=3))
    )
    feeds = [
        Feed(id="news", url=feed_server.url("/feed/news")),
        Feed(id="dpc", url=feed_server.url("/feed/dpc"), kind="regulator", region="IE"),
        Feed(id="ppc", url=feed_server.url("/feed/ppc"), kind="regulator", region="JP"),
    ]
    clock = Clock()
    pipeline = Pipeline(database, replace(config, feeds=tuple(feeds)), fetcher, clock=clock,
                        rng=random.Random(0))  # fmt: skip
    await pipeline.run_cycle(feeds[1:], await pipeline.states())  # the regulators first
    states = await pipeline.states()
    dpc = feeds[1]
    pace = Pace(states["dpc"].publish_gap, states["dpc"].newest_item_at)
    cold = pipeline.pacer.every(dpc, pace, int(clock.now))
    assert cold >= 2 * HOUR

    report = await pipeline.run_cycle(feeds[:1], await pipeline.states())
    assert report.judged.stories == 1
    assert pipeline.pacer.hot == {"dpc"}
    due = pipeline.pacer.hot_polls(await pipeline.states(), int(clock.now))
    assert set(due) == {"dpc"}
    assert due["dpc"] - (states["dpc"].last_fetch_at or 0) <= cold / 2

    clock.now += 30 * MINUTE
    await pipeline.run_cycle([dpc], await pipeline.states())
    polled_hot = (await pipeline.states())["dpc"]
    assert (polled_hot.next_poll_at or 0) - clock.now <= 0.75 * cold

    clock.now += DAY
    await pipeline.run_cycle([dpc], await pipeline.states())
    assert pipeline.pacer.hot == frozenset()


async def until(condition: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    """Wait for what the loop does on its own one-second ticks."""
    for _ in range(int(seconds / 0.05)):
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the schedule loop did not get there in time")


async def test_the_runners_loop_polls_a_hot_regulator_when_the_story_makes_it_due(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """Through bot/runner.py's schedule loop: once a story about the EU is read, the Irish
    regulator is polled at its hot time, hours before its own next slot; the Japanese one
    is not polled again."""
    story = FeedItem("Meta to train AI on EU users' public posts from next month",
                     "https://news.example.org/meta-eu", "Users can object with a form.",
                     NOW - timedelta(hours=1))  # fmt: skip
    feed_server.feeds["news"] = make_rss(items("news", 3, timedelta(hours=6), NOW))
    for name in ("dpc", "ppc"):
        history = items(name, 10, timedelta(days=30), NOW - timedelta(days=3))
        feed_server.feeds[name] = make_rss(history)
    feeds = (
        Feed(id="news", url=feed_server.url("/feed/news")),
        Feed(id="dpc", url=feed_server.url("/feed/dpc"), kind="regulator", region="IE"),
        Feed(id="ppc", url=feed_server.url("/feed/ppc"), kind="regulator", region="JP"),
    )
    clock = Clock()
    pipeline = Pipeline(database, replace(config, feeds=feeds), fetcher, clock=clock,
                        rng=random.Random(0))  # fmt: skip
    env = read_environment(environ={}, dotenv=Path("/nonexistent/.env"))
    loop = asyncio.create_task(_schedule_loop(pipeline, feeds, Watch.start(env, clock)))

    async def polled(feed_id: str, times: int) -> bool:
        state = (await pipeline.states())[feed_id]
        return feed_server.hits[f"/feed/{feed_id}"] == times and state.last_fetch_at == clock.now

    async def heated(feed_ids: set[str]) -> bool:
        return pipeline.pacer.hot == feed_ids

    try:
        await asyncio.sleep(0.2)  # the loop has placed each first poll within a minute
        clock.now += schedule.STARTUP_SPREAD
        await until(lambda: polled("news", 1))
        await until(lambda: polled("dpc", 1))
        await until(lambda: polled("ppc", 1))
        states = await pipeline.states()
        assert not pipeline.pacer.hot
        own_slot = states["dpc"].next_poll_at or 0

        feed_server.feeds["news"] = make_rss([story, *items("news", 3, timedelta(hours=6), NOW)])
        clock.now = states["news"].next_poll_at or clock.now
        await until(lambda: polled("news", 2))
        await until(lambda: heated({"dpc"}))
        states = await pipeline.states()
        hot_due = pipeline.pacer.hot_polls(states, int(clock.now))["dpc"]
        assert hot_due < own_slot - HOUR

        clock.now = max(clock.now, hot_due)
        await until(lambda: polled("dpc", 2))
        assert feed_server.hits["/feed/ppc"] == 1
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
