"""The feeds file (a contract: DESIGN.md), read into Feed objects (a page
source's selectors: bot.settings.pages)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from bot.errors import ConfigProblem
from bot.models import FEED_KINDS, Feed
from bot.settings.pages import read_page
from bot.yamlfile import SLUG, FileChecks

FIELDS = ("id", "url", "name", "kind", "region", "language", "interval", "type", "page")
MIN_INTERVAL_MINUTES = 5
# A week: a feed polled less often is as good as dead, and a poll time beyond SQLite's
# integers would stop the bot at the feed's first poll.
MAX_INTERVAL_MINUTES = 7 * 24 * 60


def load_feeds(
    path: Path, region_codes: frozenset[str]
) -> tuple[tuple[Feed, ...], list[ConfigProblem]]:
    checks = FileChecks(path)
    data = checks.load(empty="the file is empty; list at least one feed")
    feeds: list[Feed] = []
    if data is not None:
        key = "feeds" if isinstance(data, dict) else None
        seen: set[str] = set()
        for entry, raw in checks.entries(data, key):
            checks.unknown_fields(entry, raw, FIELDS)
            feed = _read_feed(checks, entry, raw, region_codes)
            if feed is None:
                continue
            if feed.id in seen:
                checks.add(entry, "id", f"'{feed.id}' is used by an earlier entry")
                continue
            seen.add(feed.id)
            feeds.append(feed)
        if not feeds and not checks.problems:
            checks.add("", "", "no feeds are listed; list at least one feed")
    return tuple(feeds), checks.problems


def _read_feed(
    checks: FileChecks, entry: str, raw: dict[str, object] | object, regions: frozenset[str]
) -> Feed | None:
    assert isinstance(raw, dict)
    before = len(checks.problems)
    feed_id = checks.text(entry, raw, "id")
    if feed_id is not None and not SLUG.match(feed_id):
        checks.add(entry, "id", "use lowercase letters, digits and dashes")
    url = checks.text(entry, raw, "url")
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            checks.add(entry, "url", f"expected an http or https URL, got {url!r}")
    name = checks.text(entry, raw, "name", required=False) or ""
    kind = checks.text(entry, raw, "kind", required=False) or "news"
    if kind not in FEED_KINDS:
        checks.add(entry, "kind", f"unknown kind {kind!r} (expected one of {list(FEED_KINDS)})")
    region = checks.text(entry, raw, "region", required=False)
    if region is not None:
        region = region.upper()
        if region not in regions:
            checks.add(entry, "region", f"unknown region {region!r} (see regions.yaml)")
    language = checks.text(entry, raw, "language", required=False)
    if language is not None and not (language.isalpha() and len(language) == 2):
        checks.add(entry, "language", f"expected a two-letter ISO 639-1 code, got {language!r}")
    interval = raw.get("interval", 60)
    if isinstance(interval, bool) or not isinstance(interval, int):
        checks.add(entry, "interval", f"expected whole minutes, got {interval!r}")
        interval = 60
    elif interval < MIN_INTERVAL_MINUTES:
        checks.add(entry, "interval", f"at least {MIN_INTERVAL_MINUTES} minutes, to be polite")
    elif interval > MAX_INTERVAL_MINUTES:
        checks.add(entry, "interval", f"at most {MAX_INTERVAL_MINUTES} minutes (a week)")
    page = read_page(checks, entry, raw)
    if len(checks.problems) > before or feed_id is None or url is None:
        return None
    return Feed(
        id=feed_id,
        url=url,
        name=name,
        kind=kind,
        region=region,
        language=language.lower() if language else None,
        interval_minutes=interval,
        page=page,
    )
