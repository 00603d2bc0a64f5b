"""How often a source is polled, learned from how often it publishes: the weights, bounds and
windows in one checked place, and the pure functions that use them.

A source whose items come about every `gap` seconds is polled every
`interval x sqrt(gap / reference_gap)`: a feed publishing once a day keeps its configured
interval, a busy one is polled more often, a quiet one less. The square root is what spends
a fixed number of requests best: with items arriving at rate r_i and source i polled every
T_i, the mean delay Σ r_i·T_i/2 under a budget Σ 1/T_i is least when T_i ∝ 1/sqrt(r_i).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.models import Feed


@dataclass(frozen=True)
class Cadence:
    """Every bound, weight and window of adaptive polling (seconds unless said)."""

    shortest: int = 180  # no source is polled more often than every 3 minutes
    slowest_factor: float = 4.0  # a quiet source waits at most 4 x its configured interval
    longest: int = 24 * 3600  # ... and never more than a day
    reference_gap: int = 24 * 3600  # a source publishing this often keeps its interval
    # Weight of the newest observed gap in the running estimate (an exponential average):
    # 0.3 follows a change of pace within a few items, without jumping at one odd gap.
    learning_weight: float = 0.3
    history_items: int = 20  # on the first poll, the newest 20 dated items seed the estimate
    # A source silent for longer than its estimate is taken to publish at most every
    # silence / silence_divisor: a burst once learned does not keep a quiet source busy.
    silence_divisor: float = 2.0
    # Requests to one host, across all its sources, are at least this far apart on average:
    # a host with k sources has each polled at most every k x host_floor. Static shares need
    # no coordination between polls or processes.
    host_floor: int = 60
    # While a story is developing (a story opened or a development recorded within
    # hot_window), the regulator and platform sources of its regions are polled at least
    # every hot_interval.
    hot_window: int = 24 * 3600
    hot_interval: int = 600
    hot_kinds: tuple[str, ...] = ("regulator", "platform")

    def __post_init__(self) -> None:
        problems = []
        if not 60 <= self.shortest <= self.longest:
            problems.append("shortest must be at least 60 s and at most longest")
        if self.slowest_factor < 1:
            problems.append("slowest_factor must be >= 1 (the interval is never shortened)")
        if self.reference_gap <= 0 or self.hot_window <= 0:
            problems.append("reference_gap and hot_window must be > 0")
        if not 0 < self.learning_weight <= 1:
            problems.append("learning_weight must be in (0, 1]")
        if self.history_items < 2:
            problems.append("history_items must be >= 2 (one gap needs two items)")
        if self.silence_divisor < 1:
            problems.append("silence_divisor must be >= 1")
        if self.host_floor < 0:
            problems.append("host_floor must be >= 0")
        if not self.shortest <= self.hot_interval <= self.longest:
            problems.append("hot_interval must lie between shortest and longest")
        if problems:
            raise ValueError(f"cadence {self}: " + "; ".join(problems))


CADENCE = Cadence()


@dataclass(frozen=True)
class Pace:
    """What is known of a source's publishing: the estimated gap between its items, and the
    newest item's time (unix seconds). Stored with the feed's state."""

    gap: float | None = None
    newest: int | None = None


def learn(pace: Pace, published: list[int], now: int, cadence: Cadence = CADENCE) -> Pace:
    """The pace after a poll that read items published at `published` (any order).

    The first poll seeds the gap from the feed's own history (its newest dated items); later
    polls fold in the items newer than the newest seen, as one sample: their span over their
    number, weighted as that many samples (dates with no time of day give equal stamps).
    """
    times = sorted(min(t, now) for t in published)
    if not times:
        return pace
    if pace.newest is None:
        recent = times[-cadence.history_items :]
        gap = pace.gap
        if len(recent) >= 2 and recent[-1] > recent[0]:
            gap = (recent[-1] - recent[0]) / (len(recent) - 1)
        return Pace(gap, recent[-1])
    fresh = [t for t in times if t > pace.newest]
    if not fresh:
        return pace
    sample = (fresh[-1] - pace.newest) / len(fresh)
    if pace.gap is None:
        return Pace(sample, fresh[-1])
    weight = 1 - (1 - cadence.learning_weight) ** len(fresh)
    return Pace(pace.gap + weight * (sample - pace.gap), fresh[-1])


def poll_every(
    feed: Feed,
    pace: Pace,
    now: int,
    *,
    hot: bool = False,
    host_sources: int = 1,
    cadence: Cadence = CADENCE,
) -> int:
    """Seconds between this source's polls: its interval scaled by its pace, within bounds;
    hot sources at most hot_interval; never above its share of its host's floor."""
    interval = feed.interval_minutes * 60
    every = float(interval)
    if pace.gap is not None:
        gap = pace.gap
        if pace.newest is not None:
            gap = max(gap, (now - pace.newest) / cadence.silence_divisor)
        every = interval * math.sqrt(max(gap, 1.0) / cadence.reference_gap)
        longest = max(min(interval * cadence.slowest_factor, cadence.longest), interval)
        every = min(max(every, cadence.shortest), longest)
    if hot and feed.kind in cadence.hot_kinds:
        every = min(every, cadence.hot_interval)
    every = max(every, cadence.shortest, cadence.host_floor * host_sources)
    return int(every)
