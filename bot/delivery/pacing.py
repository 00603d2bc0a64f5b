"""Per-channel pacing: never send a channel more than `limit` messages in any `window`.

Chat APIs document per-channel limits (Discord: 5 messages per 5 s; Slack: about one a
second). Waiting here keeps a burst of stories from running into 429 answers and retry loops.
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
