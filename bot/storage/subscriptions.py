"""destinations' settings and subscriptions: read as rows (bot.subscriptions routes them),
changed by the commands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.models import Subscription
from bot.storage.db import Database, Transaction


@dataclass(frozen=True)
class DestinationRow:
    """A destination's choices and its subscriptions, as stored."""

    id: str
    kind: str
    include_global: bool
    digest_hour: int | None
    subscriptions: tuple[Subscription, ...]


def _set(text: str) -> frozenset[str]:
    return frozenset(p for p in text.split(",") if p)


def _join(values: Iterable[str]) -> str:
    return ",".join(sorted(values))


async def load_destination_rows(
    db: Database | Transaction, destination_id: str | None = None
) -> list[DestinationRow]:
    """Every destination (or just one) with its subscriptions and choices, unhealthy ones too."""
    only = (destination_id,)  # NULL: every destination
    destinations = await db.fetch_all(
        "SELECT id, kind, include_global, digest_hour FROM destinations WHERE coalesce(?, id) = id",
        only,
    )
    rows = await db.fetch_all(
        "SELECT destination_id, region, platforms, events FROM subscriptions"
        " WHERE coalesce(?, destination_id) = destination_id",
        only,
    )
    subscriptions: dict[str, list[Subscription]] = {}
    for row in rows:
        subscriptions.setdefault(row["destination_id"], []).append(
            Subscription(row["region"], _set(row["platforms"]), _set(row["events"]))
        )
    return [
        DestinationRow(
            d["id"],
            d["kind"],
            bool(d["include_global"]),
            d["digest_hour"],
            tuple(subscriptions.get(d["id"], ())),
        )
        for d in destinations
    ]


async def subscribe(
    tx: Transaction,
    destination_id: str,
    regions: Iterable[str],
    platforms: Iterable[str],
    events: Iterable[str],
) -> None:
    """Add or replace the subscription of each region (its filters are the new ones)."""
    await tx.execute_many(
        "INSERT INTO subscriptions (destination_id, region, platforms, events) VALUES (?,?,?,?)"
        " ON CONFLICT (destination_id, region) DO UPDATE"
        " SET platforms = excluded.platforms, events = excluded.events",
        [(destination_id, region, _join(platforms), _join(events)) for region in regions],
    )


async def unsubscribe(tx: Transaction, destination_id: str, regions: Iterable[str] | None) -> int:
    """Remove some regions, or all of them (None); returns how many were removed."""
    if regions is None:
        return await tx.execute_counted(
            "DELETE FROM subscriptions WHERE destination_id = ?", (destination_id,)
        )
    removed = 0
    for region in regions:
        removed += await tx.execute_counted(
            "DELETE FROM subscriptions WHERE destination_id = ? AND region = ?",
            (destination_id, region),
        )
    return removed


async def set_include_global(tx: Transaction, destination_id: str, include: bool) -> None:
    await tx.execute(
        "UPDATE destinations SET include_global = ? WHERE id = ?", (int(include), destination_id)
    )


async def set_digest_hour(tx: Transaction, destination_id: str, hour: int | None) -> None:
    await tx.execute("UPDATE destinations SET digest_hour = ? WHERE id = ?", (hour, destination_id))
