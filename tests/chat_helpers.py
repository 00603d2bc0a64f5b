"""What the chat adapter tests share: stories and jobs in the real database, and a bot run
whose channel is already subscribed."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.models import Alert, Development, Entry
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.developments import record_development
from bot.storage.items import NewEntry, store_entries
from bot.storage.outbox import enqueue
from bot.storage.stories import StoredStory, create_story, link_item
from bot.storage.subscriptions import subscribe
from bot.stories import StorySignature
from tests.bot_process import write_feeds
from tests.servers.feeds import FeedItem, FeedServer, make_rss

UK_LINKEDIN_TITLE = "LinkedIn to train generative AI on UK members' data by default"


async def add_story(db: Database, destination: str, title: str,
                    summary: str = "Members are opted in.") -> int:  # fmt: skip
    """A LinkedIn UK story, and the destination it will be sent to."""
    kind = destination.partition(":")[0]
    story = StoredStory(0, 100, title, summary, "policy_change", ("linkedin",), ("UK",),
                        ("'train' near 'user data'",), True)  # fmt: skip
    signature = StorySignature("policy_change", frozenset({"linkedin"}), frozenset({"UK"}),
                               frozenset(), 100)  # fmt: skip
    async with db.transaction() as tx:
        await ensure_destination(tx, destination, kind, 0)
        return await create_story(tx, story, signature, 100)


async def add_links(db: Database, story_id: int, links: Sequence[str]) -> None:
    """Reports of the story from these links, as a feed might have given them (the database
    may hold links from before the parser checked them)."""
    entries = [NewEntry("news", Entry(f"link-{n}", link, f"Report {n}", "", None, "en"), True)
               for n, link in enumerate(links)]  # fmt: skip
    async with db.transaction() as tx:
        await store_entries(tx, entries, 100)
        rows = await tx.fetch_all("SELECT id FROM items ORDER BY id DESC LIMIT ?", (len(links),))
        for row in reversed(rows):
            await link_item(tx, story_id, row["id"], "test")


async def queue(db: Database, destination: str, story_id: int, action: str, version: int,
                development_id: int | None = None) -> None:  # fmt: skip
    async with db.transaction() as tx:
        await enqueue(tx, destination, story_id, action, version, 0, development_id)


async def add_development(db: Database, story_id: int, title: str, event: str = "pause",
                          regions: tuple[str, ...] = ("UK",),
                          link: str = "https://news.example.org/step") -> int:  # fmt: skip
    """A step of the story's timeline that is told as a reply."""
    step = Development(0, datetime(2024, 9, 20, tzinfo=UTC), event, regions, (), title, link)
    async with db.transaction() as tx:
        return await record_development(tx, story_id, None, step)


async def die_while_hung(drain: Coroutine[Any, Any, int], hung: list[Any]) -> None:
    """Drain until the loopback server has applied a request it never answers (`hung`
    grows), then stop the drain as a killed process would."""
    task = asyncio.create_task(drain)
    for _ in range(200):
        if hung:
            break
        await asyncio.sleep(0.02)
    assert hung, "the request never reached the server"
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


class Clock:
    """A clock a test moves: the drain's notion of now."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def prepare_run(tmp_path: Path, feed_server: FeedServer, destination: str
                      ) -> tuple[Path, Path]:  # fmt: skip
    """A database whose `destination` is subscribed to UK, and a feed with one UK story
    (feed id "news": its first poll comes seconds after start). Returns (feeds, db)."""
    db_path = tmp_path / "bot.db"
    db = await Database.open(db_path)
    async with db.transaction() as tx:
        await ensure_destination(tx, destination, destination.partition(":")[0], 0)
        await subscribe(tx, destination, ["UK"], [], [])
    await db.close()
    feed_server.feeds["news"] = make_rss([
        FeedItem(UK_LINKEDIN_TITLE, "https://news.example.org/li-uk",
                 "Members must switch the setting off.",
                 published=datetime.now(UTC) - timedelta(hours=1)),
    ])  # fmt: skip
    feeds = write_feeds(tmp_path / "feeds.yaml",
                        [{"id": "news", "url": feed_server.url("/feed/news")}])  # fmt: skip
    return feeds, db_path


def developed_alert() -> Alert:
    """A story with its opening and one development, as a digest or an alert shows it."""
    opening = Development(
        1,
        datetime(2024, 9, 18, tzinfo=UTC),
        "policy_change",
        ("GLOBAL",),
        (),
        "LinkedIn trains AI on members' posts",
        "https://a.example/1",
        True,
    )
    pause = Development(
        2,
        datetime(2024, 9, 20, tzinfo=UTC),
        "pause",
        ("UK",),
        (),
        "LinkedIn pauses for the UK after the ICO",
        "https://b.example/2",
    )
    links = (opening.link, pause.link)
    return Alert("post", 7, opening.title, "", "policy_change", ("linkedin",), ("GLOBAL", "UK"),
                 links, timeline=(opening, pause), left_out=("EU",))  # fmt: skip
