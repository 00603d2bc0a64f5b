"""Delay to alert: a simulated day of 500 sources through the real schedule code (the Pacer of
bot/feeds/pacer.py, bot/feeds/schedule.py) on a simulated clock, against today's fixed
60-minute schedule (schedule.after_success with each feed's interval), side by side.

The sources and their rates. Orders of magnitude seen on such feeds, drawn per source
log-uniformly within the range; publishing is a Poisson process, modulated by the hour:
- 40 busy news feeds (technology sections of large outlets, wire services): 20 to 150 items
  a day (a mean gap of 10 to 70 minutes), three times as many by day as at night; several
  sections of one outlet share a host (3 to a host).
- 110 trade and niche news, advocacy and research sites: 1 to 12 items a day (a gap of 2 to
  24 hours), by day more than at night.
- 150 platform newsrooms and blogs: 1 to 4 posts a week (a gap of 2 to 7 days), weekdays
  8:00-18:00 UTC only.
- 200 regulators: 120 post about weekly (a gap of 3 to 14 days) and 80 about monthly (20 to
  45 days), weekdays 8:00-18:00 UTC only; each authority runs two feeds on one host.
A share of feeds name a WebSub hub (10 % of busy news, 30 % of niche news, 15 % of
platforms, 2 % of regulators: blog engines push, big outlets and regulators rarely); with
adaptive scheduling each is subscribed at its first poll, its items then arrive 5 to 120 s
after publication (the hub's ping and fetch), and it is polled only as a fallback. Pushes
come in to the status port and are not counted as requests sent.
Every source is configured with today's default interval (60 minutes). Each feed shows its
newest 20 items, so the first poll learns its pace from its own history, as a real one does.

Stories: an item read is relevant with a chance by kind (news 0.3 %, platform 5 %, regulator
10 %: about a dozen stories a day) and develops a story in its source's region (one of 30; a
news item's is drawn), which makes that region's regulators and platforms hot for a day (the
Pacer's hot_polls bring their polls forward, as the runner does). Whether a regulator posts
sooner after a story is not modelled: hot regions show here only as the requests they cost.

The simulation polls each source when the schedule says, reads what was published by then,
and counts the delay from each item's publication to the poll that read it (the alert goes
out right after: judging and sending take the same seconds under both schedules). One day of
warm-up (first polls, learning), then one measured day.

Prints one JSON line: for each schedule (fixed_60; adaptive, polling only; with_websub,
adaptive with the hubs' pushes) the median and 95th percentile delay (minutes, all
items of the measured day, and per kind), the requests sent that day and the CPU seconds of
the whole simulation.
"""

from __future__ import annotations

import heapq
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.feeds import schedule
from bot.feeds.pacer import Pacer
from bot.models import Feed, FeedState

MINUTE, HOUR, DAY = 60, 3600, 86400
START = int(datetime(2026, 12, 7, tzinfo=UTC).timestamp())  # a Monday, 00:00 UTC
WARM_UP = DAY
DAY_START, DAY_END = START + WARM_UP, START + WARM_UP + DAY
SHOWN = 20  # items a feed lists
READ_AFTER = DAY  # polls go on after the day until its last items are read (not counted)
REGIONS = [f"R{n:02d}" for n in range(30)]
POLL = -1  # a heap entry that is a poll; others are the pushed item's index
# Shares of feeds naming a hub: WordPress (with its WebSub plugin or on WordPress.com),
# Blogger, Medium and Substack-style blogs push; big outlets and regulators' sites rarely do.
HUBS = {"busy news": 0.1, "niche news": 0.3, "platforms": 0.15, "weekly regulators": 0.02,
        "monthly regulators": 0.02}  # fmt: skip
PUSH_LATENCY = (5, 120)  # seconds from publication to the hub's push: its ping and fetch
RELEVANT = {"news": 0.003, "platform": 0.05, "regulator": 0.10}


@dataclass(frozen=True)
class Kind:
    name: str  # a Feed kind
    label: str
    count: int
    gap: tuple[float, float]  # mean gap between items, seconds, drawn log-uniformly
    activity: Callable[[int], float]  # relative rate at a time, at most 1
    per_host: int


