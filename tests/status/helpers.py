"""Rows the status tests need in a real database: destinations, stories, jobs, feed states."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Development
from bot.storage import Database
from bot.storage.destinations import ensure_destination, mark_destination_unhealthy
from bot.storage.developments import record_development
from bot.storage.outbox import enqueue
from bot.storage.stories import StoredStory, create_story
from bot.stories import StorySignature


async def add_destination(
    db: Database, destination_id: str, kind: str, *, stopped: str = ""
) -> None:
    async with db.transaction() as tx:
        await ensure_destination(tx, destination_id, kind, 1)
        if stopped:
            await mark_destination_unhealthy(tx, destination_id, stopped)


async def add_story(
    db: Database, title: str, *, at: int = 1_800_000_000, link: str = "https://n.example/1"
) -> int:
    """A story with its opening development."""
    story = StoredStory(0, at, title, "", "pause", ("meta",), ("EU",), (), True)
    signature = StorySignature("pause", frozenset({"meta"}), frozenset({"EU"}), frozenset(), at)
    step = Development(0, datetime.fromtimestamp(at, UTC), "pause", ("EU",), (), title, link,
                       opening=True)  # fmt: skip
    async with db.transaction() as tx:
        story_id = await create_story(tx, story, signature, at)
        await record_development(tx, story_id, None, step)
    return story_id


async def add_job(
    db: Database, destination_id: str, story_id: int, *, due: int, error: str = "",
    action: str = "post", version: int = 0,
) -> None:  # fmt: skip
    """A pending job, created and due at `due`; with `error`, its last try failed."""
    async with db.transaction() as tx:
        await enqueue(tx, destination_id, story_id, action, version, due)
        if error:
            await tx.execute(
                "UPDATE outbox SET last_error = ?, attempts = 1 WHERE story_id = ?"
                " AND destination_id = ?",
                (error, story_id, destination_id),
            )


async def mark_done(db: Database, destination_id: str, story_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET state = 'done', done_at = 1 WHERE story_id = ?"
            " AND destination_id = ?",
            (story_id, destination_id),
        )
