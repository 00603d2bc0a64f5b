"""`inflected_languages` of config/classifier.yaml: the languages whose terms match their
words' other forms, and the forms of every word their terms use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.inflections import Inflections, lemmatiser_languages
from bot.terms import term_words
from bot.yamlfile import FileChecks

FIELD = "inflected_languages"


def load_inflections(checks: FileChecks, data: Mapping[str, Any]) -> Inflections:
    """Optional: without the field every term matches as written (or by its `*`)."""
    raw = data.get(FIELD)
    if raw is None:
        return Inflections({})
    if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
        checks.add("", FIELD, "expected a list of language codes, e.g. [fi, pl]")
        return Inflections({})
    known = lemmatiser_languages()
    for code in raw:
        if code not in known:
            checks.add("", FIELD, f"'{code}': the lemmatiser has no dictionary for it")
    words: dict[str, set[str]] = {code: set() for code in raw if code in known}
    collect_words(data, words)
    return Inflections.load(words, foreign_languages(data, words.keys()))


def foreign_languages(data: Mapping[str, Any], inflected: Iterable[str]) -> list[str]:
    """The languages whose terms match as written and that the lemmatiser knows: a form of
    an inflected word that is one of their words is left out."""
    found: dict[str, set[str]] = {}
    collect_words(data.get("signals"), found, every_language=True)
    return sorted(set(found) - set(inflected) & lemmatiser_languages())


def collect_words(node: Any, words: dict[str, set[str]], every_language: bool = False) -> None:
    """Every word of the terms listed under a language's code in `words` (or, with
    `every_language`, under any two-letter code), anywhere in the file. Each part of the
    file is read once: a YAML alias may hold itself (`&a [*a]`) or repeat a part a billion
    times."""
    pending, seen = [node], set()
    while pending:
        current = pending.pop()
        if not isinstance(current, Mapping | list) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, list):
            pending.extend(current)
            continue
        for key, value in current.items():
            listed = key in words or (every_language and _is_code(key))
            if listed and isinstance(value, list):
                terms = (t for t in value if isinstance(t, str))
                words.setdefault(key, set()).update(w for t in terms for w in term_words(t))
            else:
                pending.append(value)


def _is_code(key: Any) -> bool:
    return isinstance(key, str) and len(key) == 2 and key.isalpha() and key.islower()
