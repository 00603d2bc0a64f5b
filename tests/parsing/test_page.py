"""News pages through their selectors: the same entries as a feed, and breakage in words."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import PageSelectors, Selector
from bot.parsing import parse_page_sync
from tests.servers.feeds import FeedItem, make_rss

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
URL = "https://regulator.example/en/news/"
DESIGN = PageSelectors(
    entries="div.view-content article",
    title=Selector("h2"),
    link=Selector("h2 a", "href"),
    date=Selector("time", "datetime"),
    summary=Selector("p"),
)


def article(href: str, title: str, date: str = "", summary: str = "") -> str:
    time = f'<time datetime="{date}">{date}</time>' if date else ""
    return f'<article><h2><a href="{href}">{title}</a></h2>{time}<p>{summary}</p></article>'


def page(*articles: str, head: str = "") -> bytes:
    body = "".join(articles)
    return (f"<!DOCTYPE html><html lang='en'><head>{head}<title>News</title></head><body>"
            f"<nav><a href='/about'>About</a></nav><div class='view-content'>{body}</div>"
            "</body></html>").encode()  # fmt: skip


def parse(body: bytes, selectors: PageSelectors = DESIGN, **options: str):
    return parse_page_sync(body, url=URL, selectors=selectors, now=NOW, **options)


def test_entries_are_read_like_feed_entries():
    """Title, absolute link, UTC date and summary; the id is the canonical link."""
    item = article("/en/news/meta-ai?utm_source=x", "DPC statement on Meta AI",
                   "2024-06-14T09:00:00+01:00", "Meta paused its plans.")  # fmt: skip
    parsed = parse(page(item))
    (entry,) = parsed.entries
    assert entry.link == "https://regulator.example/en/news/meta-ai"
    assert entry.key == "link:https://regulator.example/en/news/meta-ai"
    assert entry.title == "DPC statement on Meta AI"
    assert entry.summary == "Meta paused its plans."
    assert entry.published == datetime(2024, 6, 14, 8, 0, tzinfo=UTC)
    assert entry.language == "en"
    assert parsed.note == ""
    assert parsed.title == "News"


def test_relative_links_resolve_against_the_page_and_its_base():
    """ "item-2", "../x" and a <base href> give the addresses a browser would open."""
    parsed = parse(page(article("item-2", "Two"), article("../press/3", "Three")))
    assert [e.link for e in parsed.entries] == [
        "https://regulator.example/en/news/item-2",
        "https://regulator.example/en/press/3",
    ]
    based = parse(page(article("item-2", "Two"), head="<base href='https://cdn.example/a/'>"))
    assert based.entries[0].link == "https://cdn.example/a/item-2"


def test_javascript_links_are_dropped_with_a_note():
    """An entry whose link is javascript: or mailto: is not an address; the note counts them."""
    parsed = parse(page(article("javascript:void(0)", "Open"), article("mailto:a@b.org", "Mail"),
                        article("/ok", "Kept")))  # fmt: skip
    assert [e.title for e in parsed.entries] == ["Kept"]
    assert "dropped 2 entries whose link is not a web address" in parsed.note


def test_selectors_matching_nothing_say_the_layout_changed():
    """No entry matched: no entries and the note names the selector (a failure, not a quiet
    week)."""
    parsed = parse(page(), PageSelectors(entries="div.view-content article"))
    assert parsed.entries == ()
    assert parsed.note == "the page layout changed: no entries matched `div.view-content article`"


def test_entries_without_any_usable_link_also_fail_loudly():
    """Entries that match but whose links all went are a layout change, not an empty page."""
    parsed = parse(page("<article><h2>No link</h2></article>"))
    assert parsed.entries == ()
    assert parsed.note.startswith("the page layout changed: 1 entries matched")


def test_an_undated_entry_has_no_date_and_the_title_defaults_to_its_link_text():
    """Without a date selector the entry is undated (the pipeline dates it when first seen)."""
    parsed = parse(page(article("/a", "  Statement \n on  X ")), PageSelectors(entries="article"))
    (entry,) = parsed.entries
    assert entry.published is None
    assert entry.title == "Statement on X"


def test_one_statement_listed_twice_is_one_entry():
    """A teaser and a list item for the same link make one entry."""
    parsed = parse(page(article("/a", "A"), article("/a?utm_medium=t", "A again")))
    assert len(parsed.entries) == 1


def test_an_attribute_of_the_entry_itself_is_read():
    """`@data-date` reads the entry element; an entry that is itself a link is its own link."""
    body = page('<a class="card" href="/x" data-date="2025-11-03">Card title</a>')
    selectors = PageSelectors(entries="a.card", date=Selector("", "data-date"))
    (entry,) = parse(body, selectors).entries
    assert (entry.link, entry.title) == ("https://regulator.example/x", "Card title")
    assert entry.published == datetime(2025, 11, 3, tzinfo=UTC)


def test_dates_are_read_in_the_sources_language():
    """A date printed in French on a French page is read with the source's language."""
    body = page('<article><h2><a href="/a">A</a></h2><span class="d">20 septembre 2024</span>'
                "</article>")  # fmt: skip
    selectors = PageSelectors(entries="article", date=Selector("span.d"))
    (entry,) = parse(body, selectors, language="fr").entries
    assert entry.published == datetime(2024, 9, 20, tzinfo=UTC)


