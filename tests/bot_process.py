"""Starting the real bot as a subprocess, as a user would, with a clean environment."""

from __future__ import annotations

import asyncio
import os
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


async def start_bot(
    *args: str, feeds: Path, db: Path, cwd: Path, stdin: int | None = None, **env: str
) -> asyncio.subprocess.Process:
    """The bot as a subprocess; stdin is /dev/null unless a test types commands (PIPE)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args,
        "--feeds", str(feeds), "--db", str(db), "--config", str(CONFIG_DIR),
        cwd=cwd, env=bot_env(**env), stdin=asyncio.subprocess.DEVNULL if stdin is None else stdin,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    STARTED.append(process)
    return process


async def kill_started() -> None:
    while STARTED:
        process = STARTED.pop()
        if process.returncode is None:
            process.kill()
            await process.wait()
