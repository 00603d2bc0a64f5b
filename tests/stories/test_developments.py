"""Which joining reports are developments of their story (the pure rule)."""

from __future__ import annotations

from bot.models import Judgement
from bot.stories import StorySignature
from bot.stories.developments import change_of

ENCLOSING = {"FR": frozenset({"EU", "EEA"}), "IE": frozenset({"EU", "EEA"})}


def story(event: str, regions: set[str], kinds: tuple[tuple[str, int], ...] = ()) -> StorySignature:
    return StorySignature(event, frozenset({"meta"}), frozenset(regions), frozenset(), 100,
                          kinds=kinds or ((event, 1),))  # fmt: skip


def report(event: str, regions: tuple[str, ...], **extra: object) -> Judgement:
    return Judgement(True, 5.0, ("meta",), regions, event, **extra)  # type: ignore[arg-type]


def test_more_outlets_telling_the_same_are_no_development():
    assert not change_of(story("pause", {"EU"}), report("pause", ("EU",)), frozenset(), ENCLOSING)


def test_a_new_kind_of_event_is_a_development():
    change = change_of(story("policy_change", {"EU"}), report("pause", ("EU",)), frozenset(),
                       ENCLOSING)  # fmt: skip
    assert change.event == "pause"
    assert change.regions == ()


def test_a_kind_the_feed_only_guessed_is_no_development():
    guessed = report("regulator_action", ("EU",), event_guessed=True)
    assert not change_of(story("pause", {"EU"}), guessed, frozenset(), ENCLOSING)


def test_a_region_newly_affected_is_a_development_but_one_inside_the_story_is_not():
    eu_story = story("pause", {"EU"})
    assert change_of(eu_story, report("pause", ("UK",)), frozenset(), ENCLOSING).regions == ("UK",)
    assert not change_of(eu_story, report("pause", ("FR",)), frozenset(), ENCLOSING)


def test_a_worldwide_story_already_reaches_every_region():
    worldwide = story("policy_change", {"GLOBAL"})
    assert not change_of(worldwide, report("policy_change", ("UK",)), frozenset(), ENCLOSING)


def test_a_region_newly_left_out_is_a_development_once():
    left = report("policy_change", (), regions_left_out=("EU", "CH"))
    worldwide = story("policy_change", {"GLOBAL"})
    assert change_of(worldwide, left, frozenset(), ENCLOSING).left_out == ("EU", "CH")
    assert not change_of(worldwide, left, frozenset({"EU", "CH"}), ENCLOSING)
