"""/healthz's verdict on a real SQLite file: the poll loop, the outbox and the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.models import Feed
from bot.status.checks import STUCK_SECONDS, Liveness, check_health, span, stale_after
from bot.storage import Database
from tests.status.helpers import add_destination, add_job, add_story

NOW = 1_800_000_000
SERVED = ("console",)


class Clock:
    """Time the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def db(db_path: Path):
    database = await Database.open(db_path)
    await add_destination(database, "console:stdout", "console")
    yield database
    await database.close()


async def test_a_bot_that_polls_and_delivers_is_healthy(db: Database):
    """Fresh liveness, an empty outbox and a writable database: ok, with the details."""
    clock = Clock(NOW)
    health = await check_health(db, Liveness(clock), NOW + 30, 7200, SERVED)
    assert health.ok
    assert health.reasons == ()
    assert health.details["uptime_seconds"] == 30
    assert health.details["outbox_pending"] == 0


async def test_a_poll_loop_quiet_past_twice_the_shortest_interval_is_unhealthy(db: Database):
    """The loop last progressed 2 h 1 min ago and the shortest interval is 60 min."""
    clock = Clock(NOW)
    liveness = Liveness(clock)
    stale = stale_after([Feed("a", "https://a.example/"), Feed("b", "https://b.example/",
                                                                interval_minutes=120)])  # fmt: skip
    assert stale == 7200
    clock.now = NOW + 7100
    liveness.progressed()
    assert (await check_health(db, liveness, NOW + 7100 + 7200, stale, SERVED)).ok
    health = await check_health(db, liveness, NOW + 7100 + 7260, stale, SERVED)
    assert health.reasons == (
        "the poll loop has not completed a cycle for 2.0 hours (expected within 2.0 hours)",
    )


async def test_a_job_due_over_fifteen_minutes_ago_means_the_outbox_is_stuck(db: Database):
    """The drain would have sent a due job within seconds: 16 minutes means it is not running."""
    story = await add_story(db, "Meta pauses AI training in the EU")
    await add_job(db, "console:stdout", story, due=NOW - STUCK_SECONDS - 60)
    health = await check_health(db, Liveness(Clock(NOW)), NOW, 7200, SERVED)
    assert health.reasons == ("the outbox is stuck: a job due 16 minutes ago is not sent",)
    assert health.details["outbox_oldest_due_seconds"] == STUCK_SECONDS + 60
    fresh = await check_health(db, Liveness(Clock(NOW)), NOW - 120, 7200, SERVED)
    assert fresh.ok  # the same job two minutes after it fell due


async def test_jobs_held_for_a_person_or_a_retry_are_not_stuck(db: Database):
    """A stopped destination, a chat app this bot does not run, and a job waiting for its
    retry hold jobs on purpose; none of them makes the bot unhealthy."""
    story = await add_story(db, "LinkedIn trains AI on UK members' data")
    await add_destination(db, "slack:T1/C1", "slack", stopped="the bot was removed")
    await add_destination(db, "discord:1/2", "discord")
    old = NOW - 3 * STUCK_SECONDS
    await add_job(db, "slack:T1/C1", story, due=old)
    await add_job(db, "discord:1/2", story, due=old)  # discord is not among SERVED
    await add_job(db, "console:stdout", story, due=NOW + 60, error="rate limited")
    health = await check_health(db, Liveness(Clock(NOW)), NOW, 7200, SERVED)
    assert health.ok, health.reasons
    assert health.details["outbox_pending"] == 3
    served = await check_health(db, Liveness(Clock(NOW)), NOW, 7200, ("console", "discord"))
    assert served.reasons == ("the outbox is stuck: a job due 45 minutes ago is not sent",)


async def test_a_database_that_refuses_writes_is_unhealthy(db: Database):
    """SQLite refusing the probe's write is reported with its own words."""
    async with db.transaction() as tx:
        await tx.execute("PRAGMA query_only = 1")  # as a read-only file or mount would
    health = await check_health(db, Liveness(Clock(NOW)), NOW, 7200, SERVED)
    assert health.reasons == (
        "the database cannot be written (attempt to write a readonly database)",
    )


async def test_the_probe_really_writes(db: Database):
    """Each check commits its probe row, so a passing check proves a write."""
    await check_health(db, Liveness(Clock(NOW)), NOW + 5, 7200, SERVED)
    row = await db.fetch_one("SELECT at FROM probes WHERE name = 'healthz'")
    assert row is not None
    assert row[0] == NOW + 5


def test_spans_read_as_a_person_would_say_them():
    """Seconds, minutes, hours and days, each where it reads best."""
    assert [span(s) for s in (-3, 45, 119, 120, 3599, 7200, 90000, 200000)] == [
        "0 seconds", "45 seconds", "119 seconds", "2 minutes", "59 minutes", "2.0 hours",
        "25.0 hours", "2.3 days",
    ]  # fmt: skip
