"""What every parse must give, whatever the input: well-formed entries and a note in words."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.models import ParsedFeed

EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
# ISO 639-1, or 639-3 for the few languages langid names only so (yue); never zxx, which
# is "no language".
_LANGUAGE = re.compile(r"^(?!zxx$)[a-z]{2,3}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def problems_in(parsed: object, *, now: datetime | None = None) -> list[str]:
    """What is wrong with a parse result; empty when it is a ParsedFeed whose every entry
    can be stored and shown (`now`: dates may not lie days ahead of it)."""
    if not isinstance(parsed, ParsedFeed):
        return [f"not a ParsedFeed: {parsed!r}"]
    found = []
    if not isinstance(parsed.note, str) or not isinstance(parsed.title, str):
        found.append(f"note or title is not text: {parsed.note!r}, {parsed.title!r}")
    for entry in parsed.entries:
        if not entry.key:
            found.append("an entry without a key")
        if entry.link and not entry.link.startswith(("http://", "https://")):
            found.append(f"a link that is not http(s): {entry.link!r}")
        if not entry.title.strip() or _CONTROL.search(entry.title + entry.summary):
            found.append(f"an empty title or control characters: {entry.title!r}")
        if entry.published is not None and (
            entry.published.tzinfo is None
            or entry.published < EARLIEST
            or (now is not None and entry.published > now + timedelta(days=2))
        ):
            found.append(f"a date that cannot be true: {entry.published!r}")
        if entry.language is not None and not _LANGUAGE.match(entry.language):
            found.append(f"a language that is no ISO 639 code: {entry.language!r}")
    return found
