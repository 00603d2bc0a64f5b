"""Standard input the long-running bot cannot watch (/dev/null under Docker without -i, under
systemd, or `make run < /dev/null`): typed commands are off, said once, with no traceback."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from tests.bot_process import start_bot, write_feeds
from tests.servers.feeds import FeedServer, make_rss

pytestmark = pytest.mark.slow
COMMANDS_OFF = "typed commands are off"


async def test_dev_null_stdin_turns_typed_commands_off_once_without_a_traceback(
    feed_server: FeedServer, tmp_path: Path
):
    feed_server.feeds["news"] = make_rss([])
    feeds = write_feeds(
        tmp_path / "feeds.yaml", [{"id": "news", "url": feed_server.url("/feed/news")}]
    )
    proc = await start_bot("run", feeds=feeds, db=tmp_path / "bot.db", cwd=tmp_path)  # /dev/null
    await asyncio.sleep(3)
    assert proc.returncode is None  # still running: stdin is no reason to stop
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), 20)
    text = err.decode()
    assert proc.returncode == 0, text
    assert "Traceback" not in text
    assert "PermissionError" not in text
    assert text.count(COMMANDS_OFF) == 1, text
