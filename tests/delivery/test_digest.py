"""Daily digests at their hour (time injected) and region-aware advice in alerts."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.optout.guide import Guide
from bot.settings import Config
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.outbox import enqueue
from bot.storage.stories import StoredStory, create_story
from bot.storage.subscriptions import set_digest_hour, subscribe
from bot.stories import StorySignature


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


class Clock:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> float:
        return float(self.now)


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    yield database
    await database.close()


async def add_story(db: Database, title: str, regions: tuple[str, ...], when: int,
                    platforms: tuple[str, ...] = ("linkedin",)) -> int:  # fmt: skip
    story = StoredStory(0, when, title, "", "policy_change", platforms, regions, (), True)
    signature = StorySignature(
        "policy_change", frozenset(platforms), frozenset(regions), frozenset(), when
    )
    async with db.transaction() as tx:
        return await create_story(tx, story, signature, when)


def drainer_for(db: Database, config: Config, clock: Clock, out: io.StringIO) -> OutboxDrainer:
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    return OutboxDrainer(
        db,
        {"console": ConsoleDestination(stream=out)},
        clock,
        alerts=AlertBuilder(db, guide),
        regions=config.regions,
    )


async def test_the_digest_goes_out_once_at_its_hour(db: Database, config: Config):
    async with db.transaction() as tx:
        await ensure_destination(tx, CONSOLE_ID, "console", 0)
        await subscribe(tx, CONSOLE_ID, ["UK"], [], [])
        await set_digest_hour(tx, CONSOLE_ID, 8)
    await add_story(db, "ICO questions LinkedIn", ("UK",), at("2026-03-01T06:00"))
    await add_story(db, "CNIL questions LinkedIn", ("FR",), at("2026-03-01T06:30"))
    clock, out = Clock(at("2026-03-01T07:59")), io.StringIO()
    drainer = drainer_for(db, config, clock, out)

    await drainer.drain_once()
    assert out.getvalue() == ""  # not yet
    clock.now = at("2026-03-01T08:00")
    await drainer.drain_once()
    first = out.getvalue()
    assert first.startswith("[DIGEST 2026-03-01] 1 story")
    assert "ICO questions LinkedIn" in first
    assert "CNIL" not in first
    clock.now = at("2026-03-01T15:00")
    await drainer.drain_once()
    assert out.getvalue() == first  # once a day

    await add_story(db, "LinkedIn pauses UK plan", ("UK",), at("2026-03-01T20:00"))
    clock.now = at("2026-03-02T08:00")
    await drainer.drain_once()
    second = out.getvalue()[len(first) :]
    assert "LinkedIn pauses UK plan" in second
    assert "ICO questions" not in second


async def test_a_day_without_stories_sends_nothing(db: Database, config: Config):
    async with db.transaction() as tx:
        await ensure_destination(tx, CONSOLE_ID, "console", 0)
        await set_digest_hour(tx, CONSOLE_ID, 0)
    out = io.StringIO()
    await drainer_for(db, config, Clock(at("2026-03-01T09:00")), out).drain_once()
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("subscribed", "story_regions", "expected", "absent"),
    [
        (["UK"], ("GLOBAL",), "LinkedIn in UK:", "in US"),
        (["US"], ("US",), "LinkedIn in US: Used to train AI by default", "in UK"),
        (["EU"], ("FR",), "LinkedIn in EU:", "in US"),
        (["UK", "US"], ("UK",), "LinkedIn in UK:", "in US"),
    ],
)
async def test_an_alert_says_what_the_story_means_where_the_channel_listens(
    db: Database, config: Config, subscribed: list[str], story_regions: tuple[str, ...],
    expected: str, absent: str,
):  # fmt: skip
    destination = "console:uk-channel"
    async with db.transaction() as tx:
        await ensure_destination(tx, destination, "console", 0)
        await subscribe(tx, destination, subscribed, [], [])
    story_id = await add_story(db, "LinkedIn news", story_regions, 100)
    async with db.transaction() as tx:
        await enqueue(tx, destination, story_id, "post", 0, 100)
    out = io.StringIO()
    await drainer_for(db, config, Clock(200), out).drain_once()
    text = out.getvalue()
    assert expected in text
    assert absent not in text
    assert "/optout linkedin" in text
