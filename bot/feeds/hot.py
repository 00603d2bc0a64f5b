"""Hot sources: while a story is developing, the regulators and platforms it concerns are
polled more often (bot.feeds.cadence says how long and how often).

A regulator or platform source is hot when its region overlaps a developing story's regions
(a story in the EU heats the Irish regulator and the EDPB alike), and a platform source also
when its id names one of the story's platforms (`linkedin-pressroom` for LinkedIn).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.feeds.cadence import CADENCE, Cadence
from bot.models import Feed

Story = tuple[tuple[str, ...], tuple[str, ...]]  # a developing story's regions, platforms


def hot_sources(
    feeds: Iterable[Feed],
    developing: Iterable[Story],
    overlaps: Callable[[str, str], bool],
    cadence: Cadence = CADENCE,
) -> frozenset[str]:
    """The ids of the feeds to poll more often while `developing` stories last."""
    regions: set[str] = set()
    platforms: set[str] = set()
    for story_regions, story_platforms in developing:
        regions.update(story_regions)
        platforms.update(story_platforms)
    feeds = [feed for feed in feeds if feed.kind in cadence.hot_kinds]
    places = {feed.region for feed in feeds if feed.region is not None}
    hot_places = {p for p in places if any(overlaps(r, p) for r in regions)}
    return frozenset(
        feed.id
        for feed in feeds
        if feed.region in hot_places or (feed.kind == "platform" and _names(feed, platforms))
    )


def _names(feed: Feed, platforms: Iterable[str]) -> bool:
    return any(feed.id == p or feed.id.startswith(p + "-") for p in platforms)
