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
    stories = list(developing)
    hot: set[str] = set()
    for feed in feeds:
        if feed.kind not in cadence.hot_kinds:
            continue
        for regions, platforms in stories:
            if feed.region is not None and any(overlaps(r, feed.region) for r in regions):
                hot.add(feed.id)
                break
            if feed.kind == "platform" and _names(feed, platforms):
                hot.add(feed.id)
                break
    return frozenset(hot)


def _names(feed: Feed, platforms: Iterable[str]) -> bool:
    return any(feed.id == p or feed.id.startswith(p + "-") for p in platforms)
