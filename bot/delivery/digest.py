"""Daily digests: at a destination's chosen hour (UTC), that day's stories in one message."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.settings.regions import RegionBook
from bot.storage import Database
from bot.storage.digests import has_digest, last_digest_at, queue_digest
from bot.storage.stories import alertable_story_tags_between
from bot.subscriptions import load_routes

DAY = 24 * 3600


async def queue_due_digests(db: Database, book: RegionBook, now: int) -> int:
    """Queue today's digest for each destination whose hour has come; returns how many.

    A digest covers the stories first seen since the previous digest (at most a day back), so
    switching from alerts to a digest never resends what was already posted days ago.
    """
    moment = datetime.fromtimestamp(now, UTC)
    day = moment.date().isoformat()
    queued = 0
    for route in (await load_routes(db)).values():
        if route.digest_hour is None or moment.hour < route.digest_hour:
            continue
        if await has_digest(db, route.destination_id, day):
            continue
        start = max(now - DAY, await last_digest_at(db, route.destination_id) or 0)
        stories = await alertable_story_tags_between(db, start, now)
        wanted = [s.id for s in stories if route.wants(s.regions, s.platforms, s.event, book)]
        async with db.transaction() as tx:
            await queue_digest(tx, route.destination_id, day, wanted, now)
        queued += bool(wanted)
    return queued
