"""Config files are validated at start-up, and errors name the file, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import Config, load_config, read_environment
from tests.conftest import CONFIG_DIR


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, target)
    return target


def problems(config_dir: Path, feeds: Path | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(config_dir, feeds)
    return [str(p) for p in caught.value.problems]


def test_shipped_config_is_valid(config):
    """The config in the repo loads: feeds, regions with EU and EEA groups, platforms."""
    assert len(config.feeds) >= 40
    assert {"ico-news-blogs", "edpb-news", "cnil-fr", "ftc-press", "meta-newsroom"} <= {
        f.id for f in config.feeds
    }
    assert "FR" in config.regions.expand_down("EU")
    assert {"NO", "IS", "LI", "FR"} <= config.regions.expand_down("EEA")
    assert config.platforms.resolve("Instagram") == "meta"
    assert config.platforms.resolve("grok") == "x"


@pytest.mark.parametrize(
    ("name", "code"),
    [("Italien", "IT"), ("Allemagne", "DE"), ("Países Bajos", "NL"), ("Südkorea", "KR")],
)
def test_a_country_is_known_by_its_name_in_the_feed_languages(config, name: str, code: str):
    """A moderator may type the country in their own language; a title opening with it
    ("Italien sperrt DeepSeek") is that state acting."""
    assert config.regions.resolve(name) == code


def test_bad_feed_entry_names_file_entry_and_field(config_copy: Path, tmp_path: Path):
    """A wrong URL, an unknown region and a duplicate id are each located precisely."""
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "- id: good\n  url: https://example.org/feed\n"
        "- id: bad-url\n  url: ftp://example.org/feed\n"
        "- id: bad-region\n  url: https://example.org/x\n  region: XX\n"
        "- id: good\n  url: https://example.org/again\n"
        "- id: typo\n  url: https://example.org/y\n  intervall: 5\n"
    )
    found = problems(config_copy, feeds)
    assert f"{feeds}: entry #2 (bad-url), field 'url': expected an http or https URL" in found[0]
    assert any("#3 (bad-region), field 'region': unknown region 'XX'" in p for p in found)
    assert any("#4 (good), field 'id': 'good' is used by an earlier entry" in p for p in found)
    assert any("#5 (typo), field 'intervall': unknown field" in p for p in found)


def test_broken_yaml_names_the_line(config_copy: Path):
    """A YAML syntax error says which file and line."""
    (config_copy / "platforms.yaml").write_text("platforms:\n  - id: a\n    name: [unclosed\n")
    found = problems(config_copy)
    assert any("platforms.yaml" in p and "not valid YAML at line" in p for p in found)


def test_group_member_must_exist(config_copy: Path):
    """A group listing an undefined region is refused."""
    path = config_copy / "regions.yaml"
    path.write_text(path.read_text().replace("members: [EU, IS, LI, 'NO']", "members: [EU, ZZ]"))
    assert any("'ZZ' is not defined" in p for p in problems(config_copy))


def test_classifier_event_must_be_known(config_copy: Path):
    """An event kind outside DESIGN.md's list is refused with the allowed ones."""
    path = config_copy / "classifier.yaml"
    path.write_text(path.read_text().replace("event: lawsuit", "event: lawsuits"))
    assert any("classifier.yaml" in p and "'lawsuits'" in p for p in problems(config_copy))


def test_a_capitalised_name_must_be_one_of_the_platforms_mentions(config_copy: Path):
    """Only a mention can be matched as written; anything else is a typo, named by field."""
    path = config_copy / "platforms.yaml"
    path.write_text(path.read_text().replace("[Meta, Threads,", "[Meta, Thread,", 1))
    found = problems(config_copy)
    assert any("platforms.yaml" in p and "capitalised" in p and "'Thread'" in p for p in found)


def test_all_problems_are_reported_together(config_copy: Path):
    """Two broken files give two problems, not just the first."""
    (config_copy / "platforms.yaml").write_text("platforms:\n  - name: No id\n")
    (config_copy / "feeds.yaml").write_text("- id: x\n")
    found = problems(config_copy)
    assert any("platforms.yaml" in p and "'id'" in p for p in found)
    assert any("feeds.yaml" in p and "'url'" in p for p in found)


