"""Feed health for people: last fetch, status, failures in a row, last error, next poll."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.models import Feed, FeedState
from bot.storage import Database
from bot.storage.destinations import unhealthy_destinations
from bot.storage.feeds import load_feed_states


def when(stamp: int | None) -> str:
    if stamp is None:
        return "never"
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def describe_failure(state: FeedState) -> str:
    return (
        f"{state.last_error} ({state.failures} failures in a row; "
        f"next try {when(state.next_poll_at)})"
    )


def describe(feed: Feed, state: FeedState) -> str:
    if state.last_fetch_at is None:
        status = "not polled yet"
    elif state.last_error:
        status = f"FAILING ({state.failures} in a row): {state.last_error}"
    elif state.last_status == 304:
        status = "ok (not modified)"
    else:
        status = f"ok (HTTP {state.last_status})"
        if state.last_note:
            status += f"; note: {state.last_note}"
    return (
        f"{feed.id}: {status}\n"
        f"    last fetch {when(state.last_fetch_at)}, next poll {when(state.next_poll_at)},"
        f" {state.entries_seen} entries read in all"
    )


@dataclass(frozen=True)
class FeedCounts:
    """One reading of feed health for the CLI and `/aiwatch feeds`."""

    fine: int
    failing: list[tuple[Feed, FeedState]]
    not_polled: int

    def summary(self) -> str:
        return f"{self.fine} fine, {len(self.failing)} failing, {self.not_polled} not polled yet"


def count_feeds(feeds: Iterable[Feed], states: Mapping[str, FeedState]) -> FeedCounts:
    fine, failing, not_polled = 0, [], 0
    for feed in feeds:
        state = states.get(feed.id, FeedState(feed.id))
        if state.last_error:
            failing.append((feed, state))
        elif state.last_fetch_at is None:
            not_polled += 1
        else:
            fine += 1
    return FeedCounts(fine, failing, not_polled)


async def feed_health_lines(db_path: Path, feeds: tuple[Feed, ...]) -> list[str]:
    db = await Database.open(db_path)
    try:
        states = await load_feed_states(db)
        stopped = await unhealthy_destinations(db)
    finally:
        await db.close()
    lines = [f"{len(feeds)} feeds: {count_feeds(feeds, states).summary()}"]
    lines += [describe(feed, states.get(feed.id, FeedState(feed.id))) for feed in feeds]
    lines += [f"delivery to {dest} stopped: {note}" for dest, note in stopped]
    return lines
