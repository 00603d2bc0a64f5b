"""The database the bot runs on, as one interface: SQLite (bot.storage.sqlite, the embedded
default) or PostgreSQL (bot.storage.postgres, when the target is a `postgresql://` URL, for
several bot processes sharing one database). Nothing above bot.storage knows which.

A row is read by index (`row[0]`) or by column name (`row["id"]`) on both.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import asyncpg

Row = Any  # aiosqlite.Row or asyncpg.Record: both index by position and by name
POSTGRES_SCHEMES = ("postgresql://", "postgres://")

# What a failing database raises, whichever it is: the status page and the health check
# report these instead of failing themselves.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.Error,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    ConnectionError,
)


def is_postgres_url(target: Path | str) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


class Database(ABC):
    """One process's connection. Transactions are one at a time per process (each backend
    holds a lock), so a drain's write never lands inside the pipeline's open transaction."""

    dialect: str  # "sqlite" or "postgresql"
    # Several processes may share it (PostgreSQL); SQLite serves one, so a lease found in
    # it at start-up was left by an earlier run that died, and is void.
    shared: bool

    @staticmethod
    async def open(target: Path | str) -> Database:
        """Connect and migrate: a `postgresql://` URL opens PostgreSQL, anything else is the
        path of a SQLite file."""
        if is_postgres_url(target):
            from bot.storage.postgres import PostgresDatabase

            return await PostgresDatabase.connect(str(target))
        from bot.storage.sqlite import SqliteDatabase

        return await SqliteDatabase.connect(Path(target))

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """BEGIN … COMMIT, rolled back on any error (cancellation included)."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]: ...

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None


class Transaction(ABC):
    """Statements run while the caller holds the database: inside Database.transaction, or
    for one read in Database.fetch_all."""

    # Appended to a SELECT that claims rows: PostgreSQL's " FOR UPDATE SKIP LOCKED" lets
    # processes claiming at once take different rows; SQLite has one writer and no need.
    skip_locked: str = ""

    @abstractmethod
    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int | None:
        """Run one statement. SQLite returns the row id an INSERT made; to read a new row's
        id on both databases, write `INSERT … RETURNING id` and use fetch_one."""

    @abstractmethod
    async def execute_counted(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; returns how many rows it changed."""

    @abstractmethod
    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        """Run one statement per row; returns how many rows they changed in all."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]: ...

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    @abstractmethod
    async def schema_version(self) -> int:
        """The number of the last migration applied (0: a new database)."""

    @abstractmethod
    async def set_schema_version(self, version: int) -> None: ...

    @abstractmethod
    async def lock_migrations(self) -> None:
        """Hold off other processes migrating the same database until this transaction ends."""
