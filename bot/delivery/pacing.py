"""Pacing: never send a channel more than `limit` messages in any `window` (ChannelPacer),
nor an app or an API method more requests than its limit (SharedPacer).

Chat APIs document these limits (see limits.py). Waiting here keeps a burst of stories from
running into 429 answers and retry loops.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable


class ChannelPacer:
    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sent: defaultdict[str, deque[float]] = defaultdict(deque)
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @contextlib.asynccontextmanager
    async def turn(self, channel: str) -> AsyncIterator[None]:
        """Hold the channel's turn while sending; the message counts from when it was done,
        so a send that the server made wait (a 429 retried) still leaves a full window."""
        async with self._locks[channel]:
            sent = self._sent[channel]
            while True:
                now = self._clock()
                while sent and now - sent[0] >= self.window:
                    sent.popleft()
                if len(sent) < self.limit:
                    break
                await asyncio.sleep(self.window - (now - sent[0]) + 0.01)
            try:
                yield
            finally:
                sent.append(self._clock())


class SharedPacer:
    """At most `limit` requests in any `window` per key (an app's global limit, a Slack method
    in one workspace), from many senders at once. A request holds its place from when it
    starts until `window` after its answer, so however the platform's windows fall, none of
    them sees more than `limit`; requests do not wait for each other's answers.

    Senders queue in the order they came; only the first waits for a place to free, so a
    fan-out to a thousand channels wakes one waiter per request, not a thousand."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._in_flight: defaultdict[str, int] = defaultdict(int)
        self._ended: defaultdict[str, deque[float]] = defaultdict(deque)
        self._queue: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)  # first come
        self._answered: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)

    @contextlib.asynccontextmanager
    async def turn(self, key: str = "") -> AsyncIterator[None]:
        async with self._queue[key]:
            ended, answered = self._ended[key], self._answered[key]
            while True:
                now = self._clock()
                while ended and now - ended[0] >= self.window:
                    ended.popleft()
                if self._in_flight[key] + len(ended) < self.limit:
                    break
                answered.clear()
                wait = self.window - (now - ended[0]) + 0.001 if ended else None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(answered.wait(), wait)
            self._in_flight[key] += 1
        try:
            yield
        finally:
            self._in_flight[key] -= 1
            self._ended[key].append(self._clock())
            self._answered[key].set()
