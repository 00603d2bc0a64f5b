"""The left-out rule of config/classifier.yaml: the words that leave out the regions named
next to them ("outside the EU", "the EU and Switzerland are excluded"), and how far a list
of regions reaches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.inflections import Inflections
from bot.settings.rule_fields import listings, number, terms
from bot.terms import TermMatcher
from bot.yamlfile import FileChecks


@dataclass(frozen=True)
class LeftOut:
    """Words that leave out the region named next to them ("outside the EU")."""

    words: TermMatcher  # term -> where it stands: "before" or "after" the region's name
    reach: int  # characters from a `before` word to the region's name ("the", "in der")
    list_gap: int  # characters between regions listed together (", ", " and the ")
    # The words that may stand between regions listed together ("and", "the"): with none
    # configured any gap up to `list_gap` joins; with them ", while" ends the list.
    joining: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()


def load_left_out(checks: FileChecks, raw: Any, inflections: Inflections) -> LeftOut:
    """Optional: without the section no region is ever left out."""
    fields = {"reach", "list_gap", "before", "after", "joining", "articles"}
    if raw is None:
        return LeftOut(TermMatcher(()), 0, 0)
    if not isinstance(raw, Mapping) or not set(raw) <= fields:
        checks.add("", "left_out", f"expected only {sorted(fields)}: numbers and terms")
        return LeftOut(TermMatcher(()), 0, 0)
    words = TermMatcher(
        listing
        for side in ("before", "after")
        if side in raw
        for listing in listings(checks, f"left_out {side}", raw[side], side, inflections)
    )
    reach, list_gap = (number(checks, raw, f, entry="left_out") for f in ("reach", "list_gap"))
    joining, articles = (
        frozenset(w.casefold() for w in terms(checks, f"left_out {f}", raw[f]))
        if f in raw
        else frozenset()
        for f in ("joining", "articles")
    )
    return LeftOut(words, int(reach), int(list_gap), joining, articles)
