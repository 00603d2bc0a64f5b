"""What the status page, the health check and the metrics read of the database.

Reads only, apart from `probe_write`, which proves the database still takes writes. Every
query is bounded (the last N stories, counts grouped per destination), so a scrape or a page
load costs about the same on a database of a year as on a new one.

"Jobs" are the outbox's alerts and the daily digests: both wait at a destination until sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.models import Development
from bot.storage.db import Database
from bot.storage.developments import story_timeline

PENDING_JOBS = (
    "SELECT destination_id, next_attempt_at, created_at, last_error, id FROM outbox"
    " WHERE state = 'pending' UNION ALL"
    " SELECT destination_id, next_attempt_at, created_at, last_error, id FROM digests"
    " WHERE state = 'pending'"
)


@dataclass(frozen=True)
class DestinationHealth:
    """One destination as the status page shows it. `failed` counts the pending jobs whose
    last try failed: they are kept and retried (or held while the destination is stopped),
    never dropped."""

    id: str
    kind: str
    healthy: bool
    reason: str
    pending: int
    failed: int
    last_error: str
    failures: int = 0  # failed tries in a row while healthy: retried, shown as failing


@dataclass(frozen=True)
class Delivery:
    """Where one story went: its state at one destination."""

    destination_id: str
    state: str  # "sent", "waiting" (its post not sent yet) or "updating" (an edit waits)
    last_error: str


@dataclass(frozen=True)
class RecentStory:
    id: int
    title: str
    event: str | None
    platforms: tuple[str, ...]
    regions: tuple[str, ...]
    updated_at: int
    timeline: tuple[Development, ...]
    deliveries: tuple[Delivery, ...]


@dataclass(frozen=True)
class OutboxState:
    """The queue as a whole: pending jobs, when the oldest was created, and since when the
    longest-due job at a served, healthy destination has waited (None: none is due)."""

    pending: int
    oldest_created_at: int | None
    oldest_due_at: int | None


async def destination_health(db: Database) -> list[DestinationHealth]:
    """Every destination, the stopped ones first."""
    rows = await db.fetch_all(
        "SELECT d.id, d.kind, d.healthy, coalesce(d.health_note, ''),"  # noqa: S608
        " count(j.destination_id), count(j.last_error), d.failures"
        f" FROM destinations d LEFT JOIN ({PENDING_JOBS}) j"
        " ON j.destination_id = d.id GROUP BY d.id ORDER BY d.healthy, d.id"
    )
    errors = await _last_errors(db, {row[0] for row in rows if row[5]})
    return [
        DestinationHealth(
            r[0], r[1], bool(r[2]), r[3], int(r[4]), int(r[5]), errors.get(r[0], ""), int(r[6])
        )
        for r in rows
    ]


async def _last_errors(db: Database, destination_ids: set[str]) -> dict[str, str]:
    """The newest error among each destination's pending jobs (alerts before digests)."""
    if not destination_ids:
        return {}
    found: dict[str, str] = {}
    for table in ("outbox", "digests"):
        rows = await db.fetch_all(
            f"SELECT destination_id, last_error FROM {table} WHERE id IN"  # noqa: S608
            f" (SELECT max(id) FROM {table} WHERE state = 'pending' AND last_error IS NOT NULL"
            "  GROUP BY destination_id)"
        )
        for row in rows:
            found.setdefault(row[0], row[1])
    return {dest: error for dest, error in found.items() if dest in destination_ids}


async def recent_stories(db: Database, limit: int = 20) -> list[RecentStory]:
    """The stories last changed, newest first, each with its timeline and deliveries."""
    rows = await db.fetch_all(
        "SELECT id, title, event, platforms, regions, updated_at FROM stories"
        " ORDER BY updated_at DESC, id DESC LIMIT ?",
        (limit,),
    )
    deliveries = await _deliveries(db, [row["id"] for row in rows])
    return [
        RecentStory(
            id=row["id"],
            title=row["title"],
            event=row["event"],
            platforms=_split(row["platforms"]),
            regions=_split(row["regions"]),
            updated_at=row["updated_at"],
            timeline=await story_timeline(db, row["id"]),
            deliveries=tuple(deliveries.get(row["id"], ())),
        )
        for row in rows
    ]


async def _deliveries(db: Database, story_ids: list[int]) -> dict[int, list[Delivery]]:
    if not story_ids:
        return {}
    marks = ",".join("?" for _ in story_ids)
    rows = await db.fetch_all(
        "SELECT story_id, destination_id,"  # noqa: S608
        " max(CASE WHEN action = 'post' AND state = 'done' THEN 1 ELSE 0 END) AS posted,"
        " max(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS waiting,"
        " coalesce(max(CASE WHEN state = 'pending' THEN last_error END), '') AS error"
        f" FROM outbox WHERE story_id IN ({marks})"
        " GROUP BY story_id, destination_id ORDER BY story_id, destination_id",
        story_ids,
    )
    found: dict[int, list[Delivery]] = {}
    for row in rows:
        if not row["posted"]:
            state = "waiting"
        elif row["waiting"]:
            state = "updating"
        else:
            state = "sent"
        found.setdefault(row["story_id"], []).append(
            Delivery(row["destination_id"], state, row["error"])
        )
    return found


async def outbox_state(db: Database, now: int, kinds: Iterable[str]) -> OutboxState:
    """`kinds` are the destinations being served (the adapters running): jobs for a chat app
    that is off, or at a destination stopped until a person acts, are held, not stuck."""
    listed = "," + ",".join(kinds) + ","
    row = await db.fetch_one(f"SELECT count(*), min(created_at) FROM ({PENDING_JOBS})")  # noqa: S608
    due = await db.fetch_one(
        f"SELECT min(j.next_attempt_at) FROM ({PENDING_JOBS}) j"  # noqa: S608
        " JOIN destinations d ON d.id = j.destination_id WHERE j.next_attempt_at <= ?"
        " AND d.healthy = 1 AND instr(?, ',' || d.kind || ',') > 0",
        (now, listed),
    )
    return OutboxState(
        pending=int(row[0]) if row else 0,
        oldest_created_at=row[1] if row else None,
        oldest_due_at=due[0] if due else None,
    )


async def probe_write(db: Database, name: str, now: int) -> None:
    """One real write, committed: raises one of DATABASE_ERRORS when the database cannot be
    written (a full disk, a read-only file, another process holding the write lock past the
    connection's busy timeout, a PostgreSQL server gone)."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO probes (name, at) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET at = excluded.at",
            (name, now),
        )


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(",") if part)
