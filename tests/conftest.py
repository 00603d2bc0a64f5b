"""Shared fixtures: the real config, a real SQLite file, the loopback feed server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Config, load_config
from tests.servers.feeds import FeedServer

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(CONFIG_DIR)


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = await FeedServer().start()
    yield server
    server.release.set()
    await server.stop()


@pytest.fixture(autouse=True)
async def _no_stray_bots() -> AsyncIterator[None]:
    """A failing test must not leave a bot running."""
    yield
    from tests.bot_process import kill_started

    await kill_started()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "aiwatch.db"
