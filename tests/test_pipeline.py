"""One poll cycle in-process: real fetcher, real loopback server, real SQLite file."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.console import CONSOLE_ID
from bot.feeds import Fetcher, create_session
from bot.models import Entry, Feed
from bot.pipeline import Pipeline
from bot.settings import Config
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.items import NewEntry, store_entries
from bot.storage.outbox import pending_count
from bot.storage.subscriptions import set_digest_hour, subscribe
from tests.servers.feeds import FeedItem, FeedServer, make_rss

NOW = datetime.now(UTC)
RELEVANT = FeedItem(
    "Meta to train AI on EU users' public posts from next month",
    "https://news.example.org/meta-eu",
    "Users can object with a form.",
    NOW - timedelta(hours=1),
)


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


def pipeline_for(config: Config, feeds: list[Feed], db: Database, fetcher: Fetcher, clock: Clock):
    return Pipeline(
        db, replace(config, feeds=tuple(feeds)), fetcher, clock=clock, rng=random.Random(0)
    )


def news(title: str, slug: str, age: timedelta) -> FeedItem:
    """A news item with no summary, published `age` ago."""
    return FeedItem(title, f"https://news.example.org/{slug}", "", NOW - age)


async def poll_twice(
    config: Config,
    feed_server: FeedServer,
    database: Database,
    fetcher: Fetcher,
    first: FeedItem,
    later: FeedItem,
) -> None:
    """One feed polled with `first`, then again with `later` added on top, as a feed grows."""
    feed = Feed(id="news", url=feed_server.url("/feed/news"))
    pipeline = pipeline_for(config, [feed], database, fetcher, Clock())
    feed_server.feeds["news"] = make_rss([first])
    await pipeline.run_cycle([feed], await pipeline.states())
    feed_server.feeds["news"] = make_rss([later, first])
    await pipeline.run_cycle([feed], await pipeline.states())


async def test_failing_feed_backs_off_and_recovers(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A feed failing twice is polled later each time; once it answers, its failures reset."""
    feed = Feed(id="flaky", url=feed_server.url("/feed/flaky"), interval_minutes=30)
    clock = Clock()
    pipeline = pipeline_for(config, [feed], database, fetcher, clock)
    await pipeline.run_cycle([feed], await pipeline.states())  # 404: not registered yet
    first = (await pipeline.states())["flaky"]
    await pipeline.run_cycle([feed], await pipeline.states())
    second = (await pipeline.states())["flaky"]
    assert (first.failures, second.failures) == (1, 2)
    assert second.next_poll_at is not None
    assert first.next_poll_at is not None
    assert second.next_poll_at - clock.now > first.next_poll_at - clock.now
    assert second.last_error is not None
    assert "HTTP 404" in second.last_error

    feed_server.feeds["flaky"] = make_rss([RELEVANT])
    report = await pipeline.run_cycle([feed], await pipeline.states())
    recovered = (await pipeline.states())["flaky"]
    assert recovered.failures == 0
    assert recovered.last_error is None
    assert report.new_items == 1


