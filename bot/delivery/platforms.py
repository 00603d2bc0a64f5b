"""Chat platforms stopped in this run because they refused the bot's token (or, for Discord,
its shard settings cannot work: see bot/settings/shards.py).

A revoked or wrong token cannot start working again by retrying: every try is one more
401, and Discord bans an address after 10,000 of those in 10 minutes. So the first refusal
stops that platform's adapter: one log line saying what to do, a stored entry for `aiwatch
feeds`, `/aiwatch feeds` and the status page, and no more requests. Its jobs stay due in the
outbox; after a person puts a new token in the environment and restarts the bot, they go
out once. The other platforms and the console go on meanwhile. Wrong shard settings are
stopped the same way, before the adapter starts: restarting with them fixed is the cure too.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

from bot.storage import Database
from bot.storage.platforms import mark_platform_running, mark_platform_stopped

log = logging.getLogger(__name__)
NAMES = {"discord": "Discord", "slack": "Slack", "console": "the console"}


def platform_name(kind: str) -> str:
    return NAMES.get(kind, kind.capitalize())


class PlatformGate:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock
        self._stopped: dict[str, str] = {}  # platform -> reason
        self._closers: dict[str, Callable[[], Awaitable[None]]] = {}

    def on_stop(self, platform: str, close: Callable[[], Awaitable[None]]) -> None:
        """How to stop the platform's adapter when its token is refused."""
        self._closers[platform] = close

    def stopped(self, platform: str) -> bool:
        return platform in self._stopped

    def running(self, kinds: Iterable[str]) -> list[str]:
        """The kinds of destination that may still be sent to."""
        return [kind for kind in kinds if kind not in self._stopped]

    async def started(self, platform: str) -> None:
        """The platform took the token: a stop stored by an earlier run is over."""
        async with self._db.transaction() as tx:
            await mark_platform_running(tx, platform, int(self._clock()))

    async def refused(self, platform: str, reason: str) -> None:
        """Stop the platform for the rest of this run; only the first refusal counts."""
        if platform in self._stopped:
            return
        self._stopped[platform] = reason
        log.error("%s stopped: %s; its alerts wait in the outbox until then",
                  platform_name(platform), reason)  # fmt: skip
        async with self._db.transaction() as tx:
            await mark_platform_stopped(tx, platform, reason, int(self._clock()))
        close = self._closers.pop(platform, None)
        if close is not None:
            with contextlib.suppress(Exception):  # closing a client that already gave up
                await close()
