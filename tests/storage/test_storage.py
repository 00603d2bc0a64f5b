"""Storage on a real SQLite file: migrations, dedup across feeds, size per item."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from bot.models import Entry
from bot.storage import Database
from bot.storage.items import NewEntry, count_items, store_entries
from bot.storage.migrate import LATEST, MIGRATIONS
from bot.storage.sqlite import SqliteTransaction
from bot.storage.stories import StoredStory, create_story, grow_story, load_story, open_stories
from bot.stories import OpenStories, StorySignature


def entry(key: str, link: str, title: str = "T", summary: str = "") -> Entry:
    return Entry(key, link, title, summary, datetime(2026, 11, 1, tzinfo=UTC), "en")


@pytest.mark.sqlite_only
async def test_new_database_is_at_latest_version_in_wal(db_path: Path):
    """A fresh file gets every migration and WAL journaling."""
    db = await Database.open(db_path)
    version = await db.fetch_one("PRAGMA user_version")
    mode = await db.fetch_one("PRAGMA journal_mode")
    await db.close()
    assert version is not None
    assert version[0] == LATEST
    assert mode is not None
    assert mode[0] == "wal"


@asynccontextmanager
async def database_at_version(db_path: Path, version: int) -> AsyncIterator[aiosqlite.Connection]:
    """A file as an older bot left it: the first `version` migrations, then rows the test
    writes, committed on leaving."""
    connection = await aiosqlite.connect(db_path, isolation_level=None)
    connection.row_factory = aiosqlite.Row
    await connection.execute("BEGIN")
    for step in MIGRATIONS[:version]:
        await step(SqliteTransaction(connection))
    await connection.execute(f"PRAGMA user_version = {version}")
    yield connection
    await connection.execute("COMMIT")
    await connection.close()


async def add_item_to_story(
    connection: aiosqlite.Connection,
    story_id: int,
    item_id: int,
    *,
    event: str | None,
    regions: str | None = None,
    published: int | None = None,
    stored_at: int = 1,
) -> None:
    await connection.execute(
        "INSERT INTO items (id, key_hash, feed_id, link, title, summary, published, stored_at,"
        " alertable, event, regions, story_id) VALUES (?, ?, 'f', 'http://a', 'T', '', ?, ?, 1,"
        " ?, ?, ?)",
        (item_id, bytes([item_id]), published, stored_at, event, regions, story_id),
    )
    await connection.execute(
        "INSERT INTO story_items (story_id, item_id, why) VALUES (?, ?, 'w')", (story_id, item_id)
    )


# Columns later schema versions added to stories, set after the row is written.
NEWER_STORY_COLUMNS = {
    "kinds": "UPDATE stories SET kinds = ? WHERE id = ?",
    "seen_at": "UPDATE stories SET seen_at = ? WHERE id = ?",
}


async def add_story(
    connection: aiosqlite.Connection,
    story_id: int,
    event: str,
    platforms: str,
    regions: str,
    **newer_columns: object,
) -> None:
    """A story row as an older schema has it: the columns every version had, plus any the
    test's version added (see NEWER_STORY_COLUMNS)."""
    await connection.execute(
        "INSERT INTO stories (id, created_at, updated_at, title, summary, event, platforms,"
        " regions, reasons, alertable) VALUES (?, 1, 1, 'T', '', ?, ?, ?, '[]', 1)",
        (story_id, event, platforms, regions),
    )
    for column, value in newer_columns.items():
        await connection.execute(NEWER_STORY_COLUMNS[column], (value, story_id))


async def reopened_stories(db_path: Path) -> dict[int, StorySignature]:
    db = await Database.open(db_path)
    async with db.transaction() as tx:
        stories = dict(await open_stories(tx, 0))
    await db.close()
    return stories


