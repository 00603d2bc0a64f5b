"""Frozen data shared between stages. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FEED_KINDS = ("regulator", "platform", "advocacy", "news")


@dataclass(frozen=True)
class Selector:
    """One CSS selector of a page source, and the attribute it reads (None: the text).

    Written `css@attribute` in the feeds file; an empty `css` is the entry element itself
    (`@datetime`).
    """

    css: str
    attribute: str | None = None

    def __str__(self) -> str:
        return self.css + (f"@{self.attribute}" if self.attribute else "")


@dataclass(frozen=True)
class PageSelectors:
    """How a news page without a feed is read (DESIGN.md: the feeds file, `type: page`)."""

    entries: str
    title: Selector | None = None  # None: the text of the entry's link
    link: Selector = Selector("a", "href")
    date: Selector | None = None
    summary: Selector | None = None


@dataclass(frozen=True)
class Feed:
    """A feed from the feeds file. `region` is the region the publisher speaks for.

    A source with `page` set is a news page read through its selectors, not a feed.
    """

    id: str
    url: str
    name: str = ""
    kind: str = "news"
    region: str | None = None
    language: str | None = None
    interval_minutes: int = 60
    page: PageSelectors | None = None

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
    hub: str = ""  # a WebSub hub the feed names (<link rel="hub">), if any
    topic: str = ""  # the feed's own URL as it names it (<link rel="self">), the hub's topic


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
    # The signals the title itself names ("privacy_policy", "platform_terms"): a brief report
    # is read beside an open story by what its headline names (bot.stories.context).
    headline_signals: tuple[str, ...] = ()
    # Regions the text says are left out ("users in the EU and Switzerland are excluded").
    regions_left_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class StorySignature:
    """What story grouping (bot.stories) compares: event, platforms, regions, words, time.

    The platforms and regions compared are the ones the headlines name (all the item names
    when its headline names none): a summary recalls other platforms and places, the
    regulator a platform answered or a rival's deal, which say nothing about whose event it
    is. Subscribers and the alert get every one (`covered_platforms`, `covered_regions`).
    """

    event: str | None
    platforms: frozenset[str]
    regions: frozenset[str]
    words: frozenset[str]
    seen_at: int  # unix seconds: when the event was reported (published, else stored)
    # How many reports gave each kind, in the order first given. A story's event is the kind
    # most of them give (the first on a tie), so one misread report does not redefine it.
    kinds: tuple[tuple[str, int], ...] = ()
    # How many reports named each region (stored with the story; grouping no longer reads it:
    # an episode takes every region it touches).
    region_reports: tuple[tuple[str, int], ...] = ()
    # When its first report was seen (seen_at is the latest): a report on a story's first days
    # is more likely its own news told again (bot.stories.score).
    first_seen: int | None = None
    # The item's kind is the feed's default, not read from its words (a vague report read
    # beside an open story takes that story's kind: bot.stories.context).
    event_guessed: bool = False
    # Every platform and region its reports name, summaries included; None: the same as
    # `platforms` and `regions`.
    all_platforms: frozenset[str] | None = None
    all_regions: frozenset[str] | None = None

    def covered_platforms(self) -> frozenset[str]:
        return self.platforms if self.all_platforms is None else self.all_platforms

    def covered_regions(self) -> frozenset[str]:
        return self.regions if self.all_regions is None else self.all_regions

    def kind_counts(self) -> dict[str, int]:
        if self.kinds:
            return dict(self.kinds)
        return {self.event: 1} if self.event else {}

    def first_kind(self) -> str | None:
        """The kind its first report gave: what began the story."""
        return self.kinds[0][0] if self.kinds else self.event

    def started_at(self) -> int:
        return self.seen_at if self.first_seen is None else self.first_seen

    def region_counts(self) -> dict[str, int]:
        if self.region_reports:
            return dict(self.region_reports)
        return dict.fromkeys(sorted(self.regions), 1)


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
class Subscription:
    """A destination's wish for one region (or ALL), optionally narrowed to some platforms
    and event kinds; bot.subscriptions decides what it matches."""

    region: str
    platforms: frozenset[str] = frozenset()  # empty: every platform
    events: frozenset[str] = frozenset()  # empty: every event kind


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
    last_success_at: int | None = None  # the last poll that read the feed (or found it unchanged)
    publish_gap: float | None = None  # seconds between its items, as learned (bot.feeds.cadence)
    newest_item_at: int | None = None  # the newest item's publication time seen
