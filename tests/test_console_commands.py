"""Commands typed at the console of a running bot, as a user without chat tokens would."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.bot_process import read_until, start_bot, write_feeds
from tests.servers.feeds import FeedItem, FeedServer, make_rss

pytestmark = pytest.mark.slow


async def test_typed_commands_answer_and_alerts_carry_regional_advice(
    feed_server: FeedServer, tmp_path: Path
):
    recent = datetime.now(UTC) - timedelta(hours=1)
    feed_server.feeds["news"] = make_rss([
        FeedItem("LinkedIn to train generative AI on UK members' data by default",
                 "https://news.example.org/li-uk", "Members must switch the setting off.",
                 published=recent),
    ])  # fmt: skip
    feeds = write_feeds(
        tmp_path / "feeds.yaml", [{"id": "news", "url": feed_server.url("/feed/news")}]
    )
    proc = await start_bot(
        "run", feeds=feeds, db=tmp_path / "bot.db", cwd=tmp_path, stdin=asyncio.subprocess.PIPE
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write(b"/aiwatch subscribe UK\n/optout linkdin\n/aiwatch subscribe Narnia\nhi\n")
    await proc.stdin.drain()
    out = await read_until(
        proc.stdout,
        [
            "Subscribed to UK",
            "LinkedIn: AI training in United Kingdom",
            "'Narnia' is not a region we know",
            "Not a command",
            "for you: LinkedIn in UK:",
        ],
        60,
    )
    proc.send_signal(signal.SIGINT)
    await asyncio.wait_for(proc.wait(), 20)
    assert "Subscribed to UK" in out
    assert "LinkedIn: AI training in United Kingdom" in out  # the channel's region by default
    assert "'Narnia' is not a region we know" in out
    assert "Not a command" in out
    assert "[NEW] LinkedIn to train generative AI" in out
    assert "for you: LinkedIn in UK:" in out
    assert proc.returncode == 0
