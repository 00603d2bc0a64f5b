"""Compiled term lists: find which configured words occur in a text, and where.

One regex per term group keeps matching fast (thousands of items a second). Short all-capital
terms (AI, KI, IA, EU) are matched case-sensitively so ordinary words do not trigger them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SHORT_CAPS = 4


@dataclass(frozen=True)
class Hit:
    term: str
    start: int
    value: str  # what the term stands for (a platform id, a region code, a signal name)


class TermMatcher:
    """Finds whole-word occurrences of many terms, each mapped to a value."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        sensitive: dict[str, str] = {}
        insensitive: dict[str, str] = {}
        for term, value in terms:
            term = term.strip()
            if not term:
                continue
            if _is_short_caps(term):
                sensitive.setdefault(term, value)
            else:
                insensitive.setdefault(term.casefold(), value)
        self._sensitive = sensitive
        self._insensitive = insensitive
        self._patterns = [
            (p, table)
            for p, table in (
                (_compile(sensitive, 0), sensitive),
                (_compile(insensitive, re.IGNORECASE), insensitive),
            )
            if p is not None
        ]

    def terms(self) -> list[str]:
        return [*self._sensitive, *self._insensitive]

    def find(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        for pattern, table in self._patterns:
            for match in pattern.finditer(text):
                found = match.group(0)
                key = found if table is self._sensitive else found.casefold()
                value = table.get(key)
                if value is None:  # casefold of the match can differ from the term's
                    value = next(v for t, v in table.items() if t.casefold() == key.casefold())
                hits.append(Hit(found, match.start(), value))
        hits.sort(key=lambda h: h.start)
        return hits


def _is_short_caps(term: str) -> bool:
    letters = term.replace(".", "")
    return len(letters) <= _SHORT_CAPS and letters.isalpha() and letters.isupper()


def _compile(table: dict[str, str], flags: int) -> re.Pattern[str] | None:
    if not table:
        return None
    # Longest first, so "generative AI" wins over "AI" at the same position.
    alternatives = "|".join(re.escape(t) for t in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)
