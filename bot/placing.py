"""One placement loop, for `run` and for `aiwatch classify` and `stories`: each report is
classified, read beside the stories open when it came, and placed, in the order reported.

Both callers hand in reports with the time they were reported and whether that time is a
date the report carries. An undated report (its time is when it was first seen: `run`'s
clock, or after every dated report offline) comes last and is judged on its own words, as it
cannot be read beside a story's days. A feed's kind weighs wherever the caller knows it.
Pure: no I/O; a new story gets the id `next_id` gives (the caller's provisional id in `run`,
which it maps to the stored story).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot.classify import Classifier, ItemText
from bot.models import Judgement, StorySignature
from bot.stories import OpenStories, StoryDecision, decide_story, judged_in_context, signature_of


@dataclass(frozen=True)
class Report:
    text: ItemText
    seen_at: int  # unix seconds: published, else when first seen
    dated: bool  # seen_at is the report's own date


@dataclass(frozen=True)
class Placement:
    """One report placed: its verdict, and for a relevant one the story it opened or joined,
    with the story as it stood before (None: it opened it) and after."""

    index: int  # the report's place in the input
    judgement: Judgement
    decision: StoryDecision | None = None  # story_id is set: the one opened or joined
    before: StorySignature | None = None
    after: StorySignature | None = None

    @property
    def opened(self) -> bool:
        return self.decision is not None and self.before is None


def order(reports: Sequence[Report]) -> list[int]:
    """Stories are read from their first report on: dated reports in the order reported,
    then undated ones (input order on a tie)."""
    return sorted(range(len(reports)), key=lambda i: (not reports[i].dated, reports[i].seen_at, i))


def place_all(
    reports: Sequence[Report],
    classifier: Classifier,
    stories: OpenStories,
    next_id: Callable[[], int],
) -> list[Placement]:
    """Every report placed, in the order of `order`; `stories` grows as they join."""
    placements = []
    for index in order(reports):
        report = reports[index]
        judgement = classifier.classify(report.text)
        if report.dated:
            judgement = judged_in_context(
                classifier, report.text, judgement, report.seen_at, stories
            )
        if not judgement.relevant:
            placements.append(Placement(index, judgement))
            continue
        words = classifier.common_words
        signature = signature_of(judgement, report.text.title, report.seen_at, words)
        decision = decide_story(signature, stories)
        before = None if decision.story_id is None else stories.get(decision.story_id)
        if decision.story_id is None:
            decision = replace(decision, story_id=next_id())
        assert decision.story_id is not None
        stories.add(decision.story_id, signature)
        after = stories.get(decision.story_id)
        placements.append(Placement(index, judgement, decision, before, after))
    return placements
