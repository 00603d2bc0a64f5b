"""A Discord token revoked while the bot runs: Discord stops with one log line and a stored
entry, sends nothing more, the console goes on, and after a restart with a new token the
alerts held meanwhile go out once."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.chat import run_discord
from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.adapters.discord import DiscordAdapter, use_endpoints
from bot.adapters.discord.adapter import REFUSED_LOGIN
from bot.commands.handlers import Commands
from bot.delivery import Destination, OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.delivery.platforms import PlatformGate
from bot.optout.guide import Guide
from bot.settings import Config
from bot.storage import Database
from bot.storage.destinations import destination_troubles
from bot.storage.outbox import pending_count
from bot.storage.platforms import PlatformHealth, platform_health
from tests.chat_helpers import Clock, add_story, queue
from tests.discord.conftest import TEST_LIMITS, DiscordRig
from tests.servers.discord import CHANNEL_ID, GUILD_ID, OTHER_CHANNEL_ID, DiscordServer

DESTINATION = f"discord:{GUILD_ID}/{CHANNEL_ID}"
OLD = "loopback-token"
NEW = "loopback-token-reset"


@dataclass
class Run:
    """One bot run's delivery: its gate, its drainer, and what the console printed."""

    gate: PlatformGate
    drainer: OutboxDrainer
    console: io.StringIO

    def console_titles(self) -> list[str]:
        return [json.loads(line)["title"] for line in self.console.getvalue().splitlines()]


def start_run(db: Database, discord: DiscordAdapter, clock: Clock,
              gate: PlatformGate | None = None) -> Run:  # fmt: skip
    gate = gate or PlatformGate(db, clock)
    gate.on_stop("discord", discord.close)
    console = io.StringIO()
    destinations: dict[str, Destination] = {
        "discord": discord, "console": ConsoleDestination(as_json=True, stream=console)
    }  # fmt: skip
    drainer = OutboxDrainer(db, destinations, clock, alerts=AlertBuilder(db), gate=gate)
    return Run(gate, drainer, console)


async def alert(db: Database, title: str) -> None:
    """A story queued for the Discord channel and the console."""
    story_id = await add_story(db, DESTINATION, title)
    await add_story(db, CONSOLE_ID, "unused")  # makes sure the console destination exists
    for destination in (DESTINATION, CONSOLE_ID):
        await queue(db, destination, story_id, "post", 0)


