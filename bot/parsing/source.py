"""One source's body to entries: a feed through feedparser, a page through its selectors.

The pipeline and `aiwatch try-source` both read sources through here, so what the operator
tries is what the bot will read.
"""

from __future__ import annotations

from datetime import datetime

from bot.models import Feed, ParsedFeed
from bot.parsing.page import parse_page
from bot.parsing.parser import parse_feed


async def parse_source(
    feed: Feed, body: bytes, *, now: datetime, content_type: str, final_url: str | None
) -> ParsedFeed:
    """Off the event loop, in a worker thread, whichever kind `feed` is."""
    if feed.page is None:
        return await parse_feed(body, url=feed.url, scope=feed.id, content_type=content_type,
                                language=feed.language)  # fmt: skip
    return await parse_page(body, url=feed.url, selectors=feed.page, now=now, scope=feed.id,
                            final_url=final_url, content_type=content_type,
                            language=feed.language)  # fmt: skip
