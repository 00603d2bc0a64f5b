"""The loopback Discord server behaves as Discord does, seen through discord.py's own calls:
nonces, replies, history, a request applied but never answered, and 500s."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import discord
import pytest

from tests.discord.conftest import DiscordRig
from tests.servers import Hung
from tests.servers.discord import CHANNEL_ID, OTHER_CHANNEL_ID

HANG = 0.5  # how long the client waits for an answer that never comes


def alerts(rig: DiscordRig) -> discord.PartialMessageable:
    return rig.client.get_partial_messageable(int(CHANNEL_ID))


def reply_to(message_id: int, fail_if_not_exists: bool) -> discord.MessageReference:
    return discord.MessageReference(message_id=message_id, channel_id=int(CHANNEL_ID),
                                    fail_if_not_exists=fail_if_not_exists)  # fmt: skip


async def test_a_nonce_reused_in_the_window_returns_the_original_message(rig: DiscordRig) -> None:
    channel = alerts(rig)
    first = await channel.send("first", nonce="alert-1")
    again = await channel.send("second", nonce="alert-1")
    other = await channel.send("third", nonce="alert-2")

    assert again.id == first.id
    assert again.content == "first"
    assert first.nonce == "alert-1"
    assert other.id != first.id
    assert [m["content"] for m in rig.server.top_level()] == ["first", "third"]
    assert len(rig.server.posts()) == 3  # all three reached the server


async def test_past_the_nonce_window_the_same_nonce_posts_again(rig: DiscordRig) -> None:
    rig.server.nonce_window = 0
    channel = alerts(rig)
    first = await channel.send("first", nonce=12345)
    again = await channel.send("again", nonce=12345)

    assert again.id != first.id
    assert [m["content"] for m in rig.server.top_level()] == ["first", "again"]


async def test_a_nonce_longer_than_25_characters_is_an_invalid_form(rig: DiscordRig) -> None:
    with pytest.raises(discord.HTTPException) as raised:
        await alerts(rig).send("x", nonce="n" * 26)

    assert raised.value.status == 400
    assert raised.value.code == 50035
    assert "nonce" in raised.value.text
    assert rig.server.messages == {}
    await alerts(rig).send("x", nonce="n" * 25)
    assert len(rig.server.messages) == 1


async def test_a_reply_references_its_parent(rig: DiscordRig) -> None:
    channel = alerts(rig)
    parent = await channel.send("story")
    reply = await channel.send("update", reference=reply_to(parent.id, False))

    assert reply.type is discord.MessageType.reply
    assert reply.reference is not None
    assert reply.reference.message_id == parent.id
    assert isinstance(reply.reference.resolved, discord.Message)
    assert reply.reference.resolved.content == "story"
    assert rig.server.replies_to(str(parent.id)) == [rig.server.messages[str(reply.id)]]
    assert [m["id"] for m in rig.server.top_level()] == [str(parent.id)]

    rig.server.delete(str(parent.id))  # the reply stays; its parent shows as null
    (shown,) = [m async for m in channel.history(limit=5)]
    assert shown.id == reply.id
    assert shown.reference is not None
    assert isinstance(shown.reference.resolved, discord.DeletedReferencedMessage)


async def test_a_reply_to_an_unknown_message(rig: DiscordRig) -> None:
    channel = alerts(rig)
    with pytest.raises(discord.HTTPException) as raised:
        await channel.send("update", reference=reply_to(1234, True))
    assert raised.value.status == 400
    assert raised.value.code == 50035
    assert raised.value.text == "Invalid Form Body\nIn message_reference: Unknown message"
    assert rig.server.messages == {}

    plain = await channel.send("update", reference=reply_to(1234, False))
    assert plain.type is discord.MessageType.default
    assert plain.reference is None
    assert [m["id"] for m in rig.server.top_level()] == [str(plain.id)]


async def test_a_reply_to_a_message_of_another_channel_is_unknown(rig: DiscordRig) -> None:
    elsewhere = await rig.client.get_partial_messageable(int(OTHER_CHANNEL_ID)).send("there")
    with pytest.raises(discord.HTTPException, match="Unknown message"):
        await alerts(rig).send("here", reference=reply_to(elsewhere.id, True))


async def test_history_is_newest_first_and_pages_as_discord_py_asks(rig: DiscordRig) -> None:
    channel = alerts(rig)
    sent = [await channel.send(f"m{i}") for i in range(5)]
    await rig.client.get_partial_messageable(int(OTHER_CHANNEL_ID)).send("elsewhere")

    newest = [m.id async for m in channel.history(limit=10)]
    assert newest == [m.id for m in reversed(sent)]
    assert [m.id async for m in channel.history(limit=2)] == [sent[4].id, sent[3].id]
    before = [m.id async for m in channel.history(limit=10, before=sent[2])]
    assert before == [sent[1].id, sent[0].id]
    oldest = [m.id async for m in channel.history(limit=3, oldest_first=True)]  # after=0
    assert oldest == [sent[0].id, sent[1].id, sent[2].id]
    after = [m.id async for m in channel.history(limit=10, after=sent[3])]
    assert after == [sent[4].id]
    around = [m.id async for m in channel.history(limit=3, around=sent[2])]
    assert around == [sent[3].id, sent[2].id, sent[1].id]

    rig.server.forget(str(sent[4].id))
    assert [m.id async for m in channel.history(limit=1)] == [sent[3].id]


async def test_history_answers_as_discord_without_nonces(rig: DiscordRig) -> None:
    await alerts(rig).send("x", nonce="kept-private")
    raw: list[dict[str, Any]] = await rig.client.http.logs_from(CHANNEL_ID, 50)
    assert [m["content"] for m in raw] == ["x"]
    assert "nonce" not in raw[0]
    assert rig.server.top_level()[0]["nonce"] == "kept-private"

    with pytest.raises(discord.HTTPException) as raised:
        await rig.client.http.logs_from(CHANNEL_ID, 101)
    assert raised.value.status == 400

    rig.server.fail_next[CHANNEL_ID] = [404]
    with pytest.raises(discord.NotFound):
        [m async for m in alerts(rig).history(limit=5)]


async def test_a_hung_post_is_applied_and_a_retry_with_its_nonce_finds_it(rig: DiscordRig
                                                                          ) -> None:  # fmt: skip
    rig.server.hang_next[CHANNEL_ID] = ["post"]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(alerts(rig).send("alert", nonce="alert-7"), HANG)

    (applied,) = rig.server.top_level()
    assert rig.server.hung == [Hung("post", CHANNEL_ID, applied["id"])]
    retried = await alerts(rig).send("alert", nonce="alert-7")
    assert str(retried.id) == applied["id"]
    assert len(rig.server.messages) == 1


async def test_hung_replies_and_edits_are_applied(rig: DiscordRig) -> None:
    channel = alerts(rig)
    parent = await channel.send("story")
    rig.server.hang_next[CHANNEL_ID] = ["edit", "reply"]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(channel.send("more", reference=reply_to(parent.id, True)), HANG)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(parent.edit(content="story, updated"), HANG)

    (reply,) = rig.server.replies_to(str(parent.id))
    assert rig.server.messages[str(parent.id)]["content"] == "story, updated"
    assert [(h.action, h.message) for h in rig.server.hung] == [
        ("reply", reply["id"]),
        ("edit", str(parent.id)),
    ]
    assert rig.server.hang_next[CHANNEL_ID] == []


async def test_stop_releases_hung_requests_at_once(rig: DiscordRig) -> None:
    # discord.py sends one request at a time per route, so the two hang in two channels
    channels = [CHANNEL_ID, OTHER_CHANNEL_ID]
    for channel_id in channels:
        rig.server.hang_next[channel_id] = ["post"]
    pending = [asyncio.create_task(rig.client.get_partial_messageable(int(c)).send("x"))
               for c in channels]  # fmt: skip
    deadline = time.monotonic() + 5
    while len(rig.server.hung) < 2:
        assert time.monotonic() < deadline, "the posts did not reach the server"
        await asyncio.sleep(0.01)
    assert [h.channel for h in rig.server.hung] == channels

    started = time.monotonic()
    await rig.server.stop()
    assert time.monotonic() - started < 0.5
    outcomes = await asyncio.gather(*pending, return_exceptions=True)
    assert all(isinstance(o, aiohttp.ServerDisconnectedError) for o in outcomes)  # no answer
    assert [len(rig.server.top_level(c)) for c in channels] == [1, 1]


async def test_a_500_is_retried_by_discord_py(rig: DiscordRig) -> None:
    rig.server.fail_next[CHANNEL_ID] = [500]
    started = time.monotonic()
    sent = await alerts(rig).send("after a 500")

    assert time.monotonic() - started >= 1  # discord.py waits 1 s before its first retry
    assert len(rig.server.posts()) == 2
    assert list(rig.server.messages) == [str(sent.id)]
