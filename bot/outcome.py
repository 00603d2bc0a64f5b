"""What one poll means for its feed: the state to store next and the entries it brought.

A failure counts and backs off; a success resets the failures, learns the feed's pace and
keeps its validators; a page's entries are reviewed (bot.pages) before they are stored. The
pipeline (bot.pipeline) fetches, stores and judges; this decides nothing but the next state.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.feeds import FetchResult, schedule
from bot.feeds.pacer import Pacer, published_times
from bot.models import Feed, FeedState, ParsedFeed
from bot.pages import review_page_poll
from bot.storage.items import NewEntry

log = logging.getLogger("bot.pipeline")  # the operator's log lines keep their logger's name


@dataclass(frozen=True)
class FeedOutcome:
    """One feed's poll: the state to store and the entries it brought."""

    feed: Feed
    state: FeedState
    entries: tuple[NewEntry, ...]
    hub: str = ""  # a WebSub hub the feed names, and the topic to ask it for ("": none read)
    topic: str = ""


def poll_outcome(
    feed: Feed,
    state: FeedState,
    result: FetchResult,
    parsed: ParsedFeed | None,
    known: set[str],
    *,
    now: int,
    cutoff: datetime,
    pacer: Pacer,
    rng: random.Random,
) -> FeedOutcome:
    """The feed's next state and the entries to store; `known` are a page's links already
    stored, `cutoff` the oldest date an entry may be alerted for."""
    error = result.error
    if parsed is not None and not parsed.entries and parsed.note:
        error = parsed.note  # a page that is not a feed is a failure, not an empty feed
    first_poll = state.first_polled_at is None
    base = replace(
        state,
        first_polled_at=state.first_polled_at or now,
        last_fetch_at=now,
        last_status=result.status,
    )
    if error is not None:
        failures = state.failures + 1
        next_at = schedule.after_failure(feed, now, failures, result.retry_after, rng)
        _report_failure(feed, state, error, next_at - now)
        new_state = replace(
            base, failures=failures, last_error=error, last_note=None, next_poll_at=next_at
        )
        return FeedOutcome(feed, new_state, ())
    if state.failures:
        log.info("feed %s recovered after %d failures", feed.id, state.failures)
    entries = parsed.entries if parsed else ()
    note = parsed.note if parsed else ""
    if feed.page:
        review = review_page_poll(entries, known, now=datetime.fromtimestamp(now, UTC),
                                  cutoff=cutoff, first_poll=first_poll)  # fmt: skip
        new_entries = tuple(NewEntry(feed.id, e, alertable=a) for e, a in review.entries)
        if review.note:
            log.warning("page %s: %s", feed.id, review.note)
            note = "; ".join(n for n in (note, review.note) if n)
    else:
        new_entries = tuple(
            NewEntry(
                feed.id,
                entry,
                alertable=entry.published >= cutoff if entry.published else not first_poll,
            )
            for entry in entries
        )
    published = published_times(entries, known, now, page=feed.page is not None)
    pace, next_at = pacer.after_success(feed, state, published, now, result.max_age)
    new_state = replace(
        base,
        publish_gap=pace.gap,
        newest_item_at=pace.newest,
        etag=result.etag,
        last_modified=result.last_modified,
        failures=0,
        last_error=None,
        last_note=note if parsed else None,
        next_poll_at=next_at,
        entries_seen=state.entries_seen + len(entries),
        last_success_at=now,
    )
    if parsed is not None and parsed.hub:
        return FeedOutcome(feed, new_state, new_entries, parsed.hub, parsed.topic or feed.url)
    return FeedOutcome(feed, new_state, new_entries)  # unchanged (304) or no hub named


def _report_failure(feed: Feed, state: FeedState, error: str, wait: int) -> None:
    """Tell the operator once per distinct failure, not at every retry."""
    if error != state.last_error:
        log.warning("feed %s failed: %s (next try in %s)", feed.id, error, _minutes(wait))


def _minutes(seconds: int) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{max(1, round(seconds / 60))} min"
