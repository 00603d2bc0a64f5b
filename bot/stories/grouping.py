"""Placing a judged item in a story.

This first version opens one story per relevant item: items are already deduplicated by
guid and canonical link, so one report is never alerted twice. Grouping different outlets'
reports of one event into one story is the next step (issue #4), and lands here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Item, Judgement


@dataclass(frozen=True)
class StoryDecision:
    """Open a new story (story_id None) or join an existing one, and why."""

    story_id: int | None
    why: str


def decide_story(item: Item, judgement: Judgement) -> StoryDecision:
    return StoryDecision(story_id=None, why="first report of this event")
