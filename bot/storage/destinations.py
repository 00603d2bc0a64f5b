"""destinations rows: each chat channel (or the console) the bot delivers to, and its health."""

from __future__ import annotations

from bot.storage.db import Database, Transaction


async def ensure_destination(tx: Transaction, destination_id: str, kind: str, now: int) -> None:
    await tx.execute(
        "INSERT OR IGNORE INTO destinations (id, kind, created_at) VALUES (?, ?, ?)",
        (destination_id, kind, now),
    )


async def mark_destination_unhealthy(tx: Transaction, destination_id: str, reason: str) -> None:
    """Stop sending there until fixed; its jobs stay pending, with the reason, not dropped."""
    await tx.execute(
        "UPDATE destinations SET healthy = 0, health_note = ? WHERE id = ?",
        (reason, destination_id),
    )


async def mark_destination_healthy(tx: Transaction, destination_id: str) -> None:
    await tx.execute(
        "UPDATE destinations SET healthy = 1, health_note = NULL WHERE id = ?", (destination_id,)
    )


async def unhealthy_destinations(db: Database) -> list[tuple[str, str]]:
    """Destinations that stopped receiving, with the reason a person can act on."""
    rows = await db.fetch_all(
        "SELECT id, coalesce(health_note, '') FROM destinations WHERE healthy = 0 ORDER BY id"
    )
    return [(r[0], r[1]) for r in rows]


async def stop_server_destinations(db: Database, server_prefix: str, reason: str) -> int:
    """Every channel of one server or workspace ("discord:<guild>/") stops, with the reason;
    returns how many. Used when the bot is removed from that server."""
    async with db.transaction() as tx:
        return await tx.execute_counted(
            "UPDATE destinations SET healthy = 0, health_note = ? WHERE id LIKE ? ESCAPE '\\'",
            (reason, _like_prefix(server_prefix)),
        )


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
