"""Rate limits as the chat platforms count them, for the loopback servers: fixed windows that
open at a bucket's first request and reset `per` seconds later (Discord's buckets reset at
X-RateLimit-Reset; Slack's tiers count per minute), and the wait a 429 asked for.

A request over a limit, or sent before the wait a 429 named was over, is answered 429 as the
platform would and recorded as a `Violation`, so a test can assert the bot never made one.
The figures are the platforms' own, written here independently of the bot's: a wrong figure
in the bot then shows as a violation instead of agreeing with itself.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rate:
    count: int
    per: float  # seconds

    def __str__(self) -> str:
        return f"{self.count} per {self.per:g} s"


@dataclass(frozen=True)
class Violation:
    """One request the platform would have refused: which rule, for what, and when."""

    rule: str
    key: str
    at: float


@dataclass
class Window:
    """One bucket's current window."""

    rate: Rate
    opened: float = -math.inf
    used: int = 0

    def take(self, now: float) -> float | None:
        """Count a request; None if it fits, else the seconds until the window resets."""
        if now - self.opened >= self.rate.per:
            self.opened, self.used = now, 0
        if self.used >= self.rate.count:
            return self.reset_after(now)
        self.used += 1
        return None

    def remaining(self) -> int:
        return max(0, self.rate.count - self.used)

    def reset_after(self, now: float) -> float:
        return max(0.0, self.opened + self.rate.per - now)


@dataclass
class Limiter:
    """Every bucket of one server, the waits its 429s asked for, and the violations seen."""

    clock: Callable[[], float] = time.monotonic
    violations: list[Violation] = field(default_factory=list)
    windows: dict[str, Window] = field(default_factory=dict)
    waits: dict[str, float] = field(default_factory=dict)  # key -> monotonic time it ends

    def admit(self, key: str, rate: Rate, rule: str) -> float | None:
        """Count a request against `rate` in bucket `key`: None if allowed, else the seconds
        to wait (the request is a violation: it is recorded)."""
        now = self.clock()
        early = self.waits.get(key, -math.inf) - now
        if early > 0:
            self.violations.append(Violation(f"sent {early:.3f} s before its 429 ended", key, now))
            return early
        wait = self.windows.setdefault(key, Window(rate)).take(now)
        if wait is not None:
            self.violations.append(Violation(f"{rule}: over {rate}", key, now))
            self.waits[key] = now + wait
        return wait

    def refused(self, key: str, seconds: float) -> None:
        """A 429 the test injected: the bucket must wait `seconds` (not a violation)."""
        self.waits[key] = self.clock() + seconds

    def forget_waits(self) -> None:
        """As if every wait a 429 asked for were over (a test moved the bot's clock past it)."""
        self.waits.clear()

    def window(self, key: str) -> Window | None:
        return self.windows.get(key)


def whole_seconds(seconds: float) -> str:
    """Retry-After as both platforms send it: whole seconds, rounded up."""
    return str(max(1, math.ceil(seconds)))
