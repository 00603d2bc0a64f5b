"""The offline commands `aiwatch classify` and `aiwatch stories`: JSON lines in, out.

The same classifier and the same story placement as `run`, over items given on stdin
instead of items from feeds, so labelled sets can be scored without a database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.classify import Classifier, ItemText
from bot.errors import UsageError
from bot.models import Judgement
from bot.settings import RegionBook
from bot.stories import OpenStories, decide_story, signature_of


@dataclass(frozen=True)
class InputItem:
    id: Any
    text: ItemText
    published: datetime | None


@dataclass
class _Story:
    items: list[Any]
    title: str
    platforms: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)


def read_items(lines: Iterable[str], regions: RegionBook) -> Iterator[InputItem]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"stdin line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(raw, dict) or "id" not in raw or "title" not in raw:
            raise UsageError(f"stdin line {number}: expected an object with 'id' and 'title'")
        yield InputItem(
            id=raw["id"],
            text=ItemText(
                title=str(raw.get("title") or ""),
                summary=str(raw.get("summary") or ""),
                feed_region=_feed_region(raw.get("feed_region"), regions, number),
                feed_name=str(raw["source"]) if raw.get("source") else None,
            ),
            published=_published(raw.get("published"), number),
        )


def verdict_line(item: InputItem, judgement: Judgement) -> dict[str, Any]:
    return {
        "id": item.id,
        "relevant": judgement.relevant,
        "score": judgement.score,
        "platforms": list(judgement.platforms),
        "regions": list(judgement.regions),
        "event": judgement.event,
        "reasons": list(judgement.reasons),
    }


def story_lines(items: Iterable[InputItem], classifier: Classifier) -> list[dict[str, Any]]:
    """Relevant items placed into stories in the order they were published (input order on a
    tie, items without a date first), as `run` places them: a story is read from its first
    report on, so the same items give the same stories in any input order."""
    open_stories = OpenStories(enclosing=classifier.enclosing_regions)
    stories: dict[int, _Story] = {}
    for item in sorted(items, key=_seen_at):
        judgement = classifier.classify(item.text)
        if not judgement.relevant:
            continue
        seen_at = _seen_at(item)
        signature = signature_of(judgement, item.text.title, seen_at, classifier.common_words)
        story_id = decide_story(signature, open_stories).story_id
        if story_id is None:
            story_id = len(stories) + 1
            stories[story_id] = _Story([], item.text.title)
        open_stories.add(story_id, signature)
        story = stories[story_id]
        story.items.append(item.id)
        story.platforms.update(judgement.platforms)
        story.regions.update(judgement.regions)
    return [
        {
            "story": story_id,
            "items": story.items,
            "title": story.title,
            "platforms": sorted(story.platforms),
            "regions": sorted(story.regions),
            "event": open_stories.get(story_id).event,  # what most of its reports say
        }
        for story_id, story in stories.items()
    ]


def _seen_at(item: InputItem) -> int:
    return int(item.published.timestamp()) if item.published else 0


def _feed_region(raw: Any, regions: RegionBook, number: int) -> str | None:
    if raw in (None, ""):
        return None
    code = regions.resolve(str(raw))
    if code is None:
        raise UsageError(f"stdin line {number}: unknown feed_region {raw!r}")
    return code


def _published(raw: Any, number: int) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"stdin line {number}: 'published' is not an ISO date: {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
