"""Three real bot processes on one PostgreSQL database, one killed with SIGKILL mid-cycle:
every alert reaches the loopback Discord and Slack channels exactly once.

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
from pathlib import Path

import pytest

from bot.faults import VARIABLE
from bot.feeds import schedule
from bot.models import Feed
from tests.bot_process import start_bot, write_feeds
from tests.crash.matrix import DISCORD_TOKEN, SLACK_APP_TOKEN, SLACK_BOT_TOKEN, Replay
from tests.crash.scenario import OUTLETS, feeds_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]
LEASE_SECONDS = "4"
WAIT_SECONDS = 120
FIRST_STORIES = 3  # cycle 1 of the scenario: three stories, one post each per channel


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
    async with replay:
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
        deadline = time.monotonic() + WAIT_SECONDS
        while not (_all_posted(replay) and await replay.pending() == 0):
            assert time.monotonic() < deadline, f"not delivered in time: {replay.tally()}"
            for process in survivors:
                if process.returncode is not None:
                    _, err = await process.communicate()
                    raise AssertionError(f"a survivor exited: {err.decode()[-3000:]}")
            await asyncio.sleep(0.5)
        if doomed.returncode is None:  # the others took every post: kill it mid-cycle here
            doomed.kill()
        await doomed.wait()
        await asyncio.sleep(2 * float(LEASE_SECONDS))  # anything sent twice would show now
        top, replies = replay.tally()
        for process in survivors:
            process.send_signal(signal.SIGTERM)
        for process in survivors:
            await process.wait()
    assert doomed.returncode == -signal.SIGKILL
    assert all(n == 1 for n in (top + replies).values()), f"sent twice: {top + replies}"
    assert sum(1 for key in top if key.startswith("discord")) == FIRST_STORIES
    assert sum(1 for key in top if key.startswith("slack")) == FIRST_STORIES
    assert all(p.returncode == 0 for p in survivors)


def _all_posted(replay: Replay) -> bool:
    top, _ = replay.tally()
    return len(top) >= 2 * FIRST_STORIES
