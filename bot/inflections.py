"""The other forms of a configured word, for languages that inflect too much for `*`.

Finnish, Polish, Greek or Lithuanian change a word's ending with its case and number
("tekoäly", "tekoälyn", "tekoälyä"; "dane", "danych", "danymi"), and an open end would match
unrelated words. For the languages listed under `inflected_languages` in
config/classifier.yaml, each word of a term also matches every form that the simplemma
lemmatiser's dictionary gives the same lemma. Every language's terms are tried on every item,
so a generated form that is a word of another language the bot reads (Hungarian "per" is
German "per", a Czech form of "stop" is English "stop") is left out: only the form written in
the config speaks for itself there.

Loading a language's dictionary takes seconds and tens of megabytes, so the forms of the
configured words are read once into a table shipped with the bot (`bot/data/inflections.json.gz`,
written by `make inflections`). At start-up only words missing from it (terms an operator
added) cost a dictionary load, with a log line saying so. Matching then needs no lemmatiser:
a word of the text is looked up as written, and the reason names that word and the term.
"""

from __future__ import annotations

import gzip
import json
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

TABLE = Path(__file__).parent / "data" / "inflections.json.gz"
# simplemma's code where it differs from ISO 639-1: Croatian is in its Serbo-Croatian data.
_LEMMATISER_CODE = {"hr": "hbs", "sr": "hbs", "bs": "hbs"}
# Shorter words and abbreviations stay as written: their "forms" are mostly other words.
MIN_LETTERS = 4


def lemmatiser_languages() -> frozenset[str]:
    """The ISO 639-1 codes the lemmatiser has a dictionary for."""
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    shared = {iso for iso, code in _LEMMATISER_CODE.items() if code in SUPPORTED_LANGUAGES}
    return frozenset(code for code in SUPPORTED_LANGUAGES if len(code) == 2) | shared


def inflects(word: str) -> bool:
    """Whether a word of a term takes other forms: long enough, and not an abbreviation."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) == len(word) >= MIN_LETTERS and not word.isupper()


@dataclass(frozen=True)
class WordForms:
    """One language's table: a configured word (case-folded) -> its forms, itself included."""

    language: str
    table: Mapping[str, frozenset[str]]

    def of(self, word: str) -> frozenset[str]:
        folded = word.casefold()
        return self.table.get(folded, frozenset({folded}))


@dataclass(frozen=True)
class Inflections:
    """The forms of every configured word, per inflected language."""

    languages: Mapping[str, WordForms]

    def for_language(self, language: str) -> WordForms | None:
        return self.languages.get(language)

    @classmethod
    def load(
        cls, words: Mapping[str, Iterable[str]], foreign: Iterable[str], table: Path = TABLE
    ) -> Inflections:
        """The forms of `words` (language -> configured words), from the shipped table, and
        from the lemmatiser for words it lacks; none that is a word of a `foreign` language."""
        stored = read_table(table)
        languages: dict[str, WordForms] = {}
        others = _Foreign(tuple(sorted(foreign)))
        for language, wanted in words.items():
            known = stored.get(language, {})
            folded = _inflecting(wanted)
            missing = sorted(folded - known.keys())
            if missing:
                known = {**known, **_forms_from_lemmatiser(language, missing, others.words())}
            forms = {w: frozenset(known[w]) | {w} for w in folded}
            languages[language] = WordForms(language, forms)
        return cls(languages)


def read_table(path: Path) -> dict[str, dict[str, list[str]]]:
    """The shipped table, or nothing when it is missing or unreadable (then every word is
    looked up, which is slow but right)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as table:
            data = json.load(table)
    except (OSError, ValueError, EOFError):
        return {}
    languages = data.get("languages") if isinstance(data, dict) else None
    return languages if isinstance(languages, dict) else {}


def build_table(
    words: Mapping[str, Iterable[str]], foreign: Iterable[str]
) -> dict[str, dict[str, list[str]]]:
    """Every inflecting word's forms, from the lemmatiser, for `make inflections`."""
    others = _Foreign(tuple(sorted(foreign))).words()
    return {
        language: _forms_from_lemmatiser(language, sorted(_inflecting(wanted)), others)
        for language, wanted in sorted(words.items())
    }


class _Foreign:
    """The words of the languages read as written (English, German, ...), read from their
    dictionaries once and only when a form must be looked up."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = languages
        self._words: frozenset[str] | None = None

    def words(self) -> frozenset[str]:
        if self._words is None:
            from simplemma.strategies.dictionaries.dictionary_factory import (
                DefaultDictionaryFactory,
            )

            factory = DefaultDictionaryFactory(cache_max_size=1)
            found: set[str] = set()
            for language in self.languages:
                for form, lemma in factory.get_dictionary(_code(language)).items():
                    found.update((form.casefold(), lemma.casefold()))
            self._words = frozenset(found)
        return self._words


def _inflecting(words: Iterable[str]) -> set[str]:
    return {w.casefold() for w in words if inflects(w)}


def write_table(path: Path, table: Mapping[str, Mapping[str, list[str]]]) -> None:
    from simplemma.__metadata__ import __version__

    document = {"lemmatiser": f"simplemma {__version__}", "languages": table}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # mtime 0: the same forms give the same bytes, so git sees no change without one
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def _code(language: str) -> str:
    return _LEMMATISER_CODE.get(language, language)


def _head(word: str, dictionary: Mapping[str, str]) -> tuple[str, str] | None:
    """A compound the dictionary lacks inflects as its last part does: Estonian
    "privaatsustingimused" as "tingimused" ("privaatsustingimusi"), Finnish
    "tekoälymalli" as "malli". The longest known ending of MIN_LETTERS or more letters after a
    first part of as many, with its lemma; None when there is none."""
    for start in range(MIN_LETTERS, len(word) - MIN_LETTERS + 1):
        lemma = dictionary.get(word[start:])
        if lemma is not None:
            return word[start:], lemma.casefold()
    return None


def _forms_from_lemmatiser(
    language: str, words: list[str], foreign: frozenset[str]
) -> dict[str, list[str]]:
    """The forms the dictionary files under each word's lemmas, less foreign words. A word
    is its own lemma too: "dane" is filed under "dana" but "danych" under "dany"."""
    if not words:
        return {}
    from simplemma import lemmatize
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    started = time.monotonic()
    code = _code(language)
    dictionary = DefaultDictionaryFactory(cache_max_size=1).get_dictionary(code)
    lemmas = {word: {word, lemmatize(word, lang=code).casefold()} for word in words}
    heads = {word: _head(word, dictionary) for word in words if word not in dictionary}
    wanted = set().union(*lemmas.values(), (lemma for _, lemma in filter(None, heads.values())))
    by_lemma: dict[str, set[str]] = {}
    for form, lemma in dictionary.items():
        folded = lemma.casefold()
        if folded in wanted:
            by_lemma.setdefault(folded, set()).add(form.casefold())
    forms = {}
    for word in words:
        found = set().union(*(by_lemma.get(lemma, set()) | {lemma} for lemma in lemmas[word]))
        if head := heads.get(word):
            stem = word[: len(word) - len(head[0])]
            found |= {stem + form for form in by_lemma.get(head[1], set()) | {head[1]}}
        forms[word] = sorted(form for form in found if form == word or form not in foreign)
    log.info(
        "looked up the forms of %d %s words in %.1f s; run `make inflections` to keep them",
        len(words), language, time.monotonic() - started,
    )  # fmt: skip
    return forms
