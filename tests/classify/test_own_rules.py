"""A headline naming a watched platform's own rules and its users' reaction is relevant alone.

Since 2023 platforms have switched AI training on by changing their terms or privacy policy,
and an episode's first reports often say no more than that users are angry about the terms.
See own_rules and reaction_signals in config/classifier.yaml.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.classify import Classifier, ItemText
from bot.settings import Config


@pytest.fixture(scope="module")
def classifier(config: Config) -> Classifier:
    return Classifier(config.rules, config.platforms, config.regions)


@pytest.mark.parametrize(
    ("title", "rules_as_written", "reaction_as_written"),
    [
        (
            "Pinterest's new terms of service leave illustrators furious",
            "terms of service",
            "furious",
        ),
        ("Regulamin Zooma budzi oburzenie użytkowników", "Regulamin", "oburzenie"),
        ("Dropbox, polemica sui nuovi termini di servizio", "nuovi termini", "polemica"),
        ("Discordin uudet käyttöehdot herättivät kohun", "käyttöehdot", "kohun"),
    ],
)
def test_a_platforms_rules_and_its_users_reaction_are_relevant_alone_and_say_so(
    classifier: Classifier, title: str, rules_as_written: str, reaction_as_written: str
):
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant
    assert verdict.event is not None
    alone = [r for r in verdict.reasons if r.startswith("relevant alone")]
    assert len(alone) == 1
    assert f"'{rules_as_written}'" in alone[0]
    assert f"'{reaction_as_written}'" in alone[0]


@pytest.mark.parametrize(
    "title",
    [
        # No reaction: terms change for many reasons.
        "X updates its terms for advertisers",
        "Pinterest rewrites its terms of service",
        # No platform: whose rules?
        "New terms of service anger users",
        # The reaction only in the summary's background is checked below; here something takes
        # points off: another topic, or product news.
        "Google's new terms for cookie banners anger publishers",
        "Meta launches new Llama model under terms that worry developers",
    ],
)
def test_rules_without_a_platform_and_a_reaction_are_not_relevant_alone(
    classifier: Classifier, title: str
):
    verdict = classifier.classify(ItemText(title))
    assert not verdict.relevant
    assert not any(r.startswith("relevant alone") for r in verdict.reasons)


def test_the_headline_must_carry_both(classifier: Classifier):
    """A summary's words are background: the headline alone tells what happened."""
    item = ItemText("Pinterest rewrites its terms of service", "Illustrators are furious.")
    assert not classifier.classify(item).relevant


def test_the_rule_is_the_configs(config: Config):
    """With reaction_signals empty, the same headline needs AI and data words again."""
    title = ItemText("Pinterest's new terms of service anger artists")
    assert Classifier(config.rules, config.platforms, config.regions).classify(title).relevant
    without = replace(config.rules, reaction_signals=frozenset())
    assert not Classifier(without, config.platforms, config.regions).classify(title).relevant
