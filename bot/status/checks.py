"""Is the bot doing its work? The answer /healthz gives to Docker, Kubernetes and uptime
monitors: one that polls and delivers is healthy; otherwise the reasons, in words.

Three things make it unhealthy, each one a restart or a person can fix: the poll loop has
not completed a cycle within twice the shortest feed interval (it hung, or died), the
outbox is stuck (a job due more than 15 minutes ago is still not sent, so the drain is not
running), or the database cannot be written.

A job that fails and waits for its retry is not stuck (its due time moves on), nor is one
held for a destination stopped until a person acts or for a chat app that is not running:
those show on the status page, and a restart would not send them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot import __version__
from bot.models import Feed
from bot.redaction import redact
from bot.storage import DATABASE_ERRORS, Database
from bot.storage.status import outbox_state, probe_write

STUCK_SECONDS = 15 * 60


class Liveness:
    """When the poll loop last made progress: a cycle completed, or the loop found nothing
    due and nothing in flight (every feed polled on time). A loop that died or hangs on a
    cycle stops moving it. Starts at start-up, which gives a new run its first cycles."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.started_at = clock()
        self.last_progress = self.started_at

    def progressed(self) -> None:
        self.last_progress = self._clock()


@dataclass(frozen=True)
class Health:
    reasons: tuple[str, ...]
    details: dict[str, float | int | str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.reasons


def stale_after(feeds: Iterable[Feed]) -> float:
    """Twice the shortest interval: a feed on that interval has had two chances to poll."""
    return 2 * 60 * min((feed.interval_minutes for feed in feeds), default=60)


async def check_health(
    db: Database, liveness: Liveness, now: float, stale_seconds: float, kinds: Iterable[str]
) -> Health:
    """`kinds` are the destinations served now (console and the chat apps running)."""
    reasons = []
    idle = now - liveness.last_progress
    if idle > stale_seconds:
        reasons.append(
            f"the poll loop has not completed a cycle for {span(idle)}"
            f" (expected within {span(stale_seconds)})"
        )
    details: dict[str, float | int | str | None] = {
        "version": __version__,
        "uptime_seconds": round(now - liveness.started_at),
        "last_progress_seconds_ago": round(idle),
    }
    try:
        outbox = await outbox_state(db, int(now), kinds)
    except DATABASE_ERRORS as exc:
        reasons.append(f"the database cannot be read ({redact(str(exc))})")
    else:
        details["outbox_pending"] = outbox.pending
        if outbox.oldest_due_at is not None:
            waited = now - outbox.oldest_due_at
            details["outbox_oldest_due_seconds"] = round(waited)
            if waited > STUCK_SECONDS:
                reasons.append(f"the outbox is stuck: a job due {span(waited)} ago is not sent")
    try:
        await probe_write(db, "healthz", int(now))
    except DATABASE_ERRORS as exc:
        reasons.append(f"the database cannot be written ({redact(str(exc))})")
    return Health(tuple(reasons), details)


def span(seconds: float) -> str:
    """A length of time in words, as precise as a person needs: "45 seconds", "3.5 hours"."""
    seconds = max(0, round(seconds))
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{seconds // 60} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:.1f} days"
