"""Reading the fields of config/classifier.yaml: numbers, terms per language, lists of signal
names and name endings, each problem recorded with its entry and field (the rules and the
left-out reading share them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.inflections import Inflections
from bot.names import ending_problem
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


def name_endings(checks: FileChecks, raw: Any) -> frozenset[str]:
    """Optional: without them a name matches only as written."""
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(e, str) for e in raw):
        checks.add("", "name_endings", "expected a list of endings, e.g. [n, a, in]")
        return frozenset()
    for problem in filter(None, map(ending_problem, raw)):
        checks.add("", "name_endings", problem)
    return frozenset(raw)


def signal_names(
    checks: FileChecks, field_name: str, raw: Any, weights: Mapping[str, float]
) -> frozenset[str]:
    """Optional: a list of signal names (acting_signals, change_subjects, ...)."""
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
        checks.add("", field_name, "expected a list of signal names")
        return frozenset()
    for name in raw:
        if name not in weights:
            checks.add("", field_name, f"'{name}' names no signal")
    return frozenset(name for name in raw if name in weights)
