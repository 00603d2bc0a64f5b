"""leases rows: how several bot processes on one database share feed polls, deliveries,
judging and digests, so that no two do the same work at once.

A lease is a row, named for the work ("feed:ico", "destination:discord:1/2", "judging"),
held by one process until a time. Taking one is a single UPDATE whose rows are chosen
with `FOR UPDATE SKIP LOCKED` on PostgreSQL: two processes asking at the same moment
divide the free leases between them instead of queueing for each other's row locks. SQLite
(one process, one writer) runs the same statement without it. A process that dies holds its
leases until they expire; then another takes the work over, and the outbox's `sent_at`
marks tell it which messages may already have gone out.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterable

from bot.storage.db import Database, Transaction

CHUNK = 500  # names per statement: well under either database's limit on parameters


def holder_id() -> str:
    """This process, as leases name it: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def take_leases(
    db: Database, names: Iterable[str], holder: str, now: int, until: int
) -> set[str]:
    """Take each named lease that is free, expired or already ours; returns those taken."""
    wanted = sorted(set(names))
    taken: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        async with db.transaction() as tx:
            await tx.execute_many(
                "INSERT OR IGNORE INTO leases (name, holder, until) VALUES (?, '', 0)",
                ((name,) for name in chunk),
            )
        marks = ", ".join("?" for _ in chunk)
        async with db.transaction() as tx:
            rows = await tx.fetch_all(
                "UPDATE leases SET holder = ?, until = ? WHERE name IN"  # noqa: S608
                f" (SELECT name FROM leases WHERE name IN ({marks})"
                f" AND (until <= ? OR holder = ?){tx.skip_locked}) RETURNING name",
                (holder, until, *chunk, now, holder),
            )
        taken.update(row[0] for row in rows)
    return taken


async def renew_lease(tx: Transaction, name: str, holder: str, until: int) -> bool:
    """Keep a lease a while longer; False if it is no longer ours (it expired and another
    process took it), so the caller must not go on with the work."""
    changed = await tx.execute_counted(
        "UPDATE leases SET until = ? WHERE name = ? AND holder = ?", (until, name, holder)
    )
    return changed == 1


async def release_leases(tx: Transaction, names: Iterable[str], holder: str) -> None:
    """Hand back leases this process holds (the work is done and committed)."""
    await tx.execute_many(
        "UPDATE leases SET until = 0 WHERE name = ? AND holder = ?",
        ((name, holder) for name in names),
    )


class Leases:
    """One process's hold on shared work: its holder id, how long a lease lasts, its clock."""

    def __init__(
        self, db: Database, seconds: int, clock: Callable[[], float], holder: str | None = None
    ) -> None:
        self._db = db
        self.seconds = seconds
        self._clock = clock
        self.holder = holder or holder_id()

    async def start(self) -> None:
        """At start-up: on a database only this process uses (SQLite), the leases a run
        killed earlier left are void; its feeds and deliveries resume at once instead of
        after the leases expire. On a shared one they are another process's, or expire."""
        if not self._db.shared:
            async with self._db.transaction() as tx:
                await tx.execute("UPDATE leases SET until = 0")

    def _until(self) -> int:
        return int(self._clock()) + self.seconds

    async def take(self, names: Iterable[str]) -> set[str]:
        return await take_leases(self._db, names, self.holder, int(self._clock()), self._until())

    async def take_one(self, name: str) -> bool:
        return name in await self.take((name,))

    async def renew(self, tx: Transaction, name: str) -> bool:
        return await renew_lease(tx, name, self.holder, self._until())

    async def release(self, names: Iterable[str]) -> None:
        async with self._db.transaction() as tx:
            await release_leases(tx, names, self.holder)

    async def release_in(self, tx: Transaction, names: Iterable[str]) -> None:
        await release_leases(tx, names, self.holder)
