"""Fuzzing region and platform matching: what people type, and the tags stories carry."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.models import Subscription
from bot.settings import Config
from bot.subscriptions import ALL, Route
from bot.vocabulary import EVENT_KINDS, GLOBAL
from tests.fuzz.budget import fuzz_settings

# Lone surrogates too: Slack's and Discord's JSON may carry them ("\ud800").
TYPED = st.text(st.characters(codec=None, categories=None), max_size=20) | st.sampled_from(
    ["UK", "uk", " eu ", "E.U.", "Deutschland", "ALL", "GLOBAL", "all", "null", "ß", "İ",
     "linkedin", "LinkedIn", "linkdin", "fb", "x", "X Corp", "", " ", "DE-HH", "\ud800",
     "ﬀ", "\u0130stanbul", "a" * 300]
)  # fmt: skip
CODES = st.sampled_from(["UK", "EU", "EEA", "DE", "DE-HH", GLOBAL, ALL, "XX", "", "eu"])


@fuzz_settings(400)
@given(TYPED)
def test_what_a_person_types_resolves_to_a_known_region_and_platform_or_none(
    config: Config, text: str
):
    """Any text: a configured code or id, or None, and suggestions among them."""
    code = config.regions.resolve(text)
    assert code is None or code in config.regions.codes
    assert set(config.regions.suggest(text)) <= config.regions.codes
    platform = config.platforms.resolve(text)
    assert platform is None or platform in config.platforms.ids
    assert set(config.platforms.suggest(text)) <= config.platforms.ids


@fuzz_settings(300)
@given(st.lists(st.tuples(CODES, st.frozensets(st.sampled_from(["linkedin", "meta", "zz"])),
                          st.frozensets(st.sampled_from([*EVENT_KINDS, "odd"]))), max_size=4),
       st.lists(CODES, max_size=4), st.lists(st.sampled_from(["linkedin", "meta", "x", "zz"])),
       st.sampled_from([None, *EVENT_KINDS, "odd"]), st.booleans())  # fmt: skip
def test_any_story_tags_meet_any_subscriptions(
    config: Config,
    subs: list[tuple[str, frozenset[str], frozenset[str]]],
    regions: list[str],
    platforms: list[str],
    event: str | None,
    include_global: bool,
):
    """Routing never fails on codes it does not know (a region removed from the config
    while stories tagged with it are stored), and ALL wants every story its filters pass."""
    book = config.regions
    route = Route("fuzz", tuple(Subscription(r, p, e) for r, p, e in subs), include_global)
    wanted = route.wants(tuple(regions), tuple(platforms), event, book)
    open_all = any(r == ALL and not p and not e for r, p, e in subs)
    assert wanted or not open_all
    for code in regions:
        assert code in book.expand_down(code)
        assert code in book.expand_up(code) or code not in book.codes
