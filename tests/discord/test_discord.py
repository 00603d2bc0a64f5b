"""The Discord adapter through discord.py itself, against the loopback Discord server."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.adapters.discord.adapter import GONE, NO_ACCESS, WELCOME
from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.storage import Database
from bot.storage.outbox import pending_count
from bot.subscriptions import load_route
from tests.chat_helpers import add_story, queue
from tests.discord.conftest import DiscordRig
from tests.servers.discord_messages import snowflake
from tests.servers.discord_payloads import (
    CHANNEL_ID,
    EVERYONE_PERMISSIONS,
    GUILD_ID,
    MANAGE_GUILD,
)

DESTINATION = f"discord:{GUILD_ID}/{CHANNEL_ID}"
EPHEMERAL = 64


def opt(name: str, value: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": 3, "value": value, **extra}


def embed_of(callback: dict[str, Any]) -> dict[str, Any]:
    return callback["data"]["embeds"][0]


def is_ephemeral(callback: dict[str, Any]) -> bool:
    return bool(callback["data"].get("flags", 0) & EPHEMERAL)


async def aiwatch(rig: DiscordRig, sub: str, *options: dict[str, Any], manager: bool = False
                  ) -> dict[str, Any]:  # fmt: skip
    permissions = EVERYONE_PERMISSIONS | (MANAGE_GUILD if manager else 0)
    return await rig.server.interact(
        "aiwatch", list(options), subcommand=sub, permissions=permissions
    )


async def test_commands_are_synced_on_start(rig: DiscordRig):
    names = {c["name"]: c for c in rig.server.commands}
    assert set(names) == {"optout", "aiwatch"}
    subcommands = {o["name"] for o in names["aiwatch"]["options"]}
    assert subcommands == {"subscribe", "unsubscribe", "subscriptions", "digest", "recent",
                           "feeds", "help"}  # fmt: skip
    platform = next(o for o in names["optout"]["options"] if o["name"] == "platform")
    assert platform["autocomplete"] is True


async def test_optout_answers_privately_with_the_guide(rig: DiscordRig):
    callback = await rig.server.interact(
        "optout", [opt("platform", "linkdin"), opt("region", "GB")]
    )
    assert callback["type"] == 4
    assert is_ephemeral(callback)
    assert embed_of(callback)["title"] == "LinkedIn: AI training in United Kingdom"
    assert callback["data"]["allowed_mentions"] == {"parse": []}


async def test_unknown_platform_gets_suggestions(rig: DiscordRig):
    callback = await rig.server.interact("optout", [opt("platform", "linkedn-app")])
    assert is_ephemeral(callback)
    assert "linkedin" in embed_of(callback)["description"]


async def test_autocomplete_offers_platform_aliases(rig: DiscordRig):
    callback = await rig.server.interact("optout", [opt("platform", "insta", focused=True)], kind=4)
    assert callback["type"] == 8
    assert "meta" in [choice["value"] for choice in callback["data"]["choices"]]


async def test_a_manager_subscribes_the_channel(rig: DiscordRig):
    callback = await aiwatch(rig, "subscribe", opt("regions", "UK,EU"),
                             opt("platforms", "linkedin"), manager=True)  # fmt: skip
    assert not is_ephemeral(callback)  # the channel sees what it will receive
    assert embed_of(callback)["title"] == "Subscribed to UK, EU"
    route = await load_route(rig.db, DESTINATION)
    assert route is not None
    assert set(route.regions) == {"UK", "EU"}


async def test_a_member_without_manage_server_cannot_subscribe(rig: DiscordRig):
    callback = await aiwatch(rig, "subscribe", opt("regions", "UK"))
    assert is_ephemeral(callback)
    assert "Manage Server" in embed_of(callback)["description"]
    assert await load_route(rig.db, DESTINATION) is None


@pytest.mark.parametrize(
    ("sub", "options", "title"),
    [
        ("subscribe", [opt("regions", "Narnia")], "'Narnia' is not a region we know"),
        ("subscribe", [opt("regions", "UK"), opt("events", "fines")], "'fines' is not an event"),
        ("unsubscribe", [opt("regions", "FR")], "Nothing to remove"),
        ("digest", [opt("hour", "noon")], "'noon' is not an hour"),
    ],
)
async def test_wrong_input_is_explained_privately(
    rig: DiscordRig, sub: str, options: list[dict[str, Any]], title: str
):
    callback = await aiwatch(rig, sub, *options, manager=True)
    assert is_ephemeral(callback)
    assert embed_of(callback)["title"].startswith(title)


@pytest.mark.parametrize(
    ("sub", "title"),
    [("subscriptions", "This channel's subscriptions"), ("recent", "No stories yet"),
     ("feeds", "Feeds:"), ("help", "AI Data Watch commands")],
)  # fmt: skip
async def test_everyone_may_read(rig: DiscordRig, sub: str, title: str):
    callback = await aiwatch(rig, sub)
    assert embed_of(callback)["title"].startswith(title)


def drainer(rig: DiscordRig) -> OutboxDrainer:
    return OutboxDrainer(rig.db, {"discord": rig.client}, time.time, alerts=AlertBuilder(rig.db))


async def test_an_alert_is_posted_as_an_embed_then_updated_in_place(rig: DiscordRig):
    title = "LinkedIn opts @everyone in to AI training <@&1234567890123456789>"
    story_id = await add_story(rig.db, DESTINATION, title)
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig).drain_once()
    [post] = rig.server.posts()
    embed = post.body["embeds"][0]
    assert "@\u200beveryone" in embed["title"]
    assert "@\u200b&1234567890123456789" in embed["title"]
    assert post.body["allowed_mentions"] == {"parse": []}
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Platforms"] == "linkedin"
    assert "UK" in fields["Regions"]
    assert fields["Event"] == "policy change"
    assert "train" in fields["Why this was flagged"]
    assert embed["color"] != 0
    message_id = next(iter(rig.server.messages))

    await queue(rig.db, DESTINATION, story_id, "update", 1)
    await drainer(rig).drain_once()
    [edit] = rig.server.edits()
    assert edit.path == f"channels/{CHANNEL_ID}/messages/{message_id}"
    assert len(rig.server.posts()) == 1  # updated, never posted again


async def test_an_update_to_a_deleted_message_is_posted_anew(rig: DiscordRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn pauses UK training")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig).drain_once()
    rig.server.forget(next(iter(rig.server.messages)))
    await queue(rig.db, DESTINATION, story_id, "update", 1)
    await drainer(rig).drain_once()
    posts = rig.server.posts()
    assert len(posts) == 2
    assert "continues an earlier alert" in posts[1].body["content"]
    assert await pending_count(rig.db) == 0


@pytest.mark.parametrize(("status", "reason"), [(403, NO_ACCESS), (404, GONE)])
async def test_a_channel_that_lost_access_is_stopped_and_shown(
    rig: DiscordRig, status: int, reason: str
):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL_ID] = [status]
    await drainer(rig).drain_once()
    assert await pending_count(rig.db) == 1  # kept, not dropped
    row = await rig.db.fetch_one("SELECT healthy, health_note FROM destinations WHERE id = ?",
                                 (DESTINATION,))  # fmt: skip
    assert row is not None
    assert (row[0], row[1]) == (0, reason)
    await drainer(rig).drain_once()
    assert len(rig.server.posts()) == 1  # the one refused attempt; nothing more is tried
    feeds = await aiwatch(rig, "feeds")
    delivery = {f["name"]: f["value"] for f in embed_of(feeds)["fields"]}["Delivery"]
    assert reason in delivery


async def test_a_burst_of_50_alerts_respects_the_channel_limit(rig: DiscordRig):
    """5 messages per window per channel (the pacer's window is shortened for the test), and a
    429 on the way is waited out by discord.py, not turned into a lost or doubled alert."""
    for number in range(50):
        story_id = await add_story(rig.db, DESTINATION, f"Story {number}")
        await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL_ID] = [429]
    await drainer(rig).drain_once()
    delivered = [r for r in rig.server.posts() if r.body and "embeds" in r.body]
    titles = [r.body["embeds"][0]["title"] for r in delivered]
    assert sorted(set(titles)) == sorted(f"Story {n}" for n in range(50))
    assert len(rig.server.messages) == 50
    times = rig.server.created_at  # a request answered 429 created nothing
    for i in range(len(times) - 5):
        assert times[i + 5] - times[i] >= 0.5 - 0.01  # never 6 within one window
    assert await pending_count(rig.db) == 0


async def test_joining_a_guild_greets_it_and_leaving_stops_its_channels(rig: DiscordRig):
    new_guild, system_channel = snowflake(), snowflake()
    await rig.server.join_guild(new_guild, system_channel)
    await _until(lambda: rig.server.posts(system_channel))
    assert rig.server.posts(system_channel)[0].body["content"] == WELCOME
    await add_story(rig.db, DESTINATION, "LinkedIn news")  # the destination exists
    await rig.server.remove_from_guild(GUILD_ID)
    row = await _until_row(rig.db)
    assert "removed from the server" in row


async def _until(check: Any, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def _until_row(db: Database) -> str:
    deadline = time.monotonic() + 5
    while True:
        row = await db.fetch_one("SELECT health_note FROM destinations WHERE id = ?",
                                 (DESTINATION,))  # fmt: skip
        if row is not None and row[0]:
            return str(row[0])
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_a_development_guild_gets_its_commands_synced_directly(
    discord_server: Any, config: Any, tmp_path: Any
):
    from datetime import date

    from bot.adapters.discord import DiscordAdapter, use_endpoints
    from bot.commands.handlers import Commands
    from bot.optout.guide import Guide

    use_endpoints(discord_server.api_base, discord_server.gateway_url)
    db = await Database.open(tmp_path / "dev.db")
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    client = DiscordAdapter(Commands(db, config, guide), db, dev_guild=int(GUILD_ID),
                            guild_ready_timeout=0.05)  # fmt: skip
    task = asyncio.create_task(client.start("loopback-token"))
    await asyncio.wait_for(client.wait_until_ready(), 10)
    syncs = [r.path for r in discord_server.records if r.method == "PUT"]
    await client.close()
    await task
    await db.close()
    assert syncs == [f"applications/900000000000000001/guilds/{GUILD_ID}/commands"]


async def test_a_failing_command_is_told_to_the_asker(rig: DiscordRig):
    await rig.db.close()  # every database call now fails
    callback = await aiwatch(rig, "subscriptions")
    assert is_ephemeral(callback)
    assert embed_of(callback)["title"] == "That did not work"


async def test_region_autocomplete_completes_the_last_code_of_a_list(rig: DiscordRig):
    callback = await rig.server.interact(
        "aiwatch", [opt("regions", "UK,Germ", focused=True)], subcommand="subscribe", kind=4
    )
    assert "UK,DE" in [choice["value"] for choice in callback["data"]["choices"]]
