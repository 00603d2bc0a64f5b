"""Standard input the long-running bot cannot watch (/dev/null under Docker without -i, under
systemd, or `make run < /dev/null`): typed commands are off, said once, with no traceback."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.bot_process import STARTED, bot_env, read_until, start_bot, write_feeds
from tests.conftest import CONFIG_DIR
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
    assert proc.stderr is not None
    # Said once running (its stop signals are handled by then), however slow the start-up.
    said = await read_until(proc.stderr, [COMMANDS_OFF], 60)
    await asyncio.sleep(1)
    assert proc.returncode is None  # still running: stdin is no reason to stop
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), 20)
    text = said + err.decode()
    assert proc.returncode == 0, text
    assert "Traceback" not in text
    assert "PermissionError" not in text
    assert text.count(COMMANDS_OFF) == 1, text


async def _replies_then_stop(proc: asyncio.subprocess.Process) -> tuple[str, str]:
    """Wait for the replies to /aiwatch help and /optout, stop the bot, return stdout, stderr."""
    assert proc.stdout is not None
    out = await read_until(proc.stdout, ["AI Data Watch commands", "LinkedIn: AI training"], 30)
    proc.send_signal(signal.SIGTERM)
    rest, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    return out + rest.decode(), err.decode()


async def test_a_regular_file_on_stdin_is_read_as_a_script_of_commands(
    feed_server: FeedServer, tmp_path: Path
):
    """`aiwatch run < commands.txt`: the selector cannot watch a file, but it still delivers."""
    feed_server.feeds["news"] = make_rss([])
    feeds = write_feeds(
        tmp_path / "feeds.yaml", [{"id": "news", "url": feed_server.url("/feed/news")}]
    )
    script = tmp_path / "commands.txt"
    script.write_text("/aiwatch help\n\n/optout linkedin UK\n")
    with script.open("rb") as stdin:
        proc = await start_bot(
            "run", feeds=feeds, db=tmp_path / "bot.db", cwd=tmp_path, stdin=stdin.fileno()
        )
    out, err = await _replies_then_stop(proc)
    assert "AI Data Watch commands" in out
    assert "LinkedIn: AI training in United Kingdom" in out
    assert COMMANDS_OFF not in err
    assert "Traceback" not in err


async def test_a_pipe_on_stdin_still_delivers_commands(feed_server: FeedServer, tmp_path: Path):
    feed_server.feeds["news"] = make_rss([])
    feeds = write_feeds(
        tmp_path / "feeds.yaml", [{"id": "news", "url": feed_server.url("/feed/news")}]
    )
    proc = await start_bot(
        "run", feeds=feeds, db=tmp_path / "bot.db", cwd=tmp_path, stdin=asyncio.subprocess.PIPE
    )
    assert proc.stdin is not None
    proc.stdin.write(b"/aiwatch help\n/optout linkedin UK\n")
    await proc.stdin.drain()
    out, err = await _replies_then_stop(proc)
    assert "AI Data Watch commands" in out
    assert "LinkedIn: AI training in United Kingdom" in out
    assert COMMANDS_OFF not in err
    assert "Traceback" not in err


async def test_a_closed_stdin_turns_typed_commands_off_once(
    feed_server: FeedServer, tmp_path: Path
):
    """`aiwatch run <&-`: Python sets sys.stdin to None, which must not stop the bot."""
    feed_server.feeds["news"] = make_rss([])
    feeds = write_feeds(
        tmp_path / "feeds.yaml", [{"id": "news", "url": feed_server.url("/feed/news")}]
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--feeds", str(feeds), "--db", str(tmp_path / "b.db"),
        "--config", str(CONFIG_DIR), cwd=tmp_path, env=bot_env(), preexec_fn=lambda: os.close(0),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    STARTED.append(proc)
    assert proc.stderr is not None
    said = await read_until(proc.stderr, [COMMANDS_OFF], 60)  # its stop signals handled by then
    await asyncio.sleep(1)
    assert proc.returncode is None, said
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), 20)
    text = said + err.decode()
    assert proc.returncode == 0, text
    assert "Traceback" not in text
    assert text.count(COMMANDS_OFF) == 1, text
