"""Starting and stopping the chat adapters whose tokens are set. A token the platform refuses,
at start or later, stops that adapter through the PlatformGate (one log line saying what to
do, a stored entry), and the bot runs on without it: no reconnect loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.commands import Commands
from bot.delivery import Destination
from bot.delivery.destination import CredentialsRefused, DeliveryError
from bot.delivery.platforms import PlatformGate
from bot.settings import Environment
from bot.storage import Database

if TYPE_CHECKING:
    from bot.adapters.discord import DiscordAdapter

log = logging.getLogger(__name__)
AUTHENTICATION_FAILED = 4004  # Discord's gateway close code for a refused token
SHARDING_REQUIRED = 4011  # ... for a shard that would hold too many servers


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
    env: Environment,
    commands: Commands,
    db: Database,
    destinations: dict[str, Destination],
    gate: PlatformGate,
) -> list[ChatAdapter]:
    started: list[ChatAdapter] = []
    if env.discord_token and env.discord_shards.problem:
        await gate.refused("discord", env.discord_shards.problem)  # the console goes on
    elif env.discord_token:
        from bot.adapters.discord import DiscordAdapter, use_endpoints

        use_endpoints(env.discord_api_base, env.discord_gateway_url)
        shards = env.discord_shards
        client = DiscordAdapter(commands, db, dev_guild=env.discord_dev_guild,
                                shard_ids=shards.ids, shard_count=shards.count)  # fmt: skip
        log.info("Discord: running %s", shards.describe())
        destinations["discord"] = client
        gate.on_stop("discord", client.close)
        task = asyncio.create_task(run_discord(client, env.discord_token.value, gate))

        async def discord_ready() -> None:
            """Logged in, or given up (a refused token): --once need not wait longer."""
            logged_in = asyncio.ensure_future(client.wait_until_logged_in())
            await asyncio.wait({logged_in, task}, return_when=asyncio.FIRST_COMPLETED)
            logged_in.cancel()

        started.append(ChatAdapter(task, client.close, discord_ready))
    if env.slack_bot_token:
        slack = await _start_slack(env, commands, destinations, gate)
        started += [slack] if slack else []
    return started


async def _start_slack(
    env: Environment,
    commands: Commands,
    destinations: dict[str, Destination],
    gate: PlatformGate,
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
        await adapter.check_token()
    except CredentialsRefused as refused:
        await gate.refused("slack", refused.reason)
        await adapter.close()
        return None
    except DeliveryError as exc:  # Slack unreachable now: alerts retry, commands may work
        log.warning("Slack: could not check the bot token (%s); starting anyway", exc.reason)
    else:
        await gate.started("slack")
    try:
        if env.slack_app_token:
            handler = await connect_socket_mode(adapter, env.slack_app_token.value)
            stop: Callable[[], Awaitable[None]] = handler.close_async
            log.info("Slack: connected in Socket Mode")
        else:
            runner = await serve_http(adapter, "0.0.0.0", env.slack_port)  # noqa: S104
            stop = runner.cleanup
            log.info("Slack: listening for slash commands on port %d", env.slack_port)
    except Exception as exc:  # the SDK raises several kinds; the bot must run on without Slack
        log.error("Slack: cannot start (%s: %s); alerts for Slack wait in the outbox",
                  exc.__class__.__name__, exc)  # fmt: skip
        await adapter.close()
        return None

    async def close() -> None:
        await stop()
        await adapter.close()

    destinations["slack"] = adapter
    gate.on_stop("slack", close)
    return ChatAdapter(None, close)


async def run_discord(client: DiscordAdapter, token: str, gate: PlatformGate) -> None:
    """Log in, then hold the gateway; a refused token (401 at login, 4004 on the gateway) or
    too few shards (4011) stops Discord for this run: reconnecting cannot mend either."""
    import discord

    from bot.adapters.discord.adapter import REFUSED_LOGIN, TOO_FEW_SHARDS

    try:
        await client.login(token)
        await gate.started("discord")
        await client.connect()
    except discord.LoginFailure:
        await gate.refused("discord", REFUSED_LOGIN)
    except discord.ConnectionClosed as exc:
        if exc.code == AUTHENTICATION_FAILED:
            await gate.refused("discord", REFUSED_LOGIN)
        elif exc.code == SHARDING_REQUIRED:
            await gate.refused("discord", TOO_FEW_SHARDS)
        else:
            log.error("Discord: the gateway closed (%s); alerts for Discord wait in the outbox",
                      exc.code)  # fmt: skip
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
