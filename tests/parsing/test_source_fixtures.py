"""Each page source in config/feeds.yaml reads the expected entries from its fixture page.

The fixtures (tests/data/pages/ID.html) copy each site's tags and classes with our own short
texts; the expected entries sit next to them (ID.json). A selector edited in the feeds file
that no longer reads its fixture fails here, before it fails against the real site.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.models import Feed
from bot.parsing import parse_page_sync
from bot.settings import Config, load_config
from tests.conftest import CONFIG_DIR, ROOT

PAGES = ROOT / "tests" / "data" / "pages"
NOW = datetime(2026, 11, 23, tzinfo=UTC)
SOURCES = [f for f in load_config(CONFIG_DIR).feeds if f.page is not None]


def test_the_issue_s_sources_are_configured_as_pages(config: Config):
    """The DPC, FDPIC, CPPA, PIPC and LinkedIn's pressroom are read as pages. (Japan's PPC
    publishes in Japanese, which the classifier cannot read: words are not spaced.)"""
    pages = {f.id for f in config.feeds if f.page is not None}
    assert {"dpc-ie", "fdpic-ch", "cppa-us-ca", "pipc-kr", "linkedin-pressroom"} <= pages


def test_every_page_source_has_a_fixture_and_every_fixture_a_source():
    """No configured page goes untested, and no fixture outlives its source."""
    assert {p.stem for p in PAGES.glob("*.html")} == {f.id for f in SOURCES}


@pytest.mark.parametrize("source", SOURCES, ids=lambda f: f.id)
def test_the_configured_selectors_read_the_fixture(source: Feed):
    """Titles, absolute links, UTC dates and summaries exactly as expected, with no note."""
    assert source.page is not None
    body = (PAGES / f"{source.id}.html").read_bytes()
    parsed = parse_page_sync(body, url=source.url, selectors=source.page, now=NOW,
                             scope=source.id, language=source.language)  # fmt: skip
    expected = json.loads((PAGES / f"{source.id}.json").read_text())
    got = [
        {"title": e.title, "link": e.link, "summary": e.summary,
         "published": e.published.isoformat() if e.published else None}
        for e in parsed.entries
    ]  # fmt: skip
    assert parsed.note == expected["note"]
    assert got == expected["entries"]
    assert all(e.key == f"link:{e.link}" for e in parsed.entries)


@pytest.mark.parametrize("source", SOURCES, ids=lambda f: f.id)
def test_a_redesign_of_the_fixture_is_reported_as_a_layout_change(source: Feed):
    """The same page with its entry markup renamed fails loudly, naming the selector."""
    assert source.page is not None
    body = (PAGES / f"{source.id}.html").read_text()
    redesigned = body.replace("<li", "<div").replace("<article", "<section").replace(
        "<tr", "<div").replace("class=\"", "class=\"x-")  # fmt: skip
    parsed = parse_page_sync(redesigned.encode(), url=source.url, selectors=source.page,
                             now=NOW, language=source.language)  # fmt: skip
    assert parsed.entries == ()
    assert parsed.note == f"the page layout changed: no entries matched `{source.page.entries}`"
