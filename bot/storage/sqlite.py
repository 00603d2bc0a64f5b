"""SQLite, the embedded default: one aiosqlite connection, WAL, migrations on open.

aiosqlite runs a single connection in its own thread. Coroutines share it, so every
transaction holds `_lock`: otherwise a drain loop's write could land inside the pipeline's
open transaction and be committed (or rolled back) with it. BEGIN IMMEDIATE takes SQLite's
one write lock at the start, so a second process on the same file waits (busy_timeout)
instead of failing half-way.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.db import Database, Row, Transaction
from bot.storage.migrate import migrate


class SqliteDatabase(Database):
    dialect = "sqlite"
    shared = False

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()

    @classmethod
    async def connect(cls, path: Path) -> SqliteDatabase:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        # The busy timeout first: switching a new file to WAL needs its lock, which another
        # process opening it at the same moment may hold ("database is locked").
        await connection.execute("PRAGMA busy_timeout=5000")
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("PRAGMA foreign_keys=ON")
        database = cls(connection)
        async with database.transaction() as tx:
            await migrate(tx)
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
