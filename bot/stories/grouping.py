"""Placing a judged item in a story: which open story reports the same event, and why.

Pure and deterministic: the caller hands in the item's signature and the open stories'
signatures (from the database, or from memory for `aiwatch stories`).

Two reports are one event when they are close in time, name the same platforms, and share
enough of their headline words; a different event kind costs a penalty rather than a veto,
because outlets describe one event differently ("pauses" vs "regulator asks"), and on the
same or next day it costs nothing. A story spans twelve days at most from its first report, so
events months apart never merge (Meta pausing EU training in June 2024 and resuming UK
training in September 2024; LinkedIn's 2024 and 2025 changes), and neither do events a few
weeks apart that follow-ups link day by day. Only a change's own follow-ups (its deadline
reminder, the day it takes effect) join it later, up to thirty days on.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.models import Judgement, StorySignature
from bot.vocabulary import GLOBAL, Event

# How long a story stays open, from its first report. The timeline's episodes run up to twelve
# days (Adobe's terms, June 6 to 18, 2024; the consumer group's letter to Meta and its court
# bid twelve days later, 2025).
WINDOW_SECONDS = 12 * 24 * 3600
# A change stays open longer to its own follow-ups: the deadline reminder (Udemy's and
# Anthropic's, four weeks on), the day it takes effect (Gemini's, three weeks on), the final
# rewrite of the terms. Only for a change or opt-out report naming the story's platforms and
# regions and sharing a headline word with it: "As users flee X over AI training, Bluesky
# promises not to use posts" a month after X's new terms is not one of them. Advice on opting
# out of the change that names no other place needs no shared word (reminders are brief).
FOLLOW_UP_SECONDS = 30 * 24 * 3600
OPEN_SECONDS = max(WINDOW_SECONDS, FOLLOW_UP_SECONDS)  # how far back a story may take a report
CLOSE_SECONDS = 3 * 24 * 3600
# Outlets report an event the same or the next day as its first report, and name it
# differently (the court case, the pause it brought): in the labelled tune set, 5,094 of the
# 5,137 pairs of same-platform reports a day or less apart with overlapping regions are one
# story, whatever their kinds or words.
# Not a pause after a change, though, in a region the change's story is not about: the UK's
# pause two days after LinkedIn's worldwide opt-in is the next event. Later, kinds must be of
# one family, close enough in time (Reddit's policy and its deal a week later are two events),
# and other kinds cost a penalty.
NEXT_DAY_SECONDS = 48 * 3600
NEXT_DAY_MISMATCH = 0.2
FAMILY_SECONDS = 4 * 24 * 3600
JOIN_SCORE = 0.7
# A regulator's guidance and the press on it name no platform and, across languages, share
# few words: the same place within the story's days, and a kind that agrees, is the evidence
# (the CNIL's recommendations, then a German summary of them five days later).
UNNAMED_SAME_PLACE = 0.2
# What a regulator publishes on its own (no platform named) is read as guidance, action or
# advice depending on the outlet's words: the Hamburg commissioner's discussion paper is
# "guidance" in English and "Datenschutzbeauftragter: ... speichern keine" (action) in German.
# In the tune set, 40 of 46 such pairs a day apart in one place whose kinds were read
# differently are one story; the other 6 are a pause beside a regulator's strategy.
REGULATOR_KINDS = frozenset({Event.GUIDANCE, Event.REGULATOR_ACTION, Event.OPT_OUT})
MIN_WORD_LENGTH = 4
# Event kinds outlets use for one event, and how far apart their reports may be: how to opt
# out of a change follows it all through the story (the guides come a week later), and so
# do its late follow-ups (see FOLLOW_UP_SECONDS); a policy and a deal, or a pause and the
# regulator's statement, are one event only within days.
# Kinds in no shared family cost a penalty.
CHANGE_KINDS = frozenset({Event.POLICY_CHANGE, Event.OPT_OUT})
ADVICE = Event.OPT_OUT  # how to opt out: it follows the change it is about
# A platform's Europe-wide change, pause or opt-out is told country by country ("Meta will
# train AI on Germans' posts" the day after "Meta to train AI on EU users' posts"): a report
# naming a country inside a region the story names, or the other way round, is the same event
# told locally. A regulator's or a court's action in one country is its own (the AEPD's
# inquiry into ChatGPT and the EDPB's task force, the same day).
LOCAL_KINDS = frozenset({Event.POLICY_CHANGE, Event.PAUSE, Event.OPT_OUT})
# And on a change's or pause's first days, outlets in each country tell it their own readers
# ("LinkedIn to use British users' data", "... Swiss members' profiles", the same day): two
# regions inside one region (UK and CH in Europe) are the same event told locally as well.
# Not advice on opting out: each regulator's guide to objecting (the CNIL's, the Garante's,
# the BfDI's, the same week) is its own event.
NEIGHBOUR_KINDS = frozenset({Event.POLICY_CHANGE, Event.PAUSE})
RELATED_EVENTS = (
    (CHANGE_KINDS, FOLLOW_UP_SECONDS),
    (frozenset({Event.POLICY_CHANGE, Event.OPT_OUT, Event.DATA_DEAL}), FAMILY_SECONDS),
    (frozenset({Event.PAUSE, Event.REGULATOR_ACTION}), FAMILY_SECONDS),
)
UNNAMED_RELATED_EVENTS = (*RELATED_EVENTS, (REGULATOR_KINDS, FAMILY_SECONDS))
WALK_BACK = frozenset({Event.POLICY_CHANGE, Event.PAUSE})  # see _walks_back
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class StoryDecision:
    """Open a new story (story_id None) or join an existing one, and why."""

    story_id: int | None
    why: str
    score: float = 0.0  # how well it fits the story it joins


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


class OpenStories:
    """Recent stories indexed by platform and word, so an item meets few candidates.

    `enclosing` gives, for a region code, the regions that contain it (DE -> EU, EEA, ...),
    from config/regions.yaml: a country's report of a Europe-wide change is that change.
    """

    def __init__(
        self,
        stories: Iterable[tuple[int, StorySignature]] = (),
        enclosing: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.enclosing: Mapping[str, frozenset[str]] = enclosing or {}
        self._stories: dict[int, StorySignature] = {}
        self._by_key: defaultdict[str, set[int]] = defaultdict(set)
        for story_id, signature in stories:
            self.add(story_id, signature)

    def __len__(self) -> int:
        return len(self._stories)

    def add(self, story_id: int, signature: StorySignature) -> None:
        old = self._stories.get(story_id)
        if old is not None:
            signature = _merge(old, signature)
        self._stories[story_id] = signature
        for key in _keys(signature):
            self._by_key[key].add(story_id)

    def get(self, story_id: int) -> StorySignature:
        return self._stories[story_id]

    def candidates(self, item: StorySignature) -> list[int]:
        found: set[int] = set()
        for key in _lookups(item):
            found.update(self._by_key.get(key, ()))
        return sorted(found)


def _keys(signature: StorySignature) -> list[str]:
    """Where a story is filed: by its platforms and by event and region; or, naming no
    platform, by its words, by event and region, and by region alone."""
    regions = [r for r in signature.regions if r != GLOBAL]
    if signature.platforms:
        platforms = [f"p:{p}" for p in signature.platforms]
        return platforms + [f"ep:{signature.event}:{r}" for r in regions]
    words = [f"w:{w}" for w in signature.words]
    return words + [f"e:{signature.event}:{r}" for r in regions] + [f"r:{r}" for r in regions]


def _lookups(item: StorySignature) -> list[str]:
    """Where to look for an item's story: its platforms' stories, and stories of the same
    event and region that name no platform (a platform's own "our members" names none). An
    item naming no platform meets the stories of its words, the platform stories of its
    event and region, and every story of its region that names no platform (a regulator's
    notice in another language shares no words and may be read as another kind)."""
    regions = [r for r in item.regions if r != GLOBAL]
    if item.platforms:
        return [f"p:{p}" for p in item.platforms] + [f"e:{item.event}:{r}" for r in regions]
    words = [f"w:{w}" for w in item.words]
    return words + [f"r:{r}" for r in regions] + [f"ep:{item.event}:{r}" for r in regions]


def decide_story(item: StorySignature, open_stories: OpenStories) -> StoryDecision:
    best = _best_story(item, open_stories)
    if best is None or best[0] < JOIN_SCORE:
        return StoryDecision(None, "first report of this event")
    score, story_id = best
    story = open_stories.get(story_id)
    return StoryDecision(story_id, _explain(item, story, score, open_stories.enclosing), score)


def _best_story(item: StorySignature, open_stories: OpenStories) -> tuple[float, int] | None:
    """The open story the item fits best, with its score, however low."""
    best: tuple[float, int, int, int] | None = None
    for story_id in open_stories.candidates(item):
        story = open_stories.get(story_id)
        score = _score(item, story, open_stories.enclosing)
        if score is None:
            continue
        # On a tie the story reported nearest in time wins; then the one that began nearest
        # in time (the Dutch regulator's DeepSeek inquiry that day, not Italy's order still
        # drawing reports); then the oldest (candidates come in id order): deterministic.
        rank = (
            score,
            -abs(item.seen_at - story.seen_at),
            -abs(item.seen_at - story.started_at()),
        )
        if best is None or rank > best[:3]:
            best = (*rank, story_id)
    return None if best is None else (best[0], best[3])


def _score(
    item: StorySignature, story: StorySignature, enclosing: Mapping[str, frozenset[str]]
) -> float | None:
    gap = abs(item.seen_at - story.seen_at)
    in_window = max(gap, abs(item.seen_at - story.started_at())) <= WINDOW_SECONDS
    if not in_window and not _late_follow_up(item, story):
        return None
    unnamed = not item.platforms or not story.platforms  # e.g. a platform's own "we", "our"
    # Other platforms: sharing one partner is not enough. Naming only some of the story's is
    # fine, as a story collects partners while reports join ("Reddit sues Perplexity and
    # scrapers that used Google", then "Reddit's new lawsuit").
    partial = item.platforms <= story.platforms
    if not unnamed and not partial and _jaccard(item.platforms, story.platforms) < 0.5:
        return None
    shared = item.words & story.words
    # One shared word is at most half an overlap: a headline with a single distinctive word
    # ("ICO updates its statement") must not match a big story by chance ("Updates to our terms").
    overlap = len(shared) / max(2, min(len(item.words), len(story.words)))
    score = 0.5 * overlap
    if item.platforms:  # the same platforms say more than overlapping ones (a new partner)
        score += 0.3 if item.platforms == story.platforms else 0.2
    if _events_agree(item, story, gap):
        score += 0.3
    elif _on_its_first_days(item, story) and not _pause_elsewhere(item, story):
        score += NEXT_DAY_MISMATCH
    elif not item.event_guessed:
        score -= 0.25
    score += _region_points(item, story, gap, enclosing)
    score += UNNAMED_SAME_PLACE if _unnamed_same_place(item, story, gap) else 0.0
    score += 0.1 if gap <= CLOSE_SECONDS else 0.0
    # A regulator's notice in two languages shares no words but the day, event and region.
    score += 0.1 if gap <= NEXT_DAY_SECONDS and item.event == story.event else 0.0
    return round(score, 6)  # sums of tenths: 0.7 must not come out as 0.6999999


def _region_points(
    item: StorySignature, story: StorySignature, gap: int, enclosing: Mapping[str, frozenset[str]]
) -> float:
    """Sharing a named region is evidence; both naming none (GLOBAL) is weak evidence, and
    so is a report naming none the same or next day (a headline that leaves out the
    country). Not the other way round: a UK pause after a worldwide change is news of its
    own, and days later a country's report counts against a worldwide story. One country's
    story is not another's, unless it is a Europe-wide change told locally (LOCAL_KINDS):
    weak evidence too, so Norway's report of Meta's pause joins the pause rather than the
    Norwegian regulator's call of two days before."""
    shared = item.regions & story.regions
    if _named(shared):
        return 0.2
    if shared or (not _named(item.regions) and gap <= NEXT_DAY_SECONDS):
        return 0.1
    if _named(item.regions) and _named(story.regions):
        return 0.1 if _told_locally(item, story, enclosing) else -0.3
    # Days later, a worldwide story does not take one country's news: ChatGPT's return to
    # Italy three days after a new ChatGPT setting for everyone.
    return -0.1 if _named(item.regions) and not _on_its_first_days(item, story) else 0.0


def _told_locally(
    item: StorySignature, story: StorySignature, enclosing: Mapping[str, frozenset[str]]
) -> bool:
    """The same change, pause or opt-out, one of them naming a region inside one the other
    names (DE inside EU); or, on its first days, a change or pause in neighbouring regions."""
    return bool(_local_links(item, story, enclosing))


def _local_links(
    item: StorySignature, story: StorySignature, enclosing: Mapping[str, frozenset[str]]
) -> list[str]:
    """How the regions of a report told locally relate to the story's (see LOCAL_KINDS)."""
    if item.event != story.event or item.event not in LOCAL_KINDS:
        return []
    nesting = _nesting(item, story, enclosing)
    if nesting or item.event not in NEIGHBOUR_KINDS or not _on_its_first_days(item, story):
        return nesting
    return _neighbours(item, story, enclosing)


def _nesting(
    item: StorySignature, story: StorySignature, enclosing: Mapping[str, frozenset[str]]
) -> list[str]:
    """Regions either names inside regions the other names, as "DE in EU"."""
    pairs = [(item.regions, story.regions), (story.regions, item.regions)]
    return [
        f"{region} in {outer}"
        for inner, others in pairs
        for region in sorted(inner)
        for outer in sorted(enclosing.get(region, frozenset()) & others)
    ]


def _neighbours(
    item: StorySignature, story: StorySignature, enclosing: Mapping[str, frozenset[str]]
) -> list[str]:
    """The region that holds every region the two name, as "UK and CH in EEA_UK_CH" (the
    innermost: the one the most regions enclose). None when one names a place outside it:
    "Australians cannot opt out the way Europeans can" does not make Meta's Australian
    story one of Europe, which a British report two days later would join."""

    def with_outer(region: str) -> frozenset[str]:
        return enclosing.get(region, frozenset()) | {region}

    common = frozenset.intersection(*(with_outer(r) for r in item.regions | story.regions))
    if not common:
        return []
    inner = max(sorted(common), key=lambda region: len(with_outer(region)))
    return [f"{', '.join(sorted(item.regions))} and {', '.join(sorted(story.regions))} in {inner}"]


def _unnamed_same_place(item: StorySignature, story: StorySignature, gap: int) -> bool:
    """Neither names a platform, the story's reports settle on a kind, the item's agrees
    with it, and every region the item names is one of the story's."""
    if item.platforms or story.platforms or not _settled(story):
        return False
    agree = item.event == story.event or _events_agree(item, story, gap)
    return agree and _named(item.regions) and item.regions <= story.regions


def _explain(
    item: StorySignature,
    story: StorySignature,
    score: float,
    enclosing: Mapping[str, frozenset[str]],
) -> str:
    """Why the item joined, in words stored with the story (story_items.why)."""
    gap = abs(item.seen_at - story.seen_at)
    if item.event == story.event:
        event = f"same event ({story.event})"
    elif _regulator_answer(item, story):
        event = "a regulator's prompt answer to the change"
    elif _events_agree(item, story, gap):
        event = f"related events ({item.event}, {story.event})"
    elif _on_its_first_days(item, story):
        event = f"events {item.event} vs {story.event}, reported the same or next day"
    else:
        guessed = " (guessed: no event words)" if item.event_guessed else ""
        event = f"events {item.event}{guessed} vs {story.event}"
    platforms = ", ".join(sorted(item.platforms & story.platforms)) or "none named"
    local = _local_links(item, story, enclosing)
    regions = ", ".join(sorted(item.regions & story.regions) or local) or "none shared"
    shared = ", ".join(sorted(item.words & story.words)[:4]) or "none"
    days = gap / 86400
    return (
        f"{event}; platforms {platforms}; regions {regions}; {days:.1f} days apart;"
        f" shared words: {shared}; score {score:.2f}"
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _events_agree(item: StorySignature, story: StorySignature, gap: int) -> bool:
    """The same kind, if the story's reports settle on it; a kind of the same family, close
    enough in time; or a regulator's answer."""
    if item.event == story.event and _settled(story):
        return True
    family = any(
        item.event in kinds and story.event in kinds and gap <= within
        for kinds, within in _families(item, story)
    )
    return family or _regulator_answer(item, story) or _walks_back(item, story, gap)


def _walks_back(item: StorySignature, story: StorySignature, gap: int) -> bool:
    """A platform pausing or dropping its own change within days, for the same places: Zoom's
    terms on August 7, 2023 and their reversal on the 11th are one episode. A pause elsewhere
    is not ("LinkedIn pauses for the UK" after its worldwide opt-in)."""
    return (
        {item.event, story.event} == WALK_BACK
        and gap <= FAMILY_SECONDS
        and bool(item.platforms)
        and item.platforms == story.platforms
        and item.regions == story.regions
    )


def _families(
    item: StorySignature, story: StorySignature
) -> tuple[tuple[frozenset[str], int], ...]:
    """RELATED_EVENTS, and REGULATOR_KINDS when neither names a platform."""
    return RELATED_EVENTS if item.platforms or story.platforms else UNNAMED_RELATED_EVENTS


def _late_follow_up(item: StorySignature, story: StorySignature) -> bool:
    """A change's own follow-up after its twelve days: see FOLLOW_UP_SECONDS. Advice on opting
    out of the change needs no shared word when it names no other place: "Two days left: how
    to keep your Claude chats out of training" four weeks after Anthropic's change."""
    if not (
        abs(item.seen_at - story.started_at()) <= FOLLOW_UP_SECONDS
        and {item.event, story.event} <= CHANGE_KINDS
        and bool(item.platforms)
        and item.platforms == story.platforms
    ):
        return False
    if item.regions == story.regions and item.words & story.words:
        return True
    return item.event == ADVICE and (item.regions == story.regions or not _named(item.regions))


def _settled(story: StorySignature) -> bool:
    """At least half the story's reports give its kind. Three reports giving three kinds
    leave it to the first, which may be a misreading: noyb's complaints "to halt" Meta's
    plan, read as a pause, must not take in Meta's pause a week later."""
    counts = story.kind_counts()
    return 2 * counts.get(story.event or "", 0) >= sum(counts.values())


def _regulator_answer(item: StorySignature, story: StorySignature) -> bool:
    """A regulator's statement on a change in its own region, the same or next day as the
    change's first report, is part of the change's story (the ICO answering Meta's UK
    announcement); later action is its own, and so is a statement on a region the change's
    story is not about."""
    pair = {item.event, story.event} == {Event.POLICY_CHANGE, Event.REGULATOR_ACTION}
    shared = item.regions & story.regions
    return (
        pair
        and _on_its_first_days(item, story)
        and _named(frozenset(shared))
        and not _names_a_side_region(item, story)
    )


def _on_its_first_days(item: StorySignature, story: StorySignature) -> bool:
    """Reported the same or the next day as the story's first report: a report the day after
    a late follow-up is not on the event's days (Meta starting to train the day after the
    last article on the Cologne ruling)."""
    return abs(item.seen_at - story.started_at()) <= NEXT_DAY_SECONDS


def _pause_elsewhere(item: StorySignature, story: StorySignature) -> bool:
    """A pause after a change, or a change after a pause, in a region the story is not about."""
    reversal = {item.event, story.event} == {Event.POLICY_CHANGE, Event.PAUSE}
    return reversal and _names_a_side_region(item, story)


def _names_a_side_region(item: StorySignature, story: StorySignature) -> bool:
    """The item names a region fewer than half the story's reports name."""
    counts = story.region_counts()
    reports = max(1, sum(story.kind_counts().values()))
    return any(2 * counts.get(region, 0) < reports for region in item.regions if region != GLOBAL)


def _named(regions: frozenset[str]) -> bool:
    return bool(regions) and GLOBAL not in regions


def _merge(old: StorySignature, new: StorySignature) -> StorySignature:
    """A story grows as reports join: more words, platforms and regions; latest time; and
    its event follows what most reports say."""
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
