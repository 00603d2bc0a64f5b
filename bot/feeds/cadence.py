"""How often a source is polled, learned from how often it publishes: the weights, bounds and
windows in one checked place, and the pure functions that use them.

A source whose items come about every `gap` seconds is polled every
`interval x sqrt(gap / (reference_gap x weight))`, times the request budget's factor
(bot.feeds.budget), within bounds: a news feed publishing once a day keeps its interval, a
busy one is polled more often, a quiet one less. The square root is what spends a fixed
number of requests best: with items arriving at rate r_i and source i polled every T_i, the
mean delay Σ r_i·T_i/2 under a budget Σ 1/T_i is least when T_i ∝ 1/sqrt(r_i).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from bot.models import Feed


@dataclass(frozen=True)
class Cadence:
    """Every bound, weight and window of adaptive polling (seconds unless said)."""

    shortest: int = 180  # no source is polled more often than every 3 minutes
    slowest_factor: float = 4.0  # a quiet source waits at most 4 x its configured interval
    longest: int = 24 * 3600  # ... and never more than a day
    reference_gap: int = 24 * 3600  # a news source publishing this often keeps its interval
    # What an item of each kind of source is worth waiting less for, roughly how much more
    # often it is about AI use of people's data than a news item: a source of weight w is
    # polled as if it published w times as often (the square root rule, weighted).
    kind_weights: tuple[tuple[str, float], ...] = (
        ("regulator", 3.0),
        ("platform", 2.0),
        ("advocacy", 1.0),
        ("news", 1.0),
    )
    # The request budget: in all, the sources are polled no more often than each once every
    # `interval` (today's fixed schedule). Every rescale_every seconds one factor, within
    # scale_bounds, stretches or shrinks every source's period to spend that budget.
    rescale_every: int = 1800
    # The share of that budget planned for: the rest pays for the polls a developing story
    # brings forward and for slots that fall early (in the delay bench, slots alone overspent
    # by 0.6 %).
    budget_share: float = 0.95
    scale_bounds: tuple[float, float] = (0.125, 16.0)
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
    # hot_window), the regulator and platform sources of its regions are polled hot_speedup
    # times as often, but not more often than every hot_interval.
    hot_window: int = 24 * 3600
    hot_speedup: float = 4.0
    hot_interval: int = 600
    hot_kinds: tuple[str, ...] = ("regulator", "platform")
    # A story opening or developing heats at once; a hot_window ending cools within this.
    cool_check_every: int = 300
    # WebSub: the lease asked of a hub (it may grant another), renewed when less than
    # renew_before is left (a live subscription's source is still polled, as a fallback, at
    # its longest period, at most a day, and each poll checks the lease); a hub that did
    # not confirm is asked again after ask_again.
    websub_lease: int = 10 * 24 * 3600
    websub_renew_before: int = 2 * 24 * 3600
    websub_ask_again: int = 6 * 3600

    def __post_init__(self) -> None:
        problems = []
        if not 60 <= self.shortest <= self.longest:
            problems.append("shortest must be at least 60 s and at most longest")
        if self.slowest_factor < 1:
            problems.append(
                "slowest_factor must be >= 1 (the longest wait is at least the interval)"
            )
        if min(self.reference_gap, self.hot_window, self.cool_check_every) <= 0:
            problems.append("reference_gap, hot_window and cool_check_every must be > 0")
        if not 0 < self.learning_weight <= 1:
            problems.append("learning_weight must be in (0, 1]")
        if self.history_items < 2:
            problems.append("history_items must be >= 2 (one gap needs two items)")
        if not 0 < self.scale_bounds[0] <= 1 <= self.scale_bounds[1]:
            problems.append("scale_bounds must be (low, high) with 0 < low <= 1 <= high")
        if not 0 < self.budget_share <= 1:
            problems.append("budget_share must be in (0, 1]")
        if self.rescale_every <= 0:
            problems.append("rescale_every must be > 0")
        if any(weight <= 0 for _, weight in self.kind_weights):
            problems.append("kind_weights must be > 0")
        if self.hot_speedup < 1:
            problems.append("hot_speedup must be >= 1")
        if self.silence_divisor < 1:
            problems.append("silence_divisor must be >= 1")
        if self.host_floor < 0:
            problems.append("host_floor must be >= 0")
        if not self.shortest <= self.hot_interval <= self.longest:
            problems.append("hot_interval must lie between shortest and longest")
        if not self.longest < self.websub_renew_before < self.websub_lease:
            problems.append("websub_renew_before must lie between longest and websub_lease")
        if self.websub_ask_again <= 0:
            problems.append("websub_ask_again must be > 0")
        if problems:
            raise ValueError(f"cadence {self}: " + "; ".join(problems))

    @cached_property
    def weights(self) -> dict[str, float]:
        return dict(self.kind_weights)


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
    scale: float = 1.0,
    pushed: bool = False,
    cadence: Cadence = CADENCE,
) -> int:
    """Seconds between this source's polls: its interval scaled by its pace and by the
    budget's `scale` (bot.feeds.budget), within bounds; hot sources hot_speedup times as
    often (down to hot_interval); never more often than its share of its host's floor; a
    source that pushes (a live WebSub subscription) only at its longest, as a fallback."""
    natural = natural_period(feed, pace, now, cadence)
    return bounded_period(feed, natural * scale, hot, host_sources, cadence, pushed=pushed)


def natural_period(feed: Feed, pace: Pace, now: int, cadence: Cadence = CADENCE) -> float:
    """The square-root rule: interval x sqrt(gap / (reference_gap x weight)); the interval
    itself while the pace is unknown."""
    interval = feed.interval_minutes * 60
    if pace.gap is None:
        return float(interval)
    gap = pace.gap
    if pace.newest is not None:
        gap = max(gap, (now - pace.newest) / cadence.silence_divisor)
    weight = cadence.weights.get(feed.kind, 1.0)
    return interval * math.sqrt(max(gap, 1.0) / (cadence.reference_gap * weight))


def bounded_period(
    feed: Feed,
    period: float,
    hot: bool,
    host_sources: int,
    cadence: Cadence = CADENCE,
    *,
    pushed: bool = False,
) -> int:
    """A period brought within the bounds, hurried if hot, and kept off its host's floor."""
    interval = feed.interval_minutes * 60
    longest = max(min(interval * cadence.slowest_factor, cadence.longest), interval)
    every = longest if pushed else min(max(period, cadence.shortest), longest)
    if hot and feed.kind in cadence.hot_kinds:
        every = min(every, max(every / cadence.hot_speedup, cadence.hot_interval))
    every = max(every, cadence.shortest, cadence.host_floor * host_sources)
    return int(every)
