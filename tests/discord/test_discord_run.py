"""`aiwatch run` with DISCORD_TOKEN set, its REST and gateway pointed at the loopback server
through DISCORD_API_BASE and DISCORD_GATEWAY_URL (the DESIGN.md contract)."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest

from tests.bot_process import start_bot
from tests.chat_helpers import UK_LINKEDIN_TITLE, prepare_run
from tests.servers.discord import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.servers.feeds import FeedServer

pytestmark = pytest.mark.slow
TOKEN = "loopback-secret-token-123"  # noqa: S105 (a fake token for the loopback server)


async def test_the_bot_posts_alerts_and_answers_commands_on_discord(
    feed_server: FeedServer, discord_server: DiscordServer, tmp_path: Path
):
    feeds, db_path = await prepare_run(tmp_path, feed_server, f"discord:{GUILD_ID}/{CHANNEL_ID}")
    proc = await start_bot(
        "run", feeds=feeds, db=db_path, cwd=tmp_path, DISCORD_TOKEN=TOKEN,
        DISCORD_API_BASE=discord_server.api_base, DISCORD_GATEWAY_URL=discord_server.gateway_url,
    )  # fmt: skip
    await asyncio.wait_for(discord_server.ready.wait(), 30)
    assert {c["name"] for c in discord_server.commands} == {"optout", "aiwatch"}
    callback = await discord_server.interact(
        "optout", [{"name": "platform", "type": 3, "value": "linkedin"}]
    )
    assert "United Kingdom" in callback["data"]["embeds"][0]["title"]  # the channel's region
    deadline = time.monotonic() + 60
    while not discord_server.posts():
        assert time.monotonic() < deadline, "no alert reached the Discord channel"
        await asyncio.sleep(0.2)
    embed = discord_server.posts()[0].body["embeds"][0]
    assert embed["title"] == UK_LINKEDIN_TITLE
    advice = {f["name"]: f["value"] for f in embed["fields"]}["What it means here"]
    assert "LinkedIn in UK" in advice
    proc.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0
    assert TOKEN not in out.decode() + err.decode()


async def test_run_once_waits_for_discord_so_its_one_drain_reaches_the_channel(
    feed_server: FeedServer, discord_server: DiscordServer, tmp_path: Path
):
    feeds, db_path = await prepare_run(tmp_path, feed_server, f"discord:{GUILD_ID}/{CHANNEL_ID}")
    proc = await start_bot(
        "run", "--once", feeds=feeds, db=db_path, cwd=tmp_path, DISCORD_TOKEN=TOKEN,
        DISCORD_API_BASE=discord_server.api_base, DISCORD_GATEWAY_URL=discord_server.gateway_url,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode == 0, err.decode()
    assert [p.body["embeds"][0]["title"] for p in discord_server.posts()] == [UK_LINKEDIN_TITLE]
