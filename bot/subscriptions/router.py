"""Who wants a story: each destination's region subscriptions, with region groups, and its
choice about stories that name no region (GLOBAL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.models import Subscription
from bot.settings.regions import RegionBook
from bot.vocabulary import GLOBAL

ALL = "ALL"


@dataclass(frozen=True)
class Route:
    """A destination's choices, as the router and the digest read them."""

    destination_id: str
    subscriptions: tuple[Subscription, ...]
    include_global: bool = True
    digest_hour: int | None = None  # None: alerts as they happen

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(s.region for s in self.subscriptions)

    def wants(
        self, regions: tuple[str, ...], platforms: tuple[str, ...], event: str | None,
        book: RegionBook,
    ) -> bool:  # fmt: skip
        return wants_story(
            self.subscriptions,
            regions=regions,
            platforms=platforms,
            event=event,
            book=book,
            include_global=self.include_global,
        )


def wants_story(
    subscriptions: Iterable[Subscription],
    *,
    regions: tuple[str, ...],
    platforms: tuple[str, ...],
    event: str | None,
    book: RegionBook,
    include_global: bool = True,
) -> bool:
    """True if any subscription covers the story's regions, platforms and event.

    A story that names no region (GLOBAL) concerns everyone, so it reaches every destination
    whose filters it passes, unless that destination opted out of global stories.
    """
    is_global = not regions or GLOBAL in regions
    for sub in subscriptions:
        if sub.platforms and not sub.platforms.intersection(platforms):
            continue
        if sub.events and event not in sub.events:
            continue
        if sub.region == ALL:
            return True
        if is_global:
            if include_global:
                return True
            continue
        if any(book.overlaps(sub.region, tag) for tag in regions):
            return True
    return False
