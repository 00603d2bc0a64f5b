"""SQLite, the embedded default: one aiosqlite connection, WAL, migrations on open.

aiosqlite runs a single connection in its own thread. Coroutines share it, so every
transaction holds `_lock`: otherwise a drain loop's write could land inside the pipeline's
open transaction and be committed (or rolled back) with it. BEGIN IMMEDIATE takes SQLite's
one write lock at the start, so a second process on the same file waits (busy_timeout)
instead of failing half-way.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import AiWatchError, DatabaseUnavailable, UsageError
from bot.storage.db import Database, Row, Transaction
from bot.storage.migrate import migrate

BUSY_SECONDS = 5.0
"""How long a connection waits for another process's lock before "database is locked"."""

_WAL_RETRY_SECONDS = 0.05


async def _switch_to_wal(connection: aiosqlite.Connection) -> None:
    """PRAGMA journal_mode=WAL, retried while another process holds the file's lock.

    Switching needs an exclusive lock, and SQLite answers "database is locked" at once, without
    the busy timeout, when another connection is writing (it will not wait while holding its own
    read lock, to avoid a deadlock). Processes that open a new file together meet exactly that.
    """
    deadline = asyncio.get_running_loop().time() + BUSY_SECONDS
    while True:
        try:
            await connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if not _is_locked(error) or asyncio.get_running_loop().time() >= deadline:
                raise
        await asyncio.sleep(_WAL_RETRY_SECONDS)


def _try_opening(path: Path) -> None:
    sqlite3.connect(path).close()


def _explained(path: Path, error: BaseException) -> AiWatchError:
    """What SQLite's refusal to open `path` means for the person who pointed the bot at it."""
    if _is_locked(error):
        return DatabaseUnavailable(
            f"database {path}: another process held its lock for over {BUSY_SECONDS:g} s"
        )
    return UsageError(
        f"database {path}: SQLite cannot use it ({error}); point --db or AIWATCH_DB at the "
        "bot's database file, or at a new path to start one"
    )


def _is_locked(error: BaseException) -> bool:
    return "locked" in str(error) or "busy" in str(error)


class SqliteDatabase(Database):
    dialect = "sqlite"
    shared = False

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()

    @classmethod
    async def connect(cls, path: Path) -> SqliteDatabase:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Tried first in plain sqlite3: when aiosqlite's own connect fails, its worker
            # thread reports to the event loop later, after the CLI's loop has closed.
            await asyncio.to_thread(_try_opening, path)
            connection = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, sqlite3.OperationalError) as error:
            raise _explained(path, error) from None
        try:
            connection.row_factory = aiosqlite.Row
            await connection.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
            await _switch_to_wal(connection)
            await connection.execute("PRAGMA synchronous=NORMAL")
            await connection.execute("PRAGMA foreign_keys=ON")
            database = cls(connection)
            async with database.transaction() as tx:
                await migrate(tx)
        except BaseException as error:
            # aiosqlite's worker thread is not a daemon: a connection left open here would
            # keep the process from exiting after the error is reported.
            await connection.close()
            if type(error) in (sqlite3.DatabaseError, sqlite3.OperationalError):
                raise _explained(path, error) from None
            raise
        return database

    async def close(self) -> None:
        async with self._lock:
            await self._connection.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error (cancellation included)."""
        async with self._lock:
            await self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTransaction(self._connection)
            except BaseException:
                await self._connection.execute("ROLLBACK")
                raise
            await self._connection.execute("COMMIT")

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self._lock:
            return await SqliteTransaction(self._connection).fetch_all(sql, params)


class SqliteTransaction(Transaction):
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int | None:
        cursor = await self._connection.execute(sql, tuple(params))
        rowid = cursor.lastrowid
        await cursor.close()
        return rowid

    async def execute_counted(self, sql: str, params: Iterable[Any] = ()) -> int:
        cursor = await self._connection.execute(sql, tuple(params))
        changed = cursor.rowcount
        await cursor.close()
        return max(changed, 0)

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        # sqlite3 sums the rows each execution changed (an ignored insert changes none).
        cursor = await self._connection.executemany(sql, [tuple(r) for r in rows])
        changed = cursor.rowcount
        await cursor.close()
        return max(changed, 0)

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        # One trip to the connection's thread, not three (execute, fetch, close): in a fan-out
        # to 1,000 Slack channels most of the bot's time per alert was these trips.
        return list(await self._connection.execute_fetchall(sql, tuple(params)))

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def set_schema_version(self, version: int) -> None:
        await self.execute(f"PRAGMA user_version = {int(version)}")

    async def lock_migrations(self) -> None:
        """BEGIN IMMEDIATE already holds the file's one write lock."""
