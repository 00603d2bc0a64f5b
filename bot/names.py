"""Names that take case endings: "Metan", "Googlu", "DeepSeeka", "Grokin".

Finnish, Hungarian, the Baltic and the Slavic languages put a platform's or a model's name in
their cases with an ending, added to the name or in place of its last vowel (Meta: Metan,
Metę, Mety, Meti; Google: Googlu, Googleu). A name configured with a capital, of MIN_NAME
letters or more, also matches itself with one of `name_endings` (config/classifier.yaml),
and only where the text writes it with a capital: "metan" or "Metall" are not Meta.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")

MIN_NAME = 4
MAX_ENDING = 3
_VOWELS = frozenset("aeiouy")


def is_name(term: str) -> bool:
    """A one-word term written with a capital ("Grok", "DeepSeek", "OpenAI")."""
    return len(term) >= MIN_NAME and term[:1].isupper() and term.isalnum()


def ending_problem(ending: str) -> str | None:
    if not (ending.isalpha() and ending.islower() and len(ending) <= MAX_ENDING):
        return f"'{ending}': an ending is one to {MAX_ENDING} lower-case letters"
    return None


class NameEndings(Generic[T]):
    """Finds the name inside a word that is the name with a case ending."""

    def __init__(self, names: Iterable[tuple[str, T]], endings: Iterable[str]) -> None:
        self._endings = frozenset(endings)
        # The lengths of the endings, longest first: a word's own last letters are looked up,
        # rather than every ending tried against the word (this runs for each capitalised word).
        self._lengths = sorted({len(e) for e in self._endings}, reverse=True)
        self._whole: dict[str, tuple[str, T]] = {}
        self._clipped: dict[str, tuple[str, T]] = {}  # "met" -> Meta, for "Metę"
        for name, value in names:
            folded = name.casefold()
            self._whole.setdefault(folded, (name, value))
            if folded[-1] in _VOWELS:
                self._clipped.setdefault(folded[:-1], (name, value))
        self._any = bool(self._endings and self._whole)

    def __bool__(self) -> bool:
        return self._any

    def match(self, word: str) -> tuple[str, T] | None:
        """(the name as configured, its value) when `word` is the name with an ending."""
        if not word[:1].isupper():
            return None
        folded = word.casefold()
        for length in self._lengths:
            if len(folded) - length < MIN_NAME - 1:
                continue
            if folded[-length:] in self._endings:
                stem = folded[:-length]
                found = self._whole.get(stem) or self._clipped.get(stem)
                if found is not None:
                    return found
        return None
