"""The judging stage: stored items -> judgements, stories and outbox rows, in one commit.

Calls the pure parts (classifier, story placement, router) and storage; decides nothing itself.
Items older than the backlog cutoff join stories but queue no alert.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from bot.classify import Classifier, ItemText
from bot.models import Feed, Item, Judgement
from bot.settings import RegionBook
from bot.storage import Database, Transaction
from bot.storage.items import save_judgements, unjudged_items
from bot.storage.outbox import enqueue
from bot.storage.stories import StoredStory, create_story, link_item
from bot.storage.subscriptions import load_routes
from bot.stories import decide_story
from bot.subscriptions import Subscription, wants_story

BATCH = 1000


async def judge_pending(
    db: Database, classifier: Classifier, feeds: Mapping[str, Feed], book: RegionBook, now: int
) -> int:
    """Judge every unjudged item; returns how many alerts were queued.

    Classification runs in a worker thread so chat commands are answered meanwhile; the
    writes for one batch are one transaction.
    """
    queued = 0
    while items := await unjudged_items(db, BATCH):
        judgements = await asyncio.to_thread(
            lambda batch=items: [  # type: ignore[misc]
                classifier.classify(item_text(i, feeds.get(i.feed_id))) for i in batch
            ]
        )
        async with db.transaction() as tx:
            routes = await load_routes(tx)
            verdicts = []
            for item, judgement in zip(items, judgements, strict=True):
                story_id = None
                if judgement.relevant:
                    story_id = await _open_story(tx, item, judgement, now)
                    if item.alertable:
                        queued += await _queue_alerts(tx, routes, story_id, judgement, book, now)
                verdicts.append((item.id, judgement, story_id))
            await save_judgements(tx, verdicts)
    return queued


async def _queue_alerts(
    tx: Transaction,
    routes: Mapping[str, list[Subscription]],
    story_id: int,
    judgement: Judgement,
    book: RegionBook,
    now: int,
) -> int:
    queued = 0
    for destination_id, subscriptions in routes.items():
        if wants_story(
            subscriptions,
            regions=judgement.regions,
            platforms=judgement.platforms,
            event=judgement.event,
            book=book,
        ):
            await enqueue(tx, destination_id, story_id, "post", 0, now)
            queued += 1
    return queued


def item_text(item: Item, feed: Feed | None) -> ItemText:
    return ItemText(
        title=item.title,
        summary=item.summary,
        feed_region=feed.region if feed else None,
        feed_kind=feed.kind if feed else None,
        feed_name=feed.label if feed else None,
    )


async def _open_story(tx: Transaction, item: Item, judgement: Judgement, now: int) -> int:
    decision = decide_story(item, judgement)
    story_id = decision.story_id
    if story_id is None:
        story_id = await create_story(
            tx,
            StoredStory(
                id=0,
                created_at=now,
                title=item.title,
                summary=item.summary,
                event=judgement.event,
                platforms=judgement.platforms,
                regions=judgement.regions,
                reasons=judgement.reasons,
                alertable=item.alertable,
            ),
            now,
        )
    await link_item(tx, story_id, item.id, decision.why)
    return story_id
