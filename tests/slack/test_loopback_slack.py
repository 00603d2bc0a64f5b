"""The loopback Slack server behaves as Slack does, seen through slack_sdk's own calls:
metadata, threads, history and replies, a call applied but never answered, and 500s."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.servers import Hung
from tests.servers.limits import Rate
from tests.servers.slack import CHANNEL, SlackServer
from tests.servers.slack_faults import SlackLimits

META = {"event_type": "aiwatch_alert", "event_payload": {"story": 1}}
HANG = 0.5  # how long the client waits for an answer that never comes


@pytest.fixture
async def slack_server() -> AsyncIterator[SlackServer]:
    """These tests post as fast as the SDK goes: the message rules are tested here, and the
    rate limits (which the SDK alone does not keep) at the end, with Slack's own figures."""
    server = await SlackServer(limits=SlackLimits(post=Rate(1000, 1.0))).start()
    yield server
    await server.stop()


@pytest.fixture
def client(slack_server: SlackServer) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=slack_server.api_url)  # noqa: S106


async def post(client: AsyncWebClient, text: str, **extra: object) -> str:
    answer = await client.chat_postMessage(channel=CHANNEL, text=text, **extra)
    return str(answer["ts"])


async def history(client: AsyncWebClient, **args: object) -> list[dict[str, object]]:
    answer = await client.conversations_history(channel=CHANNEL, **args)
    return list(answer["messages"])


async def test_metadata_shows_in_history_only_when_asked_for(client: AsyncWebClient,
                                                             slack_server: SlackServer
                                                             ) -> None:  # fmt: skip
    answer = await client.chat_postMessage(channel=CHANNEL, text="alert", metadata=META)
    assert answer["message"]["metadata"] == META

    (shown,) = await history(client, include_all_metadata=True)
    assert shown["metadata"] == META
    assert shown["ts"] == answer["ts"]
    assert (shown["type"], shown["text"], shown["bot_id"]) == ("message", "alert", "B0BOT")
    assert shown["blocks"]  # Slack makes a rich_text block of a text-only message
    (plain,) = await history(client)
    assert "metadata" not in plain
    assert "metadata" not in (await history(client, include_all_metadata=False))[0]


async def test_form_encoded_metadata_is_kept_as_an_object(client: AsyncWebClient) -> None:
    fields = {"channel": CHANNEL, "text": "alert", "metadata": json.dumps(META)}
    await client.api_call("chat.postMessage", data=fields)  # form-encoded, not JSON

    (shown,) = await history(client, include_all_metadata=True)
    assert shown["metadata"] == META

    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel=CHANNEL, text="x", metadata={"event_type": "x"})
    assert raised.value.response["error"] == "invalid_metadata_schema"


async def test_an_update_keeps_the_metadata(client: AsyncWebClient) -> None:
    ts = await post(client, "alert", metadata=META)
    updated = await client.chat_update(channel=CHANNEL, ts=ts, text="alert, updated")
    assert updated["message"]["metadata"] == META

    (shown,) = await history(client, include_all_metadata=True)
    assert (shown["text"], shown["metadata"]) == ("alert, updated", META)
    assert "edited" in shown


async def test_a_reply_lives_in_its_thread_not_in_history(client: AsyncWebClient,
                                                          slack_server: SlackServer
                                                          ) -> None:  # fmt: skip
    parent = await post(client, "story")
    reply = await post(client, "update", thread_ts=parent, metadata=META)
    later = await post(client, "other story")

    listed = await history(client)
    assert [m["ts"] for m in listed] == [later, parent]
    assert listed[1]["thread_ts"] == parent
    assert (listed[1]["reply_count"], listed[1]["latest_reply"]) == (1, reply)
    assert "thread_ts" not in listed[0]

    for ts in (parent, reply):  # a reply's ts names its thread too
        thread = await client.conversations_replies(channel=CHANNEL, ts=ts,
                                                    include_all_metadata=True)  # fmt: skip
        assert [m["ts"] for m in thread["messages"]] == [parent, reply]
        assert thread["messages"][1]["thread_ts"] == parent
        assert thread["messages"][1]["metadata"] == META
    assert [m["ts"] for m in slack_server.top_level()] == [parent, later]
    assert [m["ts"] for m in slack_server.replies_to(parent)] == [reply]

    slack_server.forget(reply)
    assert "reply_count" not in (await history(client))[1]


