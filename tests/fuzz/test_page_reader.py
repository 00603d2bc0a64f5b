"""Fuzzing the page reader: generated pages and selectors, page encodings and dates, and the
feedparser corpus (cut short and bit-flipped) read as pages."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from bot.models import PageSelectors, Selector
from bot.parsing import parse_page_sync
from bot.parsing.dates import parse_date
from bot.parsing.encoding import decode_page
from bot.parsing.selectors import read_selector, selector_problem
from tests.fuzz.budget import SCALE, SEED, fuzz_settings
from tests.fuzz.checks import problems_in
from tests.fuzz.corpus import corpus_files, mutated_corpus

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
URL = "https://regulator.example/en/news/"
# Labels a page or its server may name, including codecs that are no text encoding.
CHARSETS = ["utf-8", "utf-16", "utf-16-be", "utf-32", "windows-1252", "iso-8859-1", "ascii",
            "shift_jis", "euc-kr", "big5", "koi8-r", "utf-7", "idna", "punycode", "base64",
            "hex", "rot13", "zip", "uu", "bz2", "quopri", "unicode_escape", "undefined", "bogus",
            ""]  # fmt: skip
LANGUAGES = [None, "en", "fr", "de", "ja", "xx"]  # the feeds file allows two letters
# The selector sets of config/feeds.yaml's pages, and some of feeds.
CONFIGURED = [
    PageSelectors("div.view-content article", Selector("h2"), Selector("h2 a", "href"),
                  Selector("time", "datetime"), Selector("p")),
    PageSelectors("a.card", Selector(".card__title"), Selector("", "href"),
                  Selector(".meta-info__item:last-child"), Selector(".card__text")),
    PageSelectors("table.board_list tbody tr", Selector("td.subject a"),
                  Selector("td.subject a", "href"), Selector("td.date")),
    PageSelectors("item, entry", Selector("title"), Selector("link, a", "href"),
                  Selector("pubDate, updated, published"), Selector("description, summary")),
]  # fmt: skip
TEXT = st.lists(
    st.sampled_from(["News", " ", "é", "<", "&amp;", "&#0;", "\x00", "\u202e", "2024-01-05",
                     "20 septembre 2024", "vor 2 Tagen", "3. November 2025", "yesterday",
                     "31/02/2024", "99999", "Mon, 01 Jan 2024", "\n"]) | st.characters(),
    max_size=12,
).map("".join)  # fmt: skip
LINKS = st.sampled_from(["/en/news/a", "news/b?utm_source=x", "https://other.example/c",
                         "javascript:alert(1)", "mailto:a@b", "#top", "", " ", "//x", "http://",
                         "http://[::1", "http://a b/", "https://example.org:99999/",
                         "/a\x00b", "data:text/html,x", "HTTP://EXAMPLE.ORG/A"]) | TEXT  # fmt: skip


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;")


HEADS = st.sampled_from(["", '<base href="https://elsewhere.example/x/">', '<base href="::">',
                        '<base href="http://[::1">', "<script>var a = '<article>';</script>",
                        "<!-- <article> -->", '<input type="password">'])  # fmt: skip


@st.composite
def pages(draw: st.DrawFn) -> bytes:
    """A listing of articles as CMSs write them, well- or ill-formed."""
    articles = []
    for _ in range(draw(st.integers(0, 5))):
        link, title, date, summary = draw(LINKS), draw(TEXT), draw(TEXT), draw(TEXT)
        close = draw(st.sampled_from(["</a>", "", "</h2>"]))
        articles.append(
            f'<article class="card"><h2><a class="card" href="{_attribute(link)}">{title}{close}'
            f'</h2><time datetime="{_attribute(date)}">{date}</time><p>{summary}</p>'
            f'<span class="meta-info__item">{date}</span></article>'
            f'<tr><td class="subject"><a href="{_attribute(link)}">{title}</a></td>'
            f'<td class="date">{date}</td></tr>'
        )
    charset = draw(st.sampled_from(CHARSETS))
    meta = f'<meta charset="{charset}">' if draw(st.booleans()) else ""
    head = meta + draw(HEADS)
    lang = _attribute(draw(st.sampled_from(["en", "fr-CA", "", "x", "日本"])))
    html = (f"<!DOCTYPE html><html lang='{lang}'><head>{head}<title>{draw(TEXT)}</title></head>"
            f"<body><div class='view-content'><table class='board_list'><tbody>"
            f"{''.join(articles)}</tbody></table></div></body></html>")  # fmt: skip
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "shift_jis"]))
    return html.encode(encoding, errors="replace")


SIMPLE = st.sampled_from(["a", "h2", "p", "time", "article", "td", "*", ".card", "#x",
                          "[href]", '[href^="http"]', "a:not(.card)", "li:nth-child(2n+1)",
                          ":first-child", "tr:last-child", "div:has(a)", "html", ":root",
                          "a:empty", "p:lang(en)", "td.subject a"])  # fmt: skip
# Combinations the feeds file accepts (it compiles each at start-up, bot.settings.pages).
SELECTORS = (
    st.lists(SIMPLE, min_size=1, max_size=3)
    .flatmap(lambda parts: st.sampled_from([" ", " > ", ", ", " + ", " ~ "]).map(
        lambda joiner: joiner.join(parts)))
    .filter(lambda css: selector_problem(css) is None)
)  # fmt: skip


@st.composite
def selector_sets(draw: st.DrawFn) -> PageSelectors:
    if draw(st.booleans()):
        return draw(st.sampled_from(CONFIGURED))

    def optional(attribute: str | None = None) -> Selector | None:
        css = draw(st.none() | SELECTORS | st.just(""))
        return None if css is None else Selector(css, attribute)

    return PageSelectors(
        entries=draw(SELECTORS),
        title=optional(),
        link=Selector(draw(SELECTORS | st.just("")), draw(st.sampled_from(["href", "src", None]))),
        date=optional(draw(st.sampled_from(["datetime", None]))),
        summary=optional(),
    )


@fuzz_settings(200)
@given(pages(), selector_sets(), st.sampled_from(CHARSETS), st.sampled_from(LANGUAGES),
       st.sampled_from([None, URL, "https://regulator.example/login", "not a url"]))  # fmt: skip
# A charset that is a codec but no text encoding: LookupError
@example(b"<p>x</p>", CONFIGURED[0], "base64", None, None)
# punycode, whose errors are a plain UnicodeError, not a UnicodeDecodeError
@example(b"<p>'</p>", CONFIGURED[0], "punycode", None, None)
# Python's escapes: "\<" was a DeprecationWarning (an error under pytest), "\u00e9" read as é
@example(b"<title>\\</title>", CONFIGURED[0], "unicode_escape", None, None)
# A base URL urljoin cannot read: ValueError
@example(b'<base href="http://[::1"><article><h2><a href="/a">A</a></h2></article>',
         CONFIGURED[0], "utf-8", None, None)  # fmt: skip
def test_a_generated_page_reads_into_well_formed_entries(
    body: bytes, selectors: PageSelectors, charset: str, language: str | None, final_url: str | None
):
    """Broken markup, odd links, dates and encodings, any selectors: well-formed entries,
    or none and a note; never an exception."""
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    parsed = parse_page_sync(body, url=URL, selectors=selectors, now=NOW, scope="fuzz",
                             final_url=final_url, content_type=content_type,
                             language=language)  # fmt: skip
    assert problems_in(parsed, now=NOW) == []


CSS_TEXT = st.lists(
    st.sampled_from(["a", "h2", " ", ".", "#", "*", ">", "+", "~", ",", ":", "::", "(", ")",
                     "[", "]", "=", '"', "'", "^", "$", "|", "\\", "@", "href", "not", "has",
                     "nth-child", "2n+1", "-", "lang", "is", "where", "\x00", "é", "/", "!"])
    | st.characters(),
    max_size=12,
).map("".join)  # fmt: skip
FIXTURE = (  # one fixed page for the selector fuzz
    b"<!DOCTYPE html><html lang='en'><body><div class='view-content'><article class='card'>"
    b"<h2><a href='/a'>A</a></h2><time datetime='2024-01-05'>5 Jan</time><p>S</p></article>"
    b"</div></body></html>"
)


@fuzz_settings(300)
@given(CSS_TEXT, st.sampled_from(["entries", "title", "link", "date", "summary"]))
# A lone surrogate (`aiwatch try-source --page-entries` with a byte that is not UTF-8, which
# argv keeps as one): UnicodeEncodeError from selectolax
@example("\ud800", "entries")
def test_a_selector_the_config_accepts_is_one_the_page_reader_can_run(text: str, field: str):
    """What the feeds file's check lets through (bot.settings.pages) never fails later, on
    a real page, whichever field it is in."""
    selector = read_selector(text)
    if not selector.css or selector_problem(selector.css) is not None:
        return
    fields = {"entries": "article", "link": Selector("a", "href")}
    if field == "entries":
        fields["entries"] = selector.css
    else:
        fields[field] = selector
    selectors = PageSelectors(**fields)  # type: ignore[arg-type]
    parsed = parse_page_sync(FIXTURE, url=URL, selectors=selectors, now=NOW)
    assert problems_in(parsed, now=NOW) == []


@fuzz_settings(300)
@given(st.binary(max_size=300) | pages(), st.sampled_from(CHARSETS),
       st.sampled_from(CHARSETS))  # fmt: skip
@example(b"", "base64", "utf-8")
@example(b"'", "punycode", "")
@example(b"x", "undefined", "")  # a codec whose every decoding is a plain UnicodeError
def test_a_page_in_any_encoding_decodes_to_text(body: bytes, header: str, meta: str):
    """Whatever the HTTP charset and the `<meta charset>` claim, the page is text."""
    body = (f'<meta charset="{meta}">'.encode() if meta else b"") + body
    text, note = decode_page(body, f"text/html; charset={header}" if header else "text/html")
    assert isinstance(text, str)
    assert isinstance(note, str)


DATE_TEXT = st.lists(
    st.sampled_from(["2024", "-", "01", "13", "31", "02-30", "T", "25:61", "Z", "+14:00",
                     "+99:99", "September", "septembre", "März", "1月", "ago", "vor", "2",
                     "Tagen", "days", "hier", "yesterday", "in", "999999999", "0000", " ",
                     ".", "/", ",", "AM", "PM", "UTC", "GMT+25", "\x00", "9" * 30])
    | st.characters(),
    max_size=8,
).map("".join)  # fmt: skip


@fuzz_settings(200)
@given(DATE_TEXT, st.sampled_from(LANGUAGES))
def test_a_date_as_pages_print_it_is_a_true_moment_or_none(text: str, language: str | None):
    """dateparser in any language on any text: a UTC moment between 1995 and `now` (plus
    two days), or None."""
    moment = parse_date(text, language, NOW)
    assert moment is None or (moment.tzinfo is not None and
                              datetime(1995, 1, 1, tzinfo=UTC) <= moment)  # fmt: skip


def test_the_corpus_cut_short_and_bit_flipped_reads_as_pages_without_exception():
    """Every corpus file, mutated as in the feed parser's test, read as a page (as served,
    and behind an HTML doctype so that it is not handed to the feed parser) through each
    configured selector set in turn: well-formed entries or a note, never an exception."""
    failures = []
    count = 0
    for index, (name, mutation, body) in enumerate(mutated_corpus(SEED + 1, SCALE)):
        selectors = CONFIGURED[index % len(CONFIGURED)]
        charset = CHARSETS[index % len(CHARSETS)]
        for page in (body, b"<!DOCTYPE html>" + body):
            try:
                parsed = parse_page_sync(page, url=URL, selectors=selectors, now=NOW,
                                         content_type=f"text/html; charset={charset}")  # fmt: skip
                found = problems_in(parsed, now=NOW)
            except Exception as exc:  # collected, to list every failing mutation
                found = [f"raised {exc!r}"]
            if found:
                failures.append(f"{name} {mutation} {charset!r} {selectors}: {found[:2]}")
            count += 1
    assert count == 2 * len(corpus_files()) * SCALE
    assert failures == [], "\n".join(failures[:20])