@pytest.mark.sqlite_only
async def test_version_one_database_upgrades_and_keeps_its_items(db_path: Path):
    """A database written by schema version 1 upgrades itself on open; nothing is lost."""
    async with database_at_version(db_path, 1) as connection:
        await connection.execute(
            "INSERT INTO items (key_hash, feed_id, link, title, summary, stored_at, alertable)"
            " VALUES (x'01', 'f', 'http://a', 'Old item', '', 1, 1)"
        )

    db = await Database.open(db_path)
    version = await db.fetch_one("PRAGMA user_version")
    title = await db.fetch_one("SELECT title FROM items")
    tables = {r[0] for r in await db.fetch_all("SELECT name FROM sqlite_master")}
    await db.close()
    assert version is not None
    assert version[0] == LATEST
    assert title is not None
    assert title[0] == "Old item"
    assert {"outbox", "destinations", "story_items"} <= tables


async def test_same_entry_in_two_feeds_is_stored_once(db_path: Path):
    """An entry seen in any feed before (same guid or same link) is not stored again."""
    db = await Database.open(db_path)
    async with db.transaction() as tx:
        assert await store_entries(tx, [NewEntry("a", entry("guid:1", "http://x/1"), True)], 1) == 1
    async with db.transaction() as tx:
        new = await store_entries(
            tx,
            [
                NewEntry("b", entry("guid:1", "http://other/1"), True),  # same guid
                NewEntry("b", entry("guid:2", "http://x/1"), True),  # same link
                NewEntry("b", entry("guid:3", "http://x/3"), True),
            ],
            2,
        )
    total = await count_items(db)
    await db.close()
    assert new == 1
    assert total == 2


