"""Loopback servers speaking the protocols the bot talks to: feeds, Discord, Slack."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import NoReturn

from aiohttp import web


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, int]:
    """Serve `app` on 127.0.0.1 on a free port; returns the runner (to clean up) and port."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, int(runner.addresses[0][1])


class Hangs:
    """Requests a server applied and then never answers, as if it crashed before replying.

    A handler calls `await hangs.hold()` after applying the request; it waits until
    `release()` (the servers' stop() calls it first, so their runners clean up at once),
    then raises `Dropped`, and the server closes the connection without an answer.
    """

    def __init__(self) -> None:
        self._released = asyncio.Event()

    async def hold(self) -> NoReturn:
        await self._released.wait()
        raise Dropped

    def release(self) -> None:
        self._released.set()


class Dropped(Exception):
    """Raised in a held handler once released: close the connection, answer nothing."""


def take(queue: list[str] | None, action: str) -> bool:
    """Remove the first `action` from a control queue (hang_next's); whether one was there."""
    if queue is None or action not in queue:
        return False
    queue.remove(action)
    return True


def drop(request: web.Request) -> web.Response:
    """Close the client's connection unanswered; the response returned is never sent."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=503)


@dataclass
class Hung:
    """A request applied and left unanswered: the action (Discord: "post", "reply", "edit";
    Slack: the Web API method), its channel and the message's id (Discord) or ts (Slack)."""

    action: str
    channel: str
    message: str
