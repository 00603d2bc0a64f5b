"""Story grouping's weights and windows: named once, checked when made."""

from __future__ import annotations

import pytest

from bot import stories
from bot.stories import grouping
from bot.stories.weights import DAY, WEIGHTS, Weights


def test_the_weights_in_use_are_valid():
    """The defaults pass their own checks, and joining takes more than a platform alone."""
    assert WEIGHTS.check() == []
    assert WEIGHTS.join > WEIGHTS.same_platforms


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"join": 0.0}, "join must be positive"),
        ({"open_days": 50.0}, "open_days must not exceed outcome_days"),
        ({"first_days": 15.0}, "first_days must not exceed open_days"),
        ({"some_platforms": 1.5}, "same_platforms must be at least some_platforms"),
        ({"context": 1.0}, "context must exceed join"),
        ({"shared_region": 0.9}, "join must exceed on_first_days"),
    ],
)
def test_invalid_weights_are_refused_with_their_name(change: dict[str, float], problem: str):
    with pytest.raises(ValueError, match=problem):
        Weights(**change)


def test_stories_stay_loadable_as_long_as_an_outcome_may_join():
    """The judging stage loads stories this far back: as far as an outcome may still join."""
    assert stories.OPEN_SECONDS == grouping.OPEN_SECONDS == WEIGHTS.outcome_seconds
    assert WEIGHTS.outcome_seconds == 42 * DAY
