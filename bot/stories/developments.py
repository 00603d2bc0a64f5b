"""Which joining reports are developments: steps that change what a story means for someone.

More outlets telling what is already known only refresh the alert. A report is a development
when it brings the story a kind of event it has not had (the pause after the change, the
regulator's order, the ruling), names a region the story did not yet reach, or says a region
is left out that no earlier report did. Pure: the caller hands in the story as it stood.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.models import Judgement, StorySignature
from bot.vocabulary import GLOBAL


@dataclass(frozen=True)
class Change:
    """What a report adds to its story; empty when it only tells it again."""

    event: str | None = None  # a kind of event the story had not had
    regions: tuple[str, ...] = ()  # regions newly affected
    left_out: tuple[str, ...] = ()  # regions newly said to be left out

    def __bool__(self) -> bool:
        return bool(self.event or self.regions or self.left_out)


def change_of(
    story: StorySignature,
    judgement: Judgement,
    left_out_before: frozenset[str],
    enclosing: Mapping[str, frozenset[str]],
) -> Change:
    """What `judgement` adds to `story` (its signature before the report joined).

    A kind the feed only guessed is no evidence of a new step. A story told worldwide
    (GLOBAL, or no region) already reaches every place, and a region inside one the story
    covers (France in an EU story) is not new either.
    """
    kinds = story.kind_counts()
    event = judgement.event
    new_event = event if event and not judgement.event_guessed and event not in kinds else None
    covered = story.covered_regions() - {GLOBAL}
    new_regions: tuple[str, ...] = ()
    if covered:
        new_regions = tuple(
            code
            for code in judgement.regions
            if code != GLOBAL
            and code not in covered
            and not (enclosing.get(code, frozenset()) & covered)
        )
    new_left_out = tuple(code for code in judgement.regions_left_out if code not in left_out_before)
    return Change(new_event, new_regions, new_left_out)
