"""Starting and stopping the chat adapters whose tokens are set. A rejected token is logged
with what to do, and the bot runs on without that adapter."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.commands import Commands
from bot.delivery import Destination
from bot.settings import Environment
from bot.storage import Database

if TYPE_CHECKING:
    from bot.adapters.discord import DiscordAdapter

log = logging.getLogger(__name__)


@dataclass
class ChatAdapter:
    task: asyncio.Task[None] | None  # a client that runs as a task (Discord), or None
    close: Callable[[], Awaitable[None]]
    ready: Callable[[], Awaitable[None]] | None = None  # None: ready once started


async def wait_until_ready(adapters: list[ChatAdapter], seconds: float) -> None:
    """For `run --once`: give chat clients time to connect so the one drain reaches them."""
    waiting = [adapter.ready() for adapter in adapters if adapter.ready is not None]
    if not waiting:
        return
    try:
        await asyncio.wait_for(asyncio.gather(*waiting), seconds)
    except TimeoutError:
        log.warning("chat not connected after %.0f s; their alerts wait in the outbox", seconds)


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
        started.append(ChatAdapter(task, client.close, client.wait_until_logged_in))
    if env.slack_bot_token:
        slack = await _start_slack(env, commands, destinations)
        started += [slack] if slack else []
    return started


async def _start_slack(
    env: Environment, commands: Commands, destinations: dict[str, Destination]
) -> ChatAdapter | None:
    from bot.adapters.slack import SlackAdapter, connect_socket_mode, serve_http

    if not (env.slack_app_token or env.slack_signing_secret):
        log.error(
            "Slack: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor "
            "SLACK_SIGNING_SECRET (HTTP mode) is; Slack stays off"
        )
        return None
    adapter = SlackAdapter(
        commands,
        token=env.slack_bot_token.value,
        api_url=env.slack_api_url,
        signing_secret=env.slack_signing_secret.value,
    )
    try:
        if env.slack_app_token:
            handler = await connect_socket_mode(adapter, env.slack_app_token.value)
            close: Callable[[], Awaitable[None]] = handler.close_async
            log.info("Slack: connected in Socket Mode")
        else:
            runner = await serve_http(adapter, "0.0.0.0", env.slack_port)  # noqa: S104
            close = runner.cleanup
            log.info("Slack: listening for slash commands on port %d", env.slack_port)
    except Exception as exc:  # the SDK raises several kinds; the bot must run on without Slack
        log.error("Slack: cannot start (%s: %s); alerts for Slack wait in the outbox",
                  exc.__class__.__name__, exc)  # fmt: skip
        return None
    destinations["slack"] = adapter
    return ChatAdapter(None, close)


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
        if adapter.task is not None:
            adapter.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await adapter.task
