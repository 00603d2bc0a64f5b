"""Feed health for people: last fetch, status, failures in a row, last error, next poll."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.delivery.platforms import platform_name
from bot.models import Feed, FeedState
from bot.storage import Database
from bot.storage.destinations import destination_troubles
from bot.storage.feeds import load_feed_states
from bot.storage.items import items_by_language
from bot.storage.platforms import platform_health


def when(stamp: int | None) -> str:
    if stamp is None:
        return "never"
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def describe_failure(state: FeedState) -> str:
    return (
        f"{state.last_error} ({state.failures} failures in a row; "
        f"next try {when(state.next_poll_at)})"
    )


def not_understood(by_language: Mapping[str, int], languages: frozenset[str]) -> str:
    """ "3 items not understood (fi 2, hu 1)", or "" when every item is in a language the
    classifier reads."""
    unread = {code: n for code, n in sorted(by_language.items()) if code not in languages}
    if not unread:
        return ""
    detail = ", ".join(f"{code} {n}" for code, n in unread.items())
    total = sum(unread.values())
    return f"{total} {'item' if total == 1 else 'items'} not understood ({detail})"


def feeds_not_understood(
    feeds: Iterable[Feed], by_language: Mapping[str, Mapping[str, int]], languages: frozenset[str]
) -> list[str]:
    """ "feed: 3 items not understood (fi 2, hu 1)" for each feed that has such items."""
    notes = ((feed.id, not_understood(by_language.get(feed.id, {}), languages)) for feed in feeds)
    return [f"{feed_id}: {note}" for feed_id, note in notes if note]


def describe(feed: Feed, state: FeedState, unread: str = "") -> str:
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
    pace = f", an item about every {span(state.publish_gap)}" if state.publish_gap else ""
    return (
        f"{feed.id}: {status}\n"
        f"    last fetch {when(state.last_fetch_at)}, next poll {when(state.next_poll_at)},"
        f" {state.entries_seen} entries read in all{pace}" + (f"; {unread}" if unread else "")
    )


def span(seconds: float) -> str:
    """A learned gap between items, roughly: "40 min", "6 h", "12 days"."""
    if seconds < 5400:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


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


async def feed_health_lines(
    db_path: Path | str, feeds: tuple[Feed, ...], languages: frozenset[str]
) -> list[str]:
    """`aiwatch feeds`; `languages` are those the classifier reads."""
    db = await Database.open(db_path)
    try:
        states = await load_feed_states(db)
        troubles = await destination_troubles(db)
        platforms = await platform_health(db)
        by_language = await items_by_language(db)
    finally:
        await db.close()
    lines = [f"{len(feeds)} feeds: {count_feeds(feeds, states).summary()}"]
    lines += [
        describe(
            feed,
            states.get(feed.id, FeedState(feed.id)),
            not_understood(by_language.get(feed.id, {}), languages),
        )
        for feed in feeds
    ]
    lines += [f"{platform_name(p.name)} stopped: {p.reason}" for p in platforms if not p.healthy]
    lines += [f"delivery to {trouble.id} {trouble.words()}" for trouble in troubles]
    return lines
