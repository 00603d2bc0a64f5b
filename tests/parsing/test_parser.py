"""The parser: normalised entries from odd feeds, and never an exception."""

from __future__ import annotations

import io
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.parsing import canonical_link, parse_feed, parse_feed_sync, to_plain_text
from tests.servers.feeds import FeedItem, make_rss

CORPUS = Path(__file__).resolve().parent.parent / "data" / "feedparser-tests.tar.gz"


def test_entries_are_normalised():
    """Plain-text title and summary, canonical link, UTC date, stable id from the guid."""
    body = make_rss(
        [
            FeedItem(
                title="<b>LinkedIn</b> &amp; AI",
                link="HTTP://Example.ORG:80/a?utm_source=rss&id=3#top",
                summary="<p>Members are <em>opted in</em>.</p><script>alert(1)</script>",
                published=datetime(2026, 11, 1, 10, 0, tzinfo=UTC),
                guid="urn:uuid:1234",
            )
        ]
    )
    parsed = parse_feed_sync(body, url="http://example.org/feed", scope="f")
    assert parsed.note == ""
    (entry,) = parsed.entries
    assert entry.title == "LinkedIn & AI"
    assert entry.summary == "Members are opted in ."
    assert entry.link == "http://example.org/a?id=3"
    assert entry.published == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    assert entry.key == "guid:urn:uuid:1234"


def test_bare_guid_is_scoped_to_its_feed():
    """A guid like "42" in two feeds does not make two different entries look the same."""
    body = make_rss([FeedItem("A", "http://example.org/a", guid="42")])
    first = parse_feed_sync(body, url="http://a/", scope="one").entries[0]
    second = parse_feed_sync(body, url="http://a/", scope="two").entries[0]
    assert first.key != second.key


def test_no_guid_falls_back_to_link_then_title():
    """Without a guid the id is the canonical link; without a link, title and date."""
    with_link = make_rss([FeedItem("A", "http://example.org/a?utm_medium=x")])
    assert parse_feed_sync(with_link, url="http://a/", scope="s").entries[0].key == (
        "link:http://example.org/a"
    )
    body = b"<rss version='2.0'><channel><item><title>Only a title</title></item></channel></rss>"
    assert parse_feed_sync(body, url="http://a/", scope="s").entries[0].key == (
        "text:s:Only a title|"
    )


def test_html_page_gets_a_note_and_no_entries():
    """An HTML page is reported as not a feed, in words."""
    parsed = parse_feed_sync(b"<!DOCTYPE html><html><body>x</body></html>", url="u", scope="s")
    assert parsed.entries == ()
    assert "HTML page" in parsed.note


def test_truncated_feed_keeps_what_it_could_read():
    """A feed cut off mid-way yields its complete entries and a note saying it is malformed."""
    body = make_rss([FeedItem(f"T{i}", f"http://example.org/{i}") for i in range(5)])
    parsed = parse_feed_sync(body[: len(body) - 60], url="u", scope="s")
    assert len(parsed.entries) >= 4
    assert "malformed" in parsed.note


def test_binary_garbage_does_not_raise():
    """Random bytes give no entries and a note."""
    parsed = parse_feed_sync(bytes(range(256)) * 50, url="u", scope="s")
    assert parsed.entries == ()
    assert parsed.note


def test_plain_text_drops_bidi_controls_and_folds_space():
    """Invisible direction overrides cannot disguise text in alerts."""
    assert to_plain_text("a\u202eb \n\t c") == "ab c"


def test_canonical_link_refuses_non_http():
    """javascript: and mailto: links are dropped."""
    assert canonical_link("javascript:alert(1)") == ""
    assert canonical_link("/relative", "https://example.org/feed") == "https://example.org/relative"


async def test_async_parse_runs_off_the_loop():
    """The async wrapper returns the same result as the sync parser."""
    body = make_rss([FeedItem("A", "http://example.org/a")])
    parsed = await parse_feed(body, url="u", scope="s")
    assert parsed == parse_feed_sync(body, url="u", scope="s")


def test_every_feed_in_the_feedparser_corpus_parses_without_exception():
    """About 2,100 odd real-world feeds: no exception, and each within a bounded time."""
    count = 0
    slowest = 0.0
    with tarfile.open(CORPUS) as archive:
        for member in archive:
            if not member.isfile() or member.name == "LICENSE":
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            body = io.BytesIO(handle.read()).getvalue()
            started = time.process_time()
            parsed = parse_feed_sync(body, url="http://127.0.0.1/feed", scope="corpus")
            slowest = max(slowest, time.process_time() - started)
            assert isinstance(parsed.note, str)
            count += 1
    assert count > 2000
    assert slowest < 2.0


def test_an_entry_in_an_undeclared_language_is_identified():
    """A feed that names no language (an aggregator mixing them) has each entry's language
    read from its text, so one the classifier does not read can be counted; a declared
    language wins, and a headline too short to tell is left unknown."""
    body = make_rss(
        [
            FeedItem("LinkedIn alkaa käyttää jäsentensä tietoja tekoälyn kouluttamiseen",
                     "http://example.org/fi"),
            FeedItem("Meta, yapay zekâsını Türkiye'deki kullanıcıların paylaşımlarıyla eğitecek",
                     "http://example.org/tr"),
            FeedItem("Meta ends EU pause", "http://example.org/short"),
        ]
    )  # fmt: skip
    undeclared = parse_feed_sync(body, url="http://example.org/feed", scope="f")
    assert [e.language for e in undeclared.entries] == ["fi", "tr", None]
    declared = parse_feed_sync(body, url="http://example.org/feed", scope="f", language="en")
    assert [e.language for e in declared.entries] == ["en", "en", "en"]
