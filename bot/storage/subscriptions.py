"""destinations' subscriptions, read as routes for the router."""

from __future__ import annotations

from bot.storage.db import Transaction
from bot.subscriptions.router import ALL, Subscription


def _set(text: str) -> frozenset[str]:
    return frozenset(p for p in text.split(",") if p)


async def load_routes(tx: Transaction) -> dict[str, list[Subscription]]:
    """Each healthy or unhealthy destination with its subscriptions.

    The console has no rows: it wants everything. Unhealthy destinations still get jobs, which
    wait with the reason until a person fixes access; nothing is dropped.
    """
    destinations = await tx.fetch_all("SELECT id, kind FROM destinations")
    rows = await tx.fetch_all("SELECT destination_id, region, platforms, events FROM subscriptions")
    routes: dict[str, list[Subscription]] = {
        d["id"]: [Subscription(ALL)] if d["kind"] == "console" else [] for d in destinations
    }
    for row in rows:
        routes.setdefault(row["destination_id"], []).append(
            Subscription(row["region"], _set(row["platforms"]), _set(row["events"]))
        )
    return routes
