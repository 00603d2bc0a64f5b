"""The pacers keep a limit however requests overlap, and the limits are checked when built."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from bot.delivery.limits import DISCORD_GLOBAL, DISCORD_LIMITS, SLACK_LIMITS, ChatLimits, Rate
from bot.delivery.pacing import SharedPacer


def most_in_any_window(starts_and_ends: list[tuple[float, float]], window: float) -> int:
    """The most requests a server could count in one window: it counts a request when it
    arrives, which is between its start and its end."""
    times = sorted(start for start, _ in starts_and_ends)
    return max(sum(1 for t in times if first <= t < first + window) for first in times)


async def test_concurrent_requests_never_exceed_the_shared_limit() -> None:
    pacer = SharedPacer(limit=5, window=0.2)
    spans: list[tuple[float, float]] = []
    rng = random.Random(7)

    async def request() -> None:
        async with pacer.turn("app"):
            started = time.monotonic()
            await asyncio.sleep(rng.uniform(0, 0.05))  # the answer takes a while
            spans.append((started, time.monotonic()))

    began = time.monotonic()
    await asyncio.gather(*(request() for _ in range(20)))

    assert len(spans) == 20
    # a request holds its place until `window` after its answer: no 6 starts in 0.2 s
    assert most_in_any_window(spans, 0.2) <= 5
    assert time.monotonic() - began >= 3 * 0.2  # 20 requests need at least 4 windows


async def test_keys_are_paced_apart() -> None:
    pacer = SharedPacer(limit=1, window=5.0)
    async with pacer.turn("T1"):
        pass
    # another workspace does not wait for T1's window
    await asyncio.wait_for(_take(pacer, "T2"), 1)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(_take(pacer, "T1"), 0.2)


async def test_a_request_in_flight_holds_its_place() -> None:
    pacer = SharedPacer(limit=1, window=0.05)
    release = asyncio.Event()

    async def slow() -> None:
        async with pacer.turn():
            await release.wait()

    first = asyncio.create_task(slow())
    await asyncio.sleep(0.1)  # longer than the window: only the answer frees the place
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(_take(pacer, ""), 0.1)
    release.set()
    await first
    await asyncio.wait_for(_take(pacer, ""), 1)


async def _take(pacer: SharedPacer, key: str) -> None:
    async with pacer.turn(key):
        pass


def test_limits_are_the_platforms_documented_figures() -> None:
    assert Rate(50, 1.0) == DISCORD_GLOBAL
    assert (DISCORD_LIMITS.channel, DISCORD_LIMITS.app) == (Rate(5, 5.0), DISCORD_GLOBAL)
    assert DISCORD_LIMITS.longest_wait >= 30  # discord.py raises anything lower to 30
    assert SLACK_LIMITS.channel == Rate(1, 1.0)
    assert SLACK_LIMITS.method("chat.update") == Rate(50, 60.0)  # Tier 3
    assert SLACK_LIMITS.method("chat.postMessage") is None  # paced per channel


@pytest.mark.parametrize(("count", "per"), [(0, 1.0), (5, 0.0), (1, -1.0)])
def test_a_rate_must_allow_something(count: int, per: float) -> None:
    with pytest.raises(ValueError, match="a rate needs"):
        Rate(count, per)


def test_waits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        ChatLimits(Rate(1, 1.0), None, (), request_timeout=0, longest_wait=1)


def test_processes_share_a_limit_that_is_the_bots() -> None:
    assert DISCORD_GLOBAL.share(1, 3) == Rate(16, 1.0)  # three processes: 48 of the 50
    assert DISCORD_GLOBAL.share(2, 2) == DISCORD_GLOBAL
    assert Rate(2, 1.0).share(1, 4) == Rate(1, 1.0)  # never nothing
    with pytest.raises(ValueError, match="0 < part <= whole"):
        DISCORD_GLOBAL.share(3, 2)
