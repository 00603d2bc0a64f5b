"""Discord's global limit counts every request the bot makes with its token, the outbox's and
discord.py's own, so the bot paces them all in one place and the outbox may use all of it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.discord import DiscordAdapter, use_endpoints
from bot.commands.handlers import Commands
from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.delivery.limits import ChatLimits
from bot.delivery.limits import Rate as BotRate
from bot.optout.guide import Guide
from bot.settings import Config
from bot.storage import Database
from tests.chat_helpers import Clock, add_story, queue
from tests.discord.conftest import TEST_LIMITS, TEST_PACE, DiscordRig
from tests.servers.discord import GUILD_ID, DiscordServer, snowflake
from tests.servers.discord_faults import DiscordLimits
from tests.servers.limits import Rate

# Discord's 50 requests a second, a fifth of it: the server's limit and the bot's pace alike.
GLOBAL = Rate(10, 1.0)


@pytest.fixture
async def discord_server() -> AsyncIterator[DiscordServer]:
    server = await DiscordServer(
        limits=DiscordLimits(messages=TEST_PACE, everything=GLOBAL)
    ).start()
    yield server
    await server.stop()


@pytest.fixture
def limits() -> ChatLimits:
    return replace(TEST_LIMITS, app=BotRate(GLOBAL.count, GLOBAL.per))


async def test_greetings_during_a_fan_out_take_their_place_in_the_global_limit(
    rig: DiscordRig,
) -> None:
    """The fan-out fills every second of the global limit; servers the bot joins meanwhile
    are greeted (discord.py's own requests) without a second going over it."""
    for number in range(30):
        destination = f"discord:{GUILD_ID}/{800000000000003000 + number}"
        story_id = await add_story(rig.db, destination, f"Story {number}")
        await queue(rig.db, destination, story_id, "post", 0)
    drainer = OutboxDrainer(rig.db, {"discord": rig.client}, Clock(), alerts=AlertBuilder(rig.db))
    drain = asyncio.create_task(drainer.drain_once())
    greeted = [snowflake() for _ in range(6)]
    await until(lambda: bool(rig.server.created_at))
    for channel in greeted:
        await rig.server.join_guild(snowflake(), channel)
        await asyncio.sleep(0.25)
    await drain
    await until(lambda: all(rig.server.posts(channel) for channel in greeted))

    assert len(rig.server.messages) == 30 + len(greeted)
    assert rig.server.violations == []


async def until(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_processes_splitting_the_shards_split_the_global_limit(
    discord_server: DiscordServer, config: Config, tmp_path: Path, limits: ChatLimits
) -> None:
    """Discord's global limit is the bot's, whichever process sends: two processes, each
    running one of two shards and fanning out at once, keep to it together."""
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    use_endpoints(discord_server.api_base, discord_server.gateway_url)
    drains = []
    clients = []
    for shard in (0, 1):
        db = await Database.open(tmp_path / f"process-{shard}.db")
        client = DiscordAdapter(Commands(db, config, guide), db, shard_ids=(shard,),
                                shard_count=2, limits=limits)  # fmt: skip
        await client.login("loopback-token")  # alerts go out over REST: no gateway needed
        for number in range(15):
            destination = f"discord:{GUILD_ID}/{800000000000004000 + 100 * shard + number}"
            story_id = await add_story(db, destination, f"Story {number}")
            await queue(db, destination, story_id, "post", 0)
        drainer = OutboxDrainer(db, {"discord": client}, Clock(), alerts=AlertBuilder(db))
        drains.append(drainer.drain_once())
        clients.append((client, db))
    await asyncio.gather(*drains)
    for client, db in clients:
        await client.close()
        await db.close()

    assert len(discord_server.messages) == 30
    assert discord_server.violations == []
