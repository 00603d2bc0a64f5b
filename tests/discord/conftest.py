"""discord.py driven against the loopback Discord server, with the real core behind it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import discord
import pytest

from bot.adapters.discord import DiscordAdapter, use_endpoints
from bot.commands.handlers import Commands
from bot.delivery.limits import DISCORD_LIMITS, ChatLimits
from bot.delivery.limits import Rate as BotRate
from bot.optout.guide import Guide
from bot.settings import Config
from bot.storage import Database
from tests.servers.discord import (
    CHANNEL_ID,
    GUILD_ID,
    SHARD0_CHANNEL_ID,
    SHARD0_GUILD_ID,
    DiscordServer,
)
from tests.servers.discord_faults import DiscordLimits
from tests.servers.limits import Rate

# The tests' channel limit: Discord's 5 messages per channel, in a tenth of its 5 s window,
# the same for the bot's pacer and the server's buckets.
TEST_PACE = Rate(5, 0.5)
TEST_LIMITS = replace(
    DISCORD_LIMITS, channel=BotRate(TEST_PACE.count, TEST_PACE.per), request_timeout=10.0
)


@dataclass
class DiscordRig:
    server: DiscordServer
    client: DiscordAdapter
    db: Database


@pytest.fixture
async def discord_server() -> AsyncIterator[DiscordServer]:
    server = await DiscordServer(limits=DiscordLimits(messages=TEST_PACE)).start()
    yield server
    await server.stop()
    assert server.violations == [], "the bot went over a Discord rate limit"


# The servers of a bot with two shards, one on each (id -> its first channel).
SHARDED_GUILDS = {SHARD0_GUILD_ID: SHARD0_CHANNEL_ID, GUILD_ID: CHANNEL_ID}


@pytest.fixture
async def sharded_server() -> AsyncIterator[DiscordServer]:
    """A bot on two servers, one on each shard of the two that Discord recommends."""
    server = await DiscordServer(guilds=dict(SHARDED_GUILDS), recommended_shards=2).start()
    yield server
    await server.stop()
    assert server.violations == [], "the bot went over a Discord rate limit"


@pytest.fixture
def limits() -> ChatLimits:
    """The bot's limits in a rig; a test module may override this fixture."""
    return TEST_LIMITS


@pytest.fixture
async def rig(discord_server: DiscordServer, config: Config, tmp_path: Path, limits: ChatLimits
              ) -> AsyncIterator[DiscordRig]:  # fmt: skip
    use_endpoints(discord_server.api_base, discord_server.gateway_url)
    db = await Database.open(tmp_path / "bot.db")
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    client = DiscordAdapter(
        Commands(db, config, guide),
        db,
        limits=limits,
        guild_ready_timeout=0.05,
    )
    task = asyncio.create_task(client.start("loopback-token"))
    await asyncio.wait_for(client.wait_until_ready(), 10)
    yield DiscordRig(discord_server, client, db)
    await client.close()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, discord.ConnectionClosed):
        await task  # a test that revoked the token ended it with 4004
    await db.close()
