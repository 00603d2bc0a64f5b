"""News pages for the loopback server: the DESIGN.md example's layout, filled with items."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from bot.models import PageSelectors, Selector
from tests.servers.feeds import FeedItem

SELECTORS = PageSelectors(
    entries="div.view-content article",
    title=Selector("h2"),
    link=Selector("h2 a", "href"),
    date=Selector("time", "datetime"),
    summary=Selector("p"),
)
PAGE_YAML = {"entries": "div.view-content article", "title": "h2", "link": "h2 a@href",
             "date": "time@datetime", "summary": "p"}  # fmt: skip


def make_page(items: Iterable[FeedItem], *, padding: int = 0) -> bytes:
    """A listing page; `padding` bytes of menu markup before it make a page of any size."""
    articles = []
    for item in items:
        when = item.published.isoformat() if item.published else ""
        date = f'<time datetime="{when}">{when}</time>' if when else ""
        articles.append(
            f'<article><h2><a href="{escape(item.link)}">{escape(item.title)}</a></h2>'
            f"{date}<p>{escape(item.summary)}</p></article>"
        )
    menu = "<nav>" + "<a href='/menu'>menu</a>" * (padding // 25) + "</nav>"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>News</title></head>"
        f"<body>{menu}<div class='view-content'>{''.join(articles)}</div></body></html>"
    ).encode()
