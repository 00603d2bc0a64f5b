"""Bytes from a feed to normalised entries, via feedparser, off the event loop.

Never raises on bad input: a malformed feed gives whatever entries could be read and a
health note saying what was wrong, in words a person can act on.
"""

from __future__ import annotations

import asyncio
import calendar
import io
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from bot.models import Entry, ParsedFeed
from bot.parsing.language import detect
from bot.parsing.text import canonical_link, to_plain_text

MAX_ENTRIES = 500
_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
# Servers often label feeds text/html or override the declared charset; the entries are fine.
_HARMLESS = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


async def parse_feed(
    body: bytes, *, url: str, scope: str, content_type: str = "", language: str | None = None
) -> ParsedFeed:
    """parse_feed_sync in a worker thread, so the loop keeps answering chat commands."""
    return await asyncio.to_thread(
        parse_feed_sync, body, url=url, scope=scope, content_type=content_type, language=language
    )


def parse_feed_sync(
    body: bytes, *, url: str, scope: str, content_type: str = "", language: str | None = None
) -> ParsedFeed:
    try:
        parsed = feedparser.parse(
            io.BytesIO(body),
            response_headers=_headers(content_type),
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser's own bugs must not stop a cycle
        return ParsedFeed(entries=(), note=f"the feed could not be parsed ({type(exc).__name__})")
    feed_language = _language(parsed.get("feed", {}).get("language")) or language
    entries: list[Entry] = []
    for raw in parsed.get("entries", [])[:MAX_ENTRIES]:
        entry = _safe_entry(raw, url, scope, feed_language)
        if entry is not None:
            entries.append(entry)
    note = _health_note(parsed, body, len(entries), len(parsed.get("entries", [])))
    title = to_plain_text(str(parsed.get("feed", {}).get("title", "")))[:200]
    hub, topic = _websub_links(parsed.get("feed", {}).get("links", []))
    return ParsedFeed(entries=tuple(entries), note=note, title=title, hub=hub, topic=topic)


def _websub_links(links: Any) -> tuple[str, str]:
    """The hub and self links a feed names for WebSub (Atom, or atom:link in RSS); only
    http(s) URLs, so a hostile feed cannot send the bot elsewhere."""
    found = {"hub": "", "self": ""}
    for link in links if isinstance(links, list) else []:
        rel, href = str(link.get("rel", "")), str(link.get("href", "")).strip()
        if rel in found and not found[rel] and href.startswith(("http://", "https://")):
            found[rel] = href[:2000]
    return found["hub"], found["self"]


def _headers(content_type: str) -> dict[str, str]:
    # No content-location: feedparser would resolve a bare guid ("42") against the feed URL,
    # and two feeds on one host would share ids. Links are made absolute in canonical_link.
    return {"content-type": content_type} if content_type else {}


def _safe_entry(raw: Any, base: str, scope: str, language: str | None) -> Entry | None:
    try:
        return _entry(raw, base, scope, language)
    except Exception:  # one odd entry must not hide the others
        return None


def _entry(raw: Any, base: str, scope: str, language: str | None) -> Entry | None:
    title = to_plain_text(str(raw.get("title") or ""))
    summary = to_plain_text(str(raw.get("summary") or _first_content(raw) or ""))
    link = canonical_link(str(raw.get("link") or ""), base)
    published = _published(raw)
    if not (title or summary or link):
        return None
    return Entry(
        key=_stable_key(raw, link, title, summary, published, scope),
        link=link,
        title=title or summary[:120] or link,
        summary=summary if summary != title else "",
        published=published,
        language=_language(raw.get("language")) or language or detect(f"{title} {summary}"),
    )


def _stable_key(
    raw: Any, link: str, title: str, summary: str, published: datetime | None, scope: str
) -> str:
    """guid, else link, else title and date; a bare guid like "42" is scoped to its feed."""
    guid = str(raw.get("id") or "").strip()
    if guid:
        return f"guid:{guid}" if ":" in guid else f"guid:{scope}:{guid}"
    if link:
        return f"link:{link}"
    stamp = published.isoformat() if published else ""
    return f"text:{scope}:{title or summary[:200]}|{stamp}"


def _first_content(raw: Any) -> str:
    content = raw.get("content") or []
    return str(content[0].get("value", "")) if content else ""


def _published(raw: Any) -> datetime | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(field)
        if isinstance(value, time.struct_time):
            try:
                moment = datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, OSError):
                continue
            if moment >= _EARLIEST:
                return moment
    return None


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    code = value.strip().lower()[:2]
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def _health_note(parsed: Any, body: bytes, kept: int, found: int) -> str:
    if not body.strip():
        return "the server sent an empty response"
    if found == 0 and not parsed.get("version"):
        head = body[:1024].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            return "the server sent an HTML page, not a feed: check the feed URL"
        return "this is not an RSS or Atom feed"
    notes = []
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(problem, _HARMLESS):
        detail = str(problem).split("\n")[0][:160] if problem else "malformed"
        notes.append(f"the feed is malformed ({detail}); read {kept} entries anyway")
    if found > MAX_ENTRIES:
        notes.append(f"the feed lists {found} entries; only the first {MAX_ENTRIES} were read")
    return "; ".join(notes)
