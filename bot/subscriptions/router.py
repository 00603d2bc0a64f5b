"""Matching a story's tags against a destination's subscriptions, with region groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.settings.regions import GLOBAL, RegionBook

ALL = "ALL"


@dataclass(frozen=True)
class Subscription:
    region: str
    platforms: frozenset[str] = frozenset()  # empty: every platform
    events: frozenset[str] = frozenset()  # empty: every event kind


def wants_story(
    subscriptions: Iterable[Subscription],
    *,
    regions: tuple[str, ...],
    platforms: tuple[str, ...],
    event: str | None,
    book: RegionBook,
) -> bool:
    """True if any subscription covers the story's regions, platforms and event."""
    for sub in subscriptions:
        if sub.platforms and not sub.platforms.intersection(platforms):
            continue
        if sub.events and event not in sub.events:
            continue
        if sub.region == ALL or GLOBAL in regions or not regions:
            return True
        if any(book.overlaps(sub.region, tag) for tag in regions):
            return True
    return False
