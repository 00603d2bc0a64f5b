"""WebSub end to end on loopback: a real hub (tests/servers/websub_hub.py), the loopback feed
server, the bot's status server with the callback (wired as bot/runner.py wires it), the real
pipeline and SQLite file. Subscribing, the hub's check of intent, signed pushes into the same
pipeline as a poll, forged ones ignored, renewal before the lease ends, polling slowed."""

from __future__ import annotations

import hashlib
import hmac
import random
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.console import CONSOLE_ID
from bot.feeds import Fetcher, create_session
from bot.feeds.cadence import CADENCE, Pace
from bot.feeds.pacer import Pacer
from bot.models import Feed
from bot.pipeline import Pipeline
from bot.runner import _websub
from bot.settings import Config, read_environment
from bot.status.service import StatusService, Watch, start_status
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.outbox import pending_count
from bot.storage.websub import load_subscriptions
from bot.websub import WebSub
from tests.servers.feeds import FeedItem, FeedServer, make_rss
from tests.servers.websub_hub import MAX_LEASE, Hub

NOW = datetime.now(UTC)
DULL = FeedItem("Quarterly report published", "https://pushy.example.org/q3", "", NOW)
NEWS = FeedItem(
    "Meta to train AI on EU users' public posts from next month",
    "https://pushy.example.org/meta-eu",
    "Users can object with a form.",
    NOW,
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


def with_hub(rss: bytes, hub: str, topic: str) -> bytes:
    """An RSS feed naming its hub and itself with atom:link, as WebSub publishers do."""
    links = f'<atom:link rel="hub" href="{hub}"/><atom:link rel="self" href="{topic}"/>'
    rss = rss.replace(b'<rss version="2.0">',
                      b'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">')  # fmt: skip
    return rss.replace(b"<channel>", b"<channel>" + links.encode(), 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def hub() -> AsyncIterator[Hub]:
    server = await Hub().start()
    yield server
    await server.stop()


class Bot:
    """The parts of a running bot that WebSub touches, started as the runner starts them."""

    def __init__(self, pipeline: Pipeline, status: StatusService, port: int) -> None:
        self.pipeline, self.status, self.port = pipeline, status, port

    def callback(self, feed_id: str) -> str:
        return f"http://127.0.0.1:{self.port}/websub/{feed_id}"


@pytest.fixture
async def bot(
    config: Config, feed_server: FeedServer, db_path: Path, tmp_path: Path
) -> AsyncIterator[tuple[Bot, Database, Clock, Feed]]:
    port = free_port()
    env = read_environment(environ={"AIWATCH_STATUS_PORT": str(port),
                                    "AIWATCH_PUBLIC_URL": f"http://127.0.0.1:{port}/"},
                           dotenv=tmp_path / "none.env")  # fmt: skip
    feed = Feed(id="pushy", url=feed_server.url("/feed/pushy"))
    config = replace(config, feeds=(feed,))
    db = await Database.open(db_path)
    async with db.transaction() as tx:
        await ensure_destination(tx, CONSOLE_ID, "console", 1)
    session = create_session(timeout=3)
    clock = Clock()
    pipeline = Pipeline(db, config, Fetcher(session, body_limit=env.body_limit), clock=clock,
                        rng=random.Random(0))  # fmt: skip
    routes = await _websub(env, db, session, config, pipeline, clock)
    status = await start_status(env, config, db, Watch.start(env, clock), lambda: ["console"],
                                routes)  # fmt: skip
    assert status is not None
    yield Bot(pipeline, status, port), db, clock, feed
    await status.close()
    await session.close()
    await db.close()


async def test_a_feed_naming_a_hub_is_pushed_to_and_polled_only_as_a_fallback(
    bot: tuple[Bot, Database, Clock, Feed], hub: Hub, feed_server: FeedServer
):
    running, db, clock, feed = bot
    topic = feed_server.url("/feed/pushy")
    feed_server.feeds["pushy"] = with_hub(make_rss([DULL]), hub.url, topic)
    await running.pipeline.run_cycle([feed], await running.pipeline.states())

    await hub.settled(1)
    [asked] = hub.requests
    assert asked["hub.mode"] == "subscribe"
    assert asked["hub.topic"] == topic
    assert asked["hub.callback"] == running.callback("pushy")
    assert int(asked["hub.lease_seconds"]) == CADENCE.websub_lease
    assert 0 < len(asked["hub.secret"].encode()) < 200
    assert hub.verifications == [(running.callback("pushy"), 200, True)]
    stored = (await load_subscriptions(db))["pushy"]
    assert stored.state == "active"
    assert stored.lease_until == int(clock.now) + MAX_LEASE  # what the hub granted
    assert asked["hub.secret"] not in repr(stored)

    # Live: polled only at its longest period, as the fallback.
    assert running.pipeline.pacer.pushed == {"pushy"}
    every = running.pipeline.pacer.every(feed, Pace(), int(clock.now))
    assert every == 4 * feed.interval_minutes * 60

    # A push goes through the same pipeline as a poll: stored, judged, its alert queued.
    pushed = with_hub(make_rss([NEWS, DULL]), hub.url, topic)
    assert await hub.publish(topic, pushed) == [202]
    assert await pending_count(db) == 1
    assert feed_server.hits["/feed/pushy"] == 1  # no poll was needed

    # A push signed with another key is acknowledged and ignored.
    forged = make_rss([FeedItem("Forged story about Meta AI training in the EU",
                                "https://evil.example.org/x", "", NOW)])  # fmt: skip
    assert await hub.publish(topic, forged, forge_key="not the secret") == [202]
    rows = await db.fetch_all("SELECT link FROM items")
    assert "https://evil.example.org/x" not in {row[0] for row in rows}


async def test_the_callback_echoes_a_challenge_only_for_a_topic_it_asked_for(
    bot: tuple[Bot, Database, Clock, Feed], hub: Hub, feed_server: FeedServer
):
    running, db, clock, feed = bot
    topic = feed_server.url("/feed/pushy")
    feed_server.feeds["pushy"] = with_hub(make_rss([DULL]), hub.url, topic)
    await running.pipeline.run_cycle([feed], await running.pipeline.states())
    await hub.settled(1)
    async with aiohttp.ClientSession() as session:
        for feed_id, asked_topic in (("pushy", "https://evil.example.org/feed"),
                                     ("unknown", topic)):  # fmt: skip
            query = {"hub.mode": "subscribe", "hub.topic": asked_topic,
                     "hub.challenge": "guess-me", "hub.lease_seconds": "60"}  # fmt: skip
            async with session.get(running.callback(feed_id), params=query) as answer:
                assert answer.status == 404
                assert "guess-me" not in await answer.text()
        unsubscribe = {"hub.mode": "unsubscribe", "hub.topic": topic, "hub.challenge": "c"}
        async with session.get(running.callback("pushy"), params=unsubscribe) as answer:
            assert answer.status == 404  # the bot never asked to unsubscribe
        async with session.post(running.callback("unknown"), data=b"<rss/>") as answer:
            assert answer.status == 410
        # The right topic, but long after the bot asked: not pending, no lease set.
        clock.now += CADENCE.websub_ask_again + 1
        late = {"hub.mode": "subscribe", "hub.topic": topic, "hub.challenge": "late",
                "hub.lease_seconds": str(10**8)}  # fmt: skip
        async with session.get(running.callback("pushy"), params=late) as answer:
            assert answer.status == 404
    assert (await load_subscriptions(db))["pushy"].lease_until == int(NOW.timestamp()) + MAX_LEASE


async def test_the_subscription_is_renewed_before_its_lease_ends(
    bot: tuple[Bot, Database, Clock, Feed], hub: Hub, feed_server: FeedServer
):
    """A fallback poll with less than websub_renew_before of the lease left asks the hub
    again, with the same secret (pushes signed in between still count); a poll earlier
    does not."""
    running, db, clock, feed = bot
    topic = feed_server.url("/feed/pushy")
    feed_server.feeds["pushy"] = with_hub(make_rss([DULL]), hub.url, topic)
    await running.pipeline.run_cycle([feed], await running.pipeline.states())
    await hub.settled(1)
    first = (await load_subscriptions(db))["pushy"]
    assert first.lease_until is not None

    clock.now = first.lease_until - CADENCE.websub_renew_before - 3600
    await running.pipeline.run_cycle([feed], await running.pipeline.states())
    assert len(hub.requests) == 1

    clock.now = first.lease_until - CADENCE.websub_renew_before + 3600
    await running.pipeline.run_cycle([feed], await running.pipeline.states())
    await hub.settled(2)
    assert len(hub.requests) == 2
    assert hub.requests[1]["hub.secret"] == hub.requests[0]["hub.secret"]
    renewed = (await load_subscriptions(db))["pushy"]
    assert renewed.lease_until == int(clock.now) + MAX_LEASE
    assert running.pipeline.pacer.pushed == {"pushy"}


async def test_without_a_public_url_nothing_subscribes(
    config: Config, feed_server: FeedServer, hub: Hub, db_path: Path, tmp_path: Path
):
    env = read_environment(environ={}, dotenv=tmp_path / "none.env")
    assert env.public_url is None
    feed = Feed(id="pushy", url=feed_server.url("/feed/pushy"))
    feed_server.feeds["pushy"] = with_hub(make_rss([DULL]), hub.url, feed.url)
    db = await Database.open(db_path)
    session = create_session(timeout=3)
    try:
        config = replace(config, feeds=(feed,))
        pipeline = Pipeline(db, config, Fetcher(session, body_limit=env.body_limit),
                            clock=Clock())  # fmt: skip
        assert await _websub(env, db, session, config, pipeline, Clock()) == []
        await pipeline.run_cycle([feed], await pipeline.states())
    finally:
        await session.close()
        await db.close()
    assert hub.requests == []


async def test_a_hub_on_plain_http_elsewhere_is_not_sent_a_secret(
    bot: tuple[Bot, Database, Clock, Feed], feed_server: FeedServer
):
    """hub.secret goes only over HTTPS (or to a hub on this machine): a feed naming an http
    hub on another host stays polled, and nothing is asked of that hub."""
    running, db, _, feed = bot
    topic = feed_server.url("/feed/pushy")
    feed_server.feeds["pushy"] = with_hub(make_rss([DULL]), "http://hub.example.org/", topic)
    await running.pipeline.run_cycle([feed], await running.pipeline.states())
    assert await load_subscriptions(db) == {}
    assert running.pipeline.pacer.pushed == frozenset()


async def test_another_process_on_the_same_database_answers_the_hub(
    bot: tuple[Bot, Database, Clock, Feed], hub: Hub, feed_server: FeedServer
):
    """Several bot processes share one database behind one public address: the one the
    hub's check or push reaches may not be the one that asked. It reads the subscription
    from the database, echoes the challenge and takes the push."""
    running, db, clock, feed = bot
    topic = feed_server.url("/feed/pushy")
    feed_server.feeds["pushy"] = with_hub(make_rss([DULL]), hub.url, topic)
    async with aiohttp.ClientSession() as session:
        other = WebSub(db, session, f"http://127.0.0.1:{running.port}", [feed],
                       Pacer([feed]), clock)  # fmt: skip
        await other.start()  # before the subscription exists
        await running.pipeline.run_cycle([feed], await running.pipeline.states())
        await hub.settled(1)
        query = {"hub.mode": "subscribe", "hub.topic": topic, "hub.challenge": "c-2",
                 "hub.lease_seconds": "3600"}  # fmt: skip
        assert await other.verify("pushy", query) == (200, "c-2")
        taken: list[bytes] = []

        async def take(_: Feed, body: bytes, __: str) -> None:
            taken.append(body)

        other.on_push = take
        secret = hub.requests[0]["hub.secret"]
        body = make_rss([NEWS])
        signature = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
        assert await other.distribute("pushy", body, "application/rss+xml", signature) == 202
        assert taken == [body]


def test_a_public_url_needs_the_status_port_and_an_http_address(tmp_path: Path):
    from bot.errors import UsageError

    none = tmp_path / "none.env"
    with pytest.raises(UsageError, match="AIWATCH_STATUS_PORT"):
        read_environment(environ={"AIWATCH_PUBLIC_URL": "https://x.example.org"}, dotenv=none)
    with pytest.raises(UsageError, match="http"):
        read_environment(environ={"AIWATCH_PUBLIC_URL": "ftp://x", "AIWATCH_STATUS_PORT": "1"},
                         dotenv=none)  # fmt: skip
    env = read_environment(environ={"AIWATCH_PUBLIC_URL": "https://x.example.org/bot/",
                                    "AIWATCH_STATUS_PORT": "8080"}, dotenv=none)  # fmt: skip
    assert env.public_url == "https://x.example.org/bot"
