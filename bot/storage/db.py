"""The one database connection: WAL, migrations on open, and one writer at a time.

aiosqlite runs a single connection in its own thread. Coroutines share it, so every
transaction holds `_lock`: otherwise a drain loop's write could land inside the pipeline's
open transaction and be committed (or rolled back) with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.migrate import migrate


class Database:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("PRAGMA foreign_keys=ON")
        await connection.execute("PRAGMA busy_timeout=5000")
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
                yield Transaction(self._connection)
            except BaseException:
                await self._connection.execute("ROLLBACK")
                raise
            await self._connection.execute("COMMIT")

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            return await Transaction(self._connection).fetch_all(sql, params)

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None


class Transaction:
    """Statements on the shared connection, run while the caller holds the database lock:
    inside Database.transaction, or for one read in Database.fetch_all."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int | None:
        """Run one statement; returns lastrowid (for inserts)."""
        cursor = await self._connection.execute(sql, tuple(params))
        rowid = cursor.lastrowid
        await cursor.close()
        return rowid

    async def execute_counted(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; returns how many rows it changed."""
        cursor = await self._connection.execute(sql, tuple(params))
        changed = cursor.rowcount
        await cursor.close()
        return max(changed, 0)

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        await self._connection.executemany(sql, [tuple(r) for r in rows])

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        cursor = await self._connection.execute(sql, tuple(params))
        rows = await cursor.fetchall()
        await cursor.close()
        return list(rows)

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None
