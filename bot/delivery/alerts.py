"""A stored story turned into the Alert a destination renders, with advice for its regions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from bot.models import Alert, Development
from bot.optout.guide import Guide
from bot.settings.regions import RegionBook
from bot.storage import Database
from bot.storage.developments import story_timeline
from bot.storage.stories import StoredStory, load_story
from bot.subscriptions import ALL, Route, load_route
from bot.vocabulary import GLOBAL

MAX_ADVICE = 4


def build_alert(
    story: StoredStory,
    action: str,
    advice: tuple[str, ...] = (),
    timeline: tuple[Development, ...] = (),
) -> Alert:
    left_out = tuple(dict.fromkeys(code for step in timeline for code in step.left_out))
    return Alert(
        action=action,
        story_id=story.id,
        title=story.title,
        summary=story.summary,
        event=story.event,
        platforms=story.platforms,
        regions=story.regions,
        links=story.links,
        reasons=story.reasons,
        first_seen=datetime.fromtimestamp(story.created_at, UTC),
        advice=advice,
        timeline=timeline,
        left_out=tuple(code for code in left_out if code not in story.regions),
    )


def advice_regions(
    story_regions: tuple[str, ...], route: Route | None, book: RegionBook
) -> list[str]:
    """The regions to advise on: the destination's regions the story concerns.

    A UK channel hears what a GLOBAL or EU-wide story means in the UK; a channel that takes
    everything (the console) hears it for the regions the story names.
    """
    named = [r for r in story_regions if r != GLOBAL]
    subscribed = [r for r in (route.regions if route else ()) if r not in (ALL, GLOBAL)]
    if not subscribed:
        return named or [GLOBAL]
    if not named:
        return subscribed
    return [s for s in subscribed if any(book.overlaps(s, r) for r in named)] or named


class AlertBuilder:
    """Loads a story and adds, per destination, what it means where that channel listens."""

    def __init__(self, db: Database, guide: Guide | None = None) -> None:
        self._db = db
        self._guide = guide

    async def build(
        self, story_id: int, action: str, destination_id: str, development_id: int | None = None
    ) -> Alert | None:
        """The story as it stands now; for a reply, with the development it tells."""
        alerts = await self.build_many((story_id,), action, destination_id)
        if not alerts:
            return None
        alert = alerts[0]
        if development_id is not None:
            step = next((s for s in alert.timeline if s.id == development_id), None)
            alert = replace(alert, development=step)
        return alert

    async def build_many(
        self, story_ids: Iterable[int], action: str, destination_id: str
    ) -> list[Alert]:
        """The stories that still exist, as alerts for one destination (a digest's day)."""
        route = await load_route(self._db, destination_id) if self._guide else None
        alerts = []
        for story_id in story_ids:
            story = await load_story(self._db, story_id)
            if story is not None:
                timeline = await story_timeline(self._db, story_id)
                alerts.append(build_alert(story, action, self._advice(story, route), timeline))
        return alerts

    def _advice(self, story: StoredStory, route: Route | None) -> tuple[str, ...]:
        if self._guide is None:
            return ()
        regions = advice_regions(story.regions, route, self._guide.regions)
        lines = (
            self._guide.hint(platform, region) for platform in story.platforms for region in regions
        )
        return tuple(dict.fromkeys(line for line in lines if line))[:MAX_ADVICE]