def test_broken_markup_is_read_as_a_browser_would():
    """Unclosed articles and paragraphs still give one entry each, texts not run together."""
    body = (b"<div class=view-content><article><h2><a href=/a>First</a></h2><p>One"
            b"<article><h2><a href=/b>Second</h2><p>Two</div></span>")  # fmt: skip
    parsed = parse(body, PageSelectors(entries="article", title=Selector("h2"),
                                       summary=Selector("p")))  # fmt: skip
    assert [(e.title, e.summary) for e in parsed.entries] == [("First", "One"), ("Second", "Two")]


def test_a_page_in_the_wrong_encoding_is_read_with_a_note():
    """Windows-1252 bytes labelled UTF-8 give the right letters and say what was wrong."""
    body = page(article("/a", "Données personnelles"))
    wrong = body.decode().encode("windows-1252")
    parsed = parse(wrong, content_type="text/html; charset=utf-8")
    assert parsed.entries[0].title == "Données personnelles"
    assert "says it is utf-8 but is not valid utf-8; read it as windows-1252" in parsed.note


def test_the_meta_charset_is_honoured():
    """A page declaring ISO-8859-15 in a meta tag is decoded with it."""
    body = page(article("/a", "Ceci coûte 5 €"), head='<meta charset="iso-8859-15">')
    parsed = parse(body.decode().encode("iso-8859-15"))
    assert parsed.entries[0].title == "Ceci coûte 5 €"
    assert parsed.note == ""


def test_a_page_that_is_a_feed_after_all_is_read_as_a_feed():
    """RSS at a page source's URL gives its entries, with a note saying so."""
    body = make_rss([FeedItem("Feed item", "https://regulator.example/f/1")])
    parsed = parse(body)
    assert [e.title for e in parsed.entries] == ["Feed item"]
    assert "this page is a feed after all" in parsed.note


def test_a_login_page_after_a_redirect_is_named():
    """Redirected to a sign-in form: the note says so and gives the address."""
    body = b"<html><body><form><input name=user><input type=password></form></body></html>"
    parsed = parse(body, final_url="https://regulator.example/login?next=/en/news/")
    assert parsed.entries == ()
    assert parsed.note.startswith(
        "the page redirected to a login page (https://regulator.example/login?next=/en/news/)"
    )


def test_scripts_inside_an_entry_are_not_its_text():
    """Inline script and style text never reaches a title."""
    body = page('<article><h2><a href="/a">Title<script>var x = 1;</script></a></h2></article>')
    assert parse(body).entries[0].title == "Title"


def test_an_empty_answer_is_said_so():
    """An empty body is a failure with its own words."""
    parsed = parse(b"  ")
    assert parsed.entries == ()
    assert parsed.note == "the server sent an empty response"
