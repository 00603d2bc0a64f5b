"""What the status page reads of a real SQLite file: feeds' last success, destinations'
jobs, recent stories and where they went."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.digests import mark_digest_retry, queue_digest
from bot.storage.feeds import load_feed_states
from bot.storage.migrate import MIGRATIONS
from bot.storage.schema_operations import _v11_status
from bot.storage.status import destination_health, recent_stories
from tests.status.helpers import add_destination, add_job, add_story, mark_done
from tests.storage.test_storage import database_at_version


@pytest.mark.sqlite_only
async def test_an_upgrade_takes_the_last_fetch_of_a_fine_feed_as_its_last_success(
    db_path: Path,
):
    """Feeds polled by an older bot: the fine one succeeded at its last fetch, the failing
    one's last success is not known."""
    async with database_at_version(db_path, MIGRATIONS.index(_v11_status)) as connection:
        await connection.execute(
            "INSERT INTO feed_state (feed_id, last_fetch_at, last_status, failures, last_error)"
            " VALUES ('fine', 100, 200, 0, NULL), ('bad', 200, 500, 3, 'HTTP 500')"
        )
    db = await Database.open(db_path)
    states = await load_feed_states(db)
    await db.close()
    assert states["fine"].last_success_at == 100
    assert states["bad"].last_success_at is None


async def test_destinations_count_pending_and_failed_jobs_with_the_last_error(db_path: Path):
    """Alerts and digests both count; the stopped destination comes first with its reason."""
    db = await Database.open(db_path)
    await add_destination(db, "console:stdout", "console")
    await add_destination(db, "slack:T1/C1", "slack", stopped="the bot was removed")
    await add_destination(db, "discord:1/2", "discord")
    first, second = await add_story(db, "One"), await add_story(db, "Two")
    await add_job(db, "slack:T1/C1", first, due=10, error="not_in_channel")
    await add_job(db, "slack:T1/C1", second, due=10)
    await add_job(db, "discord:1/2", first, due=10)
    await mark_done(db, "discord:1/2", first)
    async with db.transaction() as tx:
        await queue_digest(tx, "console:stdout", "2027-01-15", [first], 10)
        await mark_digest_retry(tx, 1, "stdout closed", 20)
    health = await destination_health(db)
    await db.close()
    rows = [(d.id, d.healthy, d.reason, d.pending, d.failed, d.last_error) for d in health]
    assert rows == [
        ("slack:T1/C1", False, "the bot was removed", 2, 1, "not_in_channel"),
        ("console:stdout", True, "", 1, 1, "stdout closed"),
        ("discord:1/2", True, "", 0, 0, ""),
    ]


async def test_recent_stories_are_the_newest_with_their_timeline_and_deliveries(db_path: Path):
    """Newest first, at most the limit; each says whether its post went out, an edit still
    waits, or it has not reached a destination yet, with the error."""
    db = await Database.open(db_path)
    await add_destination(db, "console:stdout", "console")
    await add_destination(db, "discord:1/2", "discord")
    old = await add_story(db, "Old story", at=1000)
    sent = await add_story(db, "Sent and updating", at=3000, link="https://n.example/sent")
    waiting = await add_story(db, "Waiting", at=2000)
    await add_job(db, "console:stdout", sent, due=10)
    await mark_done(db, "console:stdout", sent)
    await add_job(db, "console:stdout", sent, due=20, action="update", version=1)
    await add_job(db, "discord:1/2", sent, due=10)
    await mark_done(db, "discord:1/2", sent)
    await add_job(db, "discord:1/2", waiting, due=10, error="HTTP 503")
    stories = await recent_stories(db, limit=2)
    await db.close()
    assert [s.id for s in stories] == [sent, waiting]
    assert old not in [s.id for s in stories]
    newest = stories[0]
    assert [(d.destination_id, d.state, d.last_error) for d in newest.deliveries] == [
        ("console:stdout", "updating", ""),
        ("discord:1/2", "sent", ""),
    ]
    assert [(s.title, s.link, s.opening) for s in newest.timeline] == [
        ("Sent and updating", "https://n.example/sent", True)
    ]
    assert [(d.destination_id, d.state, d.last_error) for d in stories[1].deliveries] == [
        ("discord:1/2", "waiting", "HTTP 503")
    ]
    assert (newest.platforms, newest.regions, newest.event) == (("meta",), ("EU",), "pause")
