"""Opening the SQLite file: processes that meet on a new file, and files SQLite cannot use."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.errors import UsageError
from bot.storage.migrate import LATEST
from bot.storage.sqlite import SqliteDatabase


def _worker_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if "_connection_worker_thread" in t.name}


async def test_a_new_file_opens_while_another_process_is_writing_to_it(tmp_path: Path):
    """Switching to WAL meets another writer's lock; SQLite refuses at once there (no busy
    timeout), so the switch is retried instead of failing with 'database is locked'."""
    path = tmp_path / "aiwatch.db"
    locked, release = threading.Event(), threading.Event()

    def other_process() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("CREATE TABLE theirs (x)")
        locked.set()
        release.wait(5)
        other.execute("COMMIT")
        other.close()

    writer = threading.Thread(target=other_process)
    writer.start()
    assert locked.wait(5)
    asyncio.get_running_loop().call_later(0.3, release.set)
    try:
        db = await SqliteDatabase.connect(path)
    finally:
        release.set()
        writer.join(5)
    async with db.transaction() as tx:
        assert await tx.schema_version() == LATEST
    await db.close()


@pytest.mark.parametrize("content", [b"not a database at all " * 40, b"SQLite format 3\x00junk"])
async def test_a_file_sqlite_cannot_use_is_a_usage_error_that_leaves_no_thread(
    tmp_path: Path, content: bytes
):
    """aiosqlite's worker thread is not a daemon: left open, it kept the process (and CI's
    pytest) from exiting after the error."""
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    before = _worker_threads()
    with pytest.raises(UsageError) as refused:
        await SqliteDatabase.connect(path)
    assert str(path) in str(refused.value)
    assert "AIWATCH_DB" in str(refused.value)
    for thread in _worker_threads() - before:
        thread.join(2)
        assert not thread.is_alive()


async def test_a_directory_in_place_of_the_file_is_a_usage_error(tmp_path: Path):
    with pytest.raises(UsageError, match="cannot use it"):
        await SqliteDatabase.connect(tmp_path)
