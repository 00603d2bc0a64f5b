"""The living message on Slack, through slack_sdk against the loopback server: one post per
story, developments in its thread, and a message that may have gone out found by its
metadata instead of being posted twice (Slack has no nonce)."""

from __future__ import annotations

import asyncio

from bot.adapters.slack.render import digest_message
from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.models import Digest
from tests.chat_helpers import (
    Clock,
    add_development,
    add_story,
    developed_alert,
    die_while_hung,
    queue,
)
from tests.servers.slack import CHANNEL, TEAM_ID
from tests.slack.conftest import SlackRig

DESTINATION = f"slack:{TEAM_ID}/{CHANNEL}"


def drainer(rig: SlackRig, clock: Clock) -> OutboxDrainer:
    return OutboxDrainer(rig.db, {"slack": rig.adapter}, clock, alerts=AlertBuilder(rig.db))


async def test_every_alert_carries_the_metadata_a_lookup_matches(rig: SlackRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig, Clock()).drain_once()
    [message] = rig.server.top_level()
    assert message["metadata"] == {
        "event_type": "aiwatch_alert",
        "event_payload": {"story": story_id, "marker": f"story {story_id}"},
    }


async def test_a_development_edits_the_alert_and_replies_in_its_thread(rig: SlackRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig, Clock()).drain_once()
    [alert] = rig.server.top_level()
    development = await add_development(rig.db, story_id, "LinkedIn pauses for the UK")
    await queue(rig.db, DESTINATION, story_id, "development", 1, development)
    await queue(rig.db, DESTINATION, story_id, "update", 2)
    await drainer(rig, Clock()).drain_once()
    assert len(rig.server.top_level()) == 1
    assert len(rig.server.called("chat.update")) == 1
    [reply] = rig.server.replies_to(alert["ts"])
    assert reply["thread_ts"] == alert["ts"]
    assert "LinkedIn pauses for the UK" in str(reply["blocks"])
    assert "Timeline" in str(rig.server.top_level()[0]["blocks"])


async def test_the_calls_of_an_alert_and_its_development_share_one_connection(rig: SlackRig):
    """As with Slack's HTTPS, a connection per call would cost a handshake each, and a fan-out
    to a thousand channels as many connections."""
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig, Clock()).drain_once()
    development = await add_development(rig.db, story_id, "LinkedIn pauses for the UK")
    await queue(rig.db, DESTINATION, story_id, "development", 1, development)
    await drainer(rig, Clock()).drain_once()
    calls = [c.method for c in rig.server.calls]
    assert calls == ["chat.postMessage", "chat.update", "chat.postMessage"]
    assert len({c.connection for c in rig.server.calls}) == 1


async def test_a_post_taken_but_never_answered_is_found_not_posted_again(rig: SlackRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    clock = Clock()
    rig.server.hang_next[CHANNEL] = ["chat.postMessage"]
    await die_while_hung(drainer(rig, clock).drain_once(), rig.server.hung)
    clock.now += 5
    await drainer(rig, clock).drain_once()
    [message] = rig.server.top_level()
    assert rig.server.called("conversations.history")
    assert len(rig.server.called("chat.update")) == 1  # brought up to date
    row = await rig.db.fetch_one("SELECT state, external_id FROM outbox WHERE action = 'post'")
    assert tuple(row or ()) == ("done", message["ts"])


async def test_a_post_that_never_arrived_is_sent_after_the_lookup(rig: SlackRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    async with rig.db.transaction() as tx:  # the bot died after marking, before sending
        await tx.execute("UPDATE outbox SET sent_at = 1")
    await drainer(rig, Clock()).drain_once()
    assert rig.server.called("conversations.history")
    assert len(rig.server.top_level()) == 1


async def test_a_reply_taken_but_never_answered_is_found_in_the_thread(rig: SlackRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    clock = Clock()
    await drainer(rig, clock).drain_once()
    [alert] = rig.server.top_level()
    development = await add_development(rig.db, story_id, "LinkedIn pauses for the UK")
    await queue(rig.db, DESTINATION, story_id, "development", 1, development)
    rig.server.hang_next[CHANNEL] = ["chat.postMessage"]
    await die_while_hung(drainer(rig, clock).drain_once(), rig.server.hung)
    await drainer(rig, clock).drain_once()
    assert len(rig.server.replies_to(alert["ts"])) == 1
    assert rig.server.called("conversations.replies")


def test_the_digest_lists_a_story_once_with_its_developments():
    text = str(digest_message(Digest("2024-09-21", (developed_alert(),))).blocks)
    assert text.count("LinkedIn trains AI") == 1
    assert "↳ 2024-09-20 pause (UK): LinkedIn pauses for the UK after the ICO" in text


async def test_a_post_whose_connection_dropped_is_looked_up_not_resent_by_the_sdk(rig: SlackRig):
    """slack_sdk retries a dropped connection once by itself; for chat.postMessage that
    would post twice when Slack had taken the first. The bot looks it up instead."""
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    clock = Clock()
    rig.server.hang_next[CHANNEL] = ["chat.postMessage"]
    drain = asyncio.create_task(drainer(rig, clock).drain_once())
    for _ in range(200):
        if rig.server.hung:
            break
        await asyncio.sleep(0.02)
    rig.server.drop_held()
    await drain
    assert len(rig.server.called("chat.postMessage")) == 1
    clock.now += 3600  # past the retry's backoff
    await drainer(rig, clock).drain_once()
    assert len(rig.server.top_level()) == 1
    row = await rig.db.fetch_one("SELECT state FROM outbox WHERE action = 'post'")
    assert tuple(row or ()) == ("done",)


async def test_an_alert_past_its_edit_window_stays_and_developments_still_reply(rig: SlackRig):
    """A workspace that limits edits: the alert is not posted a second time."""
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig, Clock()).drain_once()
    [alert] = rig.server.top_level()
    development = await add_development(rig.db, story_id, "LinkedIn pauses for the UK")
    await queue(rig.db, DESTINATION, story_id, "development", 1, development)
    rig.server.fail_next[CHANNEL] = ["edit_window_closed"]
    await drainer(rig, Clock()).drain_once()
    assert len(rig.server.top_level()) == 1
    assert len(rig.server.replies_to(alert["ts"])) == 1
