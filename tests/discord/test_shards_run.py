"""`aiwatch run` split over two processes with DISCORD_SHARD_IDS and DISCORD_SHARD_COUNT, and
wrong shard settings: Discord stays off with a clear error while the console goes on."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.outbox import pending_count
from bot.storage.platforms import platform_health
from tests.bot_process import start_bot
from tests.chat_helpers import UK_LINKEDIN_TITLE, prepare_run
from tests.discord.conftest import SHARDED_GUILDS
from tests.servers.discord import (
    CHANNEL_ID,
    GUILD_ID,
    SHARD0_CHANNEL_ID,
    SHARD0_GUILD_ID,
    DiscordServer,
)
from tests.servers.feeds import FeedServer

pytestmark = pytest.mark.slow
TOKEN = "loopback-secret-token-456"  # noqa: S105 (a fake token for the loopback server)


def discord_env(server: DiscordServer, **shards: str) -> dict[str, str]:
    return {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE": server.api_base,
            "DISCORD_GATEWAY_URL": server.gateway_url, **shards}  # fmt: skip


async def test_two_processes_each_run_one_shard_and_answer_its_servers(
    feed_server: FeedServer, sharded_server: DiscordServer, tmp_path: Path
) -> None:
    """Each process has its own database here, subscribed to UK in its own server's channel,
    so an answer shows which process gave it."""
    processes = []
    for shard, guild_id in (("0", SHARD0_GUILD_ID), ("1", GUILD_ID)):
        home = tmp_path / f"shard{shard}"
        home.mkdir()
        feeds, db = await prepare_run(
            home, feed_server, f"discord:{guild_id}/{SHARDED_GUILDS[guild_id]}"
        )
        processes.append(await start_bot(
            "run", feeds=feeds, db=db, cwd=home, DISCORD_SHARD_IDS=shard,
            **discord_env(sharded_server, DISCORD_SHARD_COUNT="2"),
        ))  # fmt: skip
    deadline = time.monotonic() + 60
    while len(sharded_server.sessions) < 2 or not sharded_server.commands:
        assert time.monotonic() < deadline, "the two shards did not both connect"
        await asyncio.sleep(0.1)
    assert {s.shard: s.guilds for s in sharded_server.sessions} == {
        (0, 2): [SHARD0_GUILD_ID], (1, 2): [GUILD_ID]
    }  # fmt: skip
    # The alerts go out over REST from each process, whatever its shards.
    while not (sharded_server.posts(CHANNEL_ID) and sharded_server.posts(SHARD0_CHANNEL_ID)):
        assert time.monotonic() < deadline, "an alert did not reach its channel"
        await asyncio.sleep(0.2)

    for guild_id in (GUILD_ID, SHARD0_GUILD_ID):
        answer = await sharded_server.interact(
            "aiwatch", subcommand="subscriptions", guild_id=guild_id,
            channel_id=SHARDED_GUILDS[guild_id],
        )  # fmt: skip
        # only the process owning the server's shard has this channel's subscription
        assert "- UK (United Kingdom)" in str(answer["data"])

    for proc in processes:
        proc.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(proc.communicate(), 20)
        assert proc.returncode == 0, err.decode()
        assert TOKEN not in out.decode() + err.decode()
    for channel in (CHANNEL_ID, SHARD0_CHANNEL_ID):
        titles = [p.body["embeds"][0]["title"] for p in sharded_server.posts(channel)]
        assert titles == [UK_LINKEDIN_TITLE]


async def test_wrong_shard_settings_keep_discord_off_and_the_console_going(
    feed_server: FeedServer, sharded_server: DiscordServer, tmp_path: Path
) -> None:
    feeds, db_path = await prepare_run(tmp_path, feed_server, f"discord:{GUILD_ID}/{CHANNEL_ID}")
    proc = await start_bot(
        "run", "--once", feeds=feeds, db=db_path, cwd=tmp_path,
        **discord_env(sharded_server, DISCORD_SHARD_IDS="2", DISCORD_SHARD_COUNT="2"),
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 90)

    assert proc.returncode == 0, err.decode()
    problem = ("DISCORD_SHARD_IDS='2': '2' is not a shard id; expected shard ids from 0 to 1 "
               "(DISCORD_SHARD_COUNT=2) separated by commas, e.g. 0,1")  # fmt: skip
    assert f"Discord stopped: {problem}; its alerts wait in the outbox" in err.decode()
    assert UK_LINKEDIN_TITLE in out.decode()  # the console printed the alert
    assert sharded_server.records == []  # not one request to Discord
    assert sharded_server.gateway.sessions == []
    db = await Database.open(db_path)
    assert [(p.name, p.healthy, p.reason) for p in await platform_health(db)] == [
        ("discord", False, problem)
    ]
    assert await pending_count(db) == 1  # the Discord alert waits for the settings' fix
    await db.close()
