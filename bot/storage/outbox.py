"""destinations and outbox rows: durable delivery jobs, retried until done, never dropped."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.db import Database, Transaction


@dataclass(frozen=True)
class Job:
    id: int
    destination_id: str
    destination_kind: str
    story_id: int
    action: str
    attempts: int
    previous_external_id: str | None


async def enqueue(
    tx: Transaction, destination_id: str, story_id: int, action: str, version: int, now: int
) -> None:
    """Queue one post or update. The key makes a repeated enqueue of the same job a no-op."""
    key = f"{destination_id}:{story_id}:{version}"
    await tx.execute(
        "INSERT OR IGNORE INTO outbox (destination_id, story_id, action, idem_key,"
        " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (destination_id, story_id, action, key, now, now),
    )


async def due_jobs(db: Database, now: int, limit: int = 100) -> list[Job]:
    rows = await db.fetch_all(
        "SELECT o.id, o.destination_id, d.kind, o.story_id, o.action, o.attempts,"
        " (SELECT p.external_id FROM outbox p WHERE p.destination_id = o.destination_id"
        "   AND p.story_id = o.story_id AND p.external_id IS NOT NULL"
        "   ORDER BY p.id DESC LIMIT 1) AS previous"
        " FROM outbox o JOIN destinations d ON d.id = o.destination_id"
        " WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND d.healthy = 1"
        " ORDER BY o.id LIMIT ?",
        (now, limit),
    )
    return [Job(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


async def mark_done(tx: Transaction, job_id: int, external_id: str | None, now: int) -> None:
    await tx.execute(
        "UPDATE outbox SET state = 'done', done_at = ?, external_id = ?, last_error = NULL"
        " WHERE id = ?",
        (now, external_id, job_id),
    )


async def mark_retry(tx: Transaction, job_id: int, error: str, retry_at: int) -> None:
    await tx.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
        " WHERE id = ?",
        (error, retry_at, job_id),
    )


async def pending_count(db: Database) -> int:
    row = await db.fetch_one("SELECT count(*) FROM outbox WHERE state = 'pending'")
    return int(row[0]) if row else 0
