"""What a migration needs of a transaction: run statements, read rows, keep the schema's
version. A Protocol, so the schema module does not import the backends that run it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class Statements(Protocol):
    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int | None: ...

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Any]: ...

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Any | None: ...

    async def schema_version(self) -> int: ...

    async def set_schema_version(self, version: int) -> None: ...

    async def lock_migrations(self) -> None: ...
