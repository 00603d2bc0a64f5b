"""The judging stage: stored items -> judgements, stories and outbox rows, in one commit.

Calls the pure parts (classifier, story placement, router) and storage; decides nothing itself.
Items older than the backlog cutoff join stories but queue no alert.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.classify import Classifier, ItemText
from bot.models import Feed, Item, Judgement
from bot.settings import RegionBook
from bot.storage import Database, Transaction
from bot.storage.items import save_judgement, unjudged_items
from bot.storage.outbox import enqueue
from bot.storage.stories import StoredStory, create_story, link_item
from bot.storage.subscriptions import load_routes
from bot.stories import decide_story
from bot.subscriptions import wants_story

BATCH = 2000


async def judge_pending(
    db: Database, classifier: Classifier, feeds: Mapping[str, Feed], book: RegionBook, now: int
) -> int:
    """Judge every unjudged item; returns how many alerts were queued."""
    queued = 0
    while items := await unjudged_items(db, BATCH):
        async with db.transaction() as tx:
            routes = await load_routes(tx)
            for item in items:
                judgement = classifier.classify(item_text(item, feeds.get(item.feed_id)))
                story_id = None
                if judgement.relevant:
                    story_id = await _open_story(tx, item, judgement, now)
                    if item.alertable:
                        for destination_id, subs in routes.items():
                            if wants_story(
                                subs,
                                regions=judgement.regions,
                                platforms=judgement.platforms,
                                event=judgement.event,
                                book=book,
                            ):
                                await enqueue(tx, destination_id, story_id, "post", 0, now)
                                queued += 1
                await save_judgement(tx, item.id, judgement, story_id)
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
