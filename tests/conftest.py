"""Shared fixtures: the real config, a real database, the loopback feed server.

`db_path` is a SQLite file; in the storage, pipeline, delivery and command tests it is also
a PostgreSQL URL (tests.postgres), so each of those tests runs on both backends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.adapters.console import CONSOLE_ID
from bot.settings import Config, load_config
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from tests.open_connections import close_leaked_connections, leak_note
from tests.postgres import (
    POSTGRESQL,
    SQLITE,
    backends,
    fresh_schema,
    note_not_run,
    postgres_available,
    postgres_note,
    runs_on_both,
)
from tests.servers.feeds import FeedServer

LEAKED = pytest.StashKey[int]()
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
async def database(db_path: Path | str) -> AsyncIterator[Database]:
    """The bot's database at `db_path`, with the console destination a run starts with."""
    db = await Database.open(db_path)
    async with db.transaction() as tx:
        await ensure_destination(tx, CONSOLE_ID, "console", 1)
    yield db
    await db.close()


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """A SQLite file, or (param "postgresql") the URL of a fresh schema of its own."""
    if getattr(request, "param", SQLITE) == SQLITE:
        yield tmp_path / "aiwatch.db"
        return
    with fresh_schema(request.node.name) as url:
        yield url


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_path" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("postgres_only"):
        metafunc.parametrize("db_path", [POSTGRESQL], indirect=True)
    elif runs_on_both(metafunc):
        metafunc.parametrize("db_path", backends(), indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a PostgreSQL server (and outside CI) the tests that need one are not run;
    the summary says so (pytest_terminal_summary)."""
    if postgres_available():
        return
    unrun = [item for item in items if item.get_closest_marker("postgres_only")]
    if unrun:
        note_not_run()
        config.hook.pytest_deselected(items=unrun)
        items[:] = [item for item in items if item not in unrun]


def pytest_sessionfinish(session: pytest.Session) -> None:
    if leaked := close_leaked_connections():
        session.config.stash[LEAKED] = leaked
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if leaked := terminalreporter.config.stash.get(LEAKED, 0):
        terminalreporter.write_sep("=", leak_note(leaked), red=True, bold=True)
    if (note := postgres_note()) is not None:
        terminalreporter.write_sep("=", note, yellow=True, bold=True)
