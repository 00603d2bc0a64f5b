"""No token leaves the environment: after a run of the real bot with fake tokens on Discord and
Slack, whose chat servers echo the Authorization header in their errors, no token shows in its
logs (verbose), its files, its database or anything it sent to a chat. The same run reads a
feed item full of tricks (tests/hostile.py), and nothing it sent pings or misleads."""

from __future__ import annotations

import asyncio
import html
import signal
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.subscriptions import subscribe
from tests.bot_process import start_bot, write_feeds
from tests.chat_helpers import UK_LINKEDIN_TITLE
from tests.hostile import HOSTILE, discord_problems, discord_texts, slack_problems, slack_texts
from tests.leaks import as_text, database_rows, fake_token, files_under, leaks
from tests.servers import discord as discord_api
from tests.servers import slack as slack_api
from tests.servers.discord import DiscordServer
from tests.servers.feeds import FeedItem, FeedServer, dead_port, make_rss
from tests.servers.slack import SlackServer

pytestmark = pytest.mark.slow
DISCORD = f"discord:{discord_api.GUILD_ID}/{discord_api.CHANNEL_ID}"
SLACK = f"slack:{slack_api.TEAM_ID}/{slack_api.CHANNEL}"


@pytest.fixture
async def discord_server() -> AsyncIterator[DiscordServer]:
    server = await DiscordServer().start()
    yield server
    await server.stop()


@pytest.fixture
async def slack_server() -> AsyncIterator[SlackServer]:
    server = await SlackServer().start()
    yield server
    await server.stop()


def test_the_leak_finder_finds_a_cut_or_encoded_token():
    token = fake_token("xoxb-")
    found = leaks({"T": token}, {
        "clean": "nothing here", "cut": f"token={token[:20]}…", "quoted": token.replace("-", "%2D"),
        "whole": f"Authorization: Bearer {token}",
    })  # fmt: skip
    assert found == ["T in cut", "T in quoted", "T in whole"]


async def until(condition: Callable[[], object], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


async def subscribed(db_path: Path, *destinations: str) -> None:
    db = await Database.open(db_path)
    async with db.transaction() as tx:
        for destination in destinations:
            await ensure_destination(tx, destination, destination.partition(":")[0], 0)
            await subscribe(tx, destination, ["UK"], [], [])
    await db.close()


async def status_pages(base: str) -> dict[str, str]:
    """The status page, /healthz and /metrics as a monitor would read them."""
    shown = {}
    async with aiohttp.ClientSession() as session:
        for path in ("/", "/healthz", "/metrics"):
            async with session.get(base + path) as answer:
                shown[f"the status server's {path}"] = await answer.text()
    assert "news" in shown["the status server's /"]  # the page of this bot, with its feed
    return shown


async def test_no_token_shows_in_logs_files_database_status_or_messages(
    feed_server: FeedServer, discord_server: DiscordServer, slack_server: SlackServer,
    tmp_path: Path,
):  # fmt: skip
    tokens = {"DISCORD_TOKEN": fake_token("MTk4.discord."),
              "SLACK_BOT_TOKEN": fake_token("xoxb-"), "SLACK_APP_TOKEN": fake_token("xapp-1-"),
              "SLACK_SIGNING_SECRET": fake_token("signing-")}  # fmt: skip
    db_path = tmp_path / "data" / "bot.db"
    db_path.parent.mkdir()
    await subscribed(db_path, DISCORD, SLACK)
    feed_server.feeds["news"] = make_rss([
        # Escaped once more, as some feeds do: the parser's text then holds "<!channel>".
        FeedItem(f"{UK_LINKEDIN_TITLE} {html.escape(HOSTILE)}",
                 "https://news.example.org/li-uk) [click](https://evil.example",
                 f"Members must switch the setting off. {html.escape(HOSTILE)}",
                 published=datetime.now(UTC) - timedelta(hours=1)),
    ])  # fmt: skip
    feeds = write_feeds(
        tmp_path / "feeds.yaml", [{"id": "news", "url": feed_server.url("/feed/news")}]
    )
    # Each chat refuses the first alert with an error quoting the token, as some proxies do.
    discord_server.fail_next[discord_api.CHANNEL_ID] = [400]
    slack_server.fail_next[slack_api.CHANNEL] = ["invalid_arguments"]
    discord_server.echo_authorization = slack_server.echo_authorization = True

    status_port = dead_port()
    proc = await start_bot(
        "--verbose", "run", feeds=feeds, db=db_path, cwd=tmp_path, **tokens,
        DISCORD_API_BASE=discord_server.api_base, DISCORD_GATEWAY_URL=discord_server.gateway_url,
        SLACK_API_URL=slack_server.api_url, AIWATCH_STATUS_PORT=str(status_port),
    )  # fmt: skip
    await asyncio.wait_for(discord_server.ready.wait(), 30)
    await until(lambda: discord_server.top_level(), "no alert reached Discord after its retry")
    await until(lambda: slack_server.top_level(), "no alert reached Slack after its retry")
    await discord_server.interact("aiwatch", subcommand="feeds")
    await slack_server.push_command("/aiwatch", "feeds", slack_api.MEMBER)
    await slack_server.next_response(seconds=30)
    shown = await status_pages(f"http://127.0.0.1:{status_port}")
    proc.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()

    # The tokens were in use, and the chats did quote them back.
    assert f"Bot {tokens['DISCORD_TOKEN']}" in discord_server.authorizations
    assert f"Bearer {tokens['SLACK_BOT_TOKEN']}" in slack_server.authorizations
    assert f"Bearer {tokens['SLACK_APP_TOKEN']}" in slack_server.authorizations
    assert "Discord answered 400" in err.decode()
    assert "Slack answered invalid_arguments" in err.decode()
    # Every place the bot writes to or shows.
    places: dict[str, bytes | str] = {"stdout": out, "stderr": err, **shown}
    places |= files_under(tmp_path)
    places |= database_rows(db_path)
    places["what Discord received"] = as_text(r.body for r in discord_server.records)
    places["what Slack received"] = as_text(
        [call.args for call in slack_server.calls] + slack_server.responses
    )
    found = leaks(tokens, places)
    assert not found, "; ".join(found)

    sent_to_discord = [r.body for r in discord_server.records if r.body]
    sent_to_slack = [c.args for c in slack_server.calls] + slack_server.responses
    assert any("<!channel>" in t for body in sent_to_discord for t in discord_texts(body))
    assert any("&lt;!channel&gt;" in t for args in sent_to_slack for t in slack_texts(args))
    problems = [p for body in sent_to_discord for p in discord_problems(body)]
    problems += [p for args in sent_to_slack for p in slack_problems(args)]
    assert not problems, "\n".join(problems)
