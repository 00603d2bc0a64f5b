"""How well a report fits an open story: its evidence, as (reason, points).

The score is the sum of the points; the joining report stores the evidence as its `why`, so
what is stored is exactly what scored. A story is an episode: one platform's change and all
that follows from it while it is news, in the regions it touches (see DESIGN.md, Story).
So the evidence is the platform, the episode still open, the places, shared headline words
and an agreeing kind; a few gates say when a report cannot join at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.models import StorySignature
from bot.stories import kinds
from bot.stories.weights import DAY, WEIGHTS, Weights
from bot.vocabulary import GLOBAL

Evidence = tuple[tuple[str, float], ...]


def evidence(
    item: StorySignature,
    story: StorySignature,
    enclosing: Mapping[str, frozenset[str]],
    weights: Weights = WEIGHTS,
) -> Evidence | None:
    """What speaks for the item joining the story; None when it cannot."""
    timing = _timing(item, story, weights)
    platforms = _platforms(item, story, weights)
    places = _places(item, story, enclosing, weights)
    if timing is None or platforms is None or places is None:
        return None
    agree = kinds.agreeing(item.event, story.event, bool(item.platforms or story.platforms))
    if not _whose(item, story, agree):
        return None
    found = [*timing, *platforms, *places, *_words(item, story, weights)]
    if agree:
        found.append((agree, weights.same_kind))
    return tuple(found)


def points(found: Evidence) -> float:
    return round(sum(p for _, p in found), 6)  # sums of tenths: 1.2 must not be 1.1999999


def render(found: Evidence) -> str:
    """The evidence as stored: "platform linkedin +1.0; region UK +0.5; ..."."""
    return "; ".join(f"{reason} {p:+.1f}" for reason, p in found)


def _whose(item: StorySignature, story: StorySignature, agree: str | None) -> bool:
    """Whose news it is: a platform either names; or, naming none, a shared headline word
    (Mozilla's terms, in three languages), or a place and a kind both agree on (a
    regulator's own guidance, translated): not the ICO's strategy beside the NHS's pause."""
    if item.platforms or story.platforms or item.words & story.words:
        return True
    return bool(agree) and bool(_named(item) & _named(story))


def _timing(item: StorySignature, story: StorySignature, w: Weights) -> Evidence | None:
    """Open while reports keep coming; to its own outcome for weeks; never after."""
    since_last = abs(item.seen_at - story.seen_at)
    since_first = abs(item.seen_at - story.started_at())
    if since_first <= w.first_days_seconds:
        return ((f"on its first days ({since_first / DAY:.1f} days in)", w.on_first_days),)
    if since_last <= w.open_seconds:
        return ((f"open ({since_last / DAY:.1f} days after its last report)", 0.0),)
    if since_last <= w.outcome_seconds and _outcome(item, story):
        return ((f"its outcome ({since_last / DAY:.1f} days after its last report)", 0.0),)
    return None


def _outcome(item: StorySignature, story: StorySignature) -> bool:
    """The same platforms, the same places, and a headline word of its own or a step of the
    same kind: the case struck out, the change taking effect on its announced date."""
    same_places = bool(_named(item) & _named(story)) or not (_named(item) or _named(story))
    return (
        bool(item.platforms)
        and item.platforms == story.platforms
        and same_places
        and (bool(item.words & story.words) or kinds.same_step(item.event, story.event))
    )


def _platforms(item: StorySignature, story: StorySignature, w: Weights) -> Evidence | None:
    """The same platforms; or some of the story's, as a story collects partners ("Reddit
    sues Perplexity and scrapers that used Google", then "Reddit's new lawsuit"); or, on its
    first days, the story's and a partner, the news told more fully ("... DeepSeek sent user
    data to ByteDance"). Later a partner's name would bring in the partner's own news. Other
    platforms, or sharing one partner only, cannot join. A report naming none may, on other
    evidence."""
    if not item.platforms and not story.platforms:
        return (("neither names a platform", w.no_platform),)
    if not item.platforms or not story.platforms:
        return ()
    names = ", ".join(sorted(item.platforms & story.platforms))
    if item.platforms == story.platforms:
        return ((f"platform {names}", w.same_platforms),)
    on_first_days = abs(item.seen_at - story.started_at()) <= w.first_days_seconds
    if item.platforms <= story.platforms or (on_first_days and story.platforms <= item.platforms):
        return ((f"platforms {names} and partners", w.some_platforms),)
    return None


def _places(
    item: StorySignature,
    story: StorySignature,
    enclosing: Mapping[str, frozenset[str]],
    w: Weights,
) -> Evidence | None:
    """Regions both name, or one inside the other's; a story naming no place touches every
    one. A report of another place is another episode; one naming no place says nothing."""
    mine, theirs = _named(item), _named(story)
    if shared := mine & theirs:
        return ((f"region {', '.join(sorted(shared))}", w.shared_region),)
    if kinds.told_locally(item.event, story.first_kind()) and (
        nested := _nesting(mine, theirs, enclosing)
    ):
        return ((f"region {nested[0]}", w.nested_region),)
    if not mine:
        return (("the report names no place", w.worldwide),)
    if not theirs or GLOBAL in story.regions:
        return (("the story names no one place", w.worldwide),)
    return None


def _nesting(
    mine: frozenset[str], theirs: frozenset[str], enclosing: Mapping[str, frozenset[str]]
) -> list[str]:
    """Regions either names inside regions the other names, as "DE in EU"; else the
    innermost region holding every region both name, as "UK and CH in EEA_UK_CH"."""
    pairs = [(mine, theirs), (theirs, mine)]
    nested = [
        f"{region} in {outer}"
        for inner, others in pairs
        for region in sorted(inner)
        for outer in sorted(enclosing.get(region, frozenset()) & others)
    ]
    if nested or not (mine and theirs):
        return nested

    def with_outer(region: str) -> frozenset[str]:
        return enclosing.get(region, frozenset()) | {region}

    common = frozenset.intersection(*(with_outer(r) for r in mine | theirs))
    if not common:
        return []
    inner = max(sorted(common), key=lambda region: len(with_outer(region)))
    return [f"{', '.join(sorted(mine))} and {', '.join(sorted(theirs))} in {inner}"]


def _words(item: StorySignature, story: StorySignature, w: Weights) -> Evidence:
    shared = sorted(item.words & story.words)[: w.max_shared_words]
    return ((f"words {', '.join(shared)}", w.per_shared_word * len(shared)),) if shared else ()


def _named(signature: StorySignature) -> frozenset[str]:
    return frozenset(r for r in signature.regions if r != GLOBAL)
