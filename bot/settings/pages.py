"""The `type` and `page` fields of the feeds file: how a news page without a feed is read.

Every selector is compiled here, at start-up, so a typo in one stops the bot with the file,
the entry and the field named (`page.entries`), like every other config error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.models import PageSelectors, Selector
from bot.parsing.selectors import read_selector, selector_problem
from bot.yamlfile import FileChecks

TYPES = ("feed", "page")
PAGE_FIELDS = ("entries", "title", "link", "date", "summary")


def read_page(checks: FileChecks, entry: str, raw: Mapping[str, Any]) -> PageSelectors | None:
    """The page selectors of a `type: page` source; None for a feed or when a problem was
    recorded (the caller sees the problem count grow)."""
    kind = raw.get("type", "feed")
    if kind not in TYPES:
        checks.add(entry, "type", f"expected one of {list(TYPES)}, got {kind!r}")
        return None
    page = raw.get("page")
    if kind == "feed":
        if page is not None:
            checks.add(entry, "page", "page selectors need `type: page` on this entry")
        return None
    if not isinstance(page, Mapping):
        checks.add(entry, "page", "a page source needs its selectors: {entries: CSS, ...}")
        return None
    for field in page:
        if field not in PAGE_FIELDS:
            checks.add(entry, f"page.{field}", f"unknown selector (expected one of {PAGE_FIELDS})")
    selectors = {f: _selector(checks, entry, page, f) for f in PAGE_FIELDS}
    entries = selectors["entries"]
    if entries is None:
        if "entries" not in page:
            checks.add(entry, "page.entries", "is required: the CSS selector of one news entry")
        return None
    if entries.attribute is not None:
        checks.add(entry, "page.entries", "selects elements; it reads no attribute")
        return None
    return PageSelectors(
        entries=entries.css,
        title=selectors["title"],
        link=selectors["link"] or Selector("a", "href"),
        date=selectors["date"],
        summary=selectors["summary"],
    )


def _selector(
    checks: FileChecks, entry: str, page: Mapping[str, Any], field: str
) -> Selector | None:
    value = page.get(field)
    if value is None:
        return None
    where = f"page.{field}"
    if not isinstance(value, str) or not value.strip():
        checks.add(entry, where, f"expected a CSS selector as text, got {value!r}")
        return None
    selector = read_selector(value)
    if not selector.css and selector.attribute is None:
        checks.add(entry, where, "an empty selector matches nothing")
        return None
    if selector.css:  # empty with an attribute: the entry element itself
        problem = selector_problem(selector.css)
        if problem is not None:
            checks.add(entry, where, problem)
            return None
    return selector
