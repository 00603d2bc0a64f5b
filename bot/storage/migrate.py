"""Numbered migrations applied on open. The database keeps the number applied last (SQLite in
PRAGMA user_version, PostgreSQL in a table: see Transaction.schema_version).

A database written by an older version upgrades itself on open: each step of bot.storage.schema
(and schema_operations) runs once, in order, inside the opening transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.storage.schema import (
    _v1_feeds_items_stories,
    _v2_destinations_outbox,
    _v3_story_links,
    _v4_story_grouping,
    _v5_destination_settings,
    _v6_story_kinds,
    _v7_story_region_counts,
    _v8_story_first_seen,
    _v9_story_match_sets,
    _v10_living_messages,
)
from bot.storage.schema_operations import (
    _v11_status,
    _v12_delivery_health,
    _v13_feed_pace,
    _v14_websub,
    _v15_leases,
)
from bot.storage.statements import Statements

Migration = Callable[[Statements], Awaitable[None]]
MIGRATIONS: tuple[Migration, ...] = (
    _v1_feeds_items_stories,
    _v2_destinations_outbox,
    _v3_story_links,
    _v4_story_grouping,
    _v5_destination_settings,
    _v6_story_kinds,
    _v7_story_region_counts,
    _v8_story_first_seen,
    _v9_story_match_sets,
    _v10_living_messages,
    _v11_status,
    _v12_delivery_health,
    _v13_feed_pace,
    _v14_websub,
    _v15_leases,
)
LATEST = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of the bot."""


async def migrate(tx: Statements, target: int = LATEST) -> int:
    """Apply the steps after the database's version up to `target`; returns the version."""
    await tx.lock_migrations()
    current = await tx.schema_version()
    if current > LATEST:
        raise SchemaTooNew(
            f"the database is at schema version {current}, newer than this bot ({LATEST}); "
            "upgrade the bot or use another --db"
        )
    for version in range(current + 1, target + 1):
        await MIGRATIONS[version - 1](tx)
        await tx.set_schema_version(version)
    return max(current, target)
