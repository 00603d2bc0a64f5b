"""Fuzzing the feed parser: generated feeds, and the feedparser corpus cut and bit-flipped."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bot.parsing import canonical_link, parse_feed_sync
from bot.parsing.language import detect
from tests.fuzz.budget import SCALE, SEED, fuzz_settings
from tests.fuzz.checks import problems_in
from tests.fuzz.corpus import corpus_files, mutated_corpus

# What servers send as Content-Type, including charsets that are no text encoding.
CONTENT_TYPES = ["", "application/rss+xml", "text/html", "text/xml; charset=utf-16",
                 "application/xml; charset=base64", "text/xml; charset=bogus",
                 "text/plain; charset=iso-8859-1",
                 "application/atom+xml; charset=utf-8"]  # fmt: skip
ODD_TEXT = st.lists(
    st.sampled_from(["a", "é", " ", "<", ">", "&", ";", "&amp;", "&#0;", "&#x110000;", "<b>",
                     "</b>", "<script>", "]]>", "\x00", "\x1b", "\u202e", "\ud7ff", "\n", ":",
                     "http://", "//", "#", "?utm_source=x", "%", "\\", '"', "'"])
    | st.characters(),
    max_size=30,
).map("".join)  # fmt: skip
DATES = st.sampled_from(
    ["Mon, 01 Jan 2024 10:00:00 GMT", "2024-02-30T00:00:00Z", "Tue, 31 Dec 99999 00:00 GMT",
     "0000-00-00", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59+14:00", "yesterday", "",
     "Sat, 29 Feb 1800 00:00:00 -2400", "2024-13-45"]
) | ODD_TEXT  # fmt: skip


def _xml(text: str) -> str:
    """Text as it may appear in a feed: usually escaped, sometimes raw or in CDATA."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    atom = draw(st.booleans())
    items = []
    for _ in range(draw(st.integers(0, 4))):
        title, link, guid, summary, date = (draw(ODD_TEXT), draw(ODD_TEXT), draw(ODD_TEXT),
                                            draw(ODD_TEXT), draw(DATES))  # fmt: skip
        raw = draw(st.booleans())
        text = (lambda value: value) if raw else _xml
        if atom:
            items.append(f"<entry><title>{text(title)}</title><link href='{_xml(link)}'/>"
                         f"<id>{text(guid)}</id><summary type='html'>{text(summary)}</summary>"
                         f"<updated>{text(date)}</updated></entry>")  # fmt: skip
        else:
            items.append(f"<item><title>{text(title)}</title><link>{text(link)}</link>"
                         f"<guid>{text(guid)}</guid><description><![CDATA[{summary}]]>"
                         f"</description><pubDate>{text(date)}</pubDate></item>")  # fmt: skip
    language = _xml(draw(st.sampled_from(["en", "fr-FR", "", "xx", "12"]) | ODD_TEXT))
    if atom:
        body = (f"<feed xmlns='http://www.w3.org/2005/Atom' xml:lang='{language}'>"
                f"<title>{draw(ODD_TEXT)}</title>{''.join(items)}</feed>")  # fmt: skip
    else:
        title = _xml(draw(ODD_TEXT))
        body = (f"<rss version='2.0'><channel><language>{language}</language>"
                f"<title>{title}</title>{''.join(items)}</channel></rss>")  # fmt: skip
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
    declared = draw(st.sampled_from([encoding, "utf-8", "bogus", ""]))
    head = f"<?xml version='1.0' encoding='{declared}'?>" if declared else ""
    return (head + body).encode(encoding, errors="replace")


def _rss(item: str, language: str = "en") -> bytes:
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><language>"
            f"{language}</language><title></title><item>{item}</item>"
            "</channel></rss>").encode()  # fmt: skip


@fuzz_settings(200)
@given(feeds(), st.sampled_from(CONTENT_TYPES), st.sampled_from([None, "en", "de"]))
# A NUL in a link was kept in it, and in the title made of it
@example(_rss("<title></title><link>a&#0;</link>"), "", None)
# A feed language of two letters not ASCII ("aÀ") was taken for a language code
@example(_rss("<title>T</title><link>a</link>", language="a\u00c0"), "", None)
def test_a_generated_feed_parses_into_well_formed_entries(
    body: bytes, content_type: str, language: str | None
):
    """Odd titles, links, ids, dates, encodings and languages: entries that can be stored
    and shown, or none and a note; never an exception."""
    parsed = parse_feed_sync(body, url="http://127.0.0.1/f", scope="fuzz",
                             content_type=content_type, language=language)  # fmt: skip
    assert problems_in(parsed) == []


def test_the_corpus_cut_short_and_bit_flipped_parses_without_exception():
    """Every feed of the corpus (about 2,100), cut at a random byte two times in three and
    with one to eight bytes changed, SCALE rounds from SEED: each gives well-formed entries
    or a note. Failures are listed with the mutation that caused them."""
    failures = []
    count = 0
    for index, (name, mutation, body) in enumerate(mutated_corpus(SEED, SCALE)):
        content_type = CONTENT_TYPES[index % len(CONTENT_TYPES)]
        try:
            parsed = parse_feed_sync(body, url="http://127.0.0.1/feed", scope="corpus",
                                     content_type=content_type)  # fmt: skip
            found = problems_in(parsed)
        except Exception as exc:  # collected, to list every failing mutation
            found = [f"raised {exc!r}"]
        if found:
            failures.append(f"{name} {mutation} {content_type!r}: {found[:2]}")
        count += 1
    assert count == len(corpus_files()) * SCALE > 2000
    assert failures == [], "\n".join(failures[:20])


URL_PIECES = st.lists(
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "//", "example.org", "[::1]",
                     "[::1", ":", "8080", "99999", "/", "a", "?", "=", "&", "#", "%", "%00",
                     "utm_source=x", " ", "\t", "\n", "\x00", "\x7f", "\u00a0", "\u2028", "é",
                     "@", "..", "\\"]) | st.characters(),
    max_size=12,
).map("".join)  # fmt: skip


@fuzz_settings(500)
@given(URL_PIECES, st.sampled_from(["", "http://127.0.0.1/feed", "https://a.example/x/y?z"]))
@example("http://\x00", "")  # was "http://\x00/"
@example("/en/news/\u202e", "https://regulator.example/")  # a bidi override, kept as it was
def test_a_canonical_link_is_one_a_chat_app_can_open(link: str, base: str):
    """An absolute http(s) URL with no spaces or control characters in it (which make a
    chat app refuse the message or cut the link short), or '' when unusable."""
    result = canonical_link(link, base)
    assert result == "" or result.startswith(("http://", "https://"))
    assert not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in result)


def test_base64_in_an_entry_is_no_language():
    """langid calls non-text "zxx" (no linguistic content); it was stored as the entry's
    language and counted as one more language not understood (found by the corpus fuzz:
    wellformed/base/http_entry_summary_base64_base_docuri.xml, bytes flipped)."""
    text = "PGRpdj48YSBocmVm\u00feSIvcmVsYXRpdmUvdXJpIj5jbEljayBoZXJlPC9hPjwvZGl2Pg=="
    assert detect(text) is None
    parsed = parse_feed_sync(_rss(f"<title>{text}</title>", language=""), url="http://a/",
                             scope="s")  # fmt: skip
    assert [entry.language for entry in parsed.entries] == [None]
