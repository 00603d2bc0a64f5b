"""PostgreSQL, for several bot processes on one database: asyncpg, the same interface.

Each process keeps one connection (a pool of one, which reconnects after the server drops
it) and runs one transaction at a time, as on SQLite, so both backends see the same order
of reads and writes. Statements are written for SQLite and adapted by bot.storage.dialect.

The schema's version lives in the table `aiwatch_schema` (SQLite keeps it in PRAGMA
user_version), and a transaction-scoped advisory lock makes processes that start together
migrate once: the second waits for the first to commit, then finds nothing to do.

The password in the URL is registered with bot.redaction, so it never reaches a log line,
a stored error or the status page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import unquote, urlsplit

import asyncpg

from bot.errors import DatabaseUnavailable, UsageError
from bot.redaction import keep_secret, redact
from bot.storage.db import Database, Row, Transaction
from bot.storage.dialect import to_postgres
from bot.storage.migrate import migrate

# Any fixed number: every aiwatch process on the database asks for the same lock.
MIGRATION_LOCK = 0x61697761  # "aiwa"
COMMAND_TIMEOUT = 60.0  # seconds; a statement that takes longer is a fault, not a wait
CONNECT_TIMEOUT = 15.0
# Answers that say the URL itself is wrong: no such database or role, a wrong password.
REFUSED = (
    asyncpg.InvalidCatalogNameError,
    asyncpg.InvalidPasswordError,
    asyncpg.InvalidAuthorizationSpecificationError,
)


def register_password(url: str) -> None:
    """Blot the URL's password out of everything the bot writes from now on."""
    password = urlsplit(url).password
    if password:
        keep_secret(password)
        keep_secret(unquote(password))


def without_password(url: str) -> str:
    """The URL as it may be shown: user, host, port and database, no password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{netloc[2]}").geturl()


class PostgresDatabase(Database):
    dialect = "postgresql"
    shared = True

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def connect(cls, url: str) -> PostgresDatabase:
        register_password(url)
        shown = without_password(url)
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=1,
                                             command_timeout=COMMAND_TIMEOUT,
                                             timeout=CONNECT_TIMEOUT)  # fmt: skip
        except REFUSED as exc:  # the server answered: the URL is wrong
            raise UsageError(f"database {shown}: {redact(str(exc))}") from None
        except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
            reason = redact(str(exc)) or type(exc).__name__
            raise DatabaseUnavailable(
                f"database {shown}: PostgreSQL does not answer ({reason})"
            ) from None
        database = cls(pool)
        async with database.transaction() as tx:
            await migrate(tx)
        return database

    async def close(self) -> None:
        await self._pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._pool.acquire() as connection, connection.transaction():
            yield PostgresTransaction(connection)

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self._pool.acquire() as connection:
            return await PostgresTransaction(connection).fetch_all(sql, params)


class PostgresTransaction(Transaction):
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int | None:
        await self._connection.execute(to_postgres(sql), *params)
        return None

    async def execute_counted(self, sql: str, params: Iterable[Any] = ()) -> int:
        status = await self._connection.execute(to_postgres(sql), *params)
        return _changed(status)

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        statement = await self._connection.prepare(to_postgres(sql))
        changed = 0
        for row in rows:
            await statement.fetch(*row)
            changed += _changed(statement.get_statusmsg())
        return changed

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return list(await self._connection.fetch(to_postgres(sql), *params))

    async def schema_version(self) -> int:
        await self._connection.execute(
            "CREATE TABLE IF NOT EXISTS aiwatch_schema (version INTEGER NOT NULL)"
        )
        version = await self._connection.fetchval("SELECT max(version) FROM aiwatch_schema")
        return int(version or 0)

    async def set_schema_version(self, version: int) -> None:
        await self._connection.execute("DELETE FROM aiwatch_schema")
        await self._connection.execute("INSERT INTO aiwatch_schema (version) VALUES ($1)", version)

    async def lock_migrations(self) -> None:
        await self._connection.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)


def _changed(status: str | None) -> int:
    """Rows changed, from a command tag: 'INSERT 0 1', 'UPDATE 3', 'DELETE 0'."""
    last = (status or "").rpartition(" ")[2]
    return int(last) if last.isdigit() else 0
