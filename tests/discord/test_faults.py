"""Discord misbehaving, through discord.py and the real outbox: rate limits kept and waited
out, a long 429 sent back to the outbox, a request that never answers, 5xx answers."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from bot.adapters.discord.adapter import GONE, NO_ACCESS
from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.delivery.limits import ChatLimits
from bot.storage.destinations import DestinationTrouble, destination_troubles
from bot.storage.outbox import pending_count
from tests.chat_helpers import Clock, add_story, queue
from tests.discord.conftest import TEST_LIMITS, DiscordRig
from tests.servers.discord import CHANNEL_ID, GUILD_ID, OTHER_CHANNEL_ID

DESTINATION = f"discord:{GUILD_ID}/{CHANNEL_ID}"
TIMEOUT = 1.0


@pytest.fixture
def limits() -> ChatLimits:
    return replace(TEST_LIMITS, request_timeout=TIMEOUT)


def drainer(rig: DiscordRig, clock: Clock) -> OutboxDrainer:
    return OutboxDrainer(rig.db, {"discord": rig.client}, clock, alerts=AlertBuilder(rig.db))


async def job_row(rig: DiscordRig) -> tuple[str, int, int, str | None]:
    row = await rig.db.fetch_one("SELECT state, attempts, next_attempt_at, last_error FROM outbox")
    assert row is not None
    return row[0], row[1], row[2], row[3]


async def test_a_long_429_goes_back_to_the_outbox_until_discord_said(rig: DiscordRig) -> None:
    """discord.py would sleep through any retry_after; past 30 s the job waits in the outbox
    instead, due when Discord said, and nothing is sent before."""
    clock = Clock()
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL_ID] = ["429:45"]
    started = time.monotonic()
    await drainer(rig, clock).drain_once()

    assert time.monotonic() - started < 5  # not slept through
    state, attempts, due, error = await job_row(rig)
    assert (state, attempts) == ("pending", 1)
    assert due >= clock.now + 45
    assert error == "Discord asked the bot to wait 45 s (rate limited)"
    clock.now += 30
    await drainer(rig, clock).drain_once()
    assert len(rig.server.posts()) == 1  # only the refused one
    clock.now = due
    rig.server.faults.limiter.forget_waits()  # the 45 s are over for Discord too
    await drainer(rig, clock).drain_once()
    assert len(rig.server.messages) == 1
    assert await pending_count(rig.db) == 0


async def test_a_request_never_answered_fails_in_time_and_is_not_sent_twice(
    rig: DiscordRig,
) -> None:
    clock = Clock()
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.hang_next[CHANNEL_ID] = ["post"]  # applied, never answered
    started = time.monotonic()
    await drainer(rig, clock).drain_once()

    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + 3
    state, attempts, due, error = await job_row(rig)
    assert (state, attempts, error) == ("pending", 1, "no answer from Discord (TimeoutError)")
    clock.now = due
    await drainer(rig, clock).drain_once()  # within the nonce window: Discord gives it back
    assert len(rig.server.messages) == 1
    assert await pending_count(rig.db) == 0


async def test_sixty_channels_at_once_stay_under_the_global_limit(rig: DiscordRig) -> None:
    """Each channel has room, so only the bot's own global pacing keeps it under Discord's
    50 requests a second (the server fails the test on a violation)."""
    for number in range(60):
        destination = f"discord:{GUILD_ID}/{800000000000002000 + number}"
        story_id = await add_story(rig.db, destination, f"Story {number}")
        await queue(rig.db, destination, story_id, "post", 0)
    started = time.monotonic()
    await drainer(rig, Clock()).drain_once()

    assert len(rig.server.messages) == 60
    assert time.monotonic() - started >= 1.0  # a second window was needed
    assert rig.server.violations == []


async def test_a_5xx_discord_py_does_not_retry_is_retried_by_the_outbox(rig: DiscordRig) -> None:
    clock = Clock()
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL_ID] = [503, 503]
    delays = []
    for _ in range(2):
        before = clock.now
        await drainer(rig, clock).drain_once()
        _, _, due, error = await job_row(rig)
        assert error == "Discord answered 503: Internal Server Error"
        delays.append(due - before)
        clock.now = due
    assert 4 <= delays[0] < delays[1]  # backoff: about 5 s, then about 10 s
    shown = "retrying after 2 failed tries in a row: Discord answered 503: Internal Server Error"
    assert await delivery_field(rig) == f"{DESTINATION}: {shown}"
    assert await destination_troubles(rig.db) == [
        DestinationTrouble(DESTINATION, False, "Discord answered 503: Internal Server Error", 2,
                           int(Clock().now))]  # fmt: skip

    await drainer(rig, clock).drain_once()
    assert len(rig.server.messages) == 1
    assert len(rig.server.posts()) == 3
    assert await destination_troubles(rig.db) == []  # fine again
    assert await delivery_field(rig) == "every channel reachable"


async def delivery_field(rig: DiscordRig) -> str:
    """The Delivery field of /aiwatch feeds, as a member of the server sees it."""
    callback = await rig.server.interact("aiwatch", [], subcommand="feeds")
    fields = callback["data"]["embeds"][0]["fields"]
    return str({f["name"]: f["value"] for f in fields}["Delivery"])


async def test_a_channel_that_never_answers_holds_up_no_other(rig: DiscordRig) -> None:
    other = f"discord:{GUILD_ID}/{OTHER_CHANNEL_ID}"
    for destination in (DESTINATION, other):
        story_id = await add_story(rig.db, destination, "LinkedIn news")
        await queue(rig.db, destination, story_id, "post", 0)
    rig.server.hang_next[CHANNEL_ID] = ["post"]
    started = time.monotonic()
    await drainer(rig, Clock()).drain_once()

    assert [h.channel for h in rig.server.hung] == [CHANNEL_ID]
    assert len(rig.server.top_level(OTHER_CHANNEL_ID)) == 1
    answered = [r.at for r in rig.server.posts(OTHER_CHANNEL_ID)]
    assert answered[0] - started < TIMEOUT  # sent while the first channel hung
    assert [t.id for t in await destination_troubles(rig.db)] == [DESTINATION]


@pytest.mark.parametrize(
    ("fault", "reason"), [("lose_access", NO_ACCESS), ("delete_channel", GONE)]
)
async def test_a_channel_lost_for_good_is_stopped_and_the_others_served(
    rig: DiscordRig, fault: str, reason: str
) -> None:
    """403 Missing Access, or 404 Unknown Channel: the channel stops with the reason, is not
    asked again (each try would be one more invalid request), and the other channel gets
    every alert."""
    other = f"discord:{GUILD_ID}/{OTHER_CHANNEL_ID}"
    getattr(rig.server, fault)(CHANNEL_ID)
    clock = Clock()
    for number in range(3):
        for destination in (DESTINATION, other):
            story_id = await add_story(rig.db, destination, f"Story {number}")
            await queue(rig.db, destination, story_id, "post", 0)
        await drainer(rig, clock).drain_once()
        clock.now += 3600

    assert len(rig.server.posts(CHANNEL_ID)) == 1  # asked once
    assert len(rig.server.top_level(OTHER_CHANNEL_ID)) == 3
    assert len(rig.server.invalid_requests) == (1 if fault == "lose_access" else 0)
    assert await destination_troubles(rig.db) == [
        DestinationTrouble(DESTINATION, True, reason, 0, None)
    ]
    assert await delivery_field(rig) == f"{DESTINATION}: stopped: {reason}"
    assert await pending_count(rig.db) == 3  # kept for when access is given back


async def test_a_dropped_connection_is_retried_and_the_post_sent_once(rig: DiscordRig) -> None:
    clock = Clock()
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL_ID] = ["drop"]  # closed unanswered, not applied
    await drainer(rig, clock).drain_once()

    _, attempts, due, error = await job_row(rig)
    assert (attempts, error) == (1, "no answer from Discord (ServerDisconnectedError)")
    assert [t.failures for t in await destination_troubles(rig.db)] == [1]
    clock.now = due
    await drainer(rig, clock).drain_once()
    assert len(rig.server.messages) == 1
    assert await destination_troubles(rig.db) == []
