"""The soak's loopback servers, each in its own process so their CPU and memory are not the
bot's: `sources` serves the 2,000 sources of world.py, `chat` the Discord and Slack servers of
tests/servers. Each prints one "ready ..." line when listening.

  python -m bench.soak.servers sources PORT COUNT DAY_START HOURS TIMEOUT
      GET /s/{index}      a source, as world.py says it answers at the server's clock
      GET /clock?now=TS   the simulated day's clock; /clock?real=1 switches to the real one
                          (real-run stories start then)
      GET /stats          {"polls": n, "answers": {"200": n, "304": n, ...}}
  python -m bench.soak.servers chat
      prints "ready DISCORD_PORT SLACK_PORT STATS_PORT"; GET /stats on STATS_PORT counts
      what each chat server was sent (posts, replies, edits, history reads, errors)
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import Counter, defaultdict
from typing import Any

from aiohttp import web

from bench.soak.world import (
    DAY_FOLLOW_UPS,
    DAY_STORY_EVERY,
    REAL_FOLLOW_UPS,
    REAL_STORY_EVERY,
    Source,
    body,
    routine_items,
    sources,
    story_items,
)
from tests.servers import serve_on_loopback
from tests.servers.discord import DiscordServer
from tests.servers.feeds import FeedItem
from tests.servers.slack import SlackServer

HOSTS_BOUND = 100
REAL_STORIES = 600  # 20 hours of real-run stories: more than any soak runs
HISTORY_DAYS = 10  # routine items reach back this far before the simulated day


class Sources:
    def __init__(self, count: int, day_start: float, hours: float, timeout: float) -> None:
        self.all = sources(count)
        self.base = day_start - HISTORY_DAYS * 86400
        self.sim_now: float | None = day_start
        self.timeout = timeout
        self.requests: Counter[int] = Counter()
        self.answers: Counter[str] = Counter()
        self.stories: defaultdict[int, list[FeedItem]] = defaultdict(list)
        self.cache: dict[int, tuple[str, bytes]] = {}  # index -> (etag, body): latest only
        carriers = [s.index for s in self.all if s.carries_stories]
        self.day_stories = int(hours * 3600 // DAY_STORY_EVERY)
        for number in range(self.day_stories):
            opened = day_start + 1800 + number * DAY_STORY_EVERY
            self._add(story_items(number, opened, DAY_FOLLOW_UPS, carriers))

    def _add(self, items: list[Any]) -> None:
        for story in items:
            self.stories[story.source].append(story.item)

    def go_real(self) -> None:
        """Real-run stories go to sources polled every 5 minutes, so they show within it."""
        start = time.time()
        quick = [s.index for s in self.all if s.carries_stories and s.interval == 5]
        for offset in range(REAL_STORIES):
            opened = start + offset * REAL_STORY_EVERY
            number = self.day_stories + offset
            self._add(story_items(number, opened, REAL_FOLLOW_UPS, quick))
        self.sim_now = None

    def now(self) -> float:
        return time.time() if self.sim_now is None else self.sim_now

    async def serve(self, request: web.Request) -> web.StreamResponse:
        source = self.all[int(request.match_info["index"])]
        hop = int(request.query.get("hop", "0"))
        if not hop:
            self.requests[source.index] += 1
        try:
            answer = await self._answer(source, request, hop)
        except web.HTTPException as redirect:
            answer = redirect
        if not hop:
            self.answers[str(answer.status)] += 1
        return answer

    async def _answer(self, source: Source, request: web.Request, hop: int) -> web.StreamResponse:
        fault, now = source.fault, self.now()
        if fault in ("404", "410", "500"):
            return web.Response(status=int(fault))
        if fault == "429":
            return web.Response(status=429, headers={"Retry-After": "3600"})
        if fault == "garbage":
            return web.Response(body=os.urandom(4096), content_type="application/rss+xml")
        if fault == "html":
            return web.Response(text="<!DOCTYPE html><html><body><p>Moved.</p></body></html>",
                                content_type="text/html")  # fmt: skip
        if fault == "loop":
            raise web.HTTPFound(f"/s/{source.index}?hop={hop + 1}")
        if fault == "timeout":
            await asyncio.sleep(self.timeout + 5)
        if fault == "alternate" and self.requests[source.index] % 2 == 0:
            return web.Response(status=503)
        if fault == "outage" and int(now // 10800) % 2:
            return web.Response(status=500)
        if source.kind == "slow":
            await asyncio.sleep(0.1 + (source.index % 5) * 0.1)
        return self._content(source, request, now)

    def _content(self, source: Source, request: web.Request, now: float) -> web.Response:
        newest, routine = routine_items(source, now, self.base)
        stories = [item for item in self.stories.get(source.index, ())
                   if item.published and item.published.timestamp() <= now]  # fmt: skip
        etag = f'"{source.index}-{newest}-{len(stories)}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        cached = self.cache.get(source.index)
        if cached is None or cached[0] != etag:
            cached = self.cache[source.index] = (etag, body(source, routine, stories))
        kind = "text/html; charset=utf-8" if source.kind == "page" else "application/rss+xml"
        return web.Response(body=cached[1], headers={"ETag": etag, "Content-Type": kind})

    async def clock(self, request: web.Request) -> web.Response:
        if request.query.get("real"):
            self.go_real()
        else:
            self.sim_now = float(request.query["now"])
        return web.Response(text="ok")

    async def stats(self, request: web.Request) -> web.Response:
        polls = sum(self.answers.values())
        return web.json_response({"polls": polls, "answers": dict(self.answers)})


async def serve_sources(port: int, count: int, day_start: float, hours: float,
                        fetch_timeout: float) -> None:  # fmt: skip
    world = Sources(count, day_start, hours, fetch_timeout)
    app = web.Application()
    app.router.add_get("/s/{index}", world.serve)
    app.router.add_get("/clock", world.clock)
    app.router.add_get("/stats", world.stats)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    for host in range(1, HOSTS_BOUND + 1):
        await web.TCPSite(runner, f"127.0.0.{host}", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


class ChatCounts:
    """What the chat servers were sent. Their request logs are counted and then emptied,
    so a long soak does not fill this process; the messages themselves are kept (edits and
    replies need them)."""

    def __init__(self, discord: DiscordServer, slack: SlackServer) -> None:
        self.discord, self.slack = discord, slack
        self.counts: Counter[str] = Counter()

    def take(self) -> dict[str, int]:
        for record in self.discord.records:
            reply = isinstance(record.body, dict) and record.body.get("message_reference")
            if record.method == "POST" and record.path.endswith("/messages"):
                self.counts["discord replies" if reply else "discord posts"] += 1
            elif record.method == "PATCH":
                self.counts["discord edits"] += 1
            elif record.method == "GET" and record.path.endswith("/messages"):
                self.counts["discord history reads"] += 1
        self.discord.records.clear()
        self.discord.created_at.clear()
        for call in self.slack.calls:
            if call.method == "chat.postMessage":
                self.counts["slack replies" if call.args.get("thread_ts") else "slack posts"] += 1
            elif call.method == "chat.update":
                self.counts["slack edits"] += 1
            elif call.method.startswith("conversations."):
                self.counts["slack history reads"] += 1
        self.slack.calls.clear()
        return dict(self.counts)

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.take())


async def serve_chat() -> None:
    discord = await DiscordServer().start()
    slack = await SlackServer().start()
    counts = ChatCounts(discord, slack)
    app = web.Application()
    app.router.add_get("/stats", counts.stats)
    _, stats_port = await serve_on_loopback(app)
    print(f"ready {discord.port} {slack.port} {stats_port}", flush=True)
    while True:  # keep the request logs short even if nobody asks
        await asyncio.sleep(10)
        counts.take()


def main(argv: list[str]) -> None:
    if argv[0] == "sources":
        port, count = int(argv[1]), int(argv[2])
        day_start, hours, timeout = float(argv[3]), float(argv[4]), float(argv[5])
        asyncio.run(serve_sources(port, count, day_start, hours, timeout))
    elif argv[0] == "chat":
        asyncio.run(serve_chat())
    else:
        sys.exit(f"unknown server {argv[0]!r}: sources or chat")


if __name__ == "__main__":
    main(sys.argv[1:])
