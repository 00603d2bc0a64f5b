"""Slack's one message a second per channel counts the messages posted (chat.postMessage);
an edit (chat.update) and a lookup keep to their method's tier, per workspace, not to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.delivery.limits import ChatLimits
from bot.delivery.limits import Rate as BotRate
from tests.chat_helpers import Clock, add_development, add_story, queue
from tests.servers.limits import Rate
from tests.servers.slack import CHANNEL, TEAM_ID, SlackServer
from tests.servers.slack_faults import SlackLimits
from tests.slack.conftest import TEST_LIMITS, SlackRig

DESTINATION = f"slack:{TEAM_ID}/{CHANNEL}"
# One post per channel in a long window, the server's and the bot's alike: a reply after the
# alert waits for it, an edit does not.
POSTS = Rate(1, 30.0)


@pytest.fixture
async def slack_server() -> AsyncIterator[SlackServer]:
    server = await SlackServer(limits=SlackLimits(post=POSTS)).start()
    yield server
    await server.stop()
    assert server.violations == [], "the bot went over a Slack rate limit"


@pytest.fixture
def limits() -> ChatLimits:
    return replace(TEST_LIMITS, channel=BotRate(POSTS.count, POSTS.per))


async def test_an_edit_does_not_wait_for_the_channels_next_post(rig: SlackRig) -> None:
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    drainer = OutboxDrainer(rig.db, {"slack": rig.adapter}, Clock(), alerts=AlertBuilder(rig.db))
    await drainer.drain_once()
    await queue(rig.db, DESTINATION, story_id, "update", 1)
    await asyncio.wait_for(drainer.drain_once(), POSTS.per / 3)  # not held for 30 s
    assert [c.method for c in rig.server.calls] == ["chat.postMessage", "chat.update"]


async def test_a_reply_after_the_alert_still_waits_for_the_channels_next_post(
    rig: SlackRig,
) -> None:
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    drainer = OutboxDrainer(rig.db, {"slack": rig.adapter}, Clock(), alerts=AlertBuilder(rig.db))
    await drainer.drain_once()
    development = await add_development(rig.db, story_id, "LinkedIn pauses for the UK")
    await queue(rig.db, DESTINATION, story_id, "development", 1, development)
    drain = asyncio.create_task(drainer.drain_once())
    await asyncio.sleep(1.0)
    assert [c.method for c in rig.server.calls] == ["chat.postMessage", "chat.update"]
    drain.cancel()
    await asyncio.gather(drain, return_exceptions=True)
