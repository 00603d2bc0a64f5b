"""The offline commands `aiwatch classify` and `aiwatch stories`: JSON lines in, out.

The same classifier and the same story placement as `run`, over items given on stdin
instead of items from feeds, so labelled sets can be scored without a database.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.classify import Classifier, ItemText
from bot.errors import UsageError
from bot.models import FEED_KINDS, Judgement
from bot.placing import Report, place_all
from bot.settings import RegionBook
from bot.stories import OpenStories


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
                feed_kind=_feed_kind(raw.get("feed_kind"), number),
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
    placing_order: list[int]  # input indexes in the order they were placed
    story_events: Mapping[int, str | None]  # what most of each story's reports say


def judge_in_order(items: Sequence[InputItem], classifier: Classifier) -> JudgedItems:
    """Every item judged and placed by `run`'s own loop (bot/placing.py), returned in input
    order: the same items give the same verdicts and stories in any input order. An undated
    item is taken as seen after every dated one, as `run` sees it when it is stored."""
    latest = max((int(item.published.timestamp()) for item in items if item.published),
                 default=0)  # fmt: skip
    reports = [
        Report(item.text, int(item.published.timestamp()) if item.published else latest,
               dated=item.published is not None)
        for item in items
    ]  # fmt: skip
    stories = OpenStories(enclosing=classifier.enclosing_regions)
    placements = place_all(reports, classifier, stories, itertools.count(1).__next__)
    placed = {
        p.index: Placed(items[p.index], p.judgement, p.decision.story_id if p.decision else None)
        for p in placements
    }
    opened = [p.decision.story_id for p in placements if p.opened and p.decision]
    events = {story_id: stories.get(story_id).event for story_id in opened if story_id}
    return JudgedItems(
        [placed[index] for index in range(len(items))], [p.index for p in placements], events
    )


def story_lines(judged: JudgedItems) -> list[dict[str, Any]]:
    """One line per story, in the order the stories were opened."""
    stories: dict[int, _Story] = {}
    for entry in (judged.placed[index] for index in judged.placing_order):
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


def _feed_region(raw: Any, regions: RegionBook, number: int) -> str | None:
    if raw in (None, ""):
        return None
    code = regions.resolve(str(raw))
    if code is None:
        raise UsageError(f"stdin line {number}: unknown feed_region {raw!r}")
    return code


def _feed_kind(raw: Any, number: int) -> str | None:
    """The kind of feed the item came from weighs as it does in `run` (DESIGN.md contract)."""
    if raw in (None, ""):
        return None
    if raw not in FEED_KINDS:
        raise UsageError(
            f"stdin line {number}: unknown feed_kind {raw!r} (expected one of {list(FEED_KINDS)})"
        )
    return str(raw)


def _published(raw: Any, number: int) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"stdin line {number}: 'published' is not an ISO date: {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
