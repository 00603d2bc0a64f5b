"""The PostgreSQL half of the tests: which tests run on both backends, and a fresh schema
for each of them on the server named by AIWATCH_TEST_POSTGRES.

A schema (not a database or a cluster) per test keeps the set-up to a few milliseconds:
the bot's connection sets its search_path to it through the URL (asyncpg passes unknown
query parameters on as server settings). Unset, the PostgreSQL half is not run and the
session's summary says so; under CI (`CI` set, as `.ci/run` does) it runs and fails.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

SQLITE, POSTGRESQL = "sqlite", "postgresql"
ENV = "AIWATCH_TEST_POSTGRES"
# The tests issue #24 names: storage, pipeline, delivery and commands.
BOTH_BACKENDS = (
    "tests/storage/",
    "tests/test_pipeline.py",
    "tests/delivery/",
    "tests/commands/test_commands.py",
)
_ran_without: list[str] = []


def server_url() -> str | None:
    return os.environ.get(ENV) or None


def postgres_available() -> bool:
    """A server is named, or CI runs, where a missing one must fail the tests."""
    return server_url() is not None or bool(os.environ.get("CI"))


def note_not_run() -> None:
    _ran_without.append("x")


def backends() -> list[str]:
    if not postgres_available():
        note_not_run()
        return [SQLITE]
    return [SQLITE, POSTGRESQL]


def runs_on_both(metafunc: pytest.Metafunc) -> bool:
    path = str(metafunc.definition.path).replace(os.sep, "/")
    named = any(f"/{part}" in path for part in BOTH_BACKENDS)
    return named and metafunc.definition.get_closest_marker("sqlite_only") is None


def postgres_note() -> str | None:
    if server_url() is not None or not _ran_without:
        return None
    return (
        f"PostgreSQL tests NOT run: set {ENV}=postgresql://user:password@host:port/db"
        " (.ci/run starts a server and sets it)"
    )


@contextmanager
def fresh_schema(test_name: str) -> Iterator[str]:
    """The URL of a new, empty schema, dropped afterwards."""
    url = server_url()
    if url is None:
        pytest.fail(f"{ENV} is not set: under CI the PostgreSQL tests must run (see .ci/run)")
    schema = "t_" + re.sub(r"\W", "_", test_name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    asyncio.run(_admin(url, f"CREATE SCHEMA {schema}"))
    try:
        yield with_search_path(url, schema)
    finally:
        asyncio.run(_admin(url, f"DROP SCHEMA {schema} CASCADE"))


def with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, f"search_path={schema}"]))
    return urlunsplit(parts._replace(query=query))


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
