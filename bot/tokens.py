"""How text and configured terms are written and split: the tokens every matcher reads, a
match found in them, and the rules a configured term must follow.

Text and terms are split into the same tokens (runs of letters and digits, and single
punctuation marks). Typographic apostrophes and hyphens read as their ASCII forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

SHORT_CAPS = 4
WILDCARD = "*"
# An open end on a shorter stem would match unrelated words ("Bei*" finds "Beispiel").
MIN_STEM = 4
TOKEN = re.compile(r"\w+|[^\w\s]")
# Typographic apostrophes and hyphens read as their ASCII forms (U+2019 in "users' data").
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-"})


@dataclass(frozen=True)
class Hit:
    term: str  # the words as they appear in the text
    start: int  # character offset in the text
    value: str  # what the term stands for (a platform id, a region code, a signal name)
    listed: str = ""  # the configured term, when the text has another form of its words

    @property
    def end(self) -> int:
        """The offset just past the words in the text."""
        return self.start + len(self.term)

    def quoted(self) -> str:
        """The words as written, and the term they are a form of when it differs:
        'tekoälyn' (as 'tekoäly')."""
        return f"'{self.term}' (as '{self.listed}')" if self.listed else f"'{self.term}'"


class Forms(Protocol):
    """A language's word forms (bot.inflections.WordForms)."""

    def of(self, word: str) -> frozenset[str]: ...


@dataclass(frozen=True)
class Listed:
    """A configured term whose words also match their other forms."""

    text: str
    value: str
    forms: Forms


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
        text = text.translate(QUOTES)
        matches = list(TOKEN.finditer(text))
        words = tuple(m.group(0) for m in matches)
        return cls(
            text=text,
            words=words,
            folded=tuple(w.casefold() for w in words),
            starts=tuple(m.start() for m in matches),
            ends=tuple(m.end() for m in matches),
        )


def term_problem(term: str) -> str | None:
    """Why a configured term cannot be used, for config validation; None when it can."""
    body = term.strip()
    if WILDCARD not in body:
        return None
    core = body.strip(WILDCARD)
    if WILDCARD in core or (body.startswith(WILDCARD) and body.endswith(WILDCARD)):
        return f"'{term}': '*' may end a term ('britisch*') or begin a one-word term ('*daten')"
    if body.startswith(WILDCARD) and not core.isalpha():
        return f"'{term}': a term starting with '*' must be one word ('*daten')"
    stem = core.split()[-1] if body.endswith(WILDCARD) else core
    if sum(c.isalpha() for c in stem) < MIN_STEM:
        return f"'{term}': the word next to '*' needs at least {MIN_STEM} letters"
    return None


def term_problems(terms: Iterable[str]) -> list[str]:
    return [problem for term in terms if (problem := term_problem(term)) is not None]


def term_words(term: str) -> list[str]:
    """The words of a term, as the matcher splits them (punctuation apart)."""
    return [t for t in TOKEN.findall(term.strip(WILDCARD)) if t.isalpha()]
