"""Fuzzing the classifier and the term matcher under it: any text, and any terms and name
endings the config check lets through."""

from __future__ import annotations

import math
from functools import cache

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.classify import Classifier, ItemText
from bot.models import FEED_KINDS
from bot.names import ending_problem
from bot.settings import Config
from bot.terms import TermMatcher, Tokens, term_problem
from bot.vocabulary import EVENT_KINDS
from tests.conftest import CONFIG_DIR
from tests.fuzz.budget import fuzz_settings


@pytest.fixture(scope="module")
def classifier(config: Config) -> Classifier:
    """The classifier of config/ (built once: hypothesis runs many examples per test)."""
    return Classifier(config.rules, config.platforms, config.regions)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, as the bot reads them


@cache
def _vocabulary() -> tuple[str, ...]:
    """Every text in the files the classifier reads: platform and place names, mentions,
    signal and event terms, left-out words, so generated text is full of near-misses and
    overlaps."""
    found: set[str] = set()
    pending = [yaml.load((CONFIG_DIR / name).read_text(encoding="utf-8"),
                         Loader=_LOADER)  # noqa: S506 (a safe loader)
               for name in ("classifier.yaml", "platforms.yaml", "regions.yaml")]  # fmt: skip
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return tuple(sorted(found))


GLUE = st.sampled_from([" ", ", ", ". ", "'s ", "-", " – ", ": ", "\u2019", "(", ")", "\n",
                        "*", "“", "s", "n", "in", "ę", "’s ", "", "\u200b", "\u202e"])  # fmt: skip


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Headlines and summaries built of real config terms, glue and stray characters, cased
    at random (short capitals like AI and EU match only as written)."""
    parts = []
    for _ in range(draw(st.integers(0, 14))):
        words = st.sampled_from(_vocabulary())  # two times in three, else any text
        part = draw(words if draw(st.integers(0, 2)) < 2 else st.text(max_size=6))
        case = draw(st.sampled_from([str, str.lower, str.upper, str.title]))
        parts.append(case(part) + draw(GLUE))
    return "".join(parts)


@fuzz_settings(200)
@given(texts(), texts(), st.sampled_from([None, "EU", "UK", "DE", "XX"]),
       st.sampled_from([None, *FEED_KINDS, "other"]),
       st.sampled_from([None, "", "Meta Newsroom"]))  # fmt: skip
def test_any_text_gets_a_judgement_naming_only_known_platforms_and_regions(
    config: Config,
    classifier: Classifier,
    title: str,
    summary: str,
    region: str | None,
    kind: str | None,
    name: str | None,
):
    """A verdict for every item; what it names is in the config (or the feed's region)."""
    item = ItemText(title, summary, feed_region=region, feed_kind=kind, feed_name=name)
    judgement = classifier.classify(item)
    assert math.isfinite(judgement.score)
    assert set(judgement.platforms) <= config.platforms.ids
    assert set(judgement.headline_platforms) <= set(judgement.platforms)
    assert set(judgement.regions) <= config.regions.codes | {region}
    assert set(judgement.regions_left_out) <= config.regions.codes
    assert set(judgement.headline_regions) <= set(judgement.regions)
    assert judgement.event is None if not judgement.relevant else judgement.event in EVENT_KINDS
    assert all(isinstance(reason, str) and reason for reason in judgement.reasons)
    event, reason, _ = classifier.read_event(item)
    assert event in EVENT_KINDS
    assert reason


TERM = st.lists(
    st.sampled_from(["data", "Meta", "AI", "EU", "daten", "*", " ", "-", "'", ".", "é", "ß",
                     "İ", "Grok", "opt", "out", "x", "1", "\u2019", "\u00a0", "Ǆ"])
    | st.characters(),
    min_size=1,
    max_size=6,
).map("".join).filter(lambda term: term_problem(term) is None)  # fmt: skip
ENDING = st.text(st.characters(categories=["Ll"]), min_size=1, max_size=3).filter(
    lambda ending: ending_problem(ending) is None
)


@fuzz_settings(300)
@given(st.lists(st.tuples(TERM, st.sampled_from(["a", "b", "c"])), max_size=8),
       st.lists(TERM, max_size=3), st.lists(ENDING, max_size=4),
       st.lists(TERM | st.text(max_size=4) | GLUE, max_size=12).map("".join))  # fmt: skip
def test_any_terms_the_config_accepts_match_any_text(
    terms: list[tuple[str, str]], exact: list[str], endings: list[str], text: str
):
    """Terms that pass the config check compile, and every hit points at the words it
    found (the offsets alerts and the left-out reading rely on)."""
    matcher = TermMatcher(terms, exact=exact, name_endings=endings)
    tokens = Tokens.of(text)
    hits = matcher.find(tokens)
    for hit in [*hits, *matcher.first_hits(tokens).values()]:
        assert tokens.text[hit.start : hit.start + len(hit.term)] == hit.term
        assert hit.value in {"a", "b", "c"}
