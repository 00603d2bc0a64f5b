"""Discord's gateway split into shards, through discord.py's AutoShardedClient against the
loopback server: by default the bot runs as many shards as `GET /gateway/bot` recommends;
with shard ids and a count, processes split them. Either way Discord sends each server's
events and slash commands to one shard, `(server id >> 22) % count`, and the bot answers
there."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import discord
import pytest

from bot.adapters.chat import run_discord
from bot.adapters.discord import DiscordAdapter, use_endpoints
from bot.adapters.discord.adapter import TOO_FEW_SHARDS
from bot.commands.handlers import Commands
from bot.delivery.platforms import PlatformGate
from bot.optout.guide import Guide
from bot.settings import Config
from bot.storage import Database
from bot.storage.platforms import platform_health
from tests.discord.conftest import SHARDED_GUILDS, TEST_LIMITS
from tests.servers.discord import (
    CHANNEL_ID,
    GUILD_ID,
    MANAGE_GUILD,
    SHARD0_CHANNEL_ID,
    SHARD0_GUILD_ID,
    DiscordServer,
)
from tests.servers.discord_gateway import Identify, shard_of

DISCORD_READY = 30  # seconds: a second shard identifies 5 s after the first


def adapter(
    server: DiscordServer, config: Config, db: Database,
    shard_ids: tuple[int, ...] | None = None, shard_count: int | None = None,
) -> DiscordAdapter:  # fmt: skip
    use_endpoints(server.api_base, server.gateway_url)
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    return DiscordAdapter(Commands(db, config, guide), db, shard_ids=shard_ids,
                          shard_count=shard_count, limits=TEST_LIMITS,
                          guild_ready_timeout=0.05)  # fmt: skip


@contextlib.asynccontextmanager
async def running(
    server: DiscordServer, config: Config, db: Database,
    shard_ids: tuple[int, ...] | None = None, shard_count: int | None = None,
) -> AsyncIterator[DiscordAdapter]:  # fmt: skip
    client = adapter(server, config, db, shard_ids, shard_count)
    task = asyncio.create_task(client.start("loopback-token"))
    try:
        yield client
    finally:
        await client.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def subscribe_in(server: DiscordServer, guild_id: str) -> dict[str, object]:
    """`/aiwatch subscribe regions:UK` by a manager in the server's first channel."""
    return await server.interact(
        "aiwatch", [{"name": "regions", "type": 3, "value": "UK"}], subcommand="subscribe",
        permissions=MANAGE_GUILD, guild_id=guild_id, channel_id=SHARDED_GUILDS[guild_id],
    )  # fmt: skip


async def subscribed(db: Database) -> list[str]:
    rows = await db.fetch_all("SELECT DISTINCT destination_id FROM subscriptions ORDER BY 1")
    return [row["destination_id"] for row in rows]


def accepted(identifies: list[Identify]) -> list[tuple[int, int]]:
    return sorted(i.shard for i in identifies if i.accepted)


def test_the_two_servers_are_on_different_shards() -> None:
    assert (shard_of(SHARD0_GUILD_ID, 2), shard_of(GUILD_ID, 2)) == (0, 1)


async def test_by_default_the_bot_runs_the_shards_discord_recommends(
    sharded_server: DiscordServer, config: Config, tmp_path: Path
) -> None:
    db = await Database.open(tmp_path / "bot.db")
    async with running(sharded_server, config, db) as client:
        await asyncio.wait_for(client.wait_until_ready(), DISCORD_READY)
        answers = [await subscribe_in(sharded_server, g) for g in (SHARD0_GUILD_ID, GUILD_ID)]

        assert client.shard_count == 2
        assert {g.id for g in client.guilds} == {int(SHARD0_GUILD_ID), int(GUILD_ID)}
        assert {s.shard: s.guilds for s in sharded_server.sessions} == {
            (0, 2): [SHARD0_GUILD_ID], (1, 2): [GUILD_ID]
        }  # fmt: skip
    # discord.py waited 5 s before the second IDENTIFY, as max_concurrency 1 asks
    assert [i.accepted for i in sharded_server.gateway.identifies] == [True, True]
    assert accepted(sharded_server.gateway.identifies) == [(0, 2), (1, 2)]
    assert ["UK (United Kingdom)" in str(a["data"]) for a in answers] == [True, True]
    assert await subscribed(db) == [f"discord:{GUILD_ID}/{CHANNEL_ID}",
                                    f"discord:{SHARD0_GUILD_ID}/{SHARD0_CHANNEL_ID}"]  # fmt: skip
    for session in sharded_server.gateway.sessions:  # each command went to its shard only
        commands = [g for event, g in session.events if event == "INTERACTION_CREATE"]
        assert commands == session.guilds
    await db.close()


