"""What the status page shows, read once per page load: every source, every destination,
the last stories, and the bot's health. Plain data, so `page` renders without I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot import __version__
from bot.health import not_understood
from bot.models import Feed, FeedState
from bot.status.checks import Health
from bot.storage import Database
from bot.storage.feeds import load_feed_states
from bot.storage.items import items_by_language
from bot.storage.platforms import PlatformHealth, platform_health
from bot.storage.status import DestinationHealth, RecentStory, destination_health, recent_stories

RECENT_STORIES = 20
OK, FAILING, NOT_POLLED = "ok", "failing", "not polled yet"


@dataclass(frozen=True)
class SourceRow:
    id: str
    name: str
    kind: str
    is_page: bool  # a news page read through its selectors, not a feed
    state: str  # OK, FAILING or NOT_POLLED
    reason: str  # in words: the error, or what is fine ("HTTP 200", "not modified")
    failures: int
    last_success_at: int | None
    last_fetch_at: int | None
    next_poll_at: int | None
    note: str  # a parse note or items in languages the classifier does not read

    @property
    def failing(self) -> bool:
        return self.state == FAILING


@dataclass(frozen=True)
class StatusView:
    version: str
    now: int
    started_at: int
    health: Health
    sources: tuple[SourceRow, ...]
    destinations: tuple[DestinationHealth, ...]
    served: frozenset[str]  # the destinations' kinds this bot delivers to now
    stories: tuple[RecentStory, ...]
    stopped_platforms: tuple[PlatformHealth, ...] = ()  # refused the token, or set up wrong


def source_row(feed: Feed, state: FeedState, unread: str = "") -> SourceRow:
    """`unread`: how many of its items are in languages the classifier does not read."""
    if state.last_error:
        status, reason = FAILING, state.last_error
    elif state.last_fetch_at is None:
        status, reason = NOT_POLLED, "waiting for its first poll"
    elif state.last_status == 304:
        status, reason = OK, "not modified since the last poll"
    else:
        status, reason = OK, f"HTTP {state.last_status}"
    note = "; ".join(part for part in (state.last_note or "", unread) if part)
    return SourceRow(
        id=feed.id,
        name=feed.name,
        kind=feed.kind,
        is_page=feed.page is not None,
        state=status,
        reason=reason,
        failures=state.failures,
        last_success_at=state.last_success_at,
        last_fetch_at=state.last_fetch_at,
        next_poll_at=state.next_poll_at,
        note=note,
    )


def source_rows(
    feeds: Iterable[Feed],
    states: Mapping[str, FeedState],
    by_language: Mapping[str, Mapping[str, int]],
    languages: frozenset[str],
) -> tuple[SourceRow, ...]:
    """Failing sources first (most failures first), then the others in config order."""
    rows = [
        source_row(
            feed,
            states.get(feed.id, FeedState(feed.id)),
            not_understood(by_language.get(feed.id, {}), languages),
        )
        for feed in feeds
    ]
    return tuple(sorted(rows, key=lambda row: (not row.failing, -row.failures)))


async def read_view(
    db: Database,
    feeds: Iterable[Feed],
    languages: frozenset[str],
    health: Health,
    now: int,
    started_at: int,
    served: Iterable[str],
) -> StatusView:
    return StatusView(
        version=__version__,
        now=now,
        started_at=started_at,
        health=health,
        sources=source_rows(
            feeds, await load_feed_states(db), await items_by_language(db), languages
        ),
        destinations=tuple(await destination_health(db)),
        served=frozenset(served),
        stories=tuple(await recent_stories(db, RECENT_STORIES)),
        stopped_platforms=tuple(p for p in await platform_health(db) if not p.healthy),
    )
