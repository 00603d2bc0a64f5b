"""websub rows: one WebSub subscription per feed (bot.websub decides what they mean)."""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields

from bot.storage.db import Database, Transaction


@dataclass(frozen=True)
class Subscription:
    feed_id: str
    hub: str
    topic: str
    secret: str  # HMAC key the hub signs pushes with; never logged or shown
    state: str  # "requested", "active" or "denied"
    asked_at: int
    lease_until: int | None = None

    def __repr__(self) -> str:  # the secret stays out of logs and tracebacks
        return f"Subscription({self.feed_id!r}, {self.hub!r}, {self.state!r})"


_COLUMNS = [f.name for f in fields(Subscription)]


async def load_subscriptions(db: Database | Transaction) -> dict[str, Subscription]:
    rows = await db.fetch_all(f"SELECT {', '.join(_COLUMNS)} FROM websub")  # noqa: S608
    return {row["feed_id"]: Subscription(*row) for row in rows}


async def save_subscription(tx: Transaction, subscription: Subscription) -> None:
    placeholders = ", ".join("?" for _ in _COLUMNS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in _COLUMNS[1:])
    await tx.execute(  # an upsert, not INSERT OR REPLACE: PostgreSQL has no such statement
        f"INSERT INTO websub ({', '.join(_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
        f" ON CONFLICT (feed_id) DO UPDATE SET {updates}",
        astuple(subscription),
    )
