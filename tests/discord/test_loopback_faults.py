"""The loopback Discord server's rate limits and errors are Discord's: its buckets and
headers, its 429s (per route and global), a revoked token, lost access and a deleted channel,
seen raw and through discord.py."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.discord.conftest import TEST_PACE, DiscordRig
from tests.servers.discord import CHANNEL_ID, OTHER_CHANNEL_ID, DiscordServer
from tests.servers.discord_faults import DiscordLimits

TOKEN = "loopback-token"  # noqa: S105 (the rig's fake token)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bot {TOKEN}"}) as session:
        yield session


async def post(http: aiohttp.ClientSession, server: DiscordServer, channel: str = CHANNEL_ID
               ) -> tuple[int, Any, dict[str, str]]:  # fmt: skip
    url = f"{server.api_base}/channels/{channel}/messages"
    async with http.post(url, json={"content": "x"}) as response:
        return response.status, await response.json(), dict(response.headers)


async def test_every_post_announces_its_bucket(discord_server: DiscordServer,
                                               http: aiohttp.ClientSession) -> None:  # fmt: skip
    status, _, headers = await post(http, discord_server)

    assert status == 200
    assert headers["X-RateLimit-Limit"] == "5"
    assert headers["X-RateLimit-Remaining"] == "4"
    assert 0 < float(headers["X-RateLimit-Reset-After"]) <= TEST_PACE.per
    assert headers["X-RateLimit-Bucket"]


async def test_a_sixth_post_in_the_window_is_refused_as_discord_does(
    discord_server: DiscordServer, http: aiohttp.ClientSession
) -> None:
    answers = [await post(http, discord_server) for _ in range(6)]
    other = await post(http, discord_server, OTHER_CHANNEL_ID)  # its own bucket

    assert [status for status, _, _ in answers] == [200] * 5 + [429]
    _, body, headers = answers[-1]
    assert body["global"] is False
    assert 0 < body["retry_after"] <= TEST_PACE.per
    assert headers["Retry-After"] == "1"  # whole seconds, rounded up
    assert headers["X-RateLimit-Scope"] == "user"
    assert headers["Via"]  # without it discord.py takes a 429 for a Cloudflare ban
    assert other[0] == 200
    assert len(discord_server.messages) == 6
    assert [v.key for v in discord_server.violations] == [f"POST messages:{CHANNEL_ID}"]
    assert len(discord_server.invalid_requests) == 1
    await asyncio.sleep(body["retry_after"])
    assert (await post(http, discord_server))[0] == 200  # the window reset
    discord_server.violations.clear()  # made on purpose


async def test_more_than_50_requests_a_second_hit_the_global_limit(
    discord_server: DiscordServer, http: aiohttp.ClientSession
) -> None:
    channels = [str(800000000000001000 + n) for n in range(60)]  # one post each: no bucket fills
    answers = await asyncio.gather(*(post(http, discord_server, c) for c in channels))

    refused = [(body, headers) for status, body, headers in answers if status == 429]
    assert len(refused) == 10
    body, headers = refused[0]
    assert body["global"] is True
    assert headers["X-RateLimit-Global"] == "true"
    assert headers["X-RateLimit-Scope"] == "global"
    assert {v.key for v in discord_server.violations} == {"global"}
    discord_server.violations.clear()


async def test_discord_py_keeps_to_the_buckets_by_their_headers(rig: DiscordRig) -> None:
    """discord.py alone, no pacer: it reads the headers and waits for the reset."""
    channel = rig.client.get_partial_messageable(int(CHANNEL_ID))
    started = time.monotonic()
    for number in range(11):
        await channel.send(f"m{number}")

    assert time.monotonic() - started >= 2 * TEST_PACE.per  # three windows
    assert len(rig.server.messages) == 11
    assert rig.server.violations == []


async def test_a_revoked_token_gets_401_and_its_gateway_session_4004(
    rig: DiscordRig, http: aiohttp.ClientSession
) -> None:
    await rig.server.revoke(TOKEN)
    status, body, _ = await post(http, rig.server)

    assert (status, body) == (401, {"message": "401: Unauthorized", "code": 0})
    deadline = time.monotonic() + 5
    while not rig.client.is_closed():  # discord.py closes on 4004 and does not reconnect
        assert time.monotonic() < deadline, "the gateway session stayed open"
        await asyncio.sleep(0.02)
    assert rig.server.messages == {}
    assert len(rig.server.invalid_requests) == 1


@pytest.mark.parametrize(("fault", "status", "code"), [("lose_access", 403, 50001),
                                                       ("delete_channel", 404, 10003)])  # fmt: skip
async def test_lost_access_and_a_deleted_channel_last(
    discord_server: DiscordServer, http: aiohttp.ClientSession, fault: str, status: int, code: int
) -> None:
    getattr(discord_server, fault)(CHANNEL_ID)
    answers = [await post(http, discord_server) for _ in range(2)]

    assert [(s, body["code"]) for s, body, _ in answers] == [(status, code)] * 2
    assert (await post(http, discord_server, OTHER_CHANNEL_ID))[0] == 200
    assert len(discord_server.invalid_requests) == (2 if status == 403 else 0)


async def test_limits_default_to_discord_s_figures() -> None:
    limits = DiscordLimits()
    assert (limits.messages.count, limits.messages.per) == (5, 5.0)
    assert (limits.everything.count, limits.everything.per) == (50, 1.0)


async def test_a_global_429_holds_every_channel_in_discord_py(rig: DiscordRig) -> None:
    rig.server.fail_next[CHANNEL_ID] = ["429-global"]  # retry_after 0.3, "global": true
    first = asyncio.create_task(rig.client.get_partial_messageable(int(CHANNEL_ID)).send("a"))
    for _ in range(200):
        if rig.server.posts(CHANNEL_ID):
            break
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.05)  # the 429 has been answered
    await rig.client.get_partial_messageable(int(OTHER_CHANNEL_ID)).send("b")
    await first

    refused_at = rig.server.posts(CHANNEL_ID)[0].at
    (other,) = rig.server.posts(OTHER_CHANNEL_ID)
    assert other.at - refused_at >= 0.3  # the other channel waited out the global limit
    assert len(rig.server.messages) == 2
    assert rig.server.violations == []
