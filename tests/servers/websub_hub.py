"""A real WebSub hub on 127.0.0.1 (the hub's side of the W3C Recommendation), for tests.

POST /hub with hub.mode=subscribe|unsubscribe, hub.topic, hub.callback, hub.secret (under
200 bytes) and hub.lease_seconds: answered 202 Accepted, then the intent is verified with a
GET to the callback (hub.mode, hub.topic, hub.challenge, hub.lease_seconds); the subscription
is active only if the callback answers 2xx echoing the challenge. A subscriber asking for a
longer lease than MAX_LEASE gets MAX_LEASE. `publish` sends a topic's new content to each
active subscriber, signed with X-Hub-Signature: sha256=HMAC(secret, body).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from tests.servers import serve_on_loopback

MAX_LEASE = 7 * 24 * 3600


@dataclass
class HubSubscription:
    topic: str
    callback: str
    secret: str
    lease_seconds: int
    active: bool = False
    expires: float = 0.0


@dataclass
class Hub:
    requests: list[dict[str, str]] = field(default_factory=list)  # each POST's form
    verifications: list[tuple[str, int, bool]] = field(default_factory=list)  # cb, status, echoed
    subscriptions: dict[tuple[str, str], HubSubscription] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0
    _runner: web.AppRunner | None = None
    _session: aiohttp.ClientSession | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hub"

    async def start(self) -> Hub:
        app = web.Application()
        app.router.add_post("/hub", self._subscribe)
        self._runner, self.port = await serve_on_loopback(app)
        self._session = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _subscribe(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.requests.append(form)
        mode, topic, callback = (form.get(f"hub.{k}", "") for k in ("mode", "topic", "callback"))
        secret = form.get("hub.secret", "")
        if mode not in ("subscribe", "unsubscribe") or not topic or not callback:
            return web.Response(status=400, text="hub.mode, hub.topic and hub.callback needed")
        if len(secret.encode()) >= 200:
            return web.Response(status=400, text="hub.secret must be under 200 bytes")
        asked = form.get("hub.lease_seconds", "")
        lease = min(int(asked), MAX_LEASE) if asked.isdecimal() else MAX_LEASE
        task = asyncio.create_task(self._verify(mode, topic, callback, secret, lease))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response(status=202)

    async def _verify(self, mode: str, topic: str, callback: str, secret: str, lease: int) -> None:
        """Verification of intent: the subscriber must echo a challenge it could not guess."""
        assert self._session is not None
        challenge = secrets.token_urlsafe(16)
        query = {"hub.mode": mode, "hub.topic": topic, "hub.challenge": challenge,
                 "hub.lease_seconds": str(lease)}  # fmt: skip
        async with self._session.get(callback, params=query) as answer:
            echoed = answer.status < 300 and (await answer.text()) == challenge
            self.verifications.append((callback, answer.status, echoed))
        if echoed and mode == "subscribe":
            self.subscriptions[(topic, callback)] = HubSubscription(
                topic, callback, secret, lease, active=True, expires=time.time() + lease
            )
        elif echoed:
            self.subscriptions.pop((topic, callback), None)
        self.changed.set()

    async def settled(self, count: int, seconds: float = 10.0) -> None:
        """Wait until `count` verifications have been made."""
        async with asyncio.timeout(seconds):
            while len(self.verifications) < count:
                self.changed.clear()
                await self.changed.wait()

    async def publish(
        self, topic: str, body: bytes, content_type: str = "application/rss+xml",
        forge_key: str | None = None,
    ) -> list[int]:  # fmt: skip
        """Content distribution to each active subscriber of `topic`; `forge_key` signs with
        another key than the subscriber's secret. Returns the subscribers' statuses."""
        assert self._session is not None
        statuses = []
        for sub in self.subscriptions.values():
            if sub.topic != topic or not sub.active:
                continue
            key = (sub.secret if forge_key is None else forge_key).encode()
            signature = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
            headers = {"Content-Type": content_type, "X-Hub-Signature": signature}
            async with self._session.post(sub.callback, data=body, headers=headers) as answer:
                statuses.append(answer.status)
        return statuses
