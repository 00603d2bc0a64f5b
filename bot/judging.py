"""The judging stage: stored items -> judgements, stories and outbox rows, in one commit.

Calls the pure parts (classifier, story placement, router) and storage; decides nothing itself.
Items older than the backlog cutoff join stories but queue no alert.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.classify import Classifier, ItemText
from bot.faults import crash_point
from bot.models import Development, Feed, Item, Judgement
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
from bot.stories import (
    OpenStories,
    StorySignature,
    decide_story,
    judged_in_context,
    signature_of,
)
from bot.stories.developments import change_of
from bot.stories.grouping import OPEN_SECONDS
from bot.subscriptions import Route, load_routes

BATCH = 1000
PRIMARY_KINDS = ("regulator", "platform")  # their own notices are listed first in alerts


@dataclass
class _Batch:
    """What one transaction of judging works with."""

    tx: Transaction
    routes: Mapping[str, Route]
    stories: OpenStories
    book: RegionBook
    classifier: Classifier
    feeds: Mapping[str, Feed]
    primary_feeds: frozenset[str]
    now: int
    queued: int = 0


async def judge_pending(
    db: Database, classifier: Classifier, feeds: Mapping[str, Feed], book: RegionBook, now: int
) -> int:
    """Judge every unjudged item; returns how many alerts (posts and updates) were queued.

    Classification runs in a worker thread so chat commands are answered meanwhile; the
    writes for one batch are one transaction.
    """
    queued = 0
    while items := await unjudged_items(db, BATCH):
        judgements = await asyncio.to_thread(_classify_all, classifier, items, feeds)
        earliest = min(_seen_at(item, now) for item in items) - OPEN_SECONDS
        async with db.transaction() as tx:
            batch = _Batch(
                tx=tx,
                routes=await load_routes(tx),
                stories=OpenStories(
                    await open_stories(tx, earliest), enclosing=classifier.enclosing_regions
                ),
                book=book,
                classifier=classifier,
                feeds=feeds,
                primary_feeds=frozenset(f.id for f in feeds.values() if f.kind in PRIMARY_KINDS),
                now=now,
            )
            verdicts = []
            # Stories are read from their first report on: place a batch's items (a feed lists
            # its newest first) in the order they were published.
            for item, judgement in sorted(
                zip(items, judgements, strict=True), key=lambda pair: _seen_at(pair[0], now)
            ):
                judgement = _in_context(batch, item, judgement)
                story_id = await _place(batch, item, judgement) if judgement.relevant else None
                verdicts.append((item.id, judgement, story_id))
            await save_judgements(tx, verdicts)
            queued += batch.queued
    return queued


def _classify_all(
    classifier: Classifier, items: list[Item], feeds: Mapping[str, Feed]
) -> list[Judgement]:
    return [classifier.classify(item_text(item, feeds.get(item.feed_id))) for item in items]


def _in_context(batch: _Batch, item: Item, judgement: Judgement) -> Judgement:
    """A vague report that plainly continues an open story is judged relevant beside it."""
    text = item_text(item, batch.feeds.get(item.feed_id))
    seen_at = _seen_at(item, batch.now)
    return judged_in_context(batch.classifier, text, judgement, seen_at, batch.stories)


def item_text(item: Item, feed: Feed | None) -> ItemText:
    return ItemText(
        title=item.title,
        summary=item.summary,
        feed_region=feed.region if feed else None,
        feed_kind=feed.kind if feed else None,
        feed_name=feed.label if feed else None,
    )


def _seen_at(item: Item, now: int) -> int:
    return int(item.published.timestamp()) if item.published else now


async def _place(batch: _Batch, item: Item, judgement: Judgement) -> int:
    """Open a story or join one; record its opening or a development; queue a post, or an
    update (a development) where one was already queued."""
    common = batch.classifier.common_words
    seen_at = _seen_at(item, batch.now)
    signature = signature_of(judgement, item.title, seen_at, common)
    decision = decide_story(signature, batch.stories)
    story_id = decision.story_id
    step = Development(
        id=0,
        at=datetime.fromtimestamp(seen_at, UTC),
        event=judgement.event,
        regions=judgement.regions,
        left_out=judgement.regions_left_out,
        title=item.title,
        link=item.link,
        opening=story_id is None,
    )
    development_id = None
    if story_id is None:
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
        story_id = await create_story(batch.tx, story, signature, batch.now)
        batch.stories.add(story_id, signature)
        await record_development(batch.tx, story_id, item.id, step)
    else:
        before = batch.stories.get(story_id)
        left_out = await regions_left_out(batch.tx, story_id)
        change = change_of(before, judgement, left_out, batch.stories.enclosing)
        batch.stories.add(story_id, signature)
        merged = batch.stories.get(story_id)
        await grow_story(batch.tx, story_id, merged, item.alertable, batch.now)
        signature = merged
        if change:
            development_id = await record_development(batch.tx, story_id, item.id, step)
    primary = item.feed_id in batch.primary_feeds
    await link_item(batch.tx, story_id, item.id, decision.why, primary=primary)
    crash_point("placed")
    if item.alertable:
        await _queue_alerts(batch, story_id, signature, development_id)
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
        batch.queued += 1
