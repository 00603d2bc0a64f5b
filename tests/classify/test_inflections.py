"""Terms of inflected languages match their words' other forms, from the lemmatiser's
dictionary, shipped as a table so start-up needs no dictionary; reasons name both forms."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import yaml

from bot.classify import Classifier, ItemText
from bot.errors import ConfigError
from bot.inflections import TABLE, Inflections, WordForms, read_table
from bot.settings import Config, load_config
from bot.settings.inflected import FIELD, collect_words
from bot.terms import Listed, TermMatcher, term_words

CONFIG = Path(__file__).resolve().parents[2] / "config"
AI_FORMS = frozenset({"tekoäly", "tekoälyn", "tekoälyä"})
FINNISH = WordForms("fi", {"tekoäly": AI_FORMS, "tekoälyn": AI_FORMS})


def found(matcher: TermMatcher, text: str) -> list[tuple[str, str, str]]:
    return [(hit.term, hit.value, hit.listed) for hit in matcher.find(text)]


def test_a_listed_term_matches_every_form_and_says_which_term():
    matcher = TermMatcher([Listed("tekoäly", "ai", FINNISH)])
    assert found(matcher, "Tekoälyn koulutus ja tekoäly") == [
        ("Tekoälyn", "ai", "tekoäly"),
        ("tekoäly", "ai", ""),
    ]
    assert [hit.quoted() for hit in matcher.find("tekoälyä")] == ["'tekoälyä' (as 'tekoäly')"]


def test_a_form_must_be_a_whole_word_and_the_other_words_must_follow():
    matcher = TermMatcher([Listed("tekoälyn koulutus", "training", FINNISH)])
    assert found(matcher, "tekoälyä koulutus") == [
        ("tekoälyä koulutus", "training", "tekoälyn koulutus")
    ]
    assert found(matcher, "tekoälyt koulutus; tekoälyn kurssi") == []


def test_a_term_listed_in_english_and_in_an_inflected_language_keeps_the_forms():
    """ "data" is English and Swedish: the Swedish listing's forms are not lost to the
    English one read first."""
    swedish = WordForms("sv", {"data": frozenset({"data", "datan"})})
    matcher = TermMatcher([("data", "data"), Listed("data", "data", swedish)])
    assert found(matcher, "datan") == [("datan", "data", "data")]


def test_the_shipped_table_holds_every_word_of_the_configured_terms():
    """Start-up reads the table and loads no dictionary; after changing an inflected
    language's terms, `make inflections` brings it up to date (this test says when)."""
    data = yaml.safe_load((CONFIG / "classifier.yaml").read_text())
    words: dict[str, set[str]] = {code: set() for code in data[FIELD]}
    collect_words(data, words)
    table = read_table(TABLE)
    missing = {
        code: sorted(w.casefold() for w in wanted if w.isalpha() and len(w) >= 4
                     and not w.isupper() and w.casefold() not in table.get(code, {}))
        for code, wanted in words.items()
    }  # fmt: skip
    assert not any(missing.values()), f"run `make inflections`: {missing}"


def test_a_word_missing_from_the_table_is_looked_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    """An operator's new Latvian term works at once, from the lemmatiser, and the log says
    how to keep it."""
    empty = tmp_path / "inflections.json"
    empty.write_text(json.dumps({"languages": {}}))
    with caplog.at_level(logging.INFO, logger="bot.inflections"):
        inflections = Inflections.load({"lv": ["dati"]}, foreign=["en"], table=empty)
    forms = inflections.for_language("lv")
    assert forms is not None
    assert {"dati", "datus", "datiem"} <= forms.of("dati")
    assert "make inflections" in caplog.text


def test_a_generated_form_that_is_a_word_of_a_language_read_as_written_is_left_out(
    tmp_path: Path,
):
    """Terms of every language are tried on every item: the Czech form "datum" of "data"
    would find the English word, so only the form written in the config speaks for itself."""
    empty = tmp_path / "inflections.json.gz"
    alone = Inflections.load({"cs": ["data"]}, foreign=[], table=empty).for_language("cs")
    beside = Inflections.load({"cs": ["data"]}, foreign=["en"], table=empty).for_language("cs")
    assert alone is not None
    assert beside is not None
    assert "datum" in alone.of("data")
    assert "datum" not in beside.of("data")
    assert "data" in beside.of("data")


def test_finnish_and_polish_reports_are_read_with_their_inflections(config: Config):
    classifier = Classifier(config.rules, config.platforms, config.regions)
    finnish = classifier.classify(
        ItemText("LinkedIn alkaa kouluttaa tekoälyä jäsentensä henkilötiedoilla")
    )
    assert finnish.relevant, finnish.reasons
    assert "data term 'henkilötiedoilla' (as 'henkilötiedot')" in finnish.reasons
    polish = classifier.classify(
        ItemText("Meta będzie trenować sztuczną inteligencję na danych użytkowników z Polski")
    )
    assert polish.relevant, polish.reasons
    assert "PL" in polish.regions


def test_an_unknown_inflected_language_is_a_config_error(tmp_path: Path):
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    for name in ("regions.yaml", "platforms.yaml", "optout.yaml", "feeds.yaml"):
        (config_dir / name).write_text((CONFIG / name).read_text())
    rules = (CONFIG / "classifier.yaml").read_text()
    (config_dir / "classifier.yaml").write_text(rules.replace(f"{FIELD}: [", f"{FIELD}: [xx, ", 1))
    with pytest.raises(ConfigError) as raised:
        load_config(config_dir)
    assert f"classifier.yaml, field '{FIELD}': 'xx': the lemmatiser has no dictionary" in str(
        raised.value
    )


def test_term_words_are_the_words_the_matcher_compares():
    assert term_words("tekoälyn kouluttaminen") == ["tekoälyn", "kouluttaminen"]
    assert term_words("AI-koulutus") == ["AI", "koulutus"]
    assert term_words("britisch*") == ["britisch"]


def test_a_compound_the_dictionary_lacks_inflects_as_its_last_part(tmp_path: Path):
    """Estonian writes "privacy terms" as one word the dictionary does not hold; it still
    takes the endings of "tingimused" (terms), and the reason names the compound as written."""
    empty = tmp_path / "inflections.json.gz"
    forms = Inflections.load({"et": ["privaatsustingimused"]}, foreign=[], table=empty)
    estonian = forms.for_language("et")
    assert estonian is not None
    assert {"privaatsustingimusi", "privaatsustingimuste"} <= estonian.of("privaatsustingimused")
    matcher = TermMatcher([Listed("privaatsustingimused", "privacy_policy", estonian)])
    assert found(matcher, "X muudab privaatsustingimusi") == [
        ("privaatsustingimusi", "privacy_policy", "privaatsustingimused")
    ]


def test_the_shipped_table_inflects_compounds(config: Config):
    """ "X changes its privacy terms" in Estonian: the shipped table holds the compound's
    forms, so start-up reads them without a dictionary."""
    classifier = Classifier(config.rules, config.platforms, config.regions)
    judgement = classifier.classify(ItemText("X muudab privaatsustingimusi"))
    assert any("'privaatsustingimusi' (as " in reason for reason in judgement.reasons)
