"""Page sources in the feeds file: `type: page` and its selectors, checked at start-up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.models import PageSelectors, Selector
from bot.parsing.selectors import read_selector
from bot.settings import load_config
from tests.conftest import CONFIG_DIR


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, target)
    return target


def load(config_dir: Path, text: str):
    feeds = config_dir / "feeds.yaml"
    feeds.write_text(text)
    return load_config(config_dir, feeds)


def problems(config_dir: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(config_dir, text)
    return [str(p) for p in caught.value.problems]


def test_the_design_example_reads_into_page_selectors(config_dir: Path):
    """The example in DESIGN.md loads as written, attributes split from their selectors."""
    config = load(
        config_dir,
        "- id: dpc-news\n  url: https://www.dataprotection.ie/en/news-media/latest-news\n"
        "  type: page\n  kind: regulator\n  region: IE\n  language: en\n"
        '  page: {entries: "div.view-content article", title: "h2", link: "h2 a@href",'
        ' date: "time@datetime", summary: "p"}\n',
    )
    assert config.feeds[0].page == PageSelectors(
        entries="div.view-content article",
        title=Selector("h2"),
        link=Selector("h2 a", "href"),
        date=Selector("time", "datetime"),
        summary=Selector("p"),
    )


def test_a_page_with_only_entries_links_its_first_anchor(config_dir: Path):
    """`link` defaults to `a@href`; title, date and summary stay unset."""
    config = load(config_dir, "- {id: p, url: 'https://e.org/', type: page, page: {entries: li}}\n")
    assert config.feeds[0].page == PageSelectors(entries="li")
    assert config.feeds[0].page.link == Selector("a", "href")


def test_an_invalid_selector_names_file_entry_and_field(config_dir: Path):
    """A selector that is not CSS stops the bot with the file, the entry and the field."""
    found = problems(
        config_dir,
        "- id: broken\n  url: https://e.org/\n  type: page\n"
        '  page: {entries: "div[class=", date: "time@datetime"}\n',
    )
    assert len(found) == 1
    assert str(config_dir / "feeds.yaml") in found[0]
    assert "entry #1 (broken)" in found[0]
    assert "field 'page.entries'" in found[0]
    assert "not a valid CSS selector" in found[0]


def test_page_mistakes_are_each_reported(config_dir: Path):
    """A page with no selectors, selectors without `type: page`, an unknown type and an
    unknown selector field are all listed together."""
    found = "\n".join(
        problems(
            config_dir,
            "- {id: a, url: 'https://e.org/a', type: page}\n"
            "- {id: b, url: 'https://e.org/b', page: {entries: li}}\n"
            "- {id: c, url: 'https://e.org/c', type: html}\n"
            "- {id: d, url: 'https://e.org/d', type: page, page: {entries: li, headline: h2}}\n"
            "- {id: e, url: 'https://e.org/e', type: page, page: {title: h2}}\n"
            "- {id: f, url: 'https://e.org/f', type: page, page: {entries: li, link: 'a[@href'}}\n",
        )
    )
    assert "entry #1 (a), field 'page': a page source needs its selectors" in found
    assert "entry #2 (b), field 'page': page selectors need `type: page`" in found
    assert "entry #3 (c), field 'type'" in found
    assert "entry #4 (d), field 'page.headline': unknown selector" in found
    assert "entry #5 (e), field 'page.entries': is required" in found
    assert "entry #6 (f), field 'page.link'" in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("h2 a@href", Selector("h2 a", "href")),
        ("@datetime", Selector("", "datetime")),
        ("time", Selector("time")),
        ('a[href*="x@y"]', Selector('a[href*="x@y"]')),
        ("span.date @data-date", Selector("span.date", "data-date")),
    ],
)
def test_selector_at_attribute_is_read(text: str, expected: Selector):
    """`selector@attribute` reads an attribute; an "@" inside the CSS stays CSS."""
    assert read_selector(text) == expected
