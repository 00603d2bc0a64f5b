"""What grouping compares of a report or a story: its signature, and how a story's grows."""

from __future__ import annotations

import re

from bot.models import Judgement, StorySignature

MIN_WORD_LENGTH = 4
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def headline_words(text: str, common: frozenset[str] = frozenset()) -> frozenset[str]:
    """Distinctive words of a headline: long enough, and not a generic topic word.

    `common` holds every word of the classifier's terms and the platform and region names
    (from config), which every relevant item shares and so tell events apart poorly.
    """
    words = (w.casefold() for w in _WORD.findall(text) if len(w) >= MIN_WORD_LENGTH)
    return frozenset(w for w in words if w not in common)


def signature_of(
    judgement: Judgement, title: str, seen_at: int, common: frozenset[str]
) -> StorySignature:
    """The one way a judged item becomes a signature, in `run` and in `aiwatch stories`."""
    return StorySignature(
        event=judgement.event,
        platforms=frozenset(judgement.headline_platforms or judgement.platforms),
        regions=frozenset(judgement.headline_regions or judgement.regions),
        words=headline_words(title, common),
        seen_at=seen_at,
        event_guessed=judgement.event_guessed,
        all_platforms=frozenset(judgement.platforms),
        all_regions=frozenset(judgement.regions),
    )


def merged(old: StorySignature, new: StorySignature) -> StorySignature:
    """A story grows as reports join: more words, platforms and regions; latest time; and
    its event follows what most reports say (the first on a tie)."""
    counts = _added(old.kind_counts(), new.kind_counts())
    return StorySignature(
        event=max(counts, key=lambda kind: counts[kind]) if counts else old.event,
        platforms=old.platforms | new.platforms,
        regions=old.regions | new.regions,
        words=old.words | new.words,
        seen_at=max(old.seen_at, new.seen_at),
        first_seen=min(old.started_at(), new.started_at()),
        kinds=tuple(counts.items()),
        region_reports=tuple(_added(old.region_counts(), new.region_counts()).items()),
        all_platforms=old.covered_platforms() | new.covered_platforms(),
        all_regions=old.covered_regions() | new.covered_regions(),
    )


def _added(counts: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    """Counts summed key by key, in the order first counted."""
    total = dict(counts)
    for key, count in more.items():
        total[key] = total.get(key, 0) + count
    return total
