"""The Slack adapter through slack-bolt and slack_sdk, against the loopback Slack server."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

import pytest

from bot.adapters.slack import connect_socket_mode
from bot.adapters.slack.adapter import STOPPING_ERRORS
from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.settings import Config
from bot.storage import Database
from bot.storage.outbox import pending_count
from bot.subscriptions import load_route
from tests.chat_helpers import add_story, queue
from tests.servers.slack import ADMIN, CHANNEL, MEMBER, TEAM_ID, SlackServer
from tests.slack.conftest import SECRET, SlackRig, make_adapter

DESTINATION = f"slack:{TEAM_ID}/{CHANNEL}"


def mrkdwn_texts(value: object) -> list[str]:
    """Every mrkdwn text in blocks (plain_text is never parsed for mentions or links)."""
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            return [str(value["text"])]
        return [t for v in value.values() for t in mrkdwn_texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in mrkdwn_texts(v)]
    return []


def text_of(answer: dict) -> str:  # type: ignore[type-arg]
    return "\n".join(b["text"]["text"] for b in answer["blocks"] if b["type"] == "section")


async def test_optout_is_answered_privately(rig: SlackRig):
    response = await rig.command("/optout", "linkdin Britain", MEMBER)
    assert response.status == 200
    answer = await rig.server.next_response()
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == "LinkedIn: AI training in United Kingdom"
    assert "Settings &amp; Privacy" in text_of(answer)  # escaped, shown as "&" by Slack


async def test_an_admin_subscribes_the_channel_and_everyone_sees_it(rig: SlackRig):
    await rig.command("/aiwatch", "subscribe UK,EU platforms:linkedin", ADMIN)
    answer = await rig.server.next_response()
    assert answer["response_type"] == "in_channel"
    assert answer["text"] == "Subscribed to UK, EU"
    route = await load_route(rig.db, DESTINATION)
    assert route is not None
    assert set(route.regions) == {"UK", "EU"}


async def test_a_member_cannot_subscribe_and_the_role_lookup_is_cached(rig: SlackRig):
    for number in (1, 2):
        await rig.command("/aiwatch", "subscribe UK", MEMBER)
        answer = await rig.server.next_response(number)
        assert answer["response_type"] == "ephemeral"
        assert "workspace admin" in text_of(answer)
    assert await load_route(rig.db, DESTINATION) is None
    assert len(rig.server.called("users.info")) == 1


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("subscribe Narnia", "'Narnia' is not a region we know"),
        ("subscribe UK events:fines", "'fines' is not an event kind"),
        ("unsubscribe FR", "Nothing to remove"),
        ("digest noon", "'noon' is not an hour"),
        ("frobnicate", "'/aiwatch frobnicate' is not a command"),
        ("", "AI Data Watch commands"),
        ("help", "AI Data Watch commands"),
        ("subscriptions", "This channel's subscriptions"),
        ("recent UK", "No stories yet for UK"),
        ("feeds", "Feeds:"),
    ],
)
async def test_every_subcommand_and_wrong_input(rig: SlackRig, text: str, title: str):
    await rig.command("/aiwatch", text, ADMIN)
    answer = await rig.server.next_response()
    assert answer["text"].startswith(title)


async def test_help_shows_the_exact_syntax(rig: SlackRig):
    await rig.command("/aiwatch", "help", MEMBER)
    help_text = text_of(await rig.server.next_response())
    assert "/aiwatch subscribe &lt;regions&gt; [platforms:&lt;ids&gt;]" in help_text


@pytest.mark.parametrize(
    ("secret", "age"), [("not-the-secret", 0), (SECRET, 6 * 60)], ids=["forged", "stale"]
)
async def test_forged_and_stale_signatures_are_rejected(rig: SlackRig, secret: str, age: int):
    response = await rig.command("/aiwatch", "subscribe UK", ADMIN, secret=secret,
                                 timestamp=int(time.time()) - age)  # fmt: skip
    assert response.status == 401
    await asyncio.sleep(0.2)
    assert rig.server.responses == []
    assert await load_route(rig.db, DESTINATION) is None


def drainer(rig: SlackRig) -> OutboxDrainer:
    return OutboxDrainer(rig.db, {"slack": rig.adapter}, time.time, alerts=AlertBuilder(rig.db))


async def test_an_alert_is_posted_in_block_kit_then_updated_in_place(rig: SlackRig):
    title = "<!here> LinkedIn opts <@U123> in <https://evil.example|here>"
    story_id = await add_story(rig.db, DESTINATION, title, "Members are opted in <!channel>.")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig).drain_once()
    [post] = rig.server.called("chat.postMessage")
    blocks = post.args["blocks"]
    flat = "\n".join(mrkdwn_texts(blocks)) + post.args["text"]  # what Slack parses
    for trick in ("<!here>", "<!channel>", "<@U123>", "<https://evil.example|"):
        assert trick not in flat
    assert blocks[0]["type"] == "header"
    assert any(b["type"] == "context" and "Regions:* UK" in str(b) for b in blocks)
    assert "&lt;!here&gt;" in post.args["text"]
    ts = next(iter(rig.server.messages))

    await queue(rig.db, DESTINATION, story_id, "update", 1)
    await drainer(rig).drain_once()
    [update] = rig.server.called("chat.update")
    assert update.args["ts"] == ts
    assert len(rig.server.called("chat.postMessage")) == 1


async def test_an_update_to_a_deleted_message_is_posted_anew(rig: SlackRig):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn pauses UK training")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer(rig).drain_once()
    rig.server.forget(next(iter(rig.server.messages)))
    await queue(rig.db, DESTINATION, story_id, "update", 1)
    await drainer(rig).drain_once()
    posts = rig.server.called("chat.postMessage")
    assert len(posts) == 2
    assert "continues an earlier alert" in str(posts[1].args["blocks"][0])
    assert await pending_count(rig.db) == 0


async def test_ratelimited_is_retried_and_channels_are_paced(rig: SlackRig):
    for number in range(4):
        story_id = await add_story(rig.db, DESTINATION, f"Story {number}")
        await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL] = ["ratelimited"]
    await drainer(rig).drain_once()
    accepted = [c for c in rig.server.called("chat.postMessage")]
    assert len(rig.server.messages) == 4  # the 429 was waited out, nothing lost or doubled
    assert len(accepted) == 5
    times = [c.at for c in accepted]
    assert all(b - a >= 0.2 - 0.01 for a, b in itertools.pairwise(times))
    assert await pending_count(rig.db) == 0


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "is_archived"])
async def test_a_channel_the_bot_cannot_use_is_stopped_with_a_reason(rig: SlackRig, error: str):
    story_id = await add_story(rig.db, DESTINATION, "LinkedIn news")
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    rig.server.fail_next[CHANNEL] = [error]
    await drainer(rig).drain_once()
    row = await rig.db.fetch_one("SELECT healthy, health_note FROM destinations WHERE id = ?",
                                 (DESTINATION,))  # fmt: skip
    assert row is not None
    assert (row[0], row[1]) == (0, STOPPING_ERRORS[error])
    assert await pending_count(rig.db) == 1  # kept until a person fixes it
    await rig.command("/aiwatch", "feeds", MEMBER)
    assert STOPPING_ERRORS[error].split(":")[0] in text_of(await rig.server.next_response())


async def test_not_in_channel_tells_people_to_invite_the_bot():
    assert "/invite @AI Data Watch" in STOPPING_ERRORS["not_in_channel"]


async def test_socket_mode_envelopes_are_acked_and_answered(
    slack_server: SlackServer, config: Config, tmp_path: Path
):
    db = await Database.open(tmp_path / "socket.db")
    adapter = make_adapter(config, db, slack_server, secret="")
    handler = await connect_socket_mode(adapter, "xapp-loopback")
    envelope = await slack_server.push_command("/optout", "fb DE", MEMBER)
    answer = await slack_server.next_response()
    assert answer["text"].startswith("Facebook and Instagram (Meta): AI training in Germany")
    assert (await slack_server.ack_of(envelope))["envelope_id"] == envelope
    await handler.close_async()  # type: ignore[no-untyped-call]
    await adapter.close()
    await db.close()


async def test_a_failing_command_is_told_to_the_asker(rig: SlackRig):
    await rig.db.close()  # every database call now fails
    await rig.command("/aiwatch", "subscriptions", MEMBER)
    answer = await rig.server.next_response()
    assert answer["text"] == "That did not work"
    assert answer["response_type"] == "ephemeral"
