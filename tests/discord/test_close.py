"""A Discord client closed while a shard connects leaves no gateway connection behind: not
the one of a shard waiting its turn to IDENTIFY at launch, nor the one of a shard identifying
again after Discord invalidated its session. Each would heartbeat a stopped platform from its
own thread (the autouse fixture in conftest.py checks every test for that)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bot.settings import Config
from bot.storage import Database
from tests.discord.conftest import heartbeats
from tests.discord.test_shards import DISCORD_READY, adapter
from tests.servers.discord import DiscordServer

HEARTBEAT_STOP = 2.0  # seconds: a stopped heartbeat thread ends as it wakes, at once


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(DISCORD_READY * 50):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not reached in time")


async def still_beating(threads: set[object]) -> list[object]:
    """Of `threads`, those still running once stopped ones had time to end."""
    await asyncio.sleep(0)
    for thread in set(heartbeats()) & threads:
        await asyncio.to_thread(thread.join, HEARTBEAT_STOP)
    return [t for t in heartbeats() if t in threads]


async def test_closed_while_a_shard_waits_to_identify_the_launch_ends(
    sharded_server: DiscordServer, config: Config, tmp_path: Path
) -> None:
    """Shard 1 connected and waits 5 s to IDENTIFY after shard 0: the close closes its
    connection too, and discord.py does not retry launching it."""
    db = await Database.open(tmp_path / "bot.db")
    before = set(heartbeats())
    client = adapter(sharded_server, config, db)
    task = asyncio.create_task(client.start("loopback-token"))
    await until(lambda: len(set(heartbeats()) - before) == 2)  # shard 1 is connected
    assert [i.shard for i in sharded_server.gateway.identifies] == [(0, 2)]

    try:
        await client.close()

        assert await still_beating(set(heartbeats()) - before) == []
        await asyncio.wait_for(task, DISCORD_READY)  # no retry of shard 1 for ever
        assert [i.shard for i in sharded_server.gateway.identifies] == [(0, 2)]
    finally:
        task.cancel()
        await db.close()


async def test_closed_while_a_shard_identifies_again_its_new_connection_closes(
    discord_server: DiscordServer, config: Config, tmp_path: Path
) -> None:
    """A second process on the same shard, identifying within 5 s of the first, gets op 9
    (Invalid Session) and connects again to identify 5 s later; it closes meanwhile."""
    first_db = await Database.open(tmp_path / "first.db")
    second_db = await Database.open(tmp_path / "second.db")
    first = adapter(discord_server, config, first_db)
    first_task = asyncio.create_task(first.start("loopback-token"))
    await asyncio.wait_for(first.wait_until_ready(), DISCORD_READY)
    first_beats = set(heartbeats())
    second = adapter(discord_server, config, second_db)
    second_task = asyncio.create_task(second.start("loopback-token"))
    await until(lambda: len(discord_server.gateway.sessions) == 3)  # its second connection
    await until(lambda: len(set(heartbeats()) - first_beats) == 1)
    # the first connection's heartbeat stopped before the second opened; let it end
    await asyncio.sleep(0.2)
    assert [i.accepted for i in discord_server.gateway.identifies] == [True, False]
    second_beats = set(heartbeats()) - first_beats
    assert len(second_beats) == 1

    try:
        await second.close()

        assert await still_beating(second_beats) == []
        await asyncio.wait_for(second_task, DISCORD_READY)
        assert [i.accepted for i in discord_server.gateway.identifies] == [True, False]
        assert first.shards[0].is_closed() is False  # the first process runs on
        await first.close()
        await asyncio.wait_for(first_task, DISCORD_READY)
    finally:
        for task in (first_task, second_task):
            task.cancel()
        for db in (first_db, second_db):
            await db.close()
