"""Polite HTTP for feeds: one shared session, conditional GET, caps, and errors in words.

The fetcher never parses and never retries: it returns one FetchResult per attempt, and the
schedule decides when to try again.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import ssl
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urlsplit

import aiohttp

from bot import USER_AGENT
from bot.errors import FetchError
from bot.feeds.body import read_capped
from bot.models import Feed, FeedState

MAX_REDIRECTS = 5
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9,"
    " text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class FetchResult:
    """One attempt. `error` is set (in words) when there is nothing to parse."""

    status: int | None = None
    body: bytes | None = None
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None  # seconds the server asked us to wait
    max_age: float | None = None  # seconds the server says the feed stays fresh
    error: str | None = None
    final_url: str | None = None  # where redirects ended (a page's links resolve against it)

    @property
    def not_modified(self) -> bool:
        return self.status == HTTPStatus.NOT_MODIFIED


def create_session(timeout: float, per_host: int = 2) -> aiohttp.ClientSession:
    """The one session for all feeds; closed by whoever created it."""
    return aiohttp.ClientSession(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        timeout=aiohttp.ClientTimeout(total=timeout, connect=min(10.0, timeout)),
        connector=aiohttp.TCPConnector(limit=64, limit_per_host=per_host, ttl_dns_cache=300),
        auto_decompress=False,
    )


class Fetcher:
    def __init__(
        self, session: aiohttp.ClientSession, *, body_limit: int, per_host: int = 2
    ) -> None:
        self._session = session
        self._body_limit = body_limit
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(per_host)
        )
        self._timeout = session.timeout.total

    async def fetch(self, feed: Feed, state: FeedState) -> FetchResult:
        host = urlsplit(feed.url).hostname or ""
        async with self._hosts[host]:
            try:
                return await self._get(feed, state)
            except FetchError as exc:
                return FetchResult(status=exc.status, error=exc.reason)
            except TimeoutError:
                return FetchResult(error=f"no complete answer within {self._timeout:.0f} seconds")
            except aiohttp.TooManyRedirects:
                return FetchResult(error=f"more than {MAX_REDIRECTS} redirects (a redirect loop?)")
            except aiohttp.ClientError as exc:
                return FetchResult(error=describe_client_error(exc))

    async def _get(self, feed: Feed, state: FeedState) -> FetchResult:
        headers = {"Accept": PAGE_ACCEPT} if feed.page else {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        async with self._session.get(
            feed.url, headers=headers, max_redirects=MAX_REDIRECTS
        ) as response:
            base = FetchResult(
                status=response.status,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
                max_age=parse_max_age(response.headers.get("Cache-Control")),
            )
            if response.status == HTTPStatus.NOT_MODIFIED:
                return replace(base, etag=state.etag, last_modified=state.last_modified)
            if response.status != HTTPStatus.OK:
                return replace(base, error=describe_status(response.status, base.retry_after))
            body = await read_capped(response, self._body_limit, "page" if feed.page else "feed")
            return replace(
                base,
                body=body,
                final_url=str(response.url),
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )


def describe_status(status: int, wait: float | None) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "unexpected status"
    text = f"HTTP {status} {phrase}"
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return text + (f": the server asked us to wait {_duration(wait)}" if wait else "")
    if status in (HTTPStatus.NOT_FOUND, HTTPStatus.GONE):
        return text + ": the feed URL may have moved; check it in the feeds file"
    if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        return text + ": the server refuses us; the feed may need another URL"
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return text + ": the server had a problem; it will be retried later"
    return text


def describe_client_error(exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "the host name could not be resolved (no network, or a wrong URL)"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return f"the TLS connection failed ({_short(exc)})"
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, ConnectionRefusedError):
            return f"connection refused by {exc.host}:{exc.port} (nothing listens there)"
        return f"could not connect to {exc.host}:{exc.port} ({_short(exc.os_error)})"
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return "the connection broke before the whole feed arrived"
    if isinstance(exc, aiohttp.InvalidURL):
        return "the feed URL is not valid"
    return f"the request failed ({_short(exc)})"


def _short(exc: BaseException | ssl.SSLError) -> str:
    text = str(exc).split("\n")[0].strip() or type(exc).__name__
    return text[:160]


def _duration(seconds: float | int | None) -> str:
    if seconds is None:
        return "a while"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def parse_max_age(value: str | None) -> float | None:
    if not value:
        return None
    match = _MAX_AGE.search(value)
    return float(match.group(1)) if match else None
