"""Frozen data shared between stages. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FEED_KINDS = ("regulator", "platform", "advocacy", "news")


@dataclass(frozen=True)
class Feed:
    """A feed from the feeds file. `region` is the region the publisher speaks for."""

    id: str
    url: str
    name: str = ""
    kind: str = "news"
    region: str | None = None
    language: str | None = None
    interval_minutes: int = 60

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Entry:
    """One normalised feed entry, as the parser hands it to storage."""

    key: str
    link: str
    title: str
    summary: str
    published: datetime | None
    language: str | None


@dataclass(frozen=True)
class ParsedFeed:
    """What the parser could read, and a note on anything odd (empty when healthy)."""

    entries: tuple[Entry, ...]
    note: str = ""
    title: str = ""


@dataclass(frozen=True)
class Item:
    """A stored entry waiting for, or past, judgement."""

    id: int
    feed_id: str
    link: str
    title: str
    summary: str
    published: datetime | None
    language: str | None
    feed_region: str | None = None
    alertable: bool = True


@dataclass(frozen=True)
class Judgement:
    """The classifier's verdict on one item, with the reasons a person can check."""

    relevant: bool
    score: float
    platforms: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    event: str | None = None
    reasons: tuple[str, ...] = ()
    # No event words: the kind is the feed's default, a guess rather than a reading.
    event_guessed: bool = False
    # What the title itself names. A summary recalls other platforms and places (the
    # regulator a platform answered, a rival's earlier deal); the headline says whose event
    # it is, so stories are matched on these. Empty when the title names none.
    headline_platforms: tuple[str, ...] = ()
    headline_regions: tuple[str, ...] = ()
    # The title names a platform's rules for its users' data (its privacy policy, fine print,
    # objecting): signals marked `policy` in config/classifier.yaml.
    headline_names_policy: bool = False
    # Regions the text says are left out ("users in the EU and Switzerland are excluded").
    regions_left_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Development:
    """One step of a story's timeline: its opening report, or a report that changed what the
    story means for someone (a new kind of event, a region newly affected or left out)."""

    id: int
    at: datetime
    event: str | None
    regions: tuple[str, ...]
    left_out: tuple[str, ...]
    title: str
    link: str
    opening: bool = False


@dataclass(frozen=True)
class Alert:
    """What a destination renders: one story as it stands, for its living message."""

    action: str  # "post", "update" or "development" (a reply under the living message)
    story_id: int
    title: str
    summary: str
    event: str | None
    platforms: tuple[str, ...]
    regions: tuple[str, ...]
    links: tuple[str, ...]  # every source, the primary (a regulator's or platform's own) first
    reasons: tuple[str, ...] = ()
    first_seen: datetime | None = None
    advice: tuple[str, ...] = ()  # what the story means in the destination's regions
    timeline: tuple[Development, ...] = ()  # oldest first, the opening report included
    left_out: tuple[str, ...] = ()  # regions its reports say are not affected
    # Posted anew because the living message was deleted: it says it continues that alert.
    continues: bool = False
    development: Development | None = None  # the step a reply tells (action "development")

    @property
    def developed(self) -> bool:
        """Something happened after the opening report: the timeline is worth showing."""
        return any(not step.opening for step in self.timeline)


@dataclass(frozen=True)
class Digest:
    """One day's stories for a destination that asked for a daily digest."""

    day: str  # YYYY-MM-DD, UTC
    alerts: tuple[Alert, ...]


@dataclass(frozen=True)
class FeedState:
    """What the bot remembers of a feed between polls: validators, health, schedule.

    Times are unix seconds, UTC.
    """

    feed_id: str
    first_polled_at: int | None = None
    last_fetch_at: int | None = None
    last_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_error: str | None = None
    last_note: str | None = None
    next_poll_at: int | None = None
    entries_seen: int = 0
