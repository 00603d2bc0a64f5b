"""Compiled term lists: find which configured words occur in a text, and where.

Text and terms are split into the same tokens (runs of letters and digits, and single
punctuation marks), and terms are looked up by their first token, so the cost grows with the
text, not with the number of terms. Short all-capital terms (AI, KI, IA, EU, X) match only in
capitals, so ordinary words ("j'ai") do not trigger them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

_SHORT_CAPS = 4
_TOKEN = re.compile(r"\w+|[^\w\s]")
# Typographic apostrophes and hyphens read as their ASCII forms (U+2019 in "users' data").
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-"})


@dataclass(frozen=True)
class Hit:
    term: str  # the words as they appear in the text
    start: int  # character offset in the text
    value: str  # what the term stands for (a platform id, a region code, a signal name)


@dataclass(frozen=True)
class Tokens:
    """A text split once, shared by every matcher that reads it."""

    text: str
    words: tuple[str, ...]
    folded: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        text = text.translate(_QUOTES)
        matches = list(_TOKEN.finditer(text))
        words = tuple(m.group(0) for m in matches)
        return cls(
            text=text,
            words=words,
            folded=tuple(w.casefold() for w in words),
            starts=tuple(m.start() for m in matches),
            ends=tuple(m.end() for m in matches),
        )


@dataclass(frozen=True)
class _Term:
    tokens: tuple[str, ...]  # exact for case-sensitive terms, case-folded otherwise
    spaced: tuple[bool, ...]  # whether each pair of neighbouring tokens had space between
    case_sensitive: bool
    value: str


class TermMatcher:
    """Finds whole-word occurrences of many terms, each mapped to a value."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self._terms: list[str] = []
        by_first: defaultdict[str, list[_Term]] = defaultdict(list)
        seen: set[tuple[tuple[str, ...], bool]] = set()
        for raw, value in terms:
            term = raw.strip().translate(_QUOTES)
            parts = list(_TOKEN.finditer(term))
            tokens = tuple(p.group(0) for p in parts)
            if not tokens:
                continue
            spaced = tuple(b.start() > a.end() for a, b in pairwise(parts))
            sensitive = _is_short_caps(term)
            key = tokens if sensitive else tuple(t.casefold() for t in tokens)
            if (key, sensitive) in seen:
                continue  # the first listing of a term decides its value
            seen.add((key, sensitive))
            self._terms.append(term)
            by_first[key[0].casefold()].append(_Term(key, spaced, sensitive, value))
        for candidates in by_first.values():
            candidates.sort(key=lambda t: len(t.tokens), reverse=True)  # longest wins
        self._by_first = dict(by_first)

    def terms(self) -> list[str]:
        return list(self._terms)

    def find(self, text: str | Tokens) -> list[Hit]:
        tokens = text if isinstance(text, Tokens) else Tokens.of(text)
        hits: list[Hit] = []
        count = len(tokens.words)
        index = 0
        while index < count:
            term = self._match_at(tokens, index)
            if term is None:
                index += 1
                continue
            last = index + len(term.tokens) - 1
            found = tokens.text[tokens.starts[index] : tokens.ends[last]]
            hits.append(Hit(found, tokens.starts[index], term.value))
            index = last + 1
        return hits

    def _match_at(self, tokens: Tokens, index: int) -> _Term | None:
        for term in self._by_first.get(tokens.folded[index], ()):
            end = index + len(term.tokens)
            if end > len(tokens.words):
                continue
            source = tokens.words if term.case_sensitive else tokens.folded
            if source[index:end] == term.tokens and _spaced_alike(tokens, index, term):
                return term
        return None


def _spaced_alike(tokens: Tokens, start: int, term: _Term) -> bool:
    """Spacing around punctuation must be the term's: "opt-out" is not "opt - out", and
    between two words any spacing will do."""
    for offset, spaced in enumerate(term.spaced):
        i = start + offset
        if tokens.words[i].isalnum() and tokens.words[i + 1].isalnum():
            continue
        if (tokens.starts[i + 1] > tokens.ends[i]) != spaced:
            return False
    return True


def _is_short_caps(term: str) -> bool:
    letters = term.replace(".", "")
    return len(letters) <= _SHORT_CAPS and letters.isalpha() and letters.isupper()
