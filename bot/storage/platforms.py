"""platforms rows: whether each chat platform's adapter runs, or was stopped because the
platform refused the bot's token, with the reason a person can act on."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.db import Database, Transaction


@dataclass(frozen=True)
class PlatformHealth:
    name: str  # "discord", "slack"
    healthy: bool
    reason: str
    changed_at: int


async def mark_platform_stopped(tx: Transaction, name: str, reason: str, now: int) -> None:
    await tx.execute(
        "INSERT INTO platforms (name, healthy, reason, changed_at) VALUES (?, 0, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET healthy = 0, reason = excluded.reason,"
        " changed_at = excluded.changed_at",
        (name, reason, now),
    )


async def mark_platform_running(tx: Transaction, name: str, now: int) -> None:
    await tx.execute(
        "INSERT INTO platforms (name, healthy, reason, changed_at) VALUES (?, 1, NULL, ?)"
        " ON CONFLICT (name) DO UPDATE SET healthy = 1, reason = NULL,"
        " changed_at = excluded.changed_at",
        (name, now),
    )


async def platform_health(db: Database) -> list[PlatformHealth]:
    """Every platform the bot has started or stopped, by name."""
    rows = await db.fetch_all(
        "SELECT name, healthy, coalesce(reason, ''), changed_at FROM platforms ORDER BY name"
    )
    return [PlatformHealth(r[0], bool(r[1]), r[2], r[3]) for r in rows]
