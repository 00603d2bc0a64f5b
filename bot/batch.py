"""The offline commands `aiwatch classify` and `aiwatch stories`: JSON lines in, out.

The same classifier and the same story placement as `run`, over items given on stdin
instead of items from feeds, so labelled sets can be scored without a database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.classify import Classifier, ItemText
from bot.errors import UsageError
from bot.models import Judgement
from bot.settings import RegionBook
from bot.stories import OpenStories, decide_story, judged_in_context, signature_of


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


@dataclass(frozen=True)
class Placed:
    """One input item as `run` would judge it: its verdict and the story it joined."""

    item: InputItem
    judgement: Judgement
    story_id: int | None


@dataclass(frozen=True)
class JudgedItems:
    placed: list[Placed]  # in input order
    story_events: Mapping[int, str | None]  # what most of each story's reports say


def judge_in_order(items: Sequence[InputItem], classifier: Classifier) -> JudgedItems:
    """Every item judged and placed in the order it was published (input order on a tie,
    items without a date first), as `run` places them, and returned in input order. A story
    is read from its first report on, and a vague report is read beside the stories open
    when it came (bot.stories.context): the same items give the same verdicts and stories in
    any input order."""
    open_stories = OpenStories(enclosing=classifier.enclosing_regions)
    placed: dict[int, Placed] = {}
    opened = 0
    for index in sorted(range(len(items)), key=lambda i: _seen_at(items[i])):
        item = items[index]
        seen_at = _seen_at(item)
        judgement = classifier.classify(item.text)
        if item.published is not None:  # an undated report cannot be placed in a story's days
            judgement = judged_in_context(classifier, item.text, judgement, seen_at, open_stories)
        story_id = None
        if judgement.relevant:
            signature = signature_of(judgement, item.text.title, seen_at, classifier.common_words)
            story_id = decide_story(signature, open_stories).story_id
            if story_id is None:
                opened += 1
                story_id = opened
            open_stories.add(story_id, signature)
        placed[index] = Placed(item, judgement, story_id)
    events = {story_id: open_stories.get(story_id).event for story_id in range(1, opened + 1)}
    return JudgedItems([placed[index] for index in range(len(items))], events)


def story_lines(judged: JudgedItems) -> list[dict[str, Any]]:
    """One line per story, in the order the stories were opened."""
    stories: dict[int, _Story] = {}
    for entry in sorted(judged.placed, key=lambda p: _seen_at(p.item)):
        if entry.story_id is None:
            continue
        story = stories.setdefault(entry.story_id, _Story([], entry.item.text.title))
        story.items.append(entry.item.id)
        story.platforms.update(entry.judgement.platforms)
        story.regions.update(entry.judgement.regions)
    return [
        {
            "story": story_id,
            "items": story.items,
            "title": story.title,
            "platforms": sorted(story.platforms),
            "regions": sorted(story.regions),
            "event": judged.story_events[story_id],
        }
        for story_id, story in sorted(stories.items())
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
