"""The request budget: adaptive polling spends no more requests than today's fixed schedule.

In all, the sources are polled no more often than if each were polled every `interval`. One
factor stretches (or shrinks) every source's period, bounds and floors kept, until the sum of
their rates meets that budget: busy sources are paid for by quiet ones, and a developing
story's hot sources by everyone else. A pure function of the feeds' paces and the time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.feeds.cadence import CADENCE, Cadence, Pace, bounded_period, natural_period
from bot.models import Feed

PRECISION = 1.01  # the factor found is at most 1 % above the exact one


@dataclass(frozen=True)
class Source:
    """One source as the budget sees it."""

    feed: Feed
    pace: Pace
    hot: bool = False
    host_sources: int = 1
    pushed: bool = False


def budget_scale(sources: Sequence[Source], now: int, cadence: Cadence = CADENCE) -> float:
    """The smallest factor within cadence.scale_bounds whose polls fit the budget (the
    largest bound when even that does not)."""
    budget = cadence.budget_share * sum(1 / (s.feed.interval_minutes * 60) for s in sources)
    natural = [(s, natural_period(s.feed, s.pace, now, cadence)) for s in sources]

    def polls_per_second(scale: float) -> float:
        return sum(
            1
            / bounded_period(
                s.feed, period * scale, s.hot, s.host_sources, cadence, pushed=s.pushed
            )
            for s, period in natural
        )

    low, high = cadence.scale_bounds
    if polls_per_second(low) <= budget:
        return low
    if polls_per_second(high) > budget:
        return high
    while high / low > PRECISION:  # invariant: low spends too much, high fits
        middle = math.sqrt(low * high)
        if polls_per_second(middle) <= budget:
            high = middle
        else:
            low = middle
    return high
