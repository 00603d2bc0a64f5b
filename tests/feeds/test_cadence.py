"""Adaptive polling as pure functions on a simulated clock: what a feed's items teach of its
pace, how often that makes it polled, the bounds, the host floor and hot sources."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from bot.feeds import schedule
from bot.feeds.cadence import CADENCE, Cadence, Pace, learn, poll_every
from bot.feeds.pacer import Pacer
from bot.models import Feed, FeedState
from bot.settings import Config

NOW = 1_800_000_000
MINUTE = 60
HOUR = 3600
DAY = 24 * HOUR


def feed(feed_id: str = "f", **fields: object) -> Feed:
    return Feed(id=feed_id, url=f"https://{feed_id}.example.org/feed", **fields)  # type: ignore[arg-type]


def test_the_first_poll_learns_the_pace_from_the_feeds_own_history():
    """Twenty items ten minutes apart: the gap is ten minutes, the newest item remembered."""
    published = [NOW - i * 10 * MINUTE for i in range(25)]
    pace = learn(Pace(), published, NOW)
    assert pace.gap == pytest.approx(10 * MINUTE)
    assert pace.newest == NOW


def test_later_polls_fold_in_only_items_newer_than_the_newest_seen():
    """An hourly feed turning to every 10 minutes is learned within a few items; items at or
    before the newest seen teach nothing."""
    pace = Pace(gap=HOUR, newest=NOW)
    assert learn(pace, [NOW - HOUR, NOW], NOW + 600) == pace
    for step in range(1, 10):
        pace = learn(pace, [NOW + step * 600], NOW + step * 600)
    assert pace.gap is not None
    assert pace.gap < 15 * MINUTE
    assert pace.newest == NOW + 9 * 600


def test_items_sharing_a_date_count_as_many_items_over_their_span():
    """A page dated by day only: three items stamped the same midnight, a day after the last
    seen, are three items in a day (a gap of 8 h), not a gap of zero."""
    pace = learn(Pace(gap=DAY, newest=NOW), [NOW + DAY] * 3, NOW + DAY + 5)
    assert pace.gap is not None
    assert 8 * HOUR < pace.gap < DAY


def test_a_date_in_the_future_is_taken_as_now():
    pace = learn(Pace(gap=HOUR, newest=NOW), [NOW + 10 * DAY], NOW + HOUR)
    assert pace.newest == NOW + HOUR


@pytest.mark.parametrize(
    ("gap", "low", "high"),
    [
        (2 * MINUTE, CADENCE.shortest, CADENCE.shortest),  # very busy: the floor
        (30 * MINUTE, 5 * MINUTE, 12 * MINUTE),  # a busy news feed: every few minutes
        (DAY, HOUR, HOUR),  # once a day: its interval
        (7 * DAY, 2 * HOUR, 3 * HOUR),  # weekly: sqrt(7) x the interval
        (30 * DAY, 4 * HOUR, 4 * HOUR),  # monthly: the longest, 4 x the interval
    ],
)
def test_the_interval_follows_the_square_root_of_the_gap(gap: int, low: int, high: int):
    every = poll_every(feed(interval_minutes=60), Pace(gap, NOW), NOW)
    assert low <= every <= high


def test_a_source_not_yet_learned_keeps_its_configured_interval():
    assert poll_every(feed(interval_minutes=45), Pace(), NOW) == 45 * MINUTE


def test_a_long_silence_slows_a_source_that_once_was_busy():
    """Learned at 10 minutes, silent for two days: polled as if it published daily."""
    busy = poll_every(feed(), Pace(10 * MINUTE, NOW), NOW)
    silent = poll_every(feed(), Pace(10 * MINUTE, NOW - 2 * DAY), NOW)
    assert busy < 10 * MINUTE
    assert silent >= HOUR


def test_a_host_with_many_sources_shares_its_floor():
    """Twenty busy sources on one host: each at most every 20 minutes, so the host sees one
    request a minute on average."""
    every = poll_every(feed(), Pace(MINUTE, NOW), NOW, host_sources=20)
    assert every == 20 * CADENCE.host_floor


def test_a_hot_regulator_is_polled_four_times_as_often_and_a_hot_news_feed_is_not_hurried():
    """A regulator (weight 3) posting monthly: every 60 x sqrt(30 / 3) min, hot a quarter of
    that; one posting daily: every 35 min, hot every 10 (the floor); news is never hot."""
    monthly, daily = Pace(30 * DAY, NOW), Pace(DAY, NOW)
    regulator = feed(kind="regulator")
    cold = poll_every(regulator, monthly, NOW)
    assert cold == int(HOUR * math.sqrt(10))
    assert poll_every(regulator, monthly, NOW, hot=True) == int(cold / 4)
    assert poll_every(regulator, daily, NOW, hot=True) == CADENCE.hot_interval
    assert poll_every(feed(kind="news"), monthly, NOW, hot=True) == 4 * HOUR


def test_max_age_still_holds_the_next_poll_back():
    """A busy feed whose server says it stays fresh 30 minutes waits 30 minutes."""
    every = poll_every(feed(), Pace(MINUTE, NOW), NOW)
    assert schedule.after_success(feed(), NOW, 1800, every) - NOW >= 1800
    assert schedule.after_success(feed(), NOW, None, every) - NOW < 1800


@pytest.mark.parametrize(
    "fields",
    [
        {"shortest": 30},
        {"shortest": 7200, "longest": 3600},
        {"slowest_factor": 0.5},
        {"learning_weight": 0.0},
        {"history_items": 1},
        {"silence_divisor": 0.5},
        {"host_floor": -1},
        {"hot_interval": 10},
        {"hot_window": 0},
        {"cool_check_every": 0},
    ],
)
def test_a_bad_cadence_is_refused(fields: dict[str, float]):
    with pytest.raises(ValueError, match="cadence"):
        Cadence(**fields)  # type: ignore[arg-type]


def poisson(rng: random.Random, mean_gap: float, end: int) -> list[int]:
    """Publication times every `mean_gap` on average, from far enough back that the feed
    lists a history to learn from, as real feeds do."""
    times, t = [], float(NOW - 20 * mean_gap)
    while t < end:
        t += rng.expovariate(1 / mean_gap)
        times.append(int(t))
    return times


def simulate(world: dict[Feed, float], days: int, seed: int) -> dict[str, tuple[list[int], int]]:
    """Each feed publishing every `world[feed]` on average, polled through one Pacer on a
    simulated clock (the newest 20 items shown): per feed, each item's delay from
    publication to the poll that read it, and the polls made."""
    rng = random.Random(seed)
    end = NOW + days * DAY
    published = {f.id: poisson(rng, gap, end) for f, gap in world.items()}
    pacer = Pacer(world)
    states = {f.id: FeedState(f.id) for f in world}
    due = {f.id: schedule.first_poll(f, NOW) for f in world}
    read = dict.fromkeys(due, 0)
    out: dict[str, tuple[list[int], int]] = {f.id: ([], 0) for f in world}
    while (clock := min(due.values())) < end:
        source = next(f for f in world if due[f.id] == clock)
        visible = [p for p in published[source.id] if p <= clock]
        delays, polls = out[source.id]
        delays.extend(clock - p for p in visible[read[source.id] :] if p >= NOW)
        out[source.id] = (delays, polls + 1)
        read[source.id] = len(visible)
        pace, due[source.id] = pacer.after_success(
            source, states[source.id], visible[-20:], clock, None
        )
        states[source.id] = FeedState(source.id, publish_gap=pace.gap, newest_item_at=pace.newest)
    return out


def test_on_a_simulated_clock_busy_feeds_are_read_within_minutes_within_todays_requests():
    """Three days of two news feeds publishing every 20 minutes among twenty regulators
    publishing every ten days, each on its own host: the news is read within 10 minutes
    (median; 30 with the hourly schedule), the regulators polled every 1.5 h or less often,
    and all together make no more requests than polling each hourly would."""
    world = {feed(f"news-{n}"): 20.0 * MINUTE for n in range(2)}
    world |= {feed(f"regulator-{n}", kind="regulator"): 10.0 * DAY for n in range(20)}
    polled = simulate(world, 3, seed=1)
    news = [d for n in range(2) for d in polled[f"news-{n}"][0]]
    assert statistics.median(news) <= 10 * MINUTE
    assert all(polled[f"regulator-{n}"][1] <= 3 * 16 for n in range(20))
    assert sum(polls for _, polls in polled.values()) <= len(world) * 3 * 24


def test_the_budget_pays_for_busy_sources_with_quiet_ones():
    """A lone busy source has no quiet one to pay for it: it stays near its interval. Among
    quiet ones it is polled every few minutes; and quiet ones alone are polled hourly again,
    as the budget allows (a regulator posting monthly, polled about hourly)."""
    busy, quiet = feed("busy"), [feed(f"q{n}", kind="regulator") for n in range(20)]
    known = {"busy": FeedState("busy", publish_gap=10 * MINUTE, newest_item_at=NOW)}
    known |= {q.id: FeedState(q.id, publish_gap=30 * DAY, newest_item_at=NOW) for q in quiet}
    alone = Pacer([busy])
    alone.know(known)
    among = Pacer([busy, *quiet])
    among.know(known)
    only_quiet = Pacer(quiet)
    only_quiet.know(known)
    pace = Pace(10 * MINUTE, NOW)
    assert alone.every(busy, pace, NOW) >= 0.9 * HOUR
    assert among.every(busy, pace, NOW) <= 10 * MINUTE
    assert only_quiet.every(quiet[0], Pace(30 * DAY, NOW), NOW) <= 1.1 * HOUR


def test_hot_sources_are_the_regulators_and_platforms_of_a_developing_storys_regions(
    config: Config,
):
    """A story in the EU heats the Irish regulator (IE lies in the EU) and LinkedIn's
    newsroom (it names LinkedIn); not the Japanese regulator for a story in the UK, nor a
    news feed; once the story is no longer developing nothing is hot."""
    feeds = [
        feed("dpc", kind="regulator", region="IE"),
        feed("ppc", kind="regulator", region="JP"),
        feed("linkedin-pressroom", kind="platform"),
        feed("meta-newsroom", kind="platform"),
        feed("eu-news", kind="news", region="EU"),
    ]
    pacer = Pacer(feeds)
    pacer.heat([(("EU",), ("linkedin",)), (("UK",), ())], config.regions.overlaps)
    assert pacer.hot == {"dpc", "linkedin-pressroom"}
    polled = FeedState("dpc", last_fetch_at=NOW, publish_gap=30 * DAY, newest_item_at=NOW)
    cold = poll_every(feeds[0], Pace(30 * DAY, NOW), NOW)
    assert NOW < pacer.hot_polls({"dpc": polled}, NOW)["dpc"] <= NOW + cold / 2
    pacer.heat([], config.regions.overlaps)
    assert pacer.hot == frozenset()
