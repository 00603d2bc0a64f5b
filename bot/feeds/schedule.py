"""When each feed is polled next: every so often (its interval, or what bot.feeds.cadence
learned of its pace), at its own phase so feeds do not poll together, slowed on failure.

Pure functions of the feed, its state, the time and a random source, so tests inject all.
"""

from __future__ import annotations

import hashlib
import random

from bot.models import Feed

BACKOFF_CEILING = 12 * 3600  # a failing feed is slowed down to twice a day, never dropped
MAX_AGE_CEILING = 24 * 3600  # a server's max-age is honoured up to a day
RETRY_AFTER_CEILING = 7 * 24 * 3600
STARTUP_SPREAD = 60  # a new install polls every feed within its first minute, not at once


def phase(feed: Feed, every: int | None = None) -> int:
    """A stable offset within the feed's period (default its interval), so feeds do not all
    poll at once."""
    digest = hashlib.blake2b(feed.id.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % max(1, every or feed.interval_minutes * 60)


def first_poll(feed: Feed, now: int) -> int:
    return now + phase(feed) % STARTUP_SPREAD


def after_success(feed: Feed, now: int, max_age: float | None, every: int | None = None) -> int:
    """The feed's next slot at least half a period away (`every` seconds, default its
    interval), later if the server's max-age says the feed stays fresh longer."""
    interval = every or feed.interval_minutes * 60
    offset = phase(feed, interval)
    earliest = now + interval // 2
    slot = earliest + (offset - earliest) % interval
    if max_age:
        slot = max(slot, now + int(min(max_age, MAX_AGE_CEILING)))
    return slot


def after_failure(
    feed: Feed, now: int, failures: int, retry_after: float | None, rng: random.Random
) -> int:
    """Exponential backoff with jitter, capped; a server's Retry-After is a floor."""
    interval = feed.interval_minutes * 60
    delay = min(interval * 2 ** max(0, failures - 1), BACKOFF_CEILING)
    delay = delay * rng.uniform(0.8, 1.2)
    if retry_after:
        delay = max(delay, min(retry_after, RETRY_AFTER_CEILING))
    return now + int(delay)
