"""Each destination's route, read from storage's rows: its subscriptions and choices."""

from __future__ import annotations

from bot.models import Subscription
from bot.storage import Database, Transaction
from bot.storage.subscriptions import DestinationRow, load_destination_rows
from bot.subscriptions.router import ALL, Route


async def load_routes(
    db: Database | Transaction, destination_id: str | None = None
) -> dict[str, Route]:
    """Every destination (or just one) with its subscriptions and choices.

    The console with no rows wants everything. Unhealthy destinations still get jobs, which
    wait with the reason until a person fixes access; nothing is dropped.
    """
    return {row.id: _route(row) for row in await load_destination_rows(db, destination_id)}


async def load_route(db: Database | Transaction, destination_id: str) -> Route | None:
    return (await load_routes(db, destination_id)).get(destination_id)


def _route(row: DestinationRow) -> Route:
    subscriptions = row.subscriptions or ((Subscription(ALL),) if row.kind == "console" else ())
    return Route(row.id, subscriptions, row.include_global, row.digest_hour)
