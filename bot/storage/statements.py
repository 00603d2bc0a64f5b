"""What a migration needs of a transaction: run statements and read rows. A Protocol, so the
schema module does not import the connection module that runs it (db.py imports schema)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class Statements(Protocol):
    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int | None: ...

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Any]: ...

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Any | None: ...
