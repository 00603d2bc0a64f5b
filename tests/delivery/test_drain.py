"""The outbox drain on a real database, delivering to the real console destination."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from pathlib import Path

import pytest

from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.delivery import DeliveryError, OutboxDrainer
from bot.delivery.destination import CredentialsRefused, NotConnectedYet, SendKey
from bot.models import Alert, Digest
from bot.storage import Database
from bot.storage.destinations import destination_troubles, ensure_destination
from bot.storage.outbox import enqueue, pending_count
from bot.storage.platforms import platform_health
from bot.storage.stories import StoredStory, create_story
from bot.stories import StorySignature


async def _db_with_jobs(path: Path, count: int) -> Database:
    db = await Database.open(path)
    async with db.transaction() as tx:
        await ensure_destination(tx, CONSOLE_ID, "console", 1)
        for i in range(count):
            story = StoredStory(0, 1, f"Story {i}", "", "pause", ("meta",), ("EU",), (), True)
            signature = StorySignature(
                "pause", frozenset({"meta"}), frozenset({"EU"}), frozenset(), 1
            )
            story_id = await create_story(tx, story, signature, 1)
            await enqueue(tx, CONSOLE_ID, story_id, "post", 0, 1)
            await enqueue(tx, CONSOLE_ID, story_id, "post", 0, 1)  # same key: ignored
    return db


async def test_concurrent_drains_deliver_each_job_once(db_path: Path):
    """Two drains started together (the loop and a final flush) never double-post."""
    db = await _db_with_jobs(db_path, 20)
    out = io.StringIO()
    drainer = OutboxDrainer(
        db, {"console": ConsoleDestination(as_json=True, stream=out)}, time.time
    )
    await asyncio.gather(drainer.drain_once(), drainer.drain_once())
    left = await pending_count(db)
    await db.close()
    titles = [json.loads(line)["title"] for line in out.getvalue().splitlines()]
    assert sorted(titles) == sorted(f"Story {i}" for i in range(20))
    assert left == 0


class _Refusing:
    """A destination that fails the way a chat API does; only the drain is under test."""

    kind = "console"
    dedup_window = 0.0

    def __init__(self, error: DeliveryError) -> None:
        self.error = error
        self.calls = 0

    async def post(self, address: str, alert: Alert, key: SendKey) -> str | None:
        self.calls += 1
        raise self.error

    async def edit(self, address: str, message_id: str | None, alert: Alert) -> None:
        self.calls += 1
        raise self.error

    async def reply(self, address: str, message_id: str | None, alert: Alert, key: SendKey
                    ) -> str | None:  # fmt: skip
        self.calls += 1
        raise self.error

    async def find(self, address: str, key: SendKey, parent_id: str | None) -> str | None:
        return None

    async def post_digest(self, address: str, digest: Digest) -> str | None:
        self.calls += 1
        raise self.error


async def test_failed_job_is_kept_with_its_error_and_retried_later(db_path: Path):
    """A temporary failure keeps the job pending with the reason and a later retry time."""
    db = await _db_with_jobs(db_path, 1)
    destination = _Refusing(DeliveryError("rate limited", retry_after=120))
    drainer = OutboxDrainer(db, {"console": destination}, lambda: 1000.0)
    await drainer.drain_once()
    row = await db.fetch_one("SELECT state, last_error, next_attempt_at, attempts FROM outbox")
    await db.close()
    assert row is not None
    assert tuple(row) == ("pending", "rate limited", row[2], 1)
    assert row[2] >= 1120
    assert destination.calls == 1


async def test_permanent_failure_marks_destination_unhealthy(db_path: Path):
    """Lost access stops sending there, with the reason, and keeps the job."""
    db = await _db_with_jobs(db_path, 2)
    destination = _Refusing(DeliveryError("the bot was removed", permanent=True))
    drainer = OutboxDrainer(db, {"console": destination}, lambda: 1000.0)
    await drainer.drain_once()
    health = await db.fetch_one("SELECT healthy, health_note FROM destinations")
    left = await pending_count(db)
    await db.close()
    assert health is not None
    assert tuple(health) == (0, "the bot was removed")
    assert left == 2
    assert destination.calls == 1


async def test_a_refused_token_stops_the_platform_and_leaves_its_jobs_due(
    db_path: Path, caplog: pytest.LogCaptureFixture
):
    """No retry, no backoff: the jobs wait, due, for a restart with a new token."""
    db = await _db_with_jobs(db_path, 2)
    destination = _Refusing(CredentialsRefused("the token was refused"))
    drainer = OutboxDrainer(db, {"console": destination}, lambda: 1000.0)
    for _ in range(3):
        await drainer.drain_once()
    jobs = await db.fetch_all("SELECT attempts, next_attempt_at, last_error FROM outbox")
    health = await platform_health(db)
    troubles = await destination_troubles(db)
    await db.close()
    assert destination.calls == 1  # nothing after the refusal
    assert {tuple(job) for job in jobs} == {(0, 1, None)}
    assert [(p.name, p.healthy, p.reason) for p in health] == [
        ("console", False, "the token was refused")
    ]
    assert troubles == []
    stops = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert stops == [
        "the console stopped: the token was refused; its alerts wait in the outbox until then"
    ]


async def test_an_adapter_still_connecting_is_no_failure_of_the_destination(db_path: Path):
    db = await _db_with_jobs(db_path, 1)
    destination = _Refusing(NotConnectedYet("not connected yet", retry_after=2))
    await OutboxDrainer(db, {"console": destination}, lambda: 1000.0).drain_once()
    troubles = await destination_troubles(db)
    left = await pending_count(db)
    await db.close()
    assert troubles == []
    assert left == 1
