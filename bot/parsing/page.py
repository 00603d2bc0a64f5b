"""A news page's HTML to the same normalised entries a feed gives, through its CSS selectors.

selectolax (Lexbor, an HTML5 parser in C) was chosen with `make bench`: on a 330 KB page of
20 entries it parses and extracts in about 1 ms against 2 ms for lxml and 40-60 ms for
BeautifulSoup, and it reads broken markup as a browser does (bench/html_libraries.py).

An entry's id is its canonical link, so the same statement read from a page and from a feed
or a news site is one item. A page whose selectors match nothing is a failure, "the page
layout changed", never a quiet week; the pipeline reports it as it reports a dead feed.
Never raises on bad input.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.models import Entry, PageSelectors, ParsedFeed, Selector
from bot.parsing.dates import parse_date
from bot.parsing.encoding import decode_page
from bot.parsing.parser import MAX_ENTRIES, parse_feed_sync
from bot.parsing.text import canonical_link, fold_text

_HIDDEN = ["script", "style", "template", "noscript"]
_NOT_WEB = ("javascript:", "mailto:", "tel:", "data:", "#")
_LOGIN = re.compile(r"log-?in|sign-?in|signon|auth|sso|/account|session", re.IGNORECASE)
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:rdf)\b",
    re.IGNORECASE | re.DOTALL,
)


async def parse_page(
    body: bytes, *, url: str, selectors: PageSelectors, now: datetime, **options: str | None
) -> ParsedFeed:
    """parse_page_sync in a worker thread: dates may load dateparser, which is slow."""
    return await asyncio.to_thread(
        parse_page_sync, body, url=url, selectors=selectors, now=now, **options
    )


def parse_page_sync(
    body: bytes,
    *,
    url: str,
    selectors: PageSelectors,
    now: datetime,
    scope: str | None = None,
    final_url: str | None = None,
    content_type: str | None = None,
    language: str | None = None,
) -> ParsedFeed:
    """Entries read from `body`, the page at `url` (reached at `final_url` after redirects)."""
    if _FEED_START.match(body[:2048]):
        parsed = parse_feed_sync(body, url=url, scope=scope or url,
                                 content_type=content_type or "", language=language)  # fmt: skip
        note = "this page is a feed after all (RSS or Atom): read it as a feed"
        return ParsedFeed(parsed.entries, _join(note, parsed.note), parsed.title)
    if not body.strip():
        return ParsedFeed((), note="the server sent an empty response")
    text, encoding_note = decode_page(body, content_type or "")
    tree = LexborHTMLParser(text)
    tree.strip_tags(_HIDDEN)
    here = final_url or url
    base = _base(tree, here)
    nodes = tree.css(selectors.entries)
    if not nodes:
        return ParsedFeed((), note=_nothing_matched(tree, selectors, url, here))
    language = language or _page_language(tree)
    entries: list[Entry] = []
    dropped: Counter[str] = Counter()
    links: set[str] = set()
    for node in nodes[:MAX_ENTRIES]:
        entry = _entry(node, selectors, base, language, now)
        if isinstance(entry, str):
            dropped[entry] += 1
        elif entry.link not in links:  # a teaser and a list item for one statement
            links.add(entry.link)
            entries.append(entry)
    notes = [encoding_note, *(_dropped(reason, n) for reason, n in sorted(dropped.items()))]
    if len(nodes) > MAX_ENTRIES:
        notes.append(f"the page lists {len(nodes)} entries; only the first {MAX_ENTRIES} were read")
    if not entries:
        notes.insert(0, _no_links(len(nodes), selectors))
    title = tree.css_first("title")
    return ParsedFeed(tuple(entries), _join(*notes), _text(title)[:200] if title else "")


def _entry(
    node: LexborNode, selectors: PageSelectors, base: str, language: str | None, now: datetime
) -> Entry | str:
    """The entry, or why it was dropped (a key for _dropped)."""
    link_node = _select(node, selectors.link.css)
    raw = (link_node.attributes.get(selectors.link.attribute or "href") or "") if link_node else ""
    raw = raw.strip()
    if not raw:
        return "no link"
    if raw.lower().startswith(_NOT_WEB):
        return "not a web link"
    link = canonical_link(raw, base)
    if not link:
        return "not a web link"
    title = _read(node, selectors.title) if selectors.title else ""
    title = title or (_text(link_node) if link_node else "") or _text(node)[:120]
    summary = _read(node, selectors.summary) if selectors.summary else ""
    date_text = _read(node, selectors.date) if selectors.date else ""
    return Entry(
        key=f"link:{link}",
        link=link,
        title=title or link,
        summary=summary if summary != title else "",
        published=parse_date(date_text, language, now) if date_text else None,
        language=language,
    )


def _select(node: LexborNode, css: str) -> LexborNode | None:
    """The first match inside the entry; the entry itself when it matches (an `a` entry
    with `link: a@href`) or when the selector is empty (`@datetime`)."""
    if not css:
        return node
    found = node.css_first(css)
    if found is None and node.css_matches(css):
        return node
    return found


def _read(node: LexborNode, selector: Selector) -> str:
    found = _select(node, selector.css)
    if found is None:
        return ""
    if selector.attribute:
        return fold_text(found.attributes.get(selector.attribute) or "")
    return _text(found)


def _text(node: LexborNode) -> str:
    return fold_text(node.text(separator=" ", strip=True))


def _base(tree: LexborHTMLParser, here: str) -> str:
    tag = tree.css_first("base[href]")
    href = (tag.attributes.get("href") or "").strip() if tag else ""
    try:
        return urljoin(here, href) if href else here
    except ValueError:  # `<base href="http://[::1">`: browsers ignore a base they cannot read
        return here


def _page_language(tree: LexborHTMLParser) -> str | None:
    html = tree.css_first("html")
    code = ((html.attributes.get("lang") or "") if html else "").strip().lower()[:2]
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def _nothing_matched(tree: LexborHTMLParser, selectors: PageSelectors, url: str, here: str) -> str:
    login_form = tree.css_first("input[type=password]") is not None
    moved = urlsplit(here)[:3] != urlsplit(url)[:3]
    if moved and (login_form or _LOGIN.search(urlsplit(here).path)):
        return (f"the page redirected to a login page ({here}): the news listing may have"
                " moved or now need an account; check the URL")  # fmt: skip
    if login_form:
        return "the server sent a login page instead of the news listing; check the URL"
    return f"the page layout changed: no entries matched `{selectors.entries}`"


def _no_links(matched: int, selectors: PageSelectors) -> str:
    return (
        f"the page layout changed: {matched} entries matched `{selectors.entries}`"
        f" but none had a usable link (`{selectors.link}`)"
    )


def _dropped(reason: str, count: int) -> str:
    if reason == "not a web link":
        return f"dropped {count} entries whose link is not a web address (javascript:, mailto:)"
    return f"dropped {count} entries without a link"


def _join(*notes: str) -> str:
    return "; ".join(note for note in notes if note)
