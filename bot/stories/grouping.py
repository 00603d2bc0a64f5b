"""Placing a judged item in a story: the open story its evidence fits best, if any.

Pure and deterministic: the caller hands in the item's signature and the open stories'
signatures (from the database, or from memory for `aiwatch stories`). What a story is, and
so what counts as evidence, is in bot.stories.score; the weights in bot.stories.weights.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import StorySignature
from bot.stories.index import OpenStories
from bot.stories.score import Evidence, evidence, points, render
from bot.stories.signature import headline_words, signature_of
from bot.stories.weights import OPEN_SECONDS, WEIGHTS, Weights

__all__ = [
    "OPEN_SECONDS",
    "OpenStories",
    "StoryDecision",
    "decide_story",
    "headline_words",
    "signature_of",
]


@dataclass(frozen=True)
class StoryDecision:
    """Open a new story (story_id None) or join an existing one, and why: the evidence."""

    story_id: int | None
    why: str
    score: float = 0.0  # how well it fits the story it joins
    evidence: Evidence = ()


def decide_story(
    item: StorySignature, open_stories: OpenStories, weights: Weights = WEIGHTS
) -> StoryDecision:
    best = best_story(item, open_stories, weights)
    if best is None or points(best[1]) < weights.join:
        return StoryDecision(None, "first report of this episode")
    story_id, found = best
    return StoryDecision(story_id, render(found), points(found), found)


def best_story(
    item: StorySignature, open_stories: OpenStories, weights: Weights = WEIGHTS
) -> tuple[int, Evidence] | None:
    """The open story the item fits best, with its evidence, however weak.

    On a tie the story reported nearest in time wins; then the one that began nearest in
    time (the Dutch regulator's DeepSeek inquiry that day, not Italy's order still drawing
    reports); then the oldest (candidates come in id order): deterministic.
    """
    best: tuple[tuple[float, int, int], int, Evidence] | None = None
    for story_id in open_stories.candidates(item):
        story = open_stories.get(story_id)
        found = evidence(item, story, open_stories.enclosing, weights)
        if found is None:
            continue
        rank = (
            points(found),
            -abs(item.seen_at - story.seen_at),
            -abs(item.seen_at - story.started_at()),
        )
        if best is None or rank > best[0]:
            best = (rank, story_id, found)
    return None if best is None else (best[1], best[2])
