"""Property tests: no input makes the parser or the text helpers raise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing import canonical_link, parse_feed_sync, to_plain_text

RSS_PIECES = st.sampled_from(
    [b"<rss version='2.0'>", b"<channel>", b"<item>", b"<title>", b"</title>", b"<link>",
     b"</link>", b"<guid>", b"</guid>", b"<pubDate>", b"</pubDate>", b"</item>", b"&amp;",
     b"&bogus;", b"<![CDATA[", b"]]>", b"\xff\xfe", b"<feed xmlns='http://www.w3.org/2005/Atom'>",
     b"<entry>", b"</entry>", b"x", b"\x00", "é".encode(), b"<!DOCTYPE x [<!ENTITY a 'b'>]>"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(RSS_PIECES | st.binary(max_size=20), max_size=40))
def test_parser_never_raises(pieces: list[bytes]):
    """Any mix of feed fragments and bytes gives a ParsedFeed, never an exception."""
    parsed = parse_feed_sync(b"".join(pieces), url="http://127.0.0.1/f", scope="p")
    assert all(entry.key for entry in parsed.entries)


@given(st.text())
def test_plain_text_never_keeps_markup_brackets_from_tags(text: str):
    """Tags are stripped and the result has no control characters."""
    result = to_plain_text(f"<p>{text}</p>")
    assert "<p>" not in result
    assert all(ch in "\t" or ord(ch) >= 32 for ch in result if ord(ch) < 127)


@given(st.text(), st.text())
def test_canonical_link_is_empty_or_http(link: str, base: str):
    """A link is either dropped or an absolute http(s) URL."""
    result = canonical_link(link, base)
    assert result == "" or result.startswith(("http://", "https://"))
