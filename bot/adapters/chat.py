"""Starting and stopping the chat adapters whose tokens are set. A rejected token is logged
with what to do, and the bot runs on without that adapter."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.commands.handlers import Commands
from bot.delivery import Destination
from bot.settings import Environment
from bot.storage import Database

if TYPE_CHECKING:
    from bot.adapters.discord import DiscordAdapter

log = logging.getLogger(__name__)


@dataclass
class ChatAdapter:
    name: str
    task: asyncio.Task[None]
    close: Callable[[], Awaitable[None]]


async def start_chat_adapters(
    env: Environment, commands: Commands, db: Database, destinations: dict[str, Destination]
) -> list[ChatAdapter]:
    started: list[ChatAdapter] = []
    if env.discord_token:
        from bot.adapters.discord import DiscordAdapter, use_endpoints

        use_endpoints(env.discord_api_base, env.discord_gateway_url)
        client = DiscordAdapter(commands, db, dev_guild=env.discord_dev_guild)
        destinations["discord"] = client
        task = asyncio.create_task(_run_discord(client, env.discord_token.value))
        started.append(ChatAdapter("Discord", task, client.close))
    return started


async def _run_discord(client: DiscordAdapter, token: str) -> None:
    import discord

    try:
        await client.start(token)
    except discord.LoginFailure:
        log.error("Discord: the token was rejected; check DISCORD_TOKEN (Bot → Reset Token)")
    except discord.PrivilegedIntentsRequired:
        log.error("Discord: the bot asked for an intent the application does not allow")
    except (OSError, discord.HTTPException, discord.GatewayNotFound) as exc:
        log.error("Discord: cannot connect (%s); alerts for Discord wait in the outbox", exc)


async def stop_chat_adapters(adapters: list[ChatAdapter]) -> None:
    for adapter in adapters:
        with contextlib.suppress(Exception):
            await adapter.close()
        adapter.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await adapter.task
