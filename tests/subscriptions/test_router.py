"""The router against stories tagged with member states, groups and GLOBAL."""

from __future__ import annotations

import pytest

from bot.settings import Config
from bot.subscriptions import ALL, Route, Subscription


def route(*regions: str, include_global: bool = True, **filters: frozenset[str]) -> Route:
    subs = tuple(Subscription(r, **filters) for r in regions)
    return Route("discord:1/2", subs, include_global=include_global)


@pytest.mark.parametrize(
    ("subscribed", "tagged", "wanted"),
    [
        (("EU",), ("FR",), True),  # a member state is in the EU
        (("FR",), ("EU",), True),  # an EU-wide decision concerns France
        (("EEA",), ("NO",), True),
        (("EU",), ("NO",), False),  # Norway is in the EEA, not the EU
        (("UK",), ("EU",), False),
        (("UK",), ("IE",), False),
        (("DE",), ("DE-HH",), True),  # Hamburg's regulator acts in Germany
        (("US",), ("US-CA",), True),
        ((ALL,), ("BR",), True),
        (("UK", "BR"), ("BR",), True),
        (("UK",), ("GLOBAL",), True),  # a story naming no region concerns everyone
        (("UK",), (), True),
    ],
)
def test_region_groups(config: Config, subscribed: tuple[str, ...], tagged: tuple[str, ...],
                       wanted: bool):  # fmt: skip
    assert route(*subscribed).wants(tagged, ("meta",), "pause", config.regions) is wanted


def test_a_destination_can_opt_out_of_global_stories(config: Config):
    quiet = route("UK", include_global=False)
    assert not quiet.wants(("GLOBAL",), ("x",), "policy_change", config.regions)
    assert quiet.wants(("UK",), ("x",), "policy_change", config.regions)
    only_global = route("GLOBAL")
    assert only_global.wants(("GLOBAL",), ("x",), "policy_change", config.regions)
    assert not only_global.wants(("FR",), ("x",), "policy_change", config.regions)


def test_platform_and_event_filters(config: Config):
    linkedin_pauses = route("EU", platforms=frozenset({"linkedin"}), events=frozenset({"pause"}))
    assert linkedin_pauses.wants(("IE",), ("linkedin",), "pause", config.regions)
    assert not linkedin_pauses.wants(("IE",), ("meta",), "pause", config.regions)
    assert not linkedin_pauses.wants(("IE",), ("linkedin",), "lawsuit", config.regions)
    assert not linkedin_pauses.wants(("GLOBAL",), ("meta",), "pause", config.regions)


def test_no_subscription_wants_nothing(config: Config):
    assert not Route("slack:T/C", ()).wants(("GLOBAL",), ("x",), "pause", config.regions)