@pytest.mark.sqlite_only
async def test_a_stored_item_takes_under_one_kibibyte(db_path: Path):
    """Two thousand items with long titles and summaries cost under 1 KiB each on disk."""
    db = await Database.open(db_path)
    async with db.transaction() as tx:
        await store_entries(
            tx,
            [
                NewEntry(
                    "feed",
                    entry(
                        f"guid:https://example.org/news/{i}",
                        f"https://example.org/news/{i}",
                        "A long headline about AI " * 6,
                        "A long summary. " * 100,
                    ),
                    True,
                )
                for i in range(2000)
            ],
            1,
        )
    await db.close()
    with sqlite3.connect(db_path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.execute("VACUUM")
    assert db_path.stat().st_size / 2000 < 1024


async def test_failed_transaction_rolls_back(db_path: Path):
    """An error inside a transaction leaves nothing half-written."""
    db = await Database.open(db_path)
    try:
        async with db.transaction() as tx:
            await store_entries(tx, [NewEntry("a", entry("guid:9", "http://x/9"), True)], 1)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    total = await count_items(db)
    await db.close()
    assert total == 0


async def test_a_story_keeps_the_kinds_its_reports_gave(db_path: Path):
    """Open stories come back from the file with their kinds counted, and the event that
    most reports gave is the one stored for the alert."""
    db = await Database.open(db_path)
    first = StorySignature("lawsuit", frozenset({"x"}), frozenset({"EU"}), frozenset({"grok"}), 10)
    story = StoredStory(0, 1, "X in court", "", "lawsuit", ("x",), ("EU",), (), True)
    async with db.transaction() as tx:
        story_id = await create_story(tx, story, first, 1)
    grown = OpenStories([(story_id, first)])
    for _ in range(2):
        grown.add(story_id, replace(first, event="pause", seen_at=20))
    async with db.transaction() as tx:
        await grow_story(tx, story_id, grown.get(story_id), True, 2)
        reopened = dict(await open_stories(tx, 0))
    stored = await load_story(db, story_id)
    await db.close()
    assert reopened[story_id].kinds == (("lawsuit", 1), ("pause", 2))
    assert reopened[story_id].event == "pause"
    assert stored is not None
    assert stored.event == "pause"


async def test_a_story_keeps_how_many_reports_named_each_region(db_path: Path):
    """Grouping asks which regions most reports name, so the counts survive a restart."""
    db = await Database.open(db_path)
    first = StorySignature("policy_change", frozenset({"linkedin"}), frozenset({"GLOBAL"}),
                           frozenset({"opts"}), 10)  # fmt: skip
    story = StoredStory(0, 1, "LinkedIn opts in", "", "policy_change", ("linkedin",),
                        ("GLOBAL",), (), True)  # fmt: skip
    async with db.transaction() as tx:
        story_id = await create_story(tx, story, first, 1)
    grown = OpenStories([(story_id, first)])
    grown.add(story_id, replace(first, seen_at=20))
    grown.add(story_id, replace(first, event="lawsuit", regions=frozenset({"UK"}), seen_at=30))
    async with db.transaction() as tx:
        await grow_story(tx, story_id, grown.get(story_id), True, 2)
        reopened = dict(await open_stories(tx, 0))
    await db.close()
    assert reopened[story_id].region_counts() == {"GLOBAL": 2, "UK": 1}
    assert reopened[story_id].started_at() == 10
    assert reopened[story_id].seen_at == 30
    assert reopened[story_id] == grown.get(story_id)


@pytest.mark.sqlite_only
async def test_version_six_stories_count_their_items_regions_on_upgrade(db_path: Path):
    """Stories written before region counts were kept count them from their items."""
    async with database_at_version(db_path, 6) as connection:
        await add_story(
            connection, 7, "policy_change", "linkedin", "GLOBAL,UK",
            kinds="policy_change=2 lawsuit=1",
        )  # fmt: skip
        items = ((1, "policy_change", "GLOBAL"), (2, "policy_change", "GLOBAL"),
                 (3, "lawsuit", "UK"), (4, None, "UK"))  # fmt: skip
        for item_id, event, regions in items:
            await add_item_to_story(connection, 7, item_id, event=event, regions=regions)
    reopened = await reopened_stories(db_path)
    assert reopened[7].region_counts() == {"GLOBAL": 2, "UK": 1}


@pytest.mark.sqlite_only
async def test_version_seven_stories_start_at_their_earliest_item_on_upgrade(db_path: Path):
    """Stories written before their first report's time was kept take their earliest item's."""
    async with database_at_version(db_path, 7) as connection:
        for story_id in (7, 8):
            await add_story(connection, story_id, "lawsuit", "meta", "DE", seen_at=500)
        for item_id, published, stored in ((1, 300, 900), (2, None, 200), (3, 450, 900)):
            await add_item_to_story(
                connection, 7, item_id, published=published, stored_at=stored, event="lawsuit"
            )
    reopened = await reopened_stories(db_path)
    assert reopened[7].started_at() == 200
    assert reopened[8].started_at() == 500  # no items: its latest report is all it knows


@pytest.mark.sqlite_only
async def test_version_eight_stories_match_on_all_their_platforms_and_regions(db_path: Path):
    """Stories written before headlines' platforms and regions were kept apart match on all
    the ones they cover."""
    async with database_at_version(db_path, 8) as connection:
        await add_story(connection, 7, "pause", "meta,x", "EU,IE", seen_at=500)
    reopened = await reopened_stories(db_path)
    assert (reopened[7].platforms, reopened[7].regions) == ({"meta", "x"}, {"EU", "IE"})
    assert reopened[7].covered_platforms() == {"meta", "x"}


@pytest.mark.sqlite_only
async def test_version_five_stories_count_their_items_kinds_on_upgrade(db_path: Path):
    """Stories written before kinds were kept count them from their items when upgraded."""
    async with database_at_version(db_path, 5) as connection:
        await add_story(connection, 7, "lawsuit", "x", "EU")
        for item_id, event in ((1, "lawsuit"), (2, "pause"), (3, "pause"), (4, None)):
            await add_item_to_story(connection, 7, item_id, event=event)
    reopened = await reopened_stories(db_path)
    assert reopened[7].kinds == (("lawsuit", 1), ("pause", 2))
