"""Starting the real bot as a subprocess, as a user would, with a clean environment."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import yaml

from tests.conftest import CONFIG_DIR, ROOT

STARTED: list[asyncio.subprocess.Process] = []  # killed after each test, even a failed one

SECRET_VARIABLES = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


def write_feeds(path: Path, feeds: list[dict[str, object]]) -> Path:
    path.write_text(yaml.safe_dump(feeds, sort_keys=False))
    return path


def bot_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SECRET_VARIABLES}
    env = {k: v for k, v in env.items() if not k.startswith("AIWATCH_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


# The bot run as `python -m bot`, writing its own peak memory to stderr as it exits (see
# bench/memory.py: neither the test process's RUSAGE_CHILDREN nor the bot's ru_maxrss
# measures the bot alone).
REPORT_PEAK = (
    "import atexit, runpy, sys;"
    "from bench.memory import peak_rss_kib;"
    "atexit.register(lambda: print('peak_rss_kb=%d' % peak_rss_kib(), file=sys.stderr));"
    "sys.argv[0] = 'bot';"
    "runpy.run_module('bot', run_name='__main__', alter_sys=True)"
)
PEAK_LINE = re.compile(rb"^peak_rss_kb=(\d+)$", re.MULTILINE)


async def start_bot(
    *args: str,
    feeds: Path,
    db: Path,
    cwd: Path,
    stdin: int | None = None,
    report_peak: bool = False,
    **env: str,
) -> asyncio.subprocess.Process:
    """The bot as a subprocess; stdin is /dev/null unless a test types commands (PIPE).
    With report_peak, its stderr ends with its peak memory (see peak_mb)."""
    command = ("-c", REPORT_PEAK) if report_peak else ("-m", "bot")
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command, *args,
        "--feeds", str(feeds), "--db", str(db), "--config", str(CONFIG_DIR),
        cwd=cwd, env=bot_env(**env), stdin=asyncio.subprocess.DEVNULL if stdin is None else stdin,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    STARTED.append(process)
    return process


def peak_mb(stderr: bytes) -> float:
    """The peak memory a bot started with report_peak wrote as it exited."""
    found = PEAK_LINE.findall(stderr)
    assert found, "the bot did not report its peak memory"
    return int(found[-1]) / 1024


async def read_until(stream: asyncio.StreamReader, wanted: list[str], seconds: float) -> str:
    seen = ""
    async with asyncio.timeout(seconds):
        while not all(text in seen for text in wanted):
            line = await stream.readline()
            if not line:
                break
            seen += line.decode()
    return seen


async def kill_started() -> None:
    while STARTED:
        process = STARTED.pop()
        if process.returncode is None:
            process.kill()
            await process.wait()
