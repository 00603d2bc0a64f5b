"""The callback's HTTP side, on the status server: GET answers the hub's check, POST takes a
push (its body capped as a polled feed's is)."""

from __future__ import annotations

from aiohttp import web

from bot.websub.subscriber import WebSub


def websub_routes(websub: WebSub, body_limit: int) -> list[web.RouteDef]:
    async def check(request: web.Request) -> web.Response:
        status, text = await websub.verify(request.match_info["feed"], request.query)
        return web.Response(status=status, text=text, content_type="text/plain")

    async def push(request: web.Request) -> web.Response:
        body = await request.content.read(body_limit + 1)
        if len(body) > body_limit:
            return web.Response(status=413, text="too large")
        status = await websub.distribute(
            request.match_info["feed"],
            body,
            request.headers.get("Content-Type", ""),
            request.headers.get("X-Hub-Signature", ""),
        )
        return web.Response(status=status)

    return [web.get("/websub/{feed}", check), web.post("/websub/{feed}", push)]