def daytime(t: int) -> float:
    """Three times as many items at 14:00 as at 02:00 UTC."""
    hour = (t % DAY) / HOUR
    return (2 - math.cos(2 * math.pi * (hour - 2) / 24)) / 3


def office(t: int) -> float:
    weekday = ((t - START) // DAY) % 7  # START is a Monday
    return 1.0 if weekday < 5 and 8 * HOUR <= t % DAY < 18 * HOUR else 0.0


KINDS = (
    Kind("news", "busy news", 40, (10 * MINUTE, 70 * MINUTE), daytime, 3),
    Kind("news", "niche news", 110, (2 * HOUR, 24 * HOUR), daytime, 1),
    Kind("platform", "platforms", 150, (2 * DAY, 7 * DAY), office, 1),
    Kind("regulator", "weekly regulators", 120, (3 * DAY, 14 * DAY), office, 2),
    Kind("regulator", "monthly regulators", 80, (20 * DAY, 45 * DAY), office, 2),
)


@dataclass
class Source:
    feed: Feed
    label: str
    times: list[int]  # publication times, sorted
    stories: dict[int, str] = field(default_factory=dict)  # relevant item -> story region
    hub: bool = False  # the feed names a WebSub hub
    latency: list[int] = field(default_factory=list)  # each item's push delay, with a hub


def publish(rng: random.Random, kind: Kind, mean_gap: float) -> list[int]:
    """Poisson times with the given mean gap on average over the week, shaped by activity
    (thinning), from far enough back that the feed lists SHOWN items at the start."""
    average = statistics.fmean(kind.activity(START + h * 1800) for h in range(7 * 48))
    peak_rate = 1 / (mean_gap * average)
    t, times = float(START - (SHOWN + 5) * mean_gap * 2), []
    while t < DAY_END + READ_AFTER:
        t += rng.expovariate(peak_rate)
        if rng.random() < kind.activity(int(t)):
            times.append(int(t))
    return times


def world(seed: int) -> list[Source]:
    rng = random.Random(seed)
    sources: list[Source] = []
    for k, kind in enumerate(KINDS):
        for n in range(kind.count):
            low, high = kind.gap
            gap = math.exp(rng.uniform(math.log(low), math.log(high)))
            region = rng.choice(REGIONS)
            host = f"h{k}-{n // kind.per_host}.example"
            feed = Feed(f"{k}-{n}", f"https://{host}/feed", kind=kind.name, region=region)
            source = Source(feed, kind.label, publish(rng, kind, gap))
            source.hub = rng.random() < HUBS[kind.label]
            source.latency = [rng.randint(*PUSH_LATENCY) for _ in source.times]
            for i in range(len(source.times)):
                if rng.random() < RELEVANT[kind.name]:
                    source.stories[i] = rng.choice(REGIONS) if kind.name == "news" else region
            sources.append(source)
    return sources


@dataclass
class Tally:
    delays: dict[str, list[int]] = field(default_factory=dict)
    alerts: list[int] = field(default_factory=list)  # the relevant items' delays
    requests: int = 0

    def figures(self, cpu: float) -> dict[str, Any]:
        every = [d for ds in self.delays.values() for d in ds]
        out: dict[str, Any] = {**_spread(every), "requests": self.requests, "cpu_s": round(cpu, 3)}
        out["relevant"] = _spread(self.alerts)
        out["by_kind"] = {label: _spread(ds) for label, ds in self.delays.items()}
        return out


def _spread(delays: list[int]) -> dict[str, Any]:
    if not delays:
        return {"items": 0}
    ordered = sorted(delays)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {"items": len(ordered), "median_min": round(statistics.median(ordered) / MINUTE, 1),
            "p95_min": round(p95 / MINUTE, 1)}  # fmt: skip


def simulate(sources: list[Source], adaptive: bool, websub: bool = True) -> Tally:
    """Poll every source as the schedule says, from START until the day's items are read.
    With `adaptive`, a source with a hub is subscribed at its first poll: from then on each
    item arrives by push, PUSH_LATENCY after publication, and polls are the fallback."""
    pacer = Pacer([s.feed for s in sources])
    states = {s.feed.id: FeedState(s.feed.id) for s in sources}
    read = dict.fromkeys(states, 0)  # items each source has shown so far
    pushed: set[tuple[int, int]] = set()  # (source, item) read from a push
    due = {s.feed.id: schedule.first_poll(s.feed, START) for s in sources}
    heap = [(at, i, POLL) for i, at in enumerate(due.values())]
    heapq.heapify(heap)
    index = {s.feed.id: i for i, s in enumerate(sources)}
    stories: list[tuple[int, str]] = []  # when a story developed, in which region
    tally = Tally({kind.label: [] for kind in KINDS})

    def take(source: Source, i: int, n: int, now: int) -> bool:
        """Item n of source i read at `now`; whether it developed a story."""
        if DAY_START <= source.times[n] < DAY_END:
            tally.delays[source.label].append(now - source.times[n])
            if n in source.stories:
                tally.alerts.append(now - source.times[n])
        if n in source.stories:
            stories.append((now, source.stories[n]))
        return n in source.stories

    while heap:
        now, i, item = heapq.heappop(heap)
        source = sources[i]
        if now >= DAY_END + READ_AFTER:
            continue  # the day's items all read
        if item != POLL:  # a push
            developed = (i, item) not in pushed and take(source, i, item, now)
            pushed.add((i, item))
            if developed:
                _heat(pacer, stories, now, states, due, heap, index)
            continue
        if now != due[source.feed.id]:
            continue  # rescheduled
        tally.requests += DAY_START <= now < DAY_END
        shown = _shown(source.times, now)
        developed = False
        for n in range(read[source.feed.id], shown):
            if (i, n) not in pushed:
                pushed.add((i, n))
                developed = take(source, i, n, now) or developed
        if adaptive and websub and source.hub and source.feed.id not in pacer.pushed:
            pacer.push(pacer.pushed | {source.feed.id})  # subscribed, verified
            for n in range(shown, len(source.times)):
                heapq.heappush(heap, (source.times[n] + source.latency[n], i, n))
        read[source.feed.id] = shown
        state = states[source.feed.id]
        published = source.times[max(0, shown - SHOWN) : shown]
        if adaptive:
            pace, next_at = pacer.after_success(source.feed, state, published, now, None)
            states[source.feed.id] = FeedState(
                source.feed.id, last_fetch_at=now, publish_gap=pace.gap, newest_item_at=pace.newest
            )
        else:
            next_at = schedule.after_success(source.feed, now, None)
        due[source.feed.id] = next_at
        heapq.heappush(heap, (next_at, i, POLL))
        if adaptive and (developed or now // HOUR != (now - 1) // HOUR):
            _heat(pacer, stories, now, states, due, heap, index)
    return tally


def _heat(pacer: Pacer, stories: list[tuple[int, str]], now: int,
          states: dict[str, FeedState], due: dict[str, int],
          heap: list[tuple[int, int, int]], index: dict[str, int]) -> None:  # fmt: skip
    """The runner's hook: stories of the last hot_window heat their regions' sources, whose
    next polls come forward."""
    recent = [((region,), ()) for at, region in stories if at >= now - pacer.cadence.hot_window]
    pacer.heat(recent, lambda a, b: a == b)
    for feed_id, at in pacer.hot_polls(states, now).items():
        at = max(at, now)
        if at < due[feed_id]:
            due[feed_id] = at
            heapq.heappush(heap, (at, index[feed_id], POLL))


def _shown(times: list[int], now: int) -> int:
    """How many items were published by `now` (times are sorted)."""
    low, high = 0, len(times)
    while low < high:
        mid = (low + high) // 2
        if times[mid] <= now:
            low = mid + 1
        else:
            high = mid
    return low


def main() -> None:
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    sources = world(seed)
    results = {}
    for name, adaptive, websub in (("fixed_60", False, False), ("adaptive", True, False),
                                   ("with_websub", True, True)):  # fmt: skip
        cpu = time.process_time()
        tally = simulate(sources, adaptive, websub)
        results[name] = tally.figures(time.process_time() - cpu)
    print(json.dumps({"sources": len(sources), **results}))


if __name__ == "__main__":
    main()
