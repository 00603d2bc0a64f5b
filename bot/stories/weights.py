"""Every weight and window story grouping uses, named once and checked when made.

A report joins the open story whose evidence (bot.stories.score) adds up to the most points,
if that reaches `join`. The points are plain tenths so a stored `why` reads as arithmetic.
Kept in Python rather than config/: they are tuned against `make eval` with the rules that
use them, and an operator changing one alone would change what a story is.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

DAY = 24 * 3600


@dataclass(frozen=True)
class Weights:
    """Named points and windows (days). `check` says what is wrong, or nothing."""

    # An episode stays open while reports keep coming: it closes this long after its last one
    # (a law society's note 13 days after LinkedIn's opt-in is still that episode; 10 days
    # split a blind set's sparse episodes, and 18 merge the tune set's dense ones).
    open_days: float = 14.0
    # Its own outcome (the case struck out, the change taking effect) joins it up to this long
    # after its first report; and no report joins later, so a change of the same platform
    # months on is always a new episode.
    outcome_days: float = 42.0
    # The same or the next day as a story's first report.
    first_days: float = 2.0
    # Points a story must reach for a report to join it.
    join: float = 1.2
    same_platforms: float = 1.0  # the report names exactly the story's platforms
    some_platforms: float = 0.8  # some of them (a story collects partners as reports join)
    no_platform: float = 0.5  # neither names one: a regulator's own, told in its place
    shared_region: float = 0.5  # both name this region
    nested_region: float = 0.4  # one names a region inside one the other names (DE in EU)
    worldwide: float = 0.2  # the story names no place, so it touches the report's
    per_shared_word: float = 0.3  # each distinctive headline word both share ...
    max_shared_words: int = 2  # ... counted up to this many
    same_kind: float = 0.2  # the report's kind is the story's
    on_first_days: float = 0.2  # reported on the story's first days
    # A report too vague alone is relevant when it continues an open story (bot.stories.
    # context): its evidence reaches `context`, far above joining, with this many shared
    # headline words. In the tune set 1.9 and two words take 18 reports, every one of its
    # story, and no negative; from 1.8 "FTC sues Adobe over hidden fees" joins Adobe's terms.
    context: float = 1.9
    context_shared_words: int = 2
    # Its own words must lean towards the subject (product news and publishers' copyright
    # fights score below this); a headline naming the platform's rules must carry the policy
    # word's weight with nothing taken off (product news costs 0.5).
    context_own_score: float = 0.5
    context_policy_score: float = 1.0

    def check(self) -> list[str]:
        problems = [
            f"{f.name} must be positive, not {getattr(self, f.name)}"
            for f in fields(self)
            if getattr(self, f.name) <= 0
        ]
        if self.first_days > self.open_days:
            problems.append("first_days must not exceed open_days")
        if self.open_days > self.outcome_days:
            problems.append("open_days must not exceed outcome_days")
        # Where only one names a platform, a shared headline word is needed to join: the index
        # of open stories (bot.stories.index) looks no further for such a pair.
        if self.on_first_days + self.shared_region + self.same_kind >= self.join:
            problems.append("join must exceed on_first_days + shared_region + same_kind")
        if self.context <= self.join:
            problems.append("context must exceed join")
        if self.same_platforms < self.some_platforms:
            problems.append("same_platforms must be at least some_platforms")
        return problems

    def __post_init__(self) -> None:
        problems = self.check()
        if problems:
            raise ValueError("story weights: " + "; ".join(problems))

    @property
    def open_seconds(self) -> int:
        return int(self.open_days * DAY)

    @property
    def outcome_seconds(self) -> int:
        return int(self.outcome_days * DAY)

    @property
    def first_days_seconds(self) -> int:
        return int(self.first_days * DAY)


WEIGHTS = Weights()
# How far back a story may still take a report: the loader of open stories reads this far.
OPEN_SECONDS = WEIGHTS.outcome_seconds
