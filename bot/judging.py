"""The judging stage: stored items -> judgements, stories and outbox rows, in one commit.

Calls the pure parts (classifier, story placement, router) and storage; decides nothing itself.
Items older than the backlog cutoff join stories but queue no alert.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.classify import Classifier, ItemText
from bot.faults import crash_point
from bot.models import Development, Feed, Item
from bot.placing import Placement, Report, place_all
from bot.settings import RegionBook
from bot.storage import Database, Transaction
from bot.storage.developments import record_development, regions_left_out
from bot.storage.items import save_judgements, unjudged_items
from bot.storage.outbox import DEVELOPMENT, POST, UPDATE, destinations_with_story, enqueue
from bot.storage.stories import (
    StoredStory,
    create_story,
    grow_story,
    link_item,
    next_version,
    open_stories,
)
from bot.stories import OpenStories, StorySignature
from bot.stories.developments import change_of
from bot.stories.grouping import OPEN_SECONDS
from bot.subscriptions import Route, load_routes

BATCH = 1000


class LeaseLost(RuntimeError):
    """Another process took over the work this one was doing (its lease had expired)."""


PRIMARY_KINDS = ("regulator", "platform")  # their own notices are listed first in alerts


@dataclass
class Judged:
    """What one judging did, counted for the metrics: verdicts, stories opened,
    developments recorded and alerts queued."""

    relevant: int = 0
    not_relevant: int = 0
    stories: int = 0
    developments: int = 0
    queued: int = 0

    def add(self, other: Judged) -> None:
        self.relevant += other.relevant
        self.not_relevant += other.not_relevant
        self.stories += other.stories
        self.developments += other.developments
        self.queued += other.queued


@dataclass
class _Batch:
    """What one transaction of judging works with."""

    tx: Transaction
    routes: Mapping[str, Route]
    book: RegionBook
    enclosing: Mapping[str, frozenset[str]]
    primary_feeds: frozenset[str]
    now: int
    stored: dict[int, int] = field(default_factory=dict)  # provisional story id -> stored id
    judged: Judged = field(default_factory=Judged)


async def judge_pending(
    db: Database,
    classifier: Classifier,
    feeds: Mapping[str, Feed],
    book: RegionBook,
    now: int,
    *,
    keep: Callable[[Transaction], Awaitable[bool]] | None = None,
) -> Judged:
    """Judge every unjudged item; returns the verdicts, stories, developments and alerts
    (posts and updates) queued.

    The placement loop (bot/placing.py, the one `aiwatch classify` and `stories` use) runs in
    a worker thread so chat commands are answered meanwhile; the writes for one batch are one
    transaction. Callers judge one batch at a time (Pipeline holds a lock, and a lease
    across processes); `keep` renews that lease in each batch's transaction, and a batch
    whose lease was lost (it expired and another process took over) is rolled back.
    """
    judged = Judged()
    primary = frozenset(f.id for f in feeds.values() if f.kind in PRIMARY_KINDS)
    while items := await unjudged_items(db, BATCH):
        earliest = min(_seen_at(item, now) for item in items) - OPEN_SECONDS
        async with db.transaction() as tx:
            known = await open_stories(tx, earliest)
        stories = OpenStories(known, enclosing=classifier.enclosing_regions)
        reports = [_report(item, feeds.get(item.feed_id), now) for item in items]
        provisional = itertools.count(-1, -1).__next__  # stored ids are positive
        placements = await asyncio.to_thread(place_all, reports, classifier, stories, provisional)
        async with db.transaction() as tx:
            if keep is not None and not await keep(tx):
                raise LeaseLost("the judging lease expired and another process took it")
            batch = _Batch(tx, await load_routes(tx), book, classifier.enclosing_regions,
                           primary, now)  # fmt: skip
            verdicts = []
            for placement in placements:
                item = items[placement.index]
                story_id = await _keep(batch, item, placement) if placement.decision else None
                verdicts.append((item.id, placement.judgement, story_id))
                if placement.judgement.relevant:
                    batch.judged.relevant += 1
                else:
                    batch.judged.not_relevant += 1
            await save_judgements(tx, verdicts)
        judged.add(batch.judged)  # counted once the batch is committed
    return judged


def item_text(item: Item, feed: Feed | None) -> ItemText:
    return ItemText(
        title=item.title,
        summary=item.summary,
        feed_region=feed.region if feed else None,
        feed_kind=feed.kind if feed else None,
        feed_name=feed.label if feed else None,
    )


def _report(item: Item, feed: Feed | None, now: int) -> Report:
    return Report(item_text(item, feed), _seen_at(item, now), dated=item.published is not None)


def _seen_at(item: Item, now: int) -> int:
    return int(item.published.timestamp()) if item.published else now


async def _keep(batch: _Batch, item: Item, placement: Placement) -> int:
    """Store what placing decided: a new story with its opening, or the story grown with
    a development where the report changed what it means; then queue its alerts."""
    decision, after = placement.decision, placement.after
    assert decision is not None
    assert decision.story_id is not None
    assert after is not None
    judgement = placement.judgement
    step = Development(
        id=0,
        at=datetime.fromtimestamp(_seen_at(item, batch.now), UTC),
        event=judgement.event,
        regions=judgement.regions,
        left_out=judgement.regions_left_out,
        title=item.title,
        link=item.link,
        opening=placement.opened,
    )
    development_id = None
    if placement.before is None:
        story = StoredStory(
            id=0,
            created_at=batch.now,
            title=item.title,
            summary=item.summary,
            event=judgement.event,
            platforms=judgement.platforms,
            regions=judgement.regions,
            reasons=judgement.reasons,
            alertable=item.alertable,
        )
        story_id = await create_story(batch.tx, story, after, batch.now)
        batch.stored[decision.story_id] = story_id
        await record_development(batch.tx, story_id, item.id, step)
        batch.judged.stories += 1
    else:
        story_id = batch.stored.get(decision.story_id, decision.story_id)
        left_out = await regions_left_out(batch.tx, story_id)
        change = change_of(placement.before, judgement, left_out, batch.enclosing)
        await grow_story(batch.tx, story_id, after, item.alertable, batch.now)
        if change:
            development_id = await record_development(batch.tx, story_id, item.id, step)
            batch.judged.developments += 1
    primary = item.feed_id in batch.primary_feeds
    await link_item(batch.tx, story_id, item.id, decision.why, primary=primary)
    crash_point("placed")
    if item.alertable:
        await _queue_alerts(batch, story_id, after, development_id)
    return story_id


async def _queue_alerts(
    batch: _Batch, story_id: int, story: StorySignature, development_id: int | None
) -> None:
    """A destination new to the story gets its post; one that has it, an update, or a
    development to reply with."""
    already = await destinations_with_story(batch.tx, story_id)
    version = await next_version(batch.tx, story_id) if already else 0
    regions, platforms = tuple(story.covered_regions()), tuple(story.covered_platforms())
    for destination_id, route in batch.routes.items():
        if route.digest_hour is not None:  # the daily digest gathers it instead
            continue
        if not route.wants(regions, platforms, story.event, batch.book):
            continue
        if destination_id not in already:
            action, development = POST, None
        elif development_id is not None:
            action, development = DEVELOPMENT, development_id
        else:
            action, development = UPDATE, None
        await enqueue(batch.tx, destination_id, story_id, action, version, batch.now, development)
        batch.judged.queued += 1