def stops_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@contextlib.asynccontextmanager
async def discord_running(
    server: DiscordServer, config: Config, db: Database, token: str,
    gate: PlatformGate | None = None,
) -> AsyncIterator[DiscordAdapter]:  # fmt: skip
    """A Discord adapter run as the bot runs it (run_discord), logged in with `token`."""
    use_endpoints(server.api_base, server.gateway_url)
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    client = DiscordAdapter(Commands(db, config, guide), db, limits=TEST_LIMITS,
                            guild_ready_timeout=0.05)  # fmt: skip
    own_gate = gate or PlatformGate(db)
    task = asyncio.create_task(run_discord(client, token, own_gate))
    logged_in = asyncio.ensure_future(client.wait_until_logged_in())
    await asyncio.wait({logged_in, task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    logged_in.cancel()
    try:
        yield client
    finally:
        await client.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_token_refused_while_sending_stops_discord_once(
    rig: DiscordRig, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    run = start_run(rig.db, rig.client, clock)
    await alert(rig.db, "Before")
    await run.drainer.drain_once()
    await rig.server.revoke(OLD, gateway=False)  # REST finds out first
    for title in ("During 1", "During 2"):
        await alert(rig.db, title)
    caplog.clear()
    for _ in range(3):  # three passes, as the loop would make them
        await run.drainer.drain_once()
        clock.now += 60

    assert run.console_titles() == ["Before", "During 1", "During 2"]  # the console goes on
    (refused,) = [r for r in rig.server.requests_with(OLD) if r.status == 401]
    assert [r for r in rig.server.records if r.at > refused.at] == []  # nothing after it
    assert stops_logged(caplog) == [
        f"Discord stopped: {REFUSED_LOGIN}; its alerts wait in the outbox until then"
    ]
    assert [(p.name, p.healthy, p.reason) for p in await platform_health(rig.db)] == [
        ("discord", False, REFUSED_LOGIN)
    ]
    assert await destination_troubles(rig.db) == []  # the channel is not to blame
    assert rig.client.is_closed()
    assert await pending_count(rig.db) == 2  # held, due


async def test_a_gateway_closed_for_the_token_stops_discord_once(
    discord_server: DiscordServer, config: Config, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    db = await Database.open(tmp_path / "bot.db")
    gate = PlatformGate(db)
    async with discord_running(discord_server, config, db, OLD, gate) as client:
        gate.on_stop("discord", client.close)
        await asyncio.wait_for(client.wait_until_ready(), 10)
        caplog.clear()
        await discord_server.revoke(OLD)  # the gateway closes with 4004
        deadline = time.monotonic() + 5
        while not gate.stopped("discord"):
            assert time.monotonic() < deadline, "Discord was not stopped"
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.5)  # no reconnect follows

    assert stops_logged(caplog) == [
        f"Discord stopped: {REFUSED_LOGIN}; its alerts wait in the outbox until then"
    ]
    identifies = [r for r in discord_server.records if r.path == "users/@me"]
    assert len(identifies) == 1  # logged in once; no reconnect loop
    assert (await platform_health(db))[0].healthy is False
    await db.close()


async def test_after_a_new_token_and_a_restart_the_held_alerts_go_out_once(
    rig: DiscordRig, config: Config
) -> None:
    clock = Clock()
    first = start_run(rig.db, rig.client, clock)
    await alert(rig.db, "Before")
    await first.drainer.drain_once()
    await rig.server.revoke(OLD, gateway=False)
    await alert(rig.db, "Held")
    await first.drainer.drain_once()
    assert [m["embeds"][0]["title"] for m in rig.server.top_level()] == ["Before"]

    # the operator resets the token, puts it in DISCORD_TOKEN and restarts the bot
    gate = PlatformGate(rig.db, clock)
    async with discord_running(rig.server, config, rig.db, NEW, gate) as client:
        second = start_run(rig.db, client, clock, gate)
        await second.drainer.drain_once()
        await second.drainer.drain_once()

    titles = [m["embeds"][0]["title"] for m in rig.server.top_level()]
    assert titles == ["Before", "Held"]  # once each
    assert await pending_count(rig.db) == 0
    assert await platform_health(rig.db) == [
        PlatformHealth("discord", True, "", (await platform_health(rig.db))[0].changed_at)
    ]
    for row in await rig.db.fetch_all("SELECT * FROM platforms"):
        assert OLD not in str(tuple(row))
        assert NEW not in str(tuple(row))


async def test_sends_cut_short_by_the_stop_do_not_count_against_their_channels(
    rig: DiscordRig,
) -> None:
    """Another channel's request in flight when Discord stops fails as the client closes:
    that is no fault of its channel, and its job stays as it was."""
    clock = Clock()
    run = start_run(rig.db, rig.client, clock)
    other = f"discord:{GUILD_ID}/{OTHER_CHANNEL_ID}"
    story_id = await add_story(rig.db, other, "In flight")
    await queue(rig.db, other, story_id, "post", 0)
    rig.server.hang_next[OTHER_CHANNEL_ID] = ["post"]
    in_flight = asyncio.create_task(run.drainer.drain_once())
    for _ in range(500):
        if rig.server.hung:
            break
        await asyncio.sleep(0.01)
    await rig.server.revoke(OLD, gateway=False)
    await alert(rig.db, "Refused")
    await run.drainer.drain_once()
    await asyncio.wait_for(in_flight, 15)

    assert run.gate.stopped("discord")
    assert await destination_troubles(rig.db) == []
    rows = await rig.db.fetch_all("SELECT attempts, last_error FROM outbox WHERE destination_id"
                                  " LIKE 'discord:%'")  # fmt: skip
    assert [tuple(row) for row in rows] == [(0, None), (0, None)]
