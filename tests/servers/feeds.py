"""A real aiohttp server on 127.0.0.1 serving good and misbehaving feeds for tests.

Routes:
  /feed/{name}      a registered feed (RSS bytes), with ETag/Last-Modified and 304 support,
                    and the Cache-Control set for it in `cache_control`, if any
  /gzip/{name}      the same feed, gzip-encoded
  /drip             one byte a second, forever
  /huge             a 200 MB body, streamed (never held in memory here)
  /bomb             a gzip bomb: a few hundred KB that inflate to 200 MB
  /loop/{n}         redirects to /loop/{n+1}, forever
  /status/{code}    an empty answer with that status (429 carries Retry-After: 3600)
  /html             an HTML page instead of a feed
  /garbage          random binary bytes
  /hold/{name}      the feed, but only after `release` is set (to pause a poll cycle)
  /page/{name}      a registered news page (bytes and content type), with ETag and 304
  /moved/{name}     redirects to /page/{name} (a page that moved)
  /to-login         redirects to /login, a sign-in form (a listing now behind an account)
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import os
import socket
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from aiohttp import web

from tests.servers import serve_on_loopback

HUGE_BYTES = 200 * 1024 * 1024


@dataclass
class FeedItem:
    title: str
    link: str
    summary: str = ""
    published: datetime | None = None
    guid: str | None = None


def make_rss(items: Iterable[FeedItem], title: str = "Test feed") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
        f"<title>{escape(title)}</title>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title><link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f"<guid>{escape(item.guid)}</guid>")
        if item.summary:
            parts.append(f"<description>{escape(item.summary)}</description>")
        if item.published:
            parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def _bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    out = [compressor.compress(block) for _ in range(HUGE_BYTES // len(block))]
    out.append(compressor.flush())
    return b"".join(out)


@dataclass
class FeedServer:
    """Start with `await server.start()`; `server.url(path)` gives loopback URLs."""

    feeds: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # body, content type
    hits: Counter[str] = field(default_factory=Counter)
    cache_control: dict[str, str] = field(default_factory=dict)  # feed name -> header
    user_agents: list[str] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    in_flight: Counter[str] = field(default_factory=Counter)
    max_in_flight: int = 0
    port: int = 0
    _runner: web.AppRunner | None = None
    _bomb: bytes | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_get("/feed/{name}", self._feed)
        app.router.add_get("/gzip/{name}", self._gzip)
        app.router.add_get("/hold/{name}", self._hold)
        app.router.add_get("/slow/{name}", self._slow)
        app.router.add_get("/drip", self._drip)
        app.router.add_get("/huge", self._huge)
        app.router.add_get("/bomb", self._bomb_route)
        app.router.add_get("/loop/{n}", self._loop)
        app.router.add_get("/status/{code}", self._status)
        app.router.add_get("/html", self._html)
        app.router.add_get("/garbage", self._garbage)
        app.router.add_get("/page/{name}", self._page)
        app.router.add_get("/moved/{name}", self._moved)
        app.router.add_get("/to-login", self._to_login)
        app.router.add_get("/login", self._login)
        self._runner, self.port = await serve_on_loopback(app)
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _count(self, request: web.Request) -> None:
        self.hits[request.path] += 1
        self.user_agents.append(request.headers.get("User-Agent", ""))

    def _conditional(self, request: web.Request, body: bytes) -> tuple[str, str, bool]:
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
        modified = "Mon, 23 Nov 2026 08:00:00 GMT"
        fresh = request.headers.get("If-None-Match") == etag
        return etag, modified, fresh

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        body = self.feeds.get(request.match_info["name"])
        if body is None:
            raise web.HTTPNotFound()
        etag, modified, fresh = self._conditional(request, body)
        headers = {"ETag": etag, "Last-Modified": modified}
        if request.match_info["name"] in self.cache_control:
            headers["Cache-Control"] = self.cache_control[request.match_info["name"]]
        if fresh:
            return web.Response(status=304, headers=headers)
        return web.Response(body=body, content_type="application/rss+xml", headers=headers)

    async def _page(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        page = self.pages.get(request.match_info["name"])
        if page is None:
            raise web.HTTPNotFound()
        body, content_type = page
        etag, modified, fresh = self._conditional(request, body)
        headers = {"ETag": etag, "Last-Modified": modified, "Content-Type": content_type}
        if fresh:
            return web.Response(status=304, headers=headers)
        return web.Response(body=body, headers=headers)

    async def _moved(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        raise web.HTTPMovedPermanently(f"/page/{request.match_info['name']}")

    async def _to_login(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        raise web.HTTPFound("/login?next=/to-login")

    async def _login(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        form = (
            "<!DOCTYPE html><html><body><h1>Sign in</h1><form method=post>"
            "<input name=user><input type=password name=pass></form></body></html>"
        )
        return web.Response(text=form, content_type="text/html")

    async def _gzip(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        body = gzip.compress(self.feeds[request.match_info["name"]])
        return web.Response(
            body=body,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
        )

    async def _hold(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        await self.release.wait()
        return await self._feed(request)

    async def _slow(self, request: web.Request) -> web.StreamResponse:
        """Records how many requests to one host overlap, for the per-host limit."""
        self._count(request)
        self.in_flight["host"] += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight["host"])
        try:
            await asyncio.sleep(0.2)
            return await self._feed(request)
        finally:
            self.in_flight["host"] -= 1

    async def _drip(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        for _ in range(600):
            await response.write(b" ")
            await asyncio.sleep(1)
        return response

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        response.enable_chunked_encoding()  # no Content-Length: the cap must hold while reading
        await response.prepare(request)
        chunk = b"<!-- " + b"x" * (1024 * 1024 - 10) + b" -->"
        try:
            for _ in range(HUGE_BYTES // len(chunk)):
                await response.write(chunk)
        except (ConnectionResetError, ConnectionError):
            pass
        return response

    async def _bomb_route(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        if self._bomb is None:
            self._bomb = await asyncio.to_thread(_bomb)
        return web.Response(
            body=self._bomb,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
        )

    async def _loop(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        raise web.HTTPFound(f"/loop/{int(request.match_info['n']) + 1}")

    async def _status(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        code = int(request.match_info["code"])
        headers = {"Retry-After": "3600"} if code == 429 else {}
        return web.Response(status=code, text="", headers=headers)

    async def _html(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        page = "<!DOCTYPE html><html><head><title>News</title></head><body><p>Hi</p></body></html>"
        return web.Response(text=page, content_type="text/html")

    async def _garbage(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        return web.Response(body=os.urandom(64 * 1024), content_type="application/octet-stream")


def dead_port() -> int:
    """A loopback port where nothing listens (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
