"""The loopback Slack server's rate limits and errors are Slack's, seen through slack_sdk:
one post a second per channel, Tier 3 a minute per method, `ratelimited` with an integer
Retry-After, a revoked token, and a channel the bot cannot use."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.servers.slack import CHANNEL, SlackServer
from tests.servers.slack_faults import TIER_3, SlackLimits

TOKEN = "xoxb-loopback"  # noqa: S105 (fake)
OTHER = "C0OTHER"


@pytest.fixture
async def server() -> AsyncIterator[SlackServer]:
    """Slack's own figures, not the tests' shortened ones."""
    server = await SlackServer().start()
    yield server
    await server.stop()


@pytest.fixture
def client(server: SlackServer) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=server.api_url)  # no retry handlers but its own


async def test_a_second_post_within_the_second_is_ratelimited(
    server: SlackServer, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel=CHANNEL, text="one")
    await client.chat_postMessage(channel=OTHER, text="elsewhere")  # another channel's second
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel=CHANNEL, text="two")

    response = raised.value.response
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert response.headers["Retry-After"] == "1"  # an integer: the SDK's handler needs one
    assert [v.key for v in server.violations] == [f"chat.postMessage:{CHANNEL}"]
    with pytest.raises(SlackApiError):  # before Retry-After is over: a violation again
        await client.chat_postMessage(channel=CHANNEL, text="two")
    assert len(server.violations) == 2
    assert len(server.messages) == 2


async def test_tier_3_methods_allow_50_a_minute(server: SlackServer,
                                                client: AsyncWebClient) -> None:  # fmt: skip
    answer = await client.chat_postMessage(channel=CHANNEL, text="alert")
    for number in range(TIER_3.count):
        await client.chat_update(channel=CHANNEL, ts=answer["ts"], text=f"edit {number}")
    with pytest.raises(SlackApiError) as raised:
        await client.chat_update(channel=CHANNEL, ts=answer["ts"], text="one too many")

    assert raised.value.response.status_code == 429
    assert 1 <= int(raised.value.response.headers["Retry-After"]) <= 60
    assert [v.key for v in server.violations] == ["chat.update"]


async def test_a_revoked_token_is_refused_on_every_call(
    server: SlackServer, client: AsyncWebClient
) -> None:
    server.revoke(TOKEN)
    for call in (client.auth_test(), client.chat_postMessage(channel=CHANNEL, text="x")):
        with pytest.raises(SlackApiError) as raised:
            await call
        assert (raised.value.response.status_code, raised.value.response["error"]) == (
            200, "token_revoked")  # fmt: skip
    assert server.messages == {}
    assert len(server.calls_with(TOKEN)) == 2


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "is_archived"])
async def test_a_channel_the_bot_cannot_use_refuses_every_call(
    server: SlackServer, client: AsyncWebClient, error: str
) -> None:
    server.refuse_channel(CHANNEL, error)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            await client.conversations_history(channel=CHANNEL)
        assert raised.value.response["error"] == error
    await client.chat_postMessage(channel=OTHER, text="fine")


def test_limits_default_to_slack_s_figures() -> None:
    limits = SlackLimits()
    assert (limits.post.count, limits.post.per) == (1, 1.0)
    assert dict(limits.tiers)["chat.update"] == TIER_3
    assert (TIER_3.count, TIER_3.per) == (50, 60.0)
