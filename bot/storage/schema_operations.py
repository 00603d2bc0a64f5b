"""The later migration steps: what operating the bot at scale needed (its status and
delivery health, each feed's learned pace, WebSub subscriptions, leases for several
processes). bot.storage.migrate applies them after bot.storage.schema's.

Never edit a released step; add a new one, and list it in bot.storage.migrate.MIGRATIONS.
"""

from __future__ import annotations

from bot.storage.statements import Statements


async def _v11_status(tx: Statements) -> None:
    # The status page shows when each feed last succeeded, which a failing feed's own row
    # forgets; existing feeds that are fine succeeded at their last fetch. The health check
    # proves the database takes writes by writing one row of `probes`. The page lists where
    # each recent story went, by story (outbox_story leads with the destination).
    await tx.execute("ALTER TABLE feed_state ADD COLUMN last_success_at INTEGER")
    await tx.execute(
        "UPDATE feed_state SET last_success_at = last_fetch_at WHERE last_error IS NULL"
    )
    await tx.execute("CREATE TABLE probes (name TEXT PRIMARY KEY, at INTEGER NOT NULL)")
    await tx.execute("CREATE INDEX outbox_by_story ON outbox(story_id)")


async def _v12_delivery_health(tx: Statements) -> None:
    # A destination whose sends keep failing (5xx, no answer, a long 429) is still retried,
    # and shows as failing, since when and how many tries in a row, until one succeeds. A chat
    # platform that refused the bot's token is stopped until the bot restarts with a new one:
    # `platforms` keeps that, with the reason, for the status page and `aiwatch feeds`.
    await tx.execute("ALTER TABLE destinations ADD COLUMN failures INTEGER NOT NULL DEFAULT 0")
    await tx.execute("ALTER TABLE destinations ADD COLUMN failing_since INTEGER")
    await tx.execute("""
        CREATE TABLE platforms (
            name TEXT PRIMARY KEY,
            healthy INTEGER NOT NULL DEFAULT 1,
            reason TEXT,
            changed_at INTEGER NOT NULL
        )""")


async def _v13_feed_pace(tx: Statements) -> None:
    # Adaptive polling (bot.feeds.cadence) remembers each feed's pace: the estimated gap
    # between its items and its newest item's time. Unknown for existing feeds: they keep
    # their interval until their next poll teaches it.
    await tx.execute("ALTER TABLE feed_state ADD COLUMN publish_gap REAL")
    await tx.execute("ALTER TABLE feed_state ADD COLUMN newest_item_at INTEGER")


async def _v14_websub(tx: Statements) -> None:
    # A WebSub subscription per feed that names a hub: the topic asked for, the secret the
    # hub signs pushes with (never shown), and until when the hub confirmed it. `state` is
    # requested (waiting for the hub's check), active, or denied.
    await tx.execute("""
        CREATE TABLE websub (
            feed_id TEXT PRIMARY KEY,
            hub TEXT NOT NULL,
            topic TEXT NOT NULL,
            secret TEXT NOT NULL,
            state TEXT NOT NULL,
            asked_at INTEGER NOT NULL,
            lease_until INTEGER
        )""")


async def _v15_leases(tx: Statements) -> None:
    # Several bot processes on one database share the work by leases: a feed's poll
    # ("feed:<id>"), a destination's deliveries ("destination:<id>"), the judging of stored
    # items ("judging") and the digests ("digests"). A lease is held until `until` (unix
    # seconds); a process that dies leaves it to expire, and another takes the work over.
    await tx.execute(
        "CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until INTEGER NOT NULL)"
    )