async def test_a_feeds_last_success_moves_on_with_each_answer_and_outlives_failures(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A 200 and a 304 are each a success; a failure afterwards keeps the last one, which the
    status page shows."""
    feed_server.feeds["a"] = make_rss([RELEVANT])
    feed = Feed(id="a", url=feed_server.url("/feed/a"))
    clock = Clock()
    pipeline = pipeline_for(config, [feed], database, fetcher, clock)
    successes = []
    for step in range(3):
        if step == 2:
            del feed_server.feeds["a"]  # 404 from now on
        clock.now += 600
        await pipeline.run_cycle([feed], await pipeline.states())
        successes.append((await pipeline.states())["a"].last_success_at)
    start = int(NOW.timestamp())
    assert successes == [start + 600, start + 1200, start + 1200]


async def test_a_cycle_reports_its_verdicts_and_the_stories_it_opened(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """What the metrics count: one relevant item opening one story, one not relevant."""
    noise = news("Regulator fines shop over cookie banners", "cookies", timedelta(hours=2))
    feed_server.feeds["a"] = make_rss([RELEVANT, noise])
    feed = Feed(id="a", url=feed_server.url("/feed/a"))
    pipeline = pipeline_for(config, [feed], database, fetcher, Clock())
    report = await pipeline.run_cycle([feed], await pipeline.states())
    judged = report.judged
    assert (judged.relevant, judged.not_relevant, judged.stories, judged.queued) == (1, 1, 1, 1)
    assert judged.developments == 0
    assert report.alerts_queued == 1


async def test_a_report_newly_affecting_a_region_counts_as_a_development(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """Meta's EU pause, then the UK asked to follow: the second cycle records a development."""
    pause = news("Meta pauses plans to train AI on EU users' data after Irish DPC request",
                 "meta-eu-pause", timedelta(days=2))  # fmt: skip
    uk = news("UK's ICO asks Meta to pause AI training on UK users' posts too", "meta-uk",
              timedelta(days=1))  # fmt: skip
    feed = Feed(id="a", url=feed_server.url("/feed/a"))
    pipeline = pipeline_for(config, [feed], database, fetcher, Clock())
    counted = []
    for items in ([pause], [uk, pause]):
        feed_server.feeds["a"] = make_rss(items)
        judged = (await pipeline.run_cycle([feed], await pipeline.states())).judged
        counted.append((judged.stories, judged.developments))
    assert counted == [(1, 0), (0, 1)]


async def test_same_story_in_two_feeds_is_alerted_once(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """An entry carried by two feeds is stored once and queued for the console once."""
    feed_server.feeds["a"] = make_rss([RELEVANT])
    feed_server.feeds["b"] = make_rss([replace(RELEVANT, link=RELEVANT.link + "?utm_source=b")])
    feeds = [Feed(id=n, url=feed_server.url(f"/feed/{n}")) for n in ("a", "b")]
    pipeline = pipeline_for(config, feeds, database, fetcher, Clock())
    report = await pipeline.run_cycle(feeds, await pipeline.states())
    assert report.new_items == 1
    assert await pending_count(database) == 1


async def test_unchanged_feed_costs_a_304_and_stores_nothing(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """The second poll sends the validators back and stores nothing new."""
    feed_server.feeds["a"] = make_rss([RELEVANT])
    feed = Feed(id="a", url=feed_server.url("/feed/a"))
    pipeline = pipeline_for(config, [feed], database, fetcher, Clock())
    await pipeline.run_cycle([feed], await pipeline.states())
    report = await pipeline.run_cycle([feed], await pipeline.states())
    assert report.not_modified == 1
    assert report.new_items == 0
    assert await pending_count(database) == 1


async def test_channels_get_only_the_stories_they_subscribed_to(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """An EU story is queued for an EU channel and the console, not for a UK channel, and
    not as an immediate alert for a channel that takes a daily digest."""
    async with database.transaction() as tx:
        for channel, region in (("eu", "EU"), ("uk", "UK"), ("digest", "EU")):
            await ensure_destination(tx, f"discord:1/{channel}", "discord", 1)
            await subscribe(tx, f"discord:1/{channel}", [region], [], [])
        await set_digest_hour(tx, "discord:1/digest", 8)
    feed_server.feeds["a"] = make_rss([RELEVANT])
    feeds = [Feed(id="a", url=feed_server.url("/feed/a"))]
    pipeline = pipeline_for(config, feeds, database, fetcher, Clock())
    await pipeline.run_cycle(feeds, await pipeline.states())
    rows = await database.fetch_all("SELECT destination_id FROM outbox ORDER BY destination_id")
    assert [r[0] for r in rows] == [CONSOLE_ID, "discord:1/eu"]


async def test_a_feeds_items_are_placed_in_the_order_they_were_published(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A feed lists its newest item first; placing them in that order would start a story
    from its latest report. Meta's German plan, a warning letter eight days later and a court
    bid eight days after that are one episode; placed newest first, the plan would come
    sixteen days after the story's last report, and apart. (Was: a letter, a bid and a
    ruling in two stories; the ruling on the bid is now its episode's.)"""
    reports = [
        ("After its warning letter, consumer group asks court to stop Meta's AI training in "
         "Germany", 0),
        ("Consumer group sends Meta a warning letter over AI training in Germany", 8),
        ("Meta will train its AI on public posts of users in Germany", 16),
    ]  # fmt: skip
    feed_server.feeds["news"] = make_rss([
        FeedItem(title, f"https://news.example.org/{days}", "", NOW - timedelta(days=days))
        for title, days in reports
    ])  # fmt: skip
    feed = Feed(id="news", url=feed_server.url("/feed/news"))
    pipeline = pipeline_for(config, [feed], database, fetcher, Clock())
    await pipeline.run_cycle([feed], await pipeline.states())
    rows = await database.fetch_all("SELECT link, story_id FROM items ORDER BY published")
    story_of = {row["link"].rsplit("/", 1)[1]: row["story_id"] for row in rows}
    assert story_of["16"] == story_of["8"] == story_of["0"]


async def test_a_changes_reminder_weeks_later_updates_its_story(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A story's reminder three weeks on arrives in a later poll: the story must still be
    read from the database to take it."""
    change = news(
        "Udemy will use instructors' courses to train AI unless they opt out",
        "change",
        timedelta(days=20),
    )
    reminder = news(
        "Two days left for Udemy instructors to opt their courses out of AI training",
        "reminder",
        timedelta(hours=1),
    )
    await poll_twice(config, feed_server, database, fetcher, change, reminder)
    rows = await database.fetch_all("SELECT link, story_id FROM items")
    assert len({row["story_id"] for row in rows}) == 1, rows


async def test_a_vague_report_in_a_later_poll_joins_the_story_it_continues(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """A brief report that names neither AI's use of data nor anything else the classifier
    needs is read beside the story open in the database: it is stored as relevant, with the
    reason, and joins that story rather than being dropped."""
    change = news(
        "Udemy will use instructors' courses to train AI unless they leave its generative AI "
        "programme",
        "change",
        timedelta(days=1),
    )
    brief = news(
        "Udemy instructors are enrolled in its generative AI programme unless they leave by "
        "12 September",
        "brief",
        timedelta(hours=1),
    )
    await poll_twice(config, feed_server, database, fetcher, change, brief)
    rows = await database.fetch_all("SELECT link, story_id, relevant, reasons FROM items")
    by_link = {row["link"].rsplit("/", 1)[1]: row for row in rows}
    assert by_link["brief"]["relevant"]
    assert by_link["brief"]["story_id"] == by_link["change"]["story_id"] is not None
    assert "relevant beside an open story" in by_link["brief"]["reasons"]


async def test_a_region_only_the_summary_names_still_routes_the_alert(
    config: Config, feed_server: FeedServer, database: Database, fetcher: Fetcher
):
    """Stories are matched on what headlines name, but a UK channel still gets the EU pause
    whose summary says the UK paused too."""
    async with database.transaction() as tx:
        await ensure_destination(tx, "discord:1/uk", "discord", 1)
        await subscribe(tx, "discord:1/uk", ["UK"], [], [])
    item = FeedItem(
        "Meta pauses plans to train AI on EU users' posts",
        "https://news.example.org/meta-pause",
        "The ICO said Meta has paused its plans for UK users as well.",
        NOW - timedelta(hours=1),
    )
    feed_server.feeds["a"] = make_rss([item])
    feeds = [Feed(id="a", url=feed_server.url("/feed/a"))]
    pipeline = pipeline_for(config, feeds, database, fetcher, Clock())
    await pipeline.run_cycle(feeds, await pipeline.states())
    rows = await database.fetch_all("SELECT destination_id FROM outbox ORDER BY destination_id")
    assert [r[0] for r in rows] == [CONSOLE_ID, "discord:1/uk"]
    story = await database.fetch_all("SELECT regions, match_regions FROM stories")
    assert [(r[0], r[1]) for r in story] == [("EU,UK", "EU")]


async def test_overlapping_cycles_judge_each_item_once(
    config: Config, database: Database, fetcher: Fetcher
):
    """Cycles overlap in `run` (a slow feed's batch commits while another's does); two
    judgings at once must not both read the same unjudged items and open a story twice."""
    pipeline = pipeline_for(config, [Feed(id="a", url="https://a.example/feed")], database,
                            fetcher, Clock())  # fmt: skip
    entry = Entry("k1", RELEVANT.link, RELEVANT.title, RELEVANT.summary, RELEVANT.published, "en")
    async with database.transaction() as tx:
        await store_entries(tx, [NewEntry("a", entry, alertable=True)], int(Clock()()))
    await asyncio.gather(pipeline.judge_pending(), pipeline.judge_pending())
    stories = await database.fetch_one("SELECT count(*) FROM stories")
    assert stories is not None
    assert stories[0] == 1
    assert await pending_count(database) == 1


async def test_a_feed_another_process_just_polled_is_not_polled_again(
    config: Config, feed_server: FeedServer, database: Database, db_path: Path, fetcher: Fetcher
):
    """Two processes on one database, each with the schedule it read at start: the one that
    comes second takes the feed's lease, reads that the feed is no longer due, and leaves
    it; a feed not polled yet it polls."""
    feed_server.feeds["a"] = make_rss(
        [news("LinkedIn to train AI on UK data", "a", timedelta(hours=1))]
    )
    feed_server.feeds["b"] = make_rss(
        [news("Reddit to train AI on UK data", "b", timedelta(hours=1))]
    )
    feed_a = Feed(id="a", url=feed_server.url("/feed/a"))
    feed_b = Feed(id="b", url=feed_server.url("/feed/b"))
    clock = Clock()
    other_db = await Database.open(db_path)
    first = pipeline_for(config, [feed_a, feed_b], database, fetcher, clock)
    second = pipeline_for(config, [feed_a, feed_b], other_db, fetcher, clock)
    stale = await second.states()  # read before the first process polls
    await first.run_cycle([feed_a], await first.states(), due_only=True)
    report = await second.run_cycle([feed_a, feed_b], stale, due_only=True)
    await other_db.close()
    assert feed_server.hits["/feed/a"] == 1
    assert feed_server.hits["/feed/b"] == 1
    assert report.fetched == 1