async def test_unknown_threads(client: AsyncWebClient, slack_server: SlackServer) -> None:
    with pytest.raises(SlackApiError) as raised:
        await post(client, "update", thread_ts="1700000000.000001")
    assert raised.value.response["error"] == "thread_not_found"
    assert slack_server.messages == {}

    parent = await post(client, "story")
    slack_server.forget(parent)
    with pytest.raises(SlackApiError) as raised:
        await client.conversations_replies(channel=CHANNEL, ts=parent)
    assert raised.value.response["error"] == "thread_not_found"
    assert await history(client) == []  # a deleted message is not listed


async def test_ts_grow_strictly_and_look_like_slack_s(client: AsyncWebClient) -> None:
    stamps = [await post(client, f"m{i}") for i in range(20)]
    assert all(re.fullmatch(r"\d{10}\.\d{6}", ts) for ts in stamps)
    assert [float(ts) for ts in stamps] == sorted({float(ts) for ts in stamps})


async def test_history_bounds_limits_and_pages(client: AsyncWebClient) -> None:
    stamps = [await post(client, f"m{i}") for i in range(5)]
    newest_first = stamps[::-1]

    assert [m["ts"] for m in await history(client, oldest=stamps[1])] == newest_first[:3]
    inclusive = await history(client, oldest=stamps[1], inclusive=True)
    assert [m["ts"] for m in inclusive] == newest_first[:4]
    assert [m["ts"] for m in await history(client, latest=stamps[3])] == newest_first[2:]
    between = await history(client, oldest=stamps[0], latest=stamps[4])
    assert [m["ts"] for m in between] == newest_first[1:4]

    first = await client.conversations_history(channel=CHANNEL, limit=2)
    assert [m["ts"] for m in first["messages"]] == newest_first[:2]
    assert first["has_more"] is True
    pages = []
    async for page in first:  # the SDK follows response_metadata.next_cursor
        pages.append([m["ts"] for m in page["messages"]])
        assert len(pages) <= 3, pages
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:]]
    everything = await client.conversations_history(channel=CHANNEL)
    assert everything["has_more"] is False


async def test_failures_apply_to_history(client: AsyncWebClient,
                                         slack_server: SlackServer) -> None:  # fmt: skip
    slack_server.fail_next[CHANNEL] = ["not_in_channel"]
    with pytest.raises(SlackApiError) as raised:
        await history(client)
    assert raised.value.response["error"] == "not_in_channel"
    assert await history(client) == []


async def test_a_500_raises_slack_api_error(client: AsyncWebClient,
                                            slack_server: SlackServer) -> None:  # fmt: skip
    slack_server.fail_next[CHANNEL] = ["500"]
    with pytest.raises(SlackApiError) as raised:
        await post(client, "alert")
    assert raised.value.response.status_code == 500
    assert raised.value.response["error"] == "internal_error"
    assert slack_server.messages == {}
    await post(client, "alert")
    assert len(slack_server.messages) == 1


async def test_hung_calls_are_applied_and_never_answered(client: AsyncWebClient,
                                                         slack_server: SlackServer
                                                         ) -> None:  # fmt: skip
    slack_server.hang_next[CHANNEL] = ["chat.update", "chat.postMessage"]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(post(client, "alert", metadata=META), HANG)
    (applied,) = slack_server.top_level()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(
            client.chat_update(channel=CHANNEL, ts=applied["ts"], text="alert, updated"), HANG
        )

    assert slack_server.hung == [
        Hung("chat.postMessage", CHANNEL, applied["ts"]),
        Hung("chat.update", CHANNEL, applied["ts"]),
    ]
    (shown,) = await history(client, include_all_metadata=True)
    assert (shown["text"], shown["metadata"]) == ("alert, updated", META)


async def test_stop_releases_hung_calls_at_once(client: AsyncWebClient,
                                                slack_server: SlackServer) -> None:  # fmt: skip
    client.retry_handlers = []  # the SDK would retry a dropped connection a second later
    slack_server.hang_next[CHANNEL] = ["chat.postMessage"] * 2
    pending = [asyncio.create_task(post(client, f"m{i}")) for i in range(2)]
    deadline = time.monotonic() + 5
    while len(slack_server.hung) < 2:
        assert time.monotonic() < deadline, "the posts did not reach the server"
        await asyncio.sleep(0.01)

    started = time.monotonic()
    await slack_server.stop()
    assert time.monotonic() - started < 0.5
    outcomes = await asyncio.gather(*pending, return_exceptions=True)
    assert all(isinstance(o, aiohttp.ServerDisconnectedError) for o in outcomes)  # no answer
    assert len(slack_server.top_level()) == 2
