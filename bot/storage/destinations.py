"""destinations rows: each chat channel (or the console) the bot delivers to, and its health.

A destination is fine, failing (its sends fail for a reason that may pass: it is retried
with backoff, and `failures` counts the tries in a row since `failing_since`), or stopped
(`healthy = 0`: it waits for a person, e.g. to give the bot its access back).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.db import Database, Transaction


@dataclass(frozen=True)
class DestinationTrouble:
    """A destination that is not fine, as `aiwatch feeds`, `/aiwatch feeds` and the status
    page show it."""

    id: str
    stopped: bool  # True: waits for a person; False: retried with backoff
    reason: str
    failures: int  # failed tries in a row
    failing_since: int | None

    def words(self) -> str:
        if self.stopped:
            return f"stopped: {self.reason}"
        tries = "try" if self.failures == 1 else "tries"
        return f"retrying after {self.failures} failed {tries} in a row: {self.reason}"


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
        "UPDATE destinations SET healthy = 1, health_note = NULL, failures = 0,"
        " failing_since = NULL WHERE id = ?",
        (destination_id,),
    )


async def note_delivery_failure(
    tx: Transaction, destination_id: str, reason: str, now: int
) -> None:
    """One more failed try in a row; the reason shows unless the destination is stopped,
    whose own reason (what a person must do) stays."""
    await tx.execute(
        "UPDATE destinations SET failures = failures + 1,"
        " failing_since = coalesce(failing_since, ?),"
        " health_note = CASE WHEN healthy = 1 THEN ? ELSE health_note END WHERE id = ?",
        (now, reason, destination_id),
    )


async def note_delivery_success(tx: Transaction, destination_id: str) -> None:
    """A send went through: a failing destination is fine again."""
    await tx.execute(
        "UPDATE destinations SET failures = 0, failing_since = NULL, health_note = NULL"
        " WHERE id = ? AND healthy = 1 AND failures > 0",
        (destination_id,),
    )


async def failing_destinations(db: Database) -> set[str]:
    """The destinations retried after failures (not the stopped ones)."""
    rows = await db.fetch_all("SELECT id FROM destinations WHERE healthy = 1 AND failures > 0")
    return {row[0] for row in rows}


async def destination_troubles(db: Database) -> list[DestinationTrouble]:
    """Every destination that is failing or stopped, stopped ones first."""
    rows = await db.fetch_all(
        "SELECT id, healthy, coalesce(health_note, ''), failures, failing_since"
        " FROM destinations WHERE healthy = 0 OR failures > 0 ORDER BY healthy, id"
    )
    return [DestinationTrouble(r[0], not r[1], r[2], r[3], r[4]) for r in rows]


async def unhealthy_destinations(db: Database) -> list[tuple[str, str]]:
    """Destinations that stopped receiving or keep failing, with the reason in words."""
    return [(t.id, t.words()) for t in await destination_troubles(db)]


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
