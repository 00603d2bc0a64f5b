"""Names take case endings in inflected languages: "Grokin", "Metę", "Googlowi" are the
names, "metan" and "Metall" are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.classify import Classifier, ItemText
from bot.errors import ConfigError
from bot.names import NameEndings
from bot.settings import Config, load_config
from tests.conftest import CONFIG_DIR

ENDINGS = ["n", "in", "ę", "owi", "u", "s"]
NAMES = NameEndings([("Grok", "x"), ("Meta", "meta"), ("Google", "google")], ENDINGS)


@pytest.mark.parametrize(
    ("word", "name"),
    [("Grokin", "Grok"), ("Metan", "Meta"), ("Metę", "Meta"), ("Googlowi", "Google"),
     ("Googlu", "Google"), ("Metas", "Meta")],
)  # fmt: skip
def test_a_name_with_a_case_ending_is_the_name(word: str, name: str):
    found = NAMES.match(word)
    assert found is not None
    assert found[0] == name


@pytest.mark.parametrize("word", ["metan", "Metall", "Metal", "Gro", "Grokking", "Meteor"])
def test_other_words_are_not(word: str):
    """Lower case, an ending not listed, or a longer word: not the name."""
    assert NAMES.match(word) is None


def test_reports_naming_an_inflected_name_are_read(config: Config):
    classifier = Classifier(config.rules, config.platforms, config.regions)
    finnish = classifier.classify(
        ItemText("Tietosuojavaltuutettu: Grokin kouluttaminen suomalaisten julkaisuilla")
    )
    assert "x" in finnish.platforms
    assert "ai term 'Grokin' (as 'Grok')" in finnish.reasons
    polish = classifier.classify(ItemText("Reddit sprzedaje Googlowi dostęp do postów"))
    assert polish.platforms == ("google", "reddit")


def test_an_ending_must_be_a_few_lower_case_letters(tmp_path: Path):
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    for path in CONFIG_DIR.iterdir():
        (config_dir / path.name).write_text(path.read_text())
    rules = config_dir / "classifier.yaml"
    rules.write_text(rules.read_text().replace("name_endings: [a,", "name_endings: [Ab, a,", 1))
    with pytest.raises(ConfigError) as raised:
        load_config(config_dir)
    assert "field 'name_endings': 'Ab': an ending is one to 3 lower-case letters" in str(
        raised.value
    )
