"""digests rows: one per destination and day, retried like outbox jobs until sent."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.db import Database, Transaction


@dataclass(frozen=True)
class DigestJob:
    id: int
    destination_id: str
    destination_kind: str
    day: str
    story_ids: tuple[int, ...]
    attempts: int


async def has_digest(db: Database | Transaction, destination_id: str, day: str) -> bool:
    row = await db.fetch_one(
        "SELECT 1 FROM digests WHERE destination_id = ? AND day = ?", (destination_id, day)
    )
    return row is not None


async def last_digest_at(db: Database | Transaction, destination_id: str) -> int | None:
    row = await db.fetch_one(
        "SELECT max(created_at) FROM digests WHERE destination_id = ?", (destination_id,)
    )
    return int(row[0]) if row and row[0] is not None else None


async def queue_digest(
    tx: Transaction, destination_id: str, day: str, story_ids: list[int], now: int
) -> None:
    """A day with no stories is recorded as sent, so it is never looked at again."""
    await tx.execute(
        "INSERT OR IGNORE INTO digests (destination_id, day, story_ids, state, next_attempt_at,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            destination_id,
            day,
            ",".join(map(str, story_ids)),
            "pending" if story_ids else "done",
            now,
            now,
        ),
    )


async def due_digests(db: Database, now: int) -> list[DigestJob]:
    rows = await db.fetch_all(
        "SELECT g.id, g.destination_id, d.kind, g.day, g.story_ids, g.attempts"
        " FROM digests g JOIN destinations d ON d.id = g.destination_id"
        " WHERE g.state = 'pending' AND g.next_attempt_at <= ? AND d.healthy = 1 ORDER BY g.id",
        (now,),
    )
    return [
        DigestJob(r[0], r[1], r[2], r[3], tuple(int(i) for i in r[4].split(",") if i), r[5])
        for r in rows
    ]


async def mark_digest_done(tx: Transaction, digest_id: int, external_id: str | None) -> None:
    await tx.execute(
        "UPDATE digests SET state = 'done', external_id = ?, last_error = NULL WHERE id = ?",
        (external_id, digest_id),
    )


async def mark_digest_retry(tx: Transaction, digest_id: int, error: str, retry_at: int) -> None:
    await tx.execute(
        "UPDATE digests SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
        " WHERE id = ?",
        (error, retry_at, digest_id),
    )
