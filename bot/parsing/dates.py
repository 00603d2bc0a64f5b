"""Dates as news pages print them, in the source's language, to UTC.

ISO dates and `datetime` attributes are read directly. Everything else ("20 septembre
2024", "3. November 2025", "vor 2 Tagen") goes to dateparser, a maintained library with
month names and relative phrases for 200 locales, rather than month tables of our own.
dateparser takes about 0.1 s to import and 30-200 ms to load a language's data the first
time, so it is imported on first use, which is inside the parser's worker thread, never on
the event loop; `make bench` measures both.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)  # time zones, and sites that date a statement for tomorrow
_NUMERIC = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$")
_lock = threading.Lock()
_dateparser: ModuleType | None = None


def parse_date(text: str, language: str | None, now: datetime) -> datetime | None:
    """The moment `text` names, in UTC, or None when it names none that can be true (before
    1995, or days ahead of `now`). Relative phrases count back from `now`."""
    text = " ".join(text.split())
    if not text or len(text) > 200:
        return None
    moment = _iso(text) or _natural(text, language, now)
    if moment is None or moment < EARLIEST or moment > now + FUTURE_SLACK:
        return None
    return moment


def _iso(text: str) -> datetime | None:
    if not _NUMERIC.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _natural(text: str, language: str | None, now: datetime) -> datetime | None:
    parser = _load()
    settings: dict[str, Any] = {
        "RELATIVE_BASE": now.astimezone(UTC).replace(tzinfo=None),
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
    }
    languages = [language] if language else None
    try:
        found = parser.parse(text, languages=languages, settings=settings)
        if found is None:  # "Published 20 September 2024 | Press release": find it inside
            hits = parser.search.search_dates(text, languages=languages, settings=settings)
            found = hits[0][1] if hits else None
    except (ValueError, OverflowError, LookupError):
        return None  # an unknown language code, or a date dateparser cannot represent
    if not isinstance(found, datetime):
        return None
    return found.astimezone(UTC)


def _load() -> Any:
    """dateparser, imported once, by whichever worker thread needs it first."""
    global _dateparser
    with _lock:
        if _dateparser is None:
            import dateparser
            import dateparser.search

            _dateparser = dateparser
    return _dateparser