async def test_two_processes_split_the_shards_and_each_answers_its_own_servers(
    sharded_server: DiscordServer, config: Config, tmp_path: Path
) -> None:
    """Shard 0 on one process and shard 1 on another (each with its own database here, to
    see which one answered): a command in a server on shard 1 reaches the second only."""
    first = await Database.open(tmp_path / "first.db")
    second = await Database.open(tmp_path / "second.db")
    async with (
        running(sharded_server, config, first, (0,), 2) as zero,
        running(sharded_server, config, second, (1,), 2) as one,
    ):
        await asyncio.wait_for(asyncio.gather(zero.wait_until_ready(), one.wait_until_ready()),
                               DISCORD_READY)  # fmt: skip
        assert [g.id for g in zero.guilds] == [int(SHARD0_GUILD_ID)]
        assert [g.id for g in one.guilds] == [int(GUILD_ID)]
        answer = await subscribe_in(sharded_server, GUILD_ID)

    assert "UK (United Kingdom)" in str(answer["data"])
    syncs = [r for r in sharded_server.records if r.method == "PUT"]
    assert len(syncs) == 1  # the commands are synced by the process running shard 0 only
    assert await subscribed(first) == []
    assert await subscribed(second) == [f"discord:{GUILD_ID}/{CHANNEL_ID}"]
    # Both started at once: the IDENTIFY that came second within 5 s got op 9, and
    # discord.py identified again 5 s later, as Discord expects.
    identifies = sharded_server.gateway.identifies
    assert [i.accepted for i in identifies].count(False) == 1
    assert accepted(identifies) == [(0, 2), (1, 2)]
    for db in (first, second):
        await db.close()


async def test_a_process_not_running_a_servers_shard_never_sees_it(
    sharded_server: DiscordServer, config: Config, tmp_path: Path
) -> None:
    db = await Database.open(tmp_path / "bot.db")
    async with running(sharded_server, config, db, (0,), 2) as zero:
        await asyncio.wait_for(zero.wait_until_ready(), DISCORD_READY)
        with pytest.raises(AssertionError, match="no gateway session runs the shard"):
            await subscribe_in(sharded_server, GUILD_ID)
        assert zero.get_guild(int(GUILD_ID)) is None
        assert isinstance(zero.get_guild(int(SHARD0_GUILD_ID)), discord.Guild)
    assert [s.shard for s in sharded_server.gateway.sessions] == [(0, 2)]
    await db.close()


async def test_a_gateway_proxy_is_kept_when_the_bot_picks_its_shard_count(
    sharded_server: DiscordServer, config: Config, tmp_path: Path
) -> None:
    """With DISCORD_GATEWAY_URL set (a gateway proxy; the tests' loopback gateway), only the
    count comes from GET /gateway/bot, whose address is Discord's own, past the proxy."""
    sharded_server.gateway.bot_gateway_url = "ws://127.0.0.1:9/ws"  # nothing listens there
    db = await Database.open(tmp_path / "bot.db")
    async with running(sharded_server, config, db) as client:
        await asyncio.wait_for(client.wait_until_ready(), DISCORD_READY)
        assert client.shard_count == 2
        assert len(client.guilds) == 2
    await db.close()


async def test_too_few_shards_stop_discord_saying_what_to_set(
    sharded_server: DiscordServer, config: Config, tmp_path: Path
) -> None:
    """DISCORD_SHARD_COUNT=1 for a bot Discord wants on more shards: the gateway closes with
    4011 Sharding required, which no reconnect can mend."""
    sharded_server.gateway.guilds_per_shard = 1
    db = await Database.open(tmp_path / "bot.db")
    gate = PlatformGate(db)
    client = adapter(sharded_server, config, db, shard_count=1)
    gate.on_stop("discord", client.close)
    await asyncio.wait_for(run_discord(client, "loopback-token", gate), DISCORD_READY)

    assert gate.stopped("discord")
    assert client.is_closed()
    assert [(p.name, p.healthy, p.reason) for p in await platform_health(db)] == [
        ("discord", False, TOO_FEW_SHARDS)
    ]
    assert [i.shard for i in sharded_server.gateway.identifies] == [(0, 1)]  # no retry
    await db.close()


async def test_processes_running_the_same_shards_both_get_every_command(
    discord_server: DiscordServer, config: Config, tmp_path: Path
) -> None:
    """Why processes must split the shards: two processes without shard settings each run
    every shard, Discord sends each of them every command, and the slower answer is
    refused (40060 Interaction has already been acknowledged)."""
    first = await Database.open(tmp_path / "first.db")
    second = await Database.open(tmp_path / "second.db")
    async with (
        running(discord_server, config, first) as one,
        running(discord_server, config, second) as other,
    ):
        await asyncio.wait_for(asyncio.gather(one.wait_until_ready(), other.wait_until_ready()),
                               DISCORD_READY)  # fmt: skip
        await discord_server.interact("aiwatch", subcommand="help")
        for _ in range(200):
            answers = [r for r in discord_server.records if r.path.endswith("/callback")]
            if len(answers) > 1:
                break
            await asyncio.sleep(0.02)

    assert [r.status for r in answers][:2] == [200, 400]
    for db in (first, second):
        await db.close()
