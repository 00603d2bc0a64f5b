"""Leases shared by bot processes on one database: each taken by one holder at a time,
taken over once expired, and not renewed by a holder that lost it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.errors import UsageError
from bot.settings.env import read_environment
from bot.storage import Database
from bot.storage.leases import Leases


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_processes_taking_leases_at_once_divide_them(db_path: Path | str):
    dbs = [await Database.open(db_path) for _ in range(3)]
    clock = Clock()
    holders = [Leases(db, 60, clock) for db in dbs]
    names = [f"feed:{n}" for n in range(30)]
    taken = await asyncio.gather(*(h.take(names) for h in holders))
    again = await holders[0].take(names)  # its own, still held: kept; others': refused
    for db in dbs:
        await db.close()
    assert sorted(n for t in taken for n in t) == sorted(names)  # each once, none left
    assert again == taken[0]


async def test_an_expired_lease_is_taken_over_and_its_old_holder_cannot_renew(
    db_path: Path | str,
):
    db = await Database.open(db_path)
    clock = Clock()
    dead, alive = Leases(db, 10, clock), Leases(db, 10, clock)
    assert await dead.take_one("destination:console:stdout")
    assert not await alive.take_one("destination:console:stdout")
    clock.now += 11  # the holder died; its lease ran out
    assert await alive.take_one("destination:console:stdout")
    async with db.transaction() as tx:
        renewed = await dead.renew(tx, "destination:console:stdout")
    await alive.release(["destination:console:stdout"])
    freed = await dead.take_one("destination:console:stdout")
    await db.close()
    assert not renewed
    assert freed


def test_a_lease_length_that_is_no_whole_number_of_seconds_is_refused(tmp_path: Path):
    assert read_environment(environ={}, dotenv=tmp_path / ".env").lease_seconds == 120
    for bad in ("0", "-5", "1.5", "nan", "86401"):
        with pytest.raises(UsageError, match="AIWATCH_LEASE_SECONDS"):
            read_environment(environ={"AIWATCH_LEASE_SECONDS": bad}, dotenv=tmp_path / ".env")
