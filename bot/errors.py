"""The bot's errors, one family, each carrying text a person can act on.

    AiWatchError
    ├── ConfigError        a config file is missing or wrong (exit 2)
    │     └── holds ConfigProblem(file, entry, field, message) rows
    ├── UsageError         bad command-line input (exit 2): also a database URL it cannot log
    │                      into, or a file SQLite cannot use
    ├── DatabaseUnavailable the PostgreSQL server does not answer, or another process keeps
    │                      the SQLite file locked (exit 1)
    └── FetchError         one feed could not be fetched; becomes a health row, never a crash
          ├── BodyTooLarge
          └── HttpStatusError

Per-feed failures are expected: the fetcher returns them as results so one dead host never
stops a cycle. Only unexpected errors propagate.
"""

from __future__ import annotations

from dataclasses import dataclass


class AiWatchError(Exception):
    """Base of every error the bot raises on purpose."""


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong in one config file, located precisely enough to fix it."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.entry:
            where += f": entry {self.entry}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class ConfigError(AiWatchError):
    """Config is unusable; the bot refuses to start rather than run half-configured."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class UsageError(AiWatchError, ValueError):
    """A command-line argument is wrong; the message says which and what to type instead."""


class DatabaseUnavailable(AiWatchError):
    """The database named by AIWATCH_DB or --db cannot be reached or stays locked."""


class FetchError(AiWatchError):
    """A feed could not be fetched. `reason` is shown in `aiwatch feeds` as is."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


class BodyTooLarge(FetchError):
    """The response (after decompression) exceeded the body cap."""


class HttpStatusError(FetchError):
    """The server answered with a status we cannot use."""
