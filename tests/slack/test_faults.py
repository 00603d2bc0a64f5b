"""Slack misbehaving, through slack_sdk and the real outbox: a short Retry-After waited out,
a long one sent back to the outbox, a call that never answers, 500s, and Tier 3's limit per
workspace kept across channels."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.adapters.slack.adapter import STOPPING_ERRORS
from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.delivery.limits import ChatLimits
from bot.delivery.limits import Rate as BotRate
from bot.storage.destinations import DestinationTrouble, destination_troubles
from bot.storage.outbox import pending_count
from tests.chat_helpers import Clock, add_story, queue
from tests.servers.limits import Rate
from tests.servers.slack import CHANNEL, MEMBER, TEAM_ID, SlackServer
from tests.servers.slack_faults import SlackLimits
from tests.slack.conftest import TEST_LIMITS, TEST_PACE, SlackRig
from tests.slack.test_slack import text_of

DESTINATION = f"slack:{TEAM_ID}/{CHANNEL}"
TIMEOUT = 1.0
TIER = Rate(5, 1.0)  # Tier 3's 50 a minute, scaled down for the test


@pytest.fixture
def limits() -> ChatLimits:
    tier = BotRate(TIER.count, TIER.per)
    return replace(TEST_LIMITS, request_timeout=TIMEOUT, methods=(("chat.update", tier),))


@pytest.fixture
async def slack_server() -> AsyncIterator[SlackServer]:
    server = await SlackServer(
        limits=SlackLimits(post=TEST_PACE, tiers=(("chat.update", TIER),))
    ).start()
    yield server
    await server.stop()
    assert server.violations == [], "the bot went over a Slack rate limit"


def drainer(rig: SlackRig, clock: Clock) -> OutboxDrainer:
    return OutboxDrainer(rig.db, {"slack": rig.adapter}, clock, alerts=AlertBuilder(rig.db))


async def job_row(rig: SlackRig) -> tuple[str, int, int, str | None]:
    row = await rig.db.fetch_one("SELECT state, attempts, next_attempt_at, last_error FROM outbox")
    assert row is not None
    return row[0], row[1], row[2], row[3]


async def test_a_long_retry_after_goes_back_to_the_outbox(rig: SlackRig) -> None:
    clock = Clock()
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL] = ["ratelimited:20"]
    started = time.monotonic()
    await drainer(rig, clock).drain_once()

    assert time.monotonic() - started < 5  # not slept through by the SDK
    state, attempts, due, error = await job_row(rig)
    assert (state, attempts) == ("pending", 1)
    assert due >= clock.now + 20
    assert error == "Slack asked the bot to wait 20 s (rate limited)"
    clock.now = due
    rig.server.faults.limiter.forget_waits()  # the 20 s are over for Slack too
    await drainer(rig, clock).drain_once()
    assert len(rig.server.messages) == 1
    assert len(rig.server.called("chat.postMessage")) == 2


async def test_a_call_never_answered_fails_in_time_and_is_looked_up(rig: SlackRig) -> None:
    clock = Clock()
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.hang_next[CHANNEL] = ["chat.postMessage"]  # applied, never answered
    started = time.monotonic()
    await drainer(rig, clock).drain_once()

    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + 3
    state, attempts, due, error = await job_row(rig)
    assert (state, attempts, error) == ("pending", 1, "no answer from Slack (TimeoutError)")
    clock.now = due
    await drainer(rig, clock).drain_once()
    assert len(rig.server.messages) == 1  # found by its metadata, not posted again
    assert len(rig.server.called("conversations.history")) == 1
    assert await pending_count(rig.db) == 0


async def test_a_500_is_retried_with_backoff(rig: SlackRig) -> None:
    clock = Clock()
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL] = ["500", "500"]
    delays = []
    for _ in range(2):
        before = clock.now
        await drainer(rig, clock).drain_once()
        _, _, due, error = await job_row(rig)
        assert error == "Slack answered internal_error"
        delays.append(due - before)
        clock.now = due
    assert 4 <= delays[0] < delays[1]
    await rig.command("/aiwatch", "feeds", MEMBER)
    shown = "retrying after 2 failed tries in a row: Slack answered internal_error"
    assert f"{DESTINATION}: {shown}" in text_of(await rig.server.next_response())

    await drainer(rig, clock).drain_once()
    assert len(rig.server.messages) == 1
    assert await destination_troubles(rig.db) == []


async def test_edits_across_channels_keep_to_the_tier_per_workspace(rig: SlackRig) -> None:
    """Each channel's pacer has room; only the per-method pacing keeps 12 edits in one
    workspace under the tier (the server fails the test on a violation)."""
    clock = Clock()
    for number in range(12):
        destination = f"slack:{TEAM_ID}/C0{number:04d}"
        story_id = await add_story(rig.db, destination, f"Story {number}")
        await queue(rig.db, destination, story_id, "post", 0)
        await queue(rig.db, destination, story_id, "update", 1)
    await drainer(rig, clock).drain_once()  # the posts fold the updates in
    async with rig.db.transaction() as tx:
        await tx.execute("UPDATE outbox SET state = 'pending' WHERE action = 'update'")
    started = time.monotonic()
    await drainer(rig, clock).drain_once()

    assert len(rig.server.called("chat.update")) == 12
    assert time.monotonic() - started >= 2 * TIER.per  # three windows of 5
    assert await pending_count(rig.db) == 0


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
async def test_a_channel_lost_for_good_is_stopped_and_the_others_served(
    rig: SlackRig, error: str
) -> None:
    other = f"slack:{TEAM_ID}/C0OTHER"
    rig.server.refuse_channel(CHANNEL, error)
    clock = Clock()
    for number in range(3):
        for destination in (DESTINATION, other):
            story_id = await add_story(rig.db, destination, f"Story {number}")
            await queue(rig.db, destination, story_id, "post", 0)
        await drainer(rig, clock).drain_once()
        clock.now += 3600

    posts = rig.server.called("chat.postMessage")
    assert [p.args["channel"] for p in posts].count(CHANNEL) == 1  # asked once
    assert len(rig.server.top_level("C0OTHER")) == 3
    reason = STOPPING_ERRORS[error]
    assert await destination_troubles(rig.db) == [
        DestinationTrouble(DESTINATION, True, reason, 0, None)
    ]
    await rig.command("/aiwatch", "feeds", MEMBER)
    assert f"{DESTINATION}: stopped: {reason}" in text_of(await rig.server.next_response())
    assert await pending_count(rig.db) == 3


async def test_a_dropped_connection_is_looked_up_and_the_post_sent_once(rig: SlackRig) -> None:
    clock = Clock()
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL] = ["drop"]  # closed unanswered, not applied
    await drainer(rig, clock).drain_once()

    _, attempts, due, error = await job_row(rig)
    assert (attempts, error) == (1, "no answer from Slack (ServerDisconnectedError)")
    clock.now = due
    await drainer(rig, clock).drain_once()
    assert len(rig.server.messages) == 1
    assert len(rig.server.called("conversations.history")) == 1  # looked up first: not there
    assert await destination_troubles(rig.db) == []


async def test_edits_waiting_for_their_tier_hold_up_no_other_destination(rig: SlackRig) -> None:
    """25 channels' edits wait for the workspace's chat.update tier (5 a second here); a
    console alert queued after them goes out at once, not behind them."""
    clock = Clock()
    for number in range(25):
        destination = f"slack:{TEAM_ID}/C1{number:04d}"
        story_id = await add_story(rig.db, destination, f"Story {number}")
        await queue(rig.db, destination, story_id, "post", 0)
        await queue(rig.db, destination, story_id, "update", 1)
    await drainer(rig, clock).drain_once()  # the posts fold the updates in
    async with rig.db.transaction() as tx:
        await tx.execute("UPDATE outbox SET state = 'pending' WHERE action = 'update'")
    story_id = await add_story(rig.db, CONSOLE_ID, "For the console")
    await queue(rig.db, CONSOLE_ID, story_id, "post", 0)
    console = io.StringIO()
    both = OutboxDrainer(rig.db, {"slack": rig.adapter, "console": ConsoleDestination(
        as_json=True, stream=console)}, clock, alerts=AlertBuilder(rig.db))  # fmt: skip
    draining = asyncio.create_task(both.drain_once())
    started = time.monotonic()
    while not console.getvalue():
        assert time.monotonic() - started < 0.5, "the console waited behind Slack's edits"
        await asyncio.sleep(0.01)
    draining.cancel()
    await asyncio.gather(draining, return_exceptions=True)
