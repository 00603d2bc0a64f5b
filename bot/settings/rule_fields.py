"""Reading the fields of config/classifier.yaml: numbers and terms per language, each
problem recorded with its entry and field (the rules and the left-out reading share them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.inflections import Inflections
from bot.terms import Listed, term_problems
from bot.yamlfile import FileChecks


def number(checks: FileChecks, data: Mapping[str, Any], field: str, entry: str = "") -> float:
    value = data.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float):
        checks.add(entry, field, f"expected a number, got {value!r}")
        return 0.0
    return float(value)


def terms(checks: FileChecks, entry: str, raw: Any) -> list[str]:
    """Terms of every language; a language key must be a two-letter code."""
    return [term for _, term in by_language(checks, entry, raw)]


def listings(
    checks: FileChecks, entry: str, raw: Any, value: str, inflections: Inflections
) -> list[tuple[str, str] | Listed]:
    """Terms for a matcher, each standing for `value`; those of inflected languages match
    their words' other forms too."""
    found: list[tuple[str, str] | Listed] = []
    for language, term in by_language(checks, entry, raw):
        forms = inflections.for_language(language)
        found.append(Listed(term, value, forms) if forms else (term, value))
    return found


def by_language(checks: FileChecks, entry: str, raw: Any) -> list[tuple[str, str]]:
    """(language, term) of every language; a language key must be a two-letter code."""
    if not isinstance(raw, Mapping) or not raw:
        checks.add(entry, "terms", "expected terms per language, e.g. {en: [...], fr: [...]}")
        return []
    terms: list[tuple[str, str]] = []
    for language, words in raw.items():
        if not (isinstance(language, str) and len(language) == 2 and language.isalpha()):
            checks.add(entry, f"terms.{language}", "expected a two-letter language code")
        elif not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            checks.add(entry, f"terms.{language}", "expected a list of text")
        else:
            for problem in term_problems(words):
                checks.add(entry, f"terms.{language}", problem)
            terms.extend((language, word) for word in words)
    return terms
