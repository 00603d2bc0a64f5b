"""The subscriber side of WebSub: subscribe where a feed names a hub, answer the hub's check
of intent, take signed pushes, renew before the lease ends.

A subscription is stored before the hub is asked (the hub may check before it answers), and
the secret the hub signs with stays in the database: never logged, never shown.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from urllib.parse import quote, urlsplit

import aiohttp

from bot.feeds.cadence import CADENCE, Cadence
from bot.feeds.pacer import Pacer
from bot.models import Feed
from bot.storage import Database
from bot.storage.websub import Subscription, load_subscriptions, save_subscription

log = logging.getLogger(__name__)

Push = Callable[[Feed, bytes, str], Awaitable[object]]  # feed, body, content type
SIGNATURES = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384,
              "sha512": hashlib.sha512}  # fmt: skip


class WebSub:
    def __init__(
        self,
        db: Database,
        session: aiohttp.ClientSession,
        public_url: str,
        feeds: Iterable[Feed],
        pacer: Pacer,
        clock: Callable[[], float],
        cadence: Cadence = CADENCE,
    ) -> None:
        self._db, self._session, self._public_url = db, session, public_url.rstrip("/")
        self._feeds = {feed.id: feed for feed in feeds if feed.page is None}
        self._pacer, self._clock, self._cadence = pacer, clock, cadence
        self._subs: dict[str, Subscription] = {}
        self.on_push: Push | None = None  # the pipeline's take_push, set by whoever wires it

    async def start(self) -> None:
        self._subs = await load_subscriptions(self._db)
        self._publish_live()

    def callback(self, feed_id: str) -> str:
        return f"{self._public_url}/websub/{quote(feed_id, safe='')}"

    def live(self) -> frozenset[str]:
        """Feeds whose hub confirmed a subscription that has not lapsed."""
        now = int(self._clock())
        return frozenset(s.feed_id for s in self._subs.values()
                         if s.state == "active" and (s.lease_until or 0) > now)  # fmt: skip

    async def discovered(self, feed: Feed, hub: str, topic: str) -> None:
        """A poll succeeded, and read `hub` and `topic` in the feed ("" when it was unchanged
        or names none: the stored ones hold): subscribe, or renew, when it is time."""
        old = self._subs.get(feed.id)
        self._publish_live()
        if not hub and old is not None:
            hub, topic = old.hub, old.topic
        if feed.id not in self._feeds or not hub or not _private_enough(hub):
            return
        now = int(self._clock())
        if old is not None and (old.hub, old.topic) == (hub, topic):
            left = (old.lease_until or 0) - now
            if old.state == "active" and left > self._cadence.websub_renew_before:
                return
            if old.state != "active" and now - old.asked_at < self._cadence.websub_ask_again:
                return
        await self._subscribe(feed, hub, topic, old, now)

    async def _subscribe(
        self, feed: Feed, hub: str, topic: str, old: Subscription | None, now: int
    ) -> None:
        if old is not None and (old.hub, old.topic) == (hub, topic):
            state = "active" if old.state == "active" else "requested"
            asked = replace(old, asked_at=now, state=state)  # same secret; the lease runs on
        else:
            asked = Subscription(feed.id, hub, topic, secrets.token_hex(32), "requested", now)
        await self._save(asked)
        form = {
            "hub.mode": "subscribe",
            "hub.topic": topic,
            "hub.callback": self.callback(feed.id),
            "hub.secret": asked.secret,
            "hub.lease_seconds": str(self._cadence.websub_lease),
        }
        try:
            async with self._session.post(hub, data=form) as answer:
                if answer.status >= 300:
                    text = (await answer.text())[:200]
                    log.warning("WebSub: the hub %s refused %s: HTTP %d %s (polling goes on)",
                                hub, feed.id, answer.status, text)  # fmt: skip
                    return
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("WebSub: the hub %s could not be reached for %s (%s); polling goes on",
                        hub, feed.id, type(exc).__name__)  # fmt: skip
            return
        log.info("WebSub: asked %s to push %s", hub, feed.id)

    async def verify(self, feed_id: str, query: Mapping[str, str]) -> tuple[int, str]:
        """The hub's check of intent: echo the challenge only for a topic we asked for."""
        mode, topic = query.get("hub.mode", ""), query.get("hub.topic", "")
        sub = await self._current(feed_id, lambda s: s.topic == topic)
        if sub is None or topic != sub.topic:
            return 404, "no such subscription"
        if mode == "denied":
            await self._save(replace(sub, state="denied"))
            log.warning("WebSub: the hub denied %s (%s); polling goes on", feed_id,
                        query.get("hub.reason", "no reason given")[:200])  # fmt: skip
            return 200, ""
        challenge, now = query.get("hub.challenge", ""), int(self._clock())
        # Pending: asked for within websub_ask_again. A check out of the blue (anyone may
        # know the topic) must not set a lease the hub never gave.
        pending = sub.state != "denied" and now - sub.asked_at <= self._cadence.websub_ask_again
        if mode != "subscribe" or not pending or not challenge:
            return 404, "not asked for"
        lease = min(_seconds(query.get("hub.lease_seconds"), self._cadence.websub_lease),
                    self._cadence.websub_lease)  # fmt: skip
        await self._save(replace(sub, state="active", lease_until=now + lease))
        return 200, challenge

    async def distribute(self, feed_id: str, body: bytes, content_type: str,
                         signature: str) -> int:  # fmt: skip
        """A push. Signed wrongly (or not at all): acknowledged and ignored, as the spec says."""
        sub = await self._current(feed_id, lambda s: s.state == "active")
        feed = self._feeds.get(feed_id)
        if sub is None or feed is None or sub.state != "active":
            return 410  # Gone: the hub may drop a subscription we no longer hold
        if not signed(sub.secret, body, signature):
            log.warning("WebSub: a push for %s had a wrong or missing signature; ignored",
                        feed_id)  # fmt: skip
            return 202
        if self.on_push is not None:
            await self.on_push(feed, body, content_type)
        return 202

    async def _current(
        self, feed_id: str, expected: Callable[[Subscription], bool]
    ) -> Subscription | None:
        """The feed's subscription; read again from the database when it is not what the
        hub expects here: another process sharing the database may have asked the hub."""
        sub = self._subs.get(feed_id)
        if sub is None or not expected(sub):
            self._subs = await load_subscriptions(self._db)
            self._publish_live()
            sub = self._subs.get(feed_id)
        return sub

    async def _save(self, sub: Subscription) -> None:
        async with self._db.transaction() as tx:
            await save_subscription(tx, sub)
        self._subs[sub.feed_id] = sub
        self._publish_live()

    def _publish_live(self) -> None:
        self._pacer.push(self.live())


def signed(secret: str, body: bytes, header: str) -> bool:
    """X-Hub-Signature: method=hex HMAC of the body with the subscription's secret."""
    method, _, digest = header.strip().partition("=")
    algorithm = SIGNATURES.get(method.lower())
    if algorithm is None or not digest:
        return False
    expected = hmac.new(secret.encode(), body, algorithm).hexdigest()
    return hmac.compare_digest(expected, digest.strip().lower())


def _private_enough(hub: str) -> bool:
    """hub.secret travels in the subscription request: only over HTTPS, or to a hub on this
    machine (the spec: the secret SHOULD only be sent over HTTPS)."""
    parts = urlsplit(hub)
    return parts.scheme == "https" or parts.hostname in ("127.0.0.1", "::1", "localhost")


def _seconds(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdecimal() and 0 < int(raw) < 10**9 else default
