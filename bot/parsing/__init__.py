"""Parsing: feed and page bytes -> normalised entries and a health note. Never fetches,
never raises on bad input."""

from bot.parsing.page import parse_page, parse_page_sync
from bot.parsing.parser import parse_feed, parse_feed_sync
from bot.parsing.text import canonical_link, to_plain_text

__all__ = [
    "canonical_link",
    "parse_feed",
    "parse_feed_sync",
    "parse_page",
    "parse_page_sync",
    "to_plain_text",
]
