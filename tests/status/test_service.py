"""AIWATCH_STATUS_PORT and AIWATCH_STATUS_HOST: off when unset, a clear error when wrong."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import aiohttp
import pytest

from bot.errors import UsageError
from bot.settings import Config, read_environment
from bot.status.service import Watch, start_status
from bot.storage import Database


def _env(tmp_path: Path, **values: str):
    return read_environment(environ=values, dotenv=tmp_path / "no.env")


def test_the_status_port_is_off_unless_set_and_listens_on_loopback_by_default(tmp_path: Path):
    """Unset (or blank): off; a number: that port; the host defaults to 127.0.0.1."""
    assert _env(tmp_path).status_port is None
    assert _env(tmp_path, AIWATCH_STATUS_PORT=" ").status_port is None
    env = _env(tmp_path, AIWATCH_STATUS_PORT="9464")
    assert (env.status_port, env.status_host) == (9464, "127.0.0.1")
    assert _env(tmp_path, AIWATCH_STATUS_HOST="0.0.0.0").status_host == "0.0.0.0"  # noqa: S104


@pytest.mark.parametrize("raw", ["http", "-1", "65536", "80.5"])
def test_a_status_port_that_is_not_a_port_is_a_usage_error(tmp_path: Path, raw: str):
    """The error names the variable and what it expects."""
    with pytest.raises(UsageError, match=r"AIWATCH_STATUS_PORT='.*': expected a port number"):
        _env(tmp_path, AIWATCH_STATUS_PORT=raw)


async def test_a_port_already_taken_is_a_usage_error_naming_the_variable(
    tmp_path: Path, config: Config
):
    """Another program on the port: the bot says which and what to do, and listens nowhere."""
    db = await Database.open(tmp_path / "b.db")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = _env(tmp_path, AIWATCH_STATUS_PORT=str(port))
        with pytest.raises(UsageError, match=f"AIWATCH_STATUS_PORT={port}: cannot listen on"):
            await start_status(env, config, db, Watch.start(env, time.time), lambda: [])
    off = _env(tmp_path)
    assert await start_status(off, config, db, Watch.start(off, time.time), lambda: []) is None
    await db.close()


async def test_the_service_serves_until_closed(tmp_path: Path, config: Config):
    """Started on a free port (0), it answers; closed, the port is free again."""
    db = await Database.open(tmp_path / "b.db")
    env = _env(tmp_path, AIWATCH_STATUS_PORT="0")
    service = await start_status(env, config, db, Watch.start(env, time.time), lambda: [])
    assert service is not None
    port = service.port
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/healthz") as answer:
            assert answer.status == 200
        await service.close()
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"http://127.0.0.1:{port}/healthz")
    await db.close()


def test_deliveries_are_labelled_for_the_chat_apps_this_bot_runs(tmp_path: Path):
    """The console always; Discord and Slack when their tokens are set."""
    env = _env(tmp_path, DISCORD_TOKEN="x")  # noqa: S106 (a fake)
    watch = Watch.start(env, time.time)
    labels = {
        (s.labels["platform"], s.labels["result"])
        for family in watch.metrics.registry.collect()
        if family.name == "aiwatch_deliveries"
        for s in family.samples
    }
    assert {platform for platform, _ in labels} == {"console", "discord"}
