"""outbox rows: durable delivery jobs per story and destination, retried until done.

A story reaches a destination as one living message: its `post` job, then `update` jobs
(edit it) and `development` jobs (edit it and reply under it). The drain takes all of one
story's waiting jobs for a destination together (`StoryJobs`), so an update waiting for its
post folds into it, and several waiting updates go out as one edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.storage.db import Database, Transaction

POST, UPDATE, DEVELOPMENT = "post", "update", "development"


@dataclass(frozen=True)
class Job:
    id: int
    action: str
    state: str
    attempts: int
    next_attempt_at: int
    development_id: int | None
    sent_at: int | None  # set: the chat API was called and may have taken it


@dataclass(frozen=True)
class StoryJobs:
    """One story's jobs at one destination, as the drain found them."""

    destination_id: str
    destination_kind: str
    story_id: int
    post: Job | None  # pending or done
    waiting: tuple[Job, ...]  # pending updates and developments, oldest first
    message_id: str | None  # the living message, once posted
    newest: int  # the newest job id read: a story rendered after this read covers them all

    @property
    def address(self) -> str:
        return self.destination_id.partition(":")[2]


async def enqueue(
    tx: Transaction,
    destination_id: str,
    story_id: int,
    action: str,
    version: int,
    now: int,
    development_id: int | None = None,
) -> None:
    """Queue one job. The key makes a repeated enqueue of the same job a no-op."""
    tail = f"d{development_id}" if development_id is not None else str(version)
    key = f"{destination_id}:{story_id}:{tail}"
    await tx.execute(
        "INSERT OR IGNORE INTO outbox (destination_id, story_id, action, idem_key,"
        " next_attempt_at, created_at, development_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (destination_id, story_id, action, key, now, now, development_id),
    )


async def destinations_with_story(tx: Transaction, story_id: int) -> set[str]:
    """Where the story already has jobs: there it is updated, elsewhere posted."""
    rows = await tx.fetch_all(
        "SELECT DISTINCT destination_id FROM outbox WHERE story_id = ?", (story_id,)
    )
    return {row[0] for row in rows}


async def due_stories(
    db: Database,
    now: int,
    kinds: Iterable[str],
    limit: int = 100,
    *,
    destination_id: str | None = None,
) -> list[tuple[str, int]]:
    """(destination, story) pairs with a job due at a healthy destination of one of `kinds`
    (the adapters running), oldest first; with `destination_id`, that destination's only."""
    listed = "," + ",".join(kinds) + ","
    rows = await db.fetch_all(
        "SELECT o.destination_id, o.story_id, min(o.id) AS first FROM outbox o"
        " JOIN destinations d ON d.id = o.destination_id"
        " WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND d.healthy = 1"
        " AND instr(?, ',' || d.kind || ',') > 0 "
        " AND coalesce(?, o.destination_id) = o.destination_id"
        " GROUP BY o.destination_id, o.story_id ORDER BY first LIMIT ?",
        (now, listed, destination_id, limit),
    )
    return [(row[0], row[1]) for row in rows]


async def due_destinations(db: Database, now: int, kinds: Iterable[str]) -> list[str]:
    """The healthy destinations of one of `kinds` with a job due, the longest waiting first."""
    listed = "," + ",".join(kinds) + ","
    rows = await db.fetch_all(
        "SELECT o.destination_id, min(o.id) AS first FROM outbox o"
        " JOIN destinations d ON d.id = o.destination_id"
        " WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND d.healthy = 1"
        " AND instr(?, ',' || d.kind || ',') > 0"
        " GROUP BY o.destination_id ORDER BY first",
        (now, listed),
    )
    return [row[0] for row in rows]


async def story_jobs(db: Database, destination_id: str, story_id: int) -> StoryJobs:
    rows = await db.fetch_all(
        "SELECT o.id, o.action, o.state, o.attempts, o.next_attempt_at, o.development_id,"
        " o.sent_at, d.kind, (SELECT message_id FROM living_messages l"
        "   WHERE l.destination_id = o.destination_id AND l.story_id = o.story_id)"
        " FROM outbox o JOIN destinations d ON d.id = o.destination_id"
        " WHERE o.destination_id = ? AND o.story_id = ?"
        " AND (o.state = 'pending' OR o.action = 'post') ORDER BY o.id",
        (destination_id, story_id),
    )
    jobs = [Job(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]
    post = next((job for job in jobs if job.action == POST), None)
    waiting = tuple(job for job in jobs if job.action != POST and job.state == "pending")
    return StoryJobs(
        destination_id=destination_id,
        destination_kind=rows[0][7] if rows else destination_id.partition(":")[0],
        story_id=story_id,
        post=post,
        waiting=waiting,
        message_id=rows[0][8] if rows else None,
        newest=max((job.id for job in jobs), default=0),
    )


async def mark_sending(tx: Transaction, job_id: int, now: int) -> None:
    """Written before the chat API is called: from now on the message may exist."""
    await tx.execute("UPDATE outbox SET sent_at = coalesce(sent_at, ?) WHERE id = ?", (now, job_id))


async def clear_sending(tx: Transaction, job_id: int) -> None:
    """The message the job sent was recorded; its next message starts with a clean slate."""
    await tx.execute("UPDATE outbox SET sent_at = NULL WHERE id = ?", (job_id,))


async def mark_done(tx: Transaction, job_id: int, external_id: str | None, now: int) -> None:
    await tx.execute(
        "UPDATE outbox SET state = 'done', done_at = ?, external_id = ?, last_error = NULL"
        " WHERE id = ?",
        (now, external_id, job_id),
    )


async def fold_waiting(
    tx: Transaction, destination_id: str, story_id: int, up_to: int, now: int
) -> int:
    """Updates and developments that the message just sent already shows: they are done
    without a message of their own. Returns how many."""
    return await tx.execute_counted(
        "UPDATE outbox SET state = 'folded', done_at = ?, last_error = NULL"
        " WHERE destination_id = ? AND story_id = ? AND state = 'pending'"
        " AND action != 'post' AND id <= ?",
        (now, destination_id, story_id, up_to),
    )


async def mark_retry(tx: Transaction, job_id: int, error: str, retry_at: int) -> None:
    """Try again later. A job marked as maybe sent keeps the mark: whatever a later try
    answers, an earlier one may have gone out, so the next try looks before it sends."""
    await tx.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
        " WHERE id = ?",
        (error, retry_at, job_id),
    )


async def set_living_message(
    tx: Transaction, destination_id: str, story_id: int, message_id: str | None, now: int
) -> None:
    """The message a destination shows the story in (a new one after the first was deleted)."""
    if message_id is None:  # the console keeps no messages
        return
    await tx.execute(
        "INSERT INTO living_messages (destination_id, story_id, message_id, posted_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (destination_id, story_id)"
        " DO UPDATE SET message_id = excluded.message_id, posted_at = excluded.posted_at",
        (destination_id, story_id, message_id, now),
    )


async def pending_count(db: Database) -> int:
    row = await db.fetch_one("SELECT count(*) FROM outbox WHERE state = 'pending'")
    return int(row[0]) if row else 0
