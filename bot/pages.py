"""What one poll of a news page may alert: pure decisions the pipeline applies.

A page, unlike a feed, can change shape overnight. When a redesign makes the entry selector
catch the whole site, one poll would bring dozens of "new" entries and flood every channel,
so at most PAGE_ALERT_CAP never-seen entries of one poll may alert; the rest are stored and
grouped but not alerted, and the health note and the log say so.

A page often prints no date. An undated entry is dated the moment it is first seen (later
polls find it stored and change nothing), and on a source's first poll it alerts nothing,
as an undated feed entry does not: the `--since` rule cannot place it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.models import Entry

PAGE_ALERT_CAP = 10


@dataclass(frozen=True)
class PagePoll:
    """The entries to store, each with whether it may alert, and a note when some may not."""

    entries: tuple[tuple[Entry, bool], ...]
    note: str = ""


def review_page_poll(
    entries: Sequence[Entry],
    known_links: Collection[str],
    *,
    now: datetime,
    cutoff: datetime,
    first_poll: bool,
    cap: int = PAGE_ALERT_CAP,
) -> PagePoll:
    """Date undated entries by first sighting and cap the never-seen ones that may alert
    (the page's own order kept: listings put the newest first)."""
    reviewed: list[tuple[Entry, bool]] = []
    alerting = 0
    held_back = 0
    for entry in entries:
        alertable = entry.published >= cutoff if entry.published else not first_poll
        if entry.published is None:
            entry = replace(entry, published=now)
        if alertable and entry.link not in known_links:
            alerting += 1
            if alerting > cap:
                alertable = False
                held_back += 1
        reviewed.append((entry, alertable))
    note = ""
    if held_back and first_poll:  # a new source's recent news, not a sign of breakage
        note = (
            f"first poll: the page showed {alerting} recent entries; the first {cap} were"
            f" alerted and {held_back} stored without alerting"
        )
    elif held_back:
        note = (
            f"the page showed {alerting} entries never seen before; only the first {cap}"
            f" were alerted and {held_back} stored without alerting (if the selectors now"
            " catch more than the news list, correct them)"
        )
    return PagePoll(tuple(reviewed), note)
