"""The real bot, run twice on one SQLite file: first with a Discord token Discord refuses
(Slack and the console work), then, the token reset, again. The first run stops Discord with
one log line and a stored entry and keeps posting to Slack and the console; the second posts
the alert Discord missed, once, and nothing twice anywhere."""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.discord.adapter import REFUSED_LOGIN
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.subscriptions import subscribe
from tests.bot_process import start_bot, write_feeds
from tests.chat_helpers import UK_LINKEDIN_TITLE
from tests.servers.discord import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.servers.feeds import FeedItem, FeedServer, make_rss
from tests.servers.slack import CHANNEL, TEAM_ID, SlackServer

pytestmark = pytest.mark.slow
OLD = "discord-token-before-the-reset"
NEW = "discord-token-after-the-reset"
SLACK_BOT = "xoxb-loopback-secret"
SLACK_APP = "xapp-loopback-secret"
DISCORD_CHANNEL = f"discord:{GUILD_ID}/{CHANNEL_ID}"
SLACK_CHANNEL = f"slack:{TEAM_ID}/{CHANNEL}"


async def until(check: Callable[[], object], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def status_page(port: int) -> tuple[int, str]:
    """/healthz's status and the status page, as an operator's tools read them."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
            code = health.status
        async with session.get(f"http://127.0.0.1:{port}/") as page:
            return code, await page.text()


async def run_until(
    token: str, done: Callable[[], object], what: str, *, feeds: Path, db: Path, cwd: Path,
    discord: DiscordServer, slack: SlackServer, port: int,
) -> tuple[str, str, tuple[int, str]]:  # fmt: skip
    """Run the bot until `done`, two seconds more (time for a retry loop to show), then stop
    it as Ctrl-C would; returns its stdout and stderr, and its status page before the stop."""
    proc = await start_bot(
        "run", feeds=feeds, db=db, cwd=cwd, DISCORD_TOKEN=token,
        DISCORD_API_BASE=discord.api_base, DISCORD_GATEWAY_URL=discord.gateway_url,
        SLACK_BOT_TOKEN=SLACK_BOT, SLACK_APP_TOKEN=SLACK_APP,
        SLACK_API_URL=slack.api_url.rstrip("/"), AIWATCH_STATUS_PORT=str(port),
    )  # fmt: skip
    try:
        await until(done, what)
    except AssertionError:
        proc.kill()
        _, err = await proc.communicate()
        raise AssertionError(f"{what}; the bot said:\n{err.decode()}") from None
    await asyncio.sleep(2)
    status = await status_page(port)
    proc.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    return out.decode(), err.decode(), status


async def test_a_refused_discord_token_then_a_restart_with_a_new_one(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    db_path = tmp_path / "bot.db"
    db = await Database.open(db_path)
    async with db.transaction() as tx:
        for destination in (DISCORD_CHANNEL, SLACK_CHANNEL):
            await ensure_destination(tx, destination, destination.partition(":")[0], 0)
            await subscribe(tx, destination, ["UK"], [], [])
    await db.close()
    feed_server.feeds["news"] = make_rss([
        FeedItem(UK_LINKEDIN_TITLE, "https://news.example.org/li-uk",
                 "Members must switch the setting off.",
                 published=datetime.now(UTC) - timedelta(hours=1)),
    ])  # fmt: skip
    feeds = write_feeds(tmp_path / "feeds.yaml",
                        [{"id": "news", "url": feed_server.url("/feed/news")}])  # fmt: skip
    discord = await DiscordServer().start()
    slack = await SlackServer().start()
    await discord.revoke(OLD)
    places = {"feeds": feeds, "db": db_path, "cwd": tmp_path, "discord": discord,
              "slack": slack, "port": free_port()}  # fmt: skip
    try:
        out, err, (health, page) = await run_until(
            OLD, lambda: slack.called("chat.postMessage"), "no alert reached Slack", **places
        )
        stops = [line for line in err.splitlines() if "Discord stopped" in line]
        assert stops == [
            f"aiwatch: Discord stopped: {REFUSED_LOGIN}; its alerts wait in the outbox until then"
        ]
        assert "Traceback" not in err
        assert UK_LINKEDIN_TITLE in out  # the console went on
        assert [r.status for r in discord.requests_with(OLD)] == [401]  # logged in once, no loop
        assert discord.messages == {}
        assert health == 200  # held on purpose: nothing a restart of this bot would fix
        card = page[page.index(f"data-destination='{DISCORD_CHANNEL}'") :]
        card = card[: card.index("</li>")]
        assert "STOPPED" in card
        assert f"Discord stopped: {REFUSED_LOGIN}" in card.replace("&#x27;", "'")
        with sqlite3.connect(db_path) as first:
            platforms = "SELECT name, healthy, reason FROM platforms ORDER BY name"
            assert first.execute(platforms).fetchall() == [
                ("discord", 0, REFUSED_LOGIN), ("slack", 1, None)]  # fmt: skip
            held = "SELECT count(*) FROM outbox WHERE state = 'pending' AND destination_id = ?"
            assert first.execute(held, (DISCORD_CHANNEL,)).fetchone() == (1,)
            dump = "\n".join(first.iterdump())
        for secret in (OLD, SLACK_BOT, SLACK_APP):
            assert secret not in out + err + dump

        out, err, (_, page) = await run_until(
            NEW, lambda: discord.posts(), "the held alert never reached Discord", **places
        )
        assert "STOPPED" not in page
        assert [m["embeds"][0]["title"] for m in discord.top_level()] == [UK_LINKEDIN_TITLE]
        assert len(slack.called("chat.postMessage")) == 1  # not sent to Slack again
        assert UK_LINKEDIN_TITLE not in out  # nor to the console
        assert "Discord stopped" not in err
        with sqlite3.connect(db_path) as second:
            assert second.execute(platforms).fetchall() == [
                ("discord", 1, None), ("slack", 1, None)]  # fmt: skip
            assert second.execute(
                "SELECT count(*) FROM outbox WHERE state = 'pending'"
            ).fetchone() == (0,)
        assert discord.violations == []
        assert slack.violations == []
    finally:
        await discord.stop()
        await slack.stop()
