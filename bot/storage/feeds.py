"""feed_state rows: validators, health and schedule per feed."""

from __future__ import annotations

from dataclasses import astuple, fields

from bot.models import FeedState
from bot.storage.db import Database, Transaction

_COLUMNS = [f.name for f in fields(FeedState)]


async def load_feed_states(db: Database) -> dict[str, FeedState]:
    rows = await db.fetch_all(f"SELECT {', '.join(_COLUMNS)} FROM feed_state")  # noqa: S608
    return {row["feed_id"]: FeedState(*row) for row in rows}


async def save_feed_states(tx: Transaction, states: list[FeedState]) -> None:
    placeholders = ", ".join("?" for _ in _COLUMNS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in _COLUMNS[1:])
    await tx.execute_many(
        f"INSERT INTO feed_state ({', '.join(_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
        f" ON CONFLICT (feed_id) DO UPDATE SET {updates}",
        (astuple(s) for s in states),
    )
