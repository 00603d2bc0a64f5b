"""When feeds are polled: spread, backoff with a ceiling, server hints honoured."""

from __future__ import annotations

import random

from bot.feeds import schedule
from bot.models import Feed

NOW = 1_800_000_000


def test_failing_feed_backs_off_exponentially_up_to_a_ceiling():
    """Each failure doubles the wait; it never exceeds the ceiling, so the feed is retried."""
    feed = Feed(id="f", url="http://x", interval_minutes=30)
    rng = random.Random(1)
    waits = [schedule.after_failure(feed, NOW, n, None, rng) - NOW for n in range(1, 12)]
    assert waits[1] > waits[0] * 1.3
    assert waits[3] > waits[2] * 1.3
    assert max(waits) <= schedule.BACKOFF_CEILING * 1.2
    assert waits[-1] >= schedule.BACKOFF_CEILING * 0.8


def test_backoff_has_jitter():
    """Feeds failing together do not all retry in the same second."""
    feed = Feed(id="f", url="http://x")
    rng = random.Random(2)
    waits = {schedule.after_failure(feed, NOW, 3, None, rng) for _ in range(20)}
    assert len(waits) > 10


def test_retry_after_is_a_floor():
    """A server's Retry-After longer than our backoff wins."""
    feed = Feed(id="f", url="http://x", interval_minutes=5)
    assert schedule.after_failure(feed, NOW, 1, 3600, random.Random(0)) - NOW >= 3600


def test_max_age_delays_the_next_poll_within_a_day():
    """Cache-Control max-age is honoured, but never past a day."""
    feed = Feed(id="f", url="http://x", interval_minutes=10)
    assert schedule.after_success(feed, NOW, 7200) - NOW >= 7200
    assert schedule.after_success(feed, NOW, 10**9) - NOW <= schedule.MAX_AGE_CEILING


def test_success_keeps_roughly_the_interval():
    """A healthy feed is polled again between half and one and a half intervals later."""
    feed = Feed(id="f", url="http://x", interval_minutes=60)
    wait = schedule.after_success(feed, NOW, None) - NOW
    assert 1800 <= wait <= 5400


def test_slots_spread_feeds_over_the_interval():
    """A hundred feeds polled at the same moment get next slots spread over the hour."""
    feeds = [Feed(id=f"feed-{i}", url="http://x", interval_minutes=60) for i in range(100)]
    slots = [schedule.after_success(f, NOW, None) for f in feeds]
    minutes = {(s // 60) % 60 for s in slots}
    assert len(minutes) > 40
    assert max(slots) - min(slots) > 3000
