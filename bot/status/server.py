"""The HTTP side of the status: `/`, `/healthz` and `/metrics` on the bot's own aiohttp.

Thin: each route asks `checks`, `view`/`page` or `metrics` and answers. Whatever goes out
passes `bot.redaction.redact`, so a token that reached an error message is shown as ***.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiohttp import web
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from bot.models import Feed
from bot.redaction import redact
from bot.status.checks import Health, Liveness, check_health, stale_after
from bot.status.metrics import Metrics
from bot.status.page import render, render_unreadable
from bot.status.view import read_view
from bot.storage import DATABASE_ERRORS, Database

log = logging.getLogger(__name__)

# No script may run and nothing loads from elsewhere, whatever a feed title smuggles in.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
        " form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass
class StatusSources:
    """What the routes read: the database, the feeds, the running state and the clock."""

    db: Database
    feeds: tuple[Feed, ...]
    languages: frozenset[str]  # those the classifier reads
    liveness: Liveness
    metrics: Metrics
    kinds: Callable[[], Iterable[str]]  # the destinations served now
    clock: Callable[[], float]


def status_app(sources: StatusSources, routes: Iterable[web.RouteDef] = ()) -> web.Application:
    """The status routes, and any `routes` served on the same port (WebSub's callback)."""
    stale = stale_after(sources.feeds)

    async def health() -> Health:
        now = sources.clock()
        return await check_health(sources.db, sources.liveness, now, stale, sources.kinds())

    async def page(request: web.Request) -> web.Response:
        now = int(sources.clock())
        verdict = await health()
        try:
            view = await read_view(sources.db, sources.feeds, sources.languages, verdict, now,
                                   int(sources.liveness.started_at), sources.kinds())  # fmt: skip
        except DATABASE_ERRORS as exc:
            log.warning("status page: the database cannot be read (%s)", exc)
            return web.Response(text=render_unreadable(verdict), status=503,
                                content_type="text/html", headers=HEADERS)  # fmt: skip
        body = redact(render(view))
        return web.Response(text=body, content_type="text/html", headers=HEADERS)

    async def healthz(request: web.Request) -> web.Response:
        verdict = await health()
        answer = {"status": "ok" if verdict.ok else "unhealthy", **verdict.details}
        if not verdict.ok:
            answer["reason"] = "; ".join(verdict.reasons)
        body = redact(json.dumps(answer))
        return web.Response(text=body, status=200 if verdict.ok else 503,
                            content_type="application/json", headers=HEADERS)  # fmt: skip

    async def metrics(request: web.Request) -> web.Response:
        text = await sources.metrics.exposition(sources.db, int(sources.clock()), sources.kinds())
        body = redact(text.decode())
        headers = {**HEADERS, "Content-Type": CONTENT_TYPE_PLAIN_0_0_4}
        return web.Response(text=body, headers=headers)

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.add_routes(list(routes))
    return app


async def serve_status(
    sources: StatusSources, host: str, port: int, routes: Iterable[web.RouteDef] = ()
) -> web.AppRunner:
    """Listen on host:port (0: a free port); the address is logged. Raises OSError when the
    port cannot be had."""
    app = status_app(sources, routes)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    bound = runner.addresses[0]
    log.info("status page on http://%s:%d/ (also /healthz, /metrics)", bound[0], bound[1])
    return runner
