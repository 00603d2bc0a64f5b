"""The living message on Discord, through discord.py against the loopback server: one post
per story, developments as replies, and nothing sent twice when the bot died mid-send."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.adapters.discord.adapter import NONCE_WINDOW
from bot.adapters.discord.render import alert_message, digest_message
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
from tests.discord.conftest import DiscordRig
from tests.servers.discord import CHANNEL_ID, GUILD_ID

DESTINATION = f"discord:{GUILD_ID}/{CHANNEL_ID}"


def drainer(rig: DiscordRig, clock: Clock) -> OutboxDrainer:
    return OutboxDrainer(rig.db, {"discord": rig.client}, clock, alerts=AlertBuilder(rig.db))


def footer(message: dict[str, object]) -> str:
    return str(message["embeds"][0]["footer"]["text"])  # type: ignore[index]


async def test_updates_waiting_for_their_post_fold_into_it(rig: DiscordRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await queue(rig.db, DESTINATION, story_id, "update", 1)
    development = await add_development(rig.db, story_id, "LinkedIn pauses for the UK")
    await queue(rig.db, DESTINATION, story_id, "development", 2, development)
    await drainer(rig, Clock()).drain_once()
    assert len(rig.server.top_level()) == 1
    assert rig.server.edits() == []
    [message] = rig.server.top_level()
    assert not rig.server.replies_to(message["id"])
    fields = {f["name"]: f["value"] for f in message["embeds"][0]["fields"]}
    assert "LinkedIn pauses for the UK" in fields["Timeline"]


async def test_a_development_edits_the_alert_and_replies_under_it(rig: DiscordRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig, Clock()).drain_once()
    [alert] = rig.server.top_level()
    development = await add_development(rig.db, story_id, "LinkedIn pauses for the UK")
    await queue(rig.db, DESTINATION, story_id, "development", 1, development)
    await queue(rig.db, DESTINATION, story_id, "update", 2)
    await drainer(rig, Clock()).drain_once()
    assert len(rig.server.top_level()) == 1
    assert len(rig.server.edits()) == 1  # the development and the update: one edit
    [reply] = rig.server.replies_to(alert["id"])
    assert reply["message_reference"]["message_id"] == alert["id"]
    assert footer(reply).endswith(f"story {story_id} · development {development} · development")
    sent = [r.body for r in rig.server.records if r.method == "POST"]
    assert all(len(str(body["nonce"])) <= 25 for body in sent)


async def test_a_post_taken_but_never_answered_is_not_posted_again(rig: DiscordRig):
    """Within Discord's window the same nonce brings back the first message."""
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    clock = Clock()
    rig.server.hang_next[CHANNEL_ID] = ["post"]
    await die_while_hung(drainer(rig, clock).drain_once(), rig.server.hung)
    clock.now += NONCE_WINDOW / 2
    await drainer(rig, clock).drain_once()
    [message] = rig.server.top_level()
    assert message["id"] == rig.server.hung[0].message
    row = await rig.db.fetch_one("SELECT state, external_id FROM outbox WHERE action = 'post'")
    assert tuple(row or ()) == ("done", message["id"])


async def test_past_the_nonce_window_the_channel_is_looked_up(rig: DiscordRig):
    """Hours later the nonce no longer protects: the lookup finds the post and edits it."""
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    clock = Clock()
    rig.server.hang_next[CHANNEL_ID] = ["post"]
    await die_while_hung(drainer(rig, clock).drain_once(), rig.server.hung)
    rig.server.nonce_window = 0  # Discord has forgotten the nonce
    clock.now += 3 * 3600
    await drainer(rig, clock).drain_once()
    [message] = rig.server.top_level()
    assert any(r.method == "GET" and r.path.endswith("/messages") for r in rig.server.records)
    assert len(rig.server.edits()) == 1  # brought up to date, not posted again
    row = await rig.db.fetch_one("SELECT external_id FROM outbox WHERE action = 'post'")
    assert row is not None
    assert row[0] == message["id"]


async def test_a_post_that_never_arrived_is_sent_after_the_lookup(rig: DiscordRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    async with rig.db.transaction() as tx:  # the bot died after marking, before sending
        await tx.execute("UPDATE outbox SET sent_at = 1")
    await drainer(rig, Clock()).drain_once()
    assert len(rig.server.top_level()) == 1


async def test_a_reply_taken_but_never_answered_is_not_sent_again(rig: DiscordRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    clock = Clock()
    await drainer(rig, clock).drain_once()
    [alert] = rig.server.top_level()
    development = await add_development(rig.db, story_id, "LinkedIn pauses for the UK")
    await queue(rig.db, DESTINATION, story_id, "development", 1, development)
    rig.server.hang_next[CHANNEL_ID] = ["reply"]
    await die_while_hung(drainer(rig, clock).drain_once(), rig.server.hung)
    rig.server.nonce_window = 0
    clock.now += 3 * 3600
    await drainer(rig, clock).drain_once()
    assert len(rig.server.replies_to(alert["id"])) == 1
    row = await rig.db.fetch_one("SELECT state FROM outbox WHERE action = 'development'")
    assert row is not None
    assert row[0] == "done"


def test_the_digest_lists_a_story_once_with_its_developments():
    [embed] = digest_message(Digest("2024-09-21", (developed_alert(),))).embeds
    text = embed.description or ""
    assert text.count("LinkedIn trains AI") == 1
    assert "↳ 2024-09-20 pause (UK): LinkedIn pauses for the UK after the ICO" in text


def test_the_alert_shows_its_timeline_and_the_regions_left_out():
    [embed] = alert_message(developed_alert()).embeds
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Left out"] == "🇪🇺 EU"
    assert "2024-09-20 pause (UK)" in str(fields["Timeline"])


async def test_a_post_whose_connection_dropped_is_sent_again_with_its_nonce(rig: DiscordRig):
    """No answer: the drain cannot know whether Discord took it, so the retry carries the
    same nonce and Discord answers with the first message."""
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn trains AI on members' posts")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    clock = Clock()
    rig.server.hang_next[CHANNEL_ID] = ["post"]
    drain = asyncio.create_task(drainer(rig, clock).drain_once())
    for _ in range(200):
        if rig.server.hung:
            break
        await asyncio.sleep(0.02)
    rig.server.drop_held()
    await drain
    clock.now += NONCE_WINDOW / 2  # the retry falls due within Discord's window
    async with rig.db.transaction() as tx:
        await tx.execute("UPDATE outbox SET next_attempt_at = 0")
    await drainer(rig, clock).drain_once()
    [message] = rig.server.top_level()
    row = await rig.db.fetch_one("SELECT state, external_id FROM outbox WHERE action = 'post'")
    assert tuple(row or ()) == ("done", message["id"])


def test_a_crafted_link_cannot_end_its_markdown_link_early():
    crafted = "https://a.example/x) [click here](https://evil.example"
    alert = replace(developed_alert(), links=(crafted,))
    [embed] = digest_message(Digest("2024-09-21", (alert,))).embeds
    assert "](https://evil.example" not in (embed.description or "")
    assert "%29%20%5Bclick%20here%5D%28https://evil.example" in (embed.description or "")