def test_flag_beats_environment_beats_default(tmp_path: Path):
    """--db wins over AIWATCH_DB, which wins over ./data/aiwatch.db."""
    env = {"AIWATCH_DB": "/env.db", "AIWATCH_CONFIG": "/envconf"}
    nowhere = tmp_path / "none.env"
    assert read_environment(environ={}, dotenv=nowhere).db_path == Path("data/aiwatch.db")
    assert read_environment(environ=env, dotenv=nowhere).db_path == Path("/env.db")
    assert read_environment(db_path="/flag.db", environ=env, dotenv=nowhere).db_path == Path(
        "/flag.db"
    )
    assert read_environment(environ=env, dotenv=nowhere).feeds_path == Path("/envconf/feeds.yaml")


def test_tokens_never_show_in_repr(tmp_path: Path):
    """A token read from .env prints as *** wherever the environment is logged."""
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN='very-secret'\n")
    env = read_environment(environ={}, dotenv=dotenv)
    assert env.discord_token.value == "very-secret"
    assert "very-secret" not in repr(env)


def test_classifier_feed_kind_must_be_known(config_copy: Path):
    """A feed kind in classifier.yaml that the feeds file cannot have is refused."""
    path = config_copy / "classifier.yaml"
    path.write_text(path.read_text().replace("  regulator: {weight", "  regulators: {weight"))
    assert any("feed kind regulators" in p for p in problems(config_copy))


def test_a_classifier_term_in_two_signals_is_refused(config_copy: Path):
    """'KI-Training' as an ai term shadowed the ai_training term and lost its meaning."""
    path = config_copy / "classifier.yaml"
    text = path.read_text().replace(
        "[KI, künstliche Intelligenz,", "[KI, KI-Training, künstliche Intelligenz,", 1
    )
    path.write_text(text)
    assert any(
        "classifier.yaml" in p and "'KI-Training' is also a term of signal" in p
        for p in problems(config_copy)
    )


def test_left_out_words_must_say_where_they_stand(config_copy: Path):
    """Words that leave a region out stand before or after its name; anything else is named."""
    path = config_copy / "classifier.yaml"
    text = path.read_text().replace("  before:\n    en: [outside", "  around:\n    en: [outside")
    path.write_text(text)
    assert any("classifier.yaml" in p and "left_out" in p for p in problems(config_copy))


def test_left_out_is_optional_but_its_reach_must_be_a_number(config_copy: Path):
    """An operator's older classifier.yaml has no left_out section and still loads; a
    reach that is not a number is named with its section."""
    path = config_copy / "classifier.yaml"
    text = path.read_text()
    section = text[text.index("\n# A region named next to these words") :]
    path.write_text(text.replace(section, "\n"))
    assert load_config(config_copy).rules.left_out.reach == 0
    path.write_text(text.replace("  reach: 16", "  reach: far"))
    assert any(
        "classifier.yaml" in p and "left_out" in p and "reach" in p for p in problems(config_copy)
    )


@pytest.mark.parametrize(
    ("field", "listed", "unknown"),
    [("acting_signals", "regulator", "regulators"), ("reaction_signals", "backlash", "outcry")],
)
def test_lists_of_signals_must_name_signals(
    config_copy: Path, field: str, listed: str, unknown: str
):
    path = config_copy / "classifier.yaml"
    text = path.read_text().replace(f"{field}: [{listed}", f"{field}: [{unknown}")
    path.write_text(text)
    assert any(
        "classifier.yaml" in p and field in p and f"'{unknown}' names no signal" in p
        for p in problems(config_copy)
    )


