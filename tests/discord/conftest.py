"""discord.py driven against the loopback Discord server, with the real core behind it."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import discord
import pytest
from discord.gateway import KeepAliveHandler

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


# How long a heartbeat thread told to stop may take to end: it ends as it wakes, at once.
HEARTBEAT_STOP = 2.0


def heartbeats() -> list[threading.Thread]:
    """discord.py's heartbeat threads still running, one per open gateway connection."""
    return [t for t in threading.enumerate() if isinstance(t, KeepAliveHandler) and t.is_alive()]


@pytest.fixture(autouse=True)
def _no_heartbeat_left() -> Iterator[None]:
    """A closed client leaves no gateway connection heartbeating: such a thread beats a
    stopped platform in production, and here, once its test's event loop is closed, fails
    in a later test (RuntimeError: Event loop is closed). Checked after every fixture
    closed its client; threads running before the test are another test's failure."""
    before = set(heartbeats())
    yield
    for thread in set(heartbeats()) - before:
        thread.join(HEARTBEAT_STOP)
    left = [t.name for t in set(heartbeats()) - before]
    assert left == [], f"gateway heartbeats still running after the test: {left}"


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
