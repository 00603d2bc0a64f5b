"""discord.py driven against the loopback Discord server, with the real core behind it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.discord import DiscordAdapter, use_endpoints
from bot.commands.handlers import Commands
from bot.delivery.pacing import ChannelPacer
from bot.optout.guide import Guide
from bot.settings import Config
from bot.storage import Database
from tests.servers.discord import DiscordServer


@dataclass
class DiscordRig:
    server: DiscordServer
    client: DiscordAdapter
    db: Database


@pytest.fixture
async def discord_server() -> AsyncIterator[DiscordServer]:
    server = await DiscordServer().start()
    yield server
    await server.stop()


@pytest.fixture
async def rig(discord_server: DiscordServer, config: Config, tmp_path: Path
              ) -> AsyncIterator[DiscordRig]:  # fmt: skip
    use_endpoints(discord_server.api_base, discord_server.gateway_url)
    db = await Database.open(tmp_path / "bot.db")
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    client = DiscordAdapter(
        Commands(db, config, guide),
        db,
        pacer=ChannelPacer(limit=5, window=0.5),
        guild_ready_timeout=0.05,
    )
    task = asyncio.create_task(client.start("loopback-token"))
    await asyncio.wait_for(client.wait_until_ready(), 10)
    yield DiscordRig(discord_server, client, db)
    await client.close()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await db.close()