def test_left_out_joining_words_are_terms_per_language(config_copy: Path):
    """The words that join a list of left-out regions are given per language, like terms."""
    path = config_copy / "classifier.yaml"
    text = path.read_text()
    start = text.index("  joining:\n")
    end = text.index("\n  before:", start)
    path.write_text(text[:start] + "  joining: [and, or]" + text[end:])
    assert any("classifier.yaml" in p and "left_out joining" in p for p in problems(config_copy)), (
        problems(config_copy)
    )


def test_lookalike_names_are_terms_per_language(config_copy: Path):
    """Look-alike names are listed per language like every other term; a bare list is named
    with its section."""
    path = config_copy / "classifier.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("\nlookalikes:")] + "\nlookalikes: [Ray-Ban]\n")
    assert any("classifier.yaml" in p and "lookalikes" in p for p in problems(config_copy))


def test_an_open_term_too_short_is_refused_in_each_file(config_copy: Path):
    """'Bei*' would match "Beispiel": classifier terms and region and platform mentions all
    name the file, entry and field of such a term."""
    classifier = config_copy / "classifier.yaml"
    classifier.write_text(classifier.read_text().replace("[KI, künstliche", "[KI*, künstliche", 1))
    regions = config_copy / "regions.yaml"
    regions.write_text(regions.read_text().replace("mentions: [UK,", "mentions: [Bri*, UK,", 1))
    platforms = config_copy / "platforms.yaml"
    platforms.write_text(platforms.read_text().replace("mentions: [", "mentions: ['*a b', ", 1))
    found = problems(config_copy)
    assert any("classifier.yaml" in p and "terms.de" in p and "'KI*'" in p for p in found)
    assert any("regions.yaml" in p and "mentions" in p and "'Bri*'" in p for p in found)
    assert any("platforms.yaml" in p and "mentions" in p and "must be one word" in p for p in found)


def test_enclosing_regions_agree_with_expanding_up(config: Config):
    """Grouping's region containment, built once for every code, is the book's expand_up."""
    enclosing = config.regions.enclosing()
    for code in ("DE", "DE-HH", "FR", "UK", "NO", "US-CA"):
        assert enclosing.get(code, frozenset()) == config.regions.expand_up(code) - {code}
    assert {"EU", "EEA"} <= enclosing["DE-HH"]
    assert "EU" not in enclosing["UK"]


@pytest.mark.parametrize("flag", ["distinctive", "policy"])
def test_a_signals_flag_must_be_true_or_false(config_copy: Path, flag: str):
    """A flag given as a word would silently count as true (changing which words tell
    stories apart, or which headlines tell a change again): it is named instead."""
    path = config_copy / "classifier.yaml"
    path.write_text(path.read_text().replace(f"    {flag}: true", f"    {flag}: maybe", 1))
    assert any(
        "classifier.yaml" in p and flag in p and "true or false" in p for p in problems(config_copy)
    )


def test_a_signal_waived_by_an_unknown_signal_is_refused(config_copy: Path):
    path = config_copy / "classifier.yaml"
    text = path.read_text().replace(
        "waived_by: [privacy, privacy_policy, objection,",
        "waived_by: [privacy, privacy_policy, objections,",
    )
    path.write_text(text)
    assert any(
        "classifier.yaml" in p and "waived_by" in p and "'objections' names no signal" in p
        for p in problems(config_copy)
    )


def test_a_source_in_a_language_without_terms_is_refused(config_copy: Path, tmp_path: Path):
    """It would be polled and stored and never understood: a config error at start-up that
    names the file, the entry and the field, and says which languages are read."""
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "- id: read\n  url: https://example.org/a\n  language: fi\n"
        "- id: unread\n  url: https://example.org/b\n  language: tr\n"
    )
    found = problems(config_copy, feeds)
    assert len(found) == 1
    assert found[0].startswith(f"{feeds}: entry #2 (unread), field 'language': 'tr' has no ")
    assert "(it reads: bg, cs, da, de, el, en, es, et, fi," in found[0]


def test_every_language_of_the_feeds_file_is_read(config: Config):
    assert {feed.language for feed in config.feeds if feed.language} <= config.rules.languages
    assert len(config.rules.languages) >= 27
