"""One vocabulary: the event kinds that grouping, the classifier and the adapters use are
members of bot.vocabulary.Event, so a renamed or misspelt kind cannot quietly switch off a
family of related events, a fallback or a colour."""

from __future__ import annotations

import pytest

from bot.adapters.discord.render import EVENT_COLOURS
from bot.classify.events import STATE_READINGS
from bot.settings import Config
from bot.stories import context, kinds
from bot.vocabulary import EVENT_KINDS, Event


def _grouping_kinds() -> list[str]:
    """Every kind grouping's rules name: its kind sets (bot.stories.kinds)."""
    return [kind for kind_set in kinds.KIND_SETS for kind in kind_set]


@pytest.mark.parametrize(
    "kind",
    [*_grouping_kinds(), *context.POLICY_KINDS, *STATE_READINGS],
)
def test_every_kind_the_rules_name_is_one_of_the_vocabulary(kind: str) -> None:
    assert isinstance(kind, Event), f"{kind!r} is spelt as text: name it from bot.vocabulary"
    assert kind in EVENT_KINDS


def test_event_kinds_are_the_members_values_in_order() -> None:
    assert tuple(event.value for event in Event) == EVENT_KINDS
    assert all(type(kind) is str for kind in EVENT_KINDS)  # shown and stored as plain text


def test_every_kind_has_a_discord_colour() -> None:
    assert set(EVENT_COLOURS) == set(Event)


def test_the_classifier_reads_every_kind(config: Config) -> None:
    """A kind the config never reads would leave the families that name it idle."""
    assert {event for event, _ in config.rules.events} == set(Event)
