"""A loopback feed server for benchmarks, in its own process so its CPU is not counted.

Serves FEEDS feeds of 50 items each, spread over 50 loopback addresses (127.0.0.1-50) so the
per-host limit applies as it would to real publishers. GET /bump?count=50 changes that many
feeds so the next poll gets 200 instead of 304. Prints "ready" when listening.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from aiohttp import web

HOSTS = 50


def feed_body(index: int, version: int) -> bytes:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    items = []
    for n in range(50):
        published = format_datetime(now - timedelta(hours=n))
        topic = (
            "to train AI on users' posts by default" if n % 10 == 0 else "publishes annual report"
        )
        items.append(
            f"<item><title>Feed {index} v{version} item {n}: Platform {topic}</title>"
            f"<link>https://publisher{index}.example/news/{version}/{n}</link>"
            f"<guid>https://publisher{index}.example/news/{version}/{n}</guid>"
            f"<description>&lt;p&gt;Item {n} of feed {index}, with &lt;b&gt;some&lt;/b&gt; markup"
            f" and a sentence or two of summary text about what happened.&lt;/p&gt;</description>"
            f"<pubDate>{published}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {index}</title>{''.join(items)}</channel></rss>"
    ).encode()


async def main(port: int, feeds: int) -> None:
    versions = [0] * feeds
    bodies: dict[tuple[int, int], bytes] = {}

    async def serve(request: web.Request) -> web.Response:
        index = int(request.match_info["index"])
        version = versions[index]
        etag = f'"{index}-{version}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = bodies.get((index, version))
        if body is None:
            body = bodies[(index, version)] = feed_body(index, version)
        return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": etag})

    async def bump(request: web.Request) -> web.Response:
        count = int(request.query.get("count", "50"))
        step = max(1, feeds // count)
        for index in range(0, feeds, step)[:count]:
            versions[index] += 1
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/feed/{index}", serve)
    app.router.add_get("/bump", bump)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    for host in range(1, HOSTS + 1):
        await web.TCPSite(runner, f"127.0.0.{host}", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
