"""The opt-out guide, read from the real config/optout.yaml."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.optout.guide import Guide
from bot.settings import Config, load_config
from tests.conftest import CONFIG_DIR

REGIONS = ("UK", "EU", "EEA", "CH", "US", "BR", "CA", "AU", "GLOBAL")


def guide_on(config: Config, day: date) -> Guide:
    return Guide(config.optout, config.platforms, config.regions, today=lambda: day)


@pytest.fixture(scope="module")
def guide(config: Config) -> Guide:
    return guide_on(config, date(2026, 11, 23))


def test_the_guide_covers_at_least_25_platforms_with_known_ids(config: Config):
    assert len(config.optout.entries) >= 25
    assert set(config.optout.entries) <= config.platforms.ids


@pytest.mark.parametrize("region", REGIONS)
def test_every_platform_answers_for_every_region(guide: Guide, config: Config, region: str):
    """Each answer has steps or an explicit 'nothing to do', sources and a date."""
    for platform_id, entry in config.optout.entries.items():
        advice = guide.advice_for(entry, region)
        assert advice.steps or "Nothing to do" in advice.status.summary, (platform_id, region)
        assert advice.sources
        assert all(s.startswith("http") for s in advice.sources)
        assert advice.checked is not None or advice.checked_text == "undated"
        reply = guide.reply(platform_id, region)
        assert reply.ok
        assert advice.status.summary in reply.text
        assert any(f.name == "Last checked" for f in reply.fields)
        assert set(advice.sources) <= set(reply.links)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("linkdin", "LinkedIn"), ("fb", "Facebook"), ("twitter", "X (formerly"),
     ("Instagram", "Facebook"), ("LINKEDIN", "LinkedIn"), ("chatgpt", "OpenAI"),
     ("grok", "X (formerly")],
)  # fmt: skip
def test_names_are_matched_forgivingly(guide: Guide, typed: str, expected: str):
    reply = guide.reply(typed, "US")
    assert reply.ok
    assert reply.title.startswith(expected)


def test_an_unknown_name_gets_the_closest_names(guide: Guide):
    reply = guide.reply("linkedn-app", None)
    assert not reply.ok
    assert "not in the opt-out guide" in reply.title
    assert "linkedin" in reply.text


def test_a_watched_platform_without_verified_steps_says_so(guide: Guide):
    reply = guide.reply("tiktok", "UK")
    assert not reply.ok
    assert "not in the opt-out guide yet" in reply.title


@pytest.mark.parametrize(
    ("platform", "region", "status_words"),
    [
        ("linkedin", "Britain", "switch it off"),
        ("linkedin", "GB", "switch it off"),
        ("x", "Deutschland", "does not train AI on data from this region"),
        ("meta", "EU", "objection"),
        ("meta", "NO", "objection"),  # Norway is in the EEA
        ("meta", "US", "no setting to stop it"),
        ("meta", "JP", "no setting to stop it"),  # no entry: the GLOBAL fallback
    ],
)
def test_region_input_picks_the_most_specific_advice(
    guide: Guide, platform: str, region: str, status_words: str
):
    assert status_words in guide.reply(platform, region).text


def test_an_unknown_region_gets_suggestions(guide: Guide):
    reply = guide.reply("linkedin", "Untied Kingdom")
    assert not reply.ok
    assert "UK" in reply.text


def test_other_regions_are_shown_when_they_differ(guide: Guide):
    fields = {f.name: f.value for f in guide.reply("x", "DE").fields}
    assert "Used to train AI by default" in fields["Elsewhere"]


def test_no_region_lists_every_region(guide: Guide, config: Config):
    reply = guide.reply("meta", None)
    assert len([f for f in reply.fields if f.name != "Last checked"]) >= len(
        config.optout.entries["meta"].advice
    )


def test_old_advice_carries_a_warning(config: Config):
    fresh = guide_on(config, date(2025, 10, 1)).reply("linkedin", "US")
    stale = guide_on(config, date(2026, 11, 23)).reply("linkedin", "US")
    checked = {f.name: f.value for f in fresh.fields}["Last checked"]
    assert "may have changed" not in checked
    assert "may have changed" in {f.name: f.value for f in stale.fields}["Last checked"]


def test_alert_hint_says_what_to_do_where(guide: Guide):
    uk = guide.hint("linkedin", "UK")
    de = guide.hint("x", "DE")
    assert uk is not None
    assert "Settings & Privacy" in uk
    assert "/optout linkedin" in uk
    assert de is not None
    assert "Nothing to do" in de


BROKEN = """
statuses:
  opt-out: {summary: Used by default., action: true}
  fine: {summary: Nothing to do., action: false}
platforms:
  - id: linkedin
    name: LinkedIn
    confidence: high
    advice:
      - regions: [GLOBAL]
        status: opt-out
        steps: []
        sources: [https://example.org/a]
        checked: 2025-01-01
  - id: myspace
    name: MySpace
    confidence: sure
    advice:
      - regions: [GLOBAL, NARNIA]
        status: maybe
        sources: [not a link]
        checked: last week
  - id: meta
    name: Meta
    confidence: low
    advice:
      - regions: [UK]
        status: fine
        sources: []
        checked: 2025-13
"""


def test_an_impossible_date_is_a_config_error_not_a_crash(tmp_path: Path):
    config_dir = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config_dir)
    text = (config_dir / "optout.yaml").read_text().replace("2025-09-18", "2025-02-30", 1)
    (config_dir / "optout.yaml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(config_dir)
    assert "optout.yaml" in str(caught.value.problems[0])
    assert "check the dates" in str(caught.value.problems[0])


def test_a_broken_guide_names_every_problem(tmp_path: Path):
    config_dir = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config_dir)
    (config_dir / "optout.yaml").write_text(BROKEN)
    with pytest.raises(ConfigError) as caught:
        load_config(config_dir)
    problems = [str(p) for p in caught.value.problems]
    expected = [
        "#1 (linkedin) advice #1, field 'steps'",
        "#2 (myspace), field 'id'",
        "#2 (myspace), field 'confidence'",
        "#2 (myspace) advice #1, field 'regions': unknown region code 'NARNIA'",
        "#2 (myspace) advice #1, field 'status'",
        "#2 (myspace) advice #1, field 'sources'",
        "#2 (myspace) advice #1, field 'checked'",
        "#3 (meta) advice #1, field 'sources'",
        "#3 (meta) advice #1, field 'checked': '2025-13' is not a real date",
        "#3 (meta), field 'advice': no advice covers GLOBAL",
    ]
    for fragment in expected:
        assert any(fragment in p and "optout.yaml" in p for p in problems), fragment
