"""The term matcher: whole words, the term's own spacing, typographic quotes, capitals."""

from __future__ import annotations

from bot.classify.terms import TermMatcher


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


def test_longest_term_wins_and_words_are_whole():
    """ "generative AI" beats "AI" at the same place; "SpaceX" is not "X"."""
    matcher = TermMatcher([("AI", "short"), ("generative AI", "long"), ("X", "x")])
    assert found(matcher, "SpaceX builds generative AI") == [("generative AI", "long")]


def test_spacing_around_punctuation_must_match_the_term():
    """ "opt - out" is not the term "opt-out"."""
    matcher = TermMatcher([("opt-out", "consent")])
    assert found(matcher, "opt - out") == []
