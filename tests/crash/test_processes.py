"""Three real bot processes on one PostgreSQL database, one killed with SIGKILL mid-cycle:
every alert reaches the loopback Discord and Slack channels (six of each) exactly once, and
no job is sent by two processes (one request per post, besides the killed one's lookup).

The processes share the feeds, the judging and the deliveries by leases (bot/storage/
leases.py). The one killed dies as a chat API takes its post, before the post is recorded:
its destination's lease is left to expire (AIWATCH_LEASE_SECONDS=4), a survivor takes the
destination over, finds the job marked as maybe sent, and looks the message up instead of
posting it again.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.faults import VARIABLE
from bot.feeds import schedule
from bot.models import Feed
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.subscriptions import subscribe
from tests.bot_process import start_bot, write_feeds
from tests.crash.matrix import (
    DISCORD_TOKEN,
    SLACK_APP_TOKEN,
    SLACK_BOT_TOKEN,
    Replay,
    _discord_marker,
    _slack_marker,
)
from tests.crash.scenario import OUTLETS, feeds_for
from tests.servers.discord import CHANNEL_ID, GUILD_ID
from tests.servers.slack import CHANNEL, TEAM_ID

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]
LEASE_SECONDS = "4"
WAIT_SECONDS = 120
FIRST_STORIES = 3  # cycle 1 of the scenario: three stories, one post each per channel
# Channels beyond the replay's own two, so the processes' deliveries overlap in time.
MORE_CHANNELS = 5


def quick_ids(count: int) -> list[str]:
    """Feed ids whose first poll falls in the first seconds after start (a feed's slot
    is a hash of its id), so the test does not wait out the start-up spread."""
    found: list[str] = []
    number = 0
    while len(found) < count:
        feed_id = f"outlet-{number}"
        feed = Feed(id=feed_id, url="http://x.example/", interval_minutes=5)
        if schedule.phase(feed) % schedule.STARTUP_SPREAD < 3:
            found.append(feed_id)
        number += 1
    return found


async def test_three_processes_one_killed_send_every_alert_once(
    tmp_path: Path, db_path: str
) -> None:
    replay = Replay(tmp_path)
    replay.db_path = db_path  # type: ignore[assignment]
    discord_channels = [
        CHANNEL_ID,
        *(str(int(CHANNEL_ID) + n) for n in range(1, 1 + MORE_CHANNELS)),
    ]
    slack_channels = [CHANNEL, *(f"{CHANNEL}{n}" for n in range(1, 1 + MORE_CHANNELS))]
    async with replay:
        await _subscribe(db_path, discord_channels[1:], slack_channels[1:])
        replay.feeds_server.feeds.update(feeds_for(1, replay.start))
        urls = [replay.feeds_server.url(f"/feed/outlet{n}") for n in range(OUTLETS)]
        ids = quick_ids(OUTLETS)
        write_feeds(replay.feeds, [{"id": i, "url": u, "interval": 5}
                                   for i, u in zip(ids, urls, strict=True)])  # fmt: skip
        chat = {
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_BASE": replay.discord.api_base,
            "DISCORD_GATEWAY_URL": replay.discord.gateway_url,
            "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
            "SLACK_APP_TOKEN": SLACK_APP_TOKEN,
            "SLACK_API_URL": replay.slack.api_url,
            "AIWATCH_LEASE_SECONDS": LEASE_SECONDS,
        }

        async def bot(**extra: str) -> asyncio.subprocess.Process:
            return await start_bot("run", feeds=replay.feeds, db=db_path,  # type: ignore[arg-type]
                                   cwd=tmp_path, **chat, **extra)  # fmt: skip

        doomed = await bot(**{VARIABLE: "posted:1"})  # dies as its first post is taken
        await asyncio.sleep(1.0)
        survivors = [await bot(), await bot()]
        channels = len(discord_channels) + len(slack_channels)
        deadline = time.monotonic() + WAIT_SECONDS
        while not (len(_posts(replay, discord_channels, slack_channels)) >= channels * FIRST_STORIES
                   and await replay.pending() == 0):  # fmt: skip
            assert time.monotonic() < deadline, "not delivered in time"
            for process in survivors:
                if process.returncode is not None:
                    _, err = await process.communicate()
                    raise AssertionError(f"a survivor exited: {err.decode()[-3000:]}")
            await asyncio.sleep(0.5)
        if doomed.returncode is None:  # the others took every post: kill it mid-cycle here
            doomed.kill()
        await doomed.wait()
        await asyncio.sleep(2 * float(LEASE_SECONDS))  # anything sent twice would show now
        posts = _posts(replay, discord_channels, slack_channels)
        discord_requests = sum(
            r.method == "POST" and r.path.endswith("/messages") for r in replay.discord.records
        )
        slack_requests = len(replay.slack.called("chat.postMessage"))
        for process in survivors:
            process.send_signal(signal.SIGTERM)
        for process in survivors:
            await process.wait()
    assert doomed.returncode == -signal.SIGKILL
    assert all(n == 1 for n in posts.values()), f"posted twice: {posts}"
    assert len(posts) == channels * FIRST_STORIES
    # No two processes sent the same job: one request per post, and one more at most where
    # a survivor looked up the post the killed process made (Discord: sent again with its
    # nonce, which Discord answers with the message it has).
    expected = len(discord_channels) * FIRST_STORIES, len(slack_channels) * FIRST_STORIES
    assert expected[0] <= discord_requests <= expected[0] + 1
    assert expected[1] <= slack_requests <= expected[1] + 1
    assert all(p.returncode == 0 for p in survivors)


async def _subscribe(
    db_target: str, discord_channels: list[str], slack_channels: list[str]
) -> None:
    db = await Database.open(db_target)
    async with db.transaction() as tx:
        for destination in [*(f"discord:{GUILD_ID}/{c}" for c in discord_channels),
                            *(f"slack:{TEAM_ID}/{c}" for c in slack_channels)]:  # fmt: skip
            await ensure_destination(tx, destination, destination.partition(":")[0], 0)
            await subscribe(tx, destination, ["ALL"], [], [])
    await db.close()


def _posts(replay: Replay, discord_channels: list[str], slack_channels: list[str]) -> Counter[str]:
    """How many top-level messages each story has in each channel."""
    found: Counter[str] = Counter()
    for channel in discord_channels:
        for message in replay.discord.top_level(channel):
            found[f"discord {channel} {_discord_marker(message)}"] += 1
    for channel in slack_channels:
        for message in replay.slack.top_level(channel):
            found[f"slack {channel} {_slack_marker(message)}"] += 1
    return found
