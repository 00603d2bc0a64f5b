"""A real-sized regulator news page, clean and broken, for the HTML benchmarks.

Modelled on a Drupal listing such as the Irish DPC's: about 300 KB, most of it chrome (inline
CSS and scripts, a mega-menu of a few hundred links, a footer), and ENTRIES news entries in
`div.view-content article`. The broken copy drops closing tags, misnests inline elements,
leaves attributes unquoted and adds stray end tags, as hand-edited CMS templates do.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

ENTRIES = 20
SELECTORS = {"entries": "div.view-content article", "title": "h2", "link": "h2 a@href",
             "date": "time@datetime", "summary": "p"}  # fmt: skip
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _chrome_head() -> str:
    css = "".join(
        f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i:06x}}}" for i in range(4000)
    )
    script = "".join(f"window.d{i}={{a:{i},b:'{'x' * 20}'}};" for i in range(2500))
    return f"<head><meta charset='utf-8'><title>Latest news</title><style>{css}</style>" \
        f"<script>{script}</script></head>"  # fmt: skip


def _menu(links: int) -> str:
    def sub(i: int) -> str:
        return "".join(f"<li><a href=/en/s{i}/{j}>Page {j}</a></li>" for j in range(4))

    items = "".join(
        f'<li class="menu-item"><a href="/en/section-{i}" class="menu-link">Section {i}</a>'
        f'<ul class="sub">{sub(i)}</ul></li>'
        for i in range(links // 5)
    )
    return f'<header><nav class="main-menu"><ul>{items}</ul></nav></header>'


def _entry(n: int, broken: bool) -> str:
    day = NOW - timedelta(days=n)
    title = f"Data Protection Commission statement number {n} on a platform's AI training"
    summary = (
        f"The DPC has today published statement {n}, about how a large platform proposes to use"
        " people's posts to train its models, and what users can do about it."
    )
    if broken:
        # Unclosed <article> and <p>, a misnested <b>, an unquoted attribute.
        return (
            f"<article class=node--news><h2><a href=/en/news-media/latest-news/item-{n}>"
            f"<b>{title}</a></b></h2><time datetime={day:%Y-%m-%d}T10:00:00Z>{day:%d %B %Y}"
            f"</time><p>{summary}<div class=meta>Press release</div>"
        )
    return (
        f'<article class="node--news"><h2><a href="/en/news-media/latest-news/item-{n}">'
        f'{title}</a></h2><time datetime="{day:%Y-%m-%dT10:00:00Z}">{day:%d %B %Y}</time>'
        f'<p>{summary}</p><div class="meta">Press release</div></article>'
    )


def page(broken: bool = False, entries: int = ENTRIES, chrome: bool = True) -> bytes:
    """The listing page as bytes; `chrome=False` gives the entries alone (for page vs feed)."""
    body = "".join(_entry(n, broken) for n in range(entries))
    listing = f'<div class="view-content">{body}</div>'
    if broken:
        listing += "</div></span></article>"  # stray end tags
    if not chrome:
        return f"<!DOCTYPE html><html><body>{listing}</body></html>".encode()
    footer = "".join(f'<a href="/en/footer/{i}">Footer {i}</a>' for i in range(150))
    return (
        f"<!DOCTYPE html><html lang='en'>{_chrome_head()}<body>{_menu(600)}"
        f"<main><h1>Latest news</h1>{listing}</main><aside>{_menu(60)}</aside>"
        f"<footer>{footer}</footer></body></html>"
    ).encode()


def feed(entries: int = ENTRIES) -> bytes:
    """The same entries as an RSS feed, for the page-vs-feed comparison."""
    items = []
    for n in range(entries):
        day = NOW - timedelta(days=n)
        items.append(
            f"<item><title>Data Protection Commission statement number {n} on a platform's AI"
            f" training</title><link>https://www.dataprotection.ie/en/news-media/latest-news/"
            f"item-{n}</link><description>The DPC has today published statement {n}, about how"
            " a large platform proposes to use people's posts to train its models, and what"
            f" users can do about it.</description><pubDate>{day:%a, %d %b %Y} 10:00:00 +0000"
            "</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>DPC</title>'
        f"{''.join(items)}</channel></rss>"
    ).encode()
