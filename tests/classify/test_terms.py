"""The term matcher: whole words, the term's own spacing, typographic quotes, capitals."""

from __future__ import annotations

import pytest

from bot.terms import TermMatcher, term_problem


def found(matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    return [(hit.term, hit.value) for hit in matcher.find(text)]


def test_typographic_apostrophe_and_hyphen_match_ascii_terms():
    """A typographic apostrophe (U+2019) and a non-breaking hyphen match ASCII terms."""
    matcher = TermMatcher([("users' data", "data"), ("opt-out", "consent")])
    assert found(matcher, "Users\u2019 data behind an opt\u2011out") == [
        ("Users' data", "data"),
        ("opt-out", "consent"),
    ]


def test_short_capitals_match_only_in_capitals():
    """AI is a term; the French "j'ai" and the word "ai" are not."""
    matcher = TermMatcher([("AI", "ai")])
    assert found(matcher, "J'ai vu ai et AI") == [("AI", "ai")]


def test_an_exact_term_matches_only_as_written():
    """A name that is an ordinary word in lower case is found only with its capital."""
    matcher = TermMatcher([("Threads", "meta"), ("Reddit", "reddit")], exact=["Threads"])
    assert found(matcher, "reddit comment threads, posted to Threads") == [
        ("reddit", "reddit"),
        ("Threads", "meta"),
    ]


def test_longest_term_wins_and_words_are_whole():
    """ "generative AI" beats "AI" at the same place; "SpaceX" is not "X"."""
    matcher = TermMatcher([("AI", "short"), ("generative AI", "long"), ("X", "x")])
    assert found(matcher, "SpaceX builds generative AI") == [("generative AI", "long")]


def test_spacing_around_punctuation_must_match_the_term():
    """ "opt - out" is not the term "opt-out"."""
    matcher = TermMatcher([("opt-out", "consent")])
    assert found(matcher, "opt - out") == []


def test_open_end_matches_inflected_forms():
    """German adjectives and plurals inflect: "britisch*" finds "britischer", and an open
    last word of a longer term ("KI-Train*") finds "KI-Trainings"."""
    matcher = TermMatcher([("britisch*", "UK"), ("KI-Train*", "training"), ("Beiträge", "data")])
    assert found(matcher, "Britischer Nutzer, KI-Trainings, Beiträgen") == [
        ("Britischer", "UK"),
        ("KI-Trainings", "training"),
    ]


def test_open_start_matches_the_end_of_a_compound_only():
    """ "*daten" finds "Verbraucherdaten" but not "Datenschutz" or a bare "Daten"."""
    matcher = TermMatcher([("*daten", "data")])
    assert found(matcher, "Verbraucherdaten, Datenschutz, Daten") == [("Verbraucherdaten", "data")]


def test_an_exact_term_beats_an_open_one():
    """A listed word keeps its own value even when an open stem also covers it."""
    matcher = TermMatcher([("Datenschutzbehörde", "regulator"), ("Datenschutz*", "privacy")])
    assert found(matcher, "Datenschutzbehörde, Datenschutzgesetz") == [
        ("Datenschutzbehörde", "regulator"),
        ("Datenschutzgesetz", "privacy"),
    ]


@pytest.mark.parametrize(
    ("term", "problem"),
    [
        ("Bei*", "at least 4 letters"),
        ("*da*", "may end a term"),
        ("*zwei Worte", "must be one word"),
        ("a*b", "may end a term"),
    ],
)
def test_unusable_open_terms_are_named(term: str, problem: str):
    assert problem in (term_problem(term) or "")
    assert term_problem(term.replace("*", "")) is None


def test_a_compound_is_what_its_last_part_says():
    """ "gebruikersgegevens" (user data) is data, though it begins like "gebruik*" (use)."""
    matcher = TermMatcher([("gebruik*", "use"), ("*gegevens", "data")])
    assert found(matcher, "gebruikersgegevens gebruikt") == [
        ("gebruikersgegevens", "data"),
        ("gebruikt", "use"),
    ]


def test_a_term_listed_for_two_values_stands_for_both():
    """The Irish DPC is listed for Ireland and for the EU it leads for: both are found, in
    the order they were listed; a repeated listing adds nothing."""
    matcher = TermMatcher([("DPC", "IE"), ("Irish", "IE"), ("DPC", "EU"), ("DPC", "IE")])
    assert found(matcher, "DPC statement") == [("DPC", "IE"), ("DPC", "EU")]


def test_first_hits_are_what_each_values_own_matcher_finds_first():
    """The classifier reads its sixteen event entries in one pass: for every value, the
    earliest hit is the one a matcher of that value's terms alone reports first, though
    terms of other values overlap it ("High Court proceedings" and "Court")."""
    import json
    from pathlib import Path

    from bot.settings import load_config
    from bot.terms import Tokens

    root = Path(__file__).resolve().parents[2]
    rules = load_config(root / "config").rules
    rows = (root / "tests" / "data" / "labelled.jsonl").read_text().splitlines()[::7]
    for row in map(json.loads, rows):
        text = Tokens.of(f"{row['title']}. {row.get('summary', '')}")
        first = rules.event_entries.first_hits(text)
        for position, (_, matcher) in enumerate(rules.events):
            alone = matcher.find(text)
            got = first.get(str(position))
            one_pass = (got.term, got.start) if got else None
            own_matcher = (alone[0].term, alone[0].start) if alone else None
            assert one_pass == own_matcher, row["id"]


def test_the_words_a_matcher_remembers_are_bounded_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
):
    """A matcher remembers how it read each word (bot.terms.WORDS_REMEMBERED), so a feed's
    recurring words cost one look-up; past the bound it starts afresh, finding the same."""
    monkeypatch.setattr("bot.terms.WORDS_REMEMBERED", 4)
    matcher = TermMatcher([("Meta", "meta"), ("britisch*", "uk")], name_endings=["n", "ę"])
    text = "Metan britischen Nutzer lesen, Metę auch, und viele andere Wörter dazu"
    first = found(matcher, text)
    assert first == [("Metan", "meta"), ("britischen", "uk"), ("Metę", "meta")]
    for _ in range(3):
        assert found(matcher, text) == first
        assert len(matcher._words_read) <= 4
