"""Feeds: polite fetching and scheduling. Never parses."""

from bot.feeds.fetcher import Fetcher, FetchResult, create_session

__all__ = ["FetchResult", "Fetcher", "create_session"]
