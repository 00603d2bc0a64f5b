"""Parsing: feed bytes -> normalised entries and a health note. Never fetches, never raises."""

from bot.parsing.parser import parse_feed, parse_feed_sync
from bot.parsing.text import canonical_link, to_plain_text

__all__ = ["canonical_link", "parse_feed", "parse_feed_sync", "to_plain_text"]
