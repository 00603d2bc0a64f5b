"""The regions a report leaves out are part of its judgement, not only of its reasons."""

from __future__ import annotations

from bot.classify import Classifier, ItemText
from bot.settings import Config


def test_regions_left_out_are_judged_apart_from_those_affected(config: Config):
    classifier = Classifier(config.rules, config.platforms, config.regions)
    title = "LinkedIn trains AI on members' data by default outside the EU, EEA and Switzerland"
    judgement = classifier.classify(ItemText(title=title, summary=""))
    assert judgement.regions_left_out == ("EU", "EEA", "CH")
    assert not set(judgement.regions) & {"EU", "EEA", "CH"}


def test_a_report_that_leaves_nothing_out_has_none(config: Config):
    classifier = Classifier(config.rules, config.platforms, config.regions)
    judgement = classifier.classify(
        ItemText(title="LinkedIn pauses AI training on UK members' data", summary="")
    )
    assert judgement.regions_left_out == ()
