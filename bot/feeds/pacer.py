"""The schedule's memory across feeds: their paces (for the request budget), each host's
number of sources (for its floor) and the hot feeds of developing stories; it turns a poll's
items into the feed's pace and next slot.

The bench (bench/delay.py) drives this same object on a simulated clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from bot.feeds import schedule
from bot.feeds.budget import Source, budget_scale
from bot.feeds.cadence import CADENCE, Cadence, Pace, learn, poll_every
from bot.feeds.hot import Story, hot_sources
from bot.models import Entry, Feed, FeedState


class Pacer:
    def __init__(self, feeds: Iterable[Feed], cadence: Cadence = CADENCE) -> None:
        self.cadence = cadence
        self._feeds = {feed.id: feed for feed in feeds}
        per_host = Counter(host(feed) for feed in self._feeds.values())
        self._host_sources = {fid: per_host[host(feed)] for fid, feed in self._feeds.items()}
        self.hot: frozenset[str] = frozenset()  # feeds of developing stories
        self.pushed: frozenset[str] = frozenset()  # feeds with a live WebSub subscription
        self._paces = dict.fromkeys(self._feeds, Pace())
        self._scale = 1.0
        self._scaled_at: int | None = None  # None: to be worked out again

    def know(self, states: Mapping[str, FeedState]) -> None:
        """Take the stored paces (at start, and from other processes' polls)."""
        for feed_id, state in states.items():
            pace = Pace(state.publish_gap, state.newest_item_at)
            if feed_id in self._paces and self._paces[feed_id] != pace:
                self._paces[feed_id], self._scaled_at = pace, None

    def heat(self, developing: Iterable[Story], overlaps: Callable[[str, str], bool]) -> None:
        hot = hot_sources(self._feeds.values(), developing, overlaps, self.cadence)
        if hot != self.hot:
            self.hot, self._scaled_at = hot, None

    def push(self, pushed: frozenset[str]) -> None:
        """The feeds whose hub pushes to us now: polled only as a fallback."""
        if pushed != self.pushed:
            self.pushed, self._scaled_at = pushed, None

    def every(self, feed: Feed, pace: Pace, now: int) -> int:
        """Seconds between the feed's polls, as things stand."""
        return poll_every(feed, pace, now, hot=feed.id in self.hot, cadence=self.cadence,
                          host_sources=self._host_sources.get(feed.id, 1),
                          scale=self.scale(now), pushed=feed.id in self.pushed)  # fmt: skip

    def scale(self, now: int) -> float:
        """The request budget's factor, worked out again every rescale_every seconds."""
        if self._scaled_at is None or now - self._scaled_at >= self.cadence.rescale_every:
            sources = [
                Source(
                    feed,
                    self._paces[feed.id],
                    feed.id in self.hot,
                    self._host_sources.get(feed.id, 1),
                    feed.id in self.pushed,
                )
                for feed in self._feeds.values()
            ]
            self._scale, self._scaled_at = budget_scale(sources, now, self.cadence), now
        return self._scale

    def after_success(
        self, feed: Feed, state: FeedState, published: list[int], now: int, max_age: float | None
    ) -> tuple[Pace, int]:
        """The feed's pace once it has read items published at `published`, and its next
        poll (its slot within its period; later if the server's max-age says so)."""
        pace = learn(Pace(state.publish_gap, state.newest_item_at), published, now, self.cadence)
        if feed.id in self._paces:
            self._paces[feed.id] = pace
        return pace, schedule.after_success(feed, now, max_age, self.every(feed, pace, now))

    def hot_polls(self, states: Mapping[str, FeedState], now: int) -> dict[str, int]:
        """When each hot feed is due at the latest, counted from its last poll: a story that
        just developed brings its regulators' and platforms' next polls forward."""
        due = {}
        for feed_id in self.hot:
            state = states.get(feed_id)
            if state is None or state.last_fetch_at is None or state.failures:
                continue  # never polled: due anyway; failing: its backoff stands
            pace = Pace(state.publish_gap, state.newest_item_at)
            due[feed_id] = state.last_fetch_at + self.every(self._feeds[feed_id], pace, now)
        return due


def host(feed: Feed) -> str:
    return urlsplit(feed.url).hostname or ""


def published_times(
    entries: Iterable[Entry], known: set[str], now: int, *, page: bool
) -> list[int]:
    """Publication times to learn a feed's pace from: dated entries, and on a page (whose
    known links are looked up) each new undated entry, seen now."""
    times = []
    for entry in entries:
        if entry.published is not None:
            times.append(int(entry.published.timestamp()))
        elif page and entry.link not in known:
            times.append(now)
    return times
