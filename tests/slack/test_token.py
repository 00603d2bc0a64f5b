"""A Slack token refused, at start or while sending: Slack stops with one log line and a
stored entry, calls nothing more, the other destinations go on, and the channels are not
marked as broken (a new token and a restart is all it takes)."""

from __future__ import annotations

import io
import json
import logging
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.chat import start_chat_adapters, stop_chat_adapters
from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.adapters.slack.adapter import token_refused
from bot.commands.handlers import Commands
from bot.delivery import Destination, OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.delivery.platforms import PlatformGate
from bot.optout.guide import Guide
from bot.settings import Config
from bot.settings.env import read_environment
from bot.storage import Database
from bot.storage.destinations import destination_troubles
from bot.storage.outbox import pending_count
from bot.storage.platforms import platform_health
from tests.chat_helpers import Clock, add_story, queue
from tests.servers.slack import CHANNEL, MEMBER, TEAM_ID, SlackServer
from tests.slack.conftest import SlackRig
from tests.slack.test_slack import text_of

DESTINATION = f"slack:{TEAM_ID}/{CHANNEL}"
TOKEN = "xoxb-loopback"  # noqa: S105 (the rig's fake token)


def warnings_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("error", ["token_revoked", "invalid_auth", "account_inactive"])
async def test_a_token_refused_while_sending_stops_slack_once(
    rig: SlackRig, caplog: pytest.LogCaptureFixture, error: str
) -> None:
    clock = Clock()
    console = io.StringIO()
    closed: list[str] = []
    gate = PlatformGate(rig.db, clock)

    async def close() -> None:
        closed.append("slack")

    gate.on_stop("slack", close)
    destinations: dict[str, Destination] = {
        "slack": rig.adapter, "console": ConsoleDestination(as_json=True, stream=console)
    }  # fmt: skip
    drainer = OutboxDrainer(rig.db, destinations, clock, alerts=AlertBuilder(rig.db), gate=gate)
    if error == "token_revoked":
        rig.server.revoke(TOKEN)
    else:
        rig.server.fail_next[CHANNEL] = [error]
    for title in ("One", "Two"):
        story_id = await add_story(rig.db, DESTINATION, title)
        await add_story(rig.db, CONSOLE_ID, "unused")
        for destination in (DESTINATION, CONSOLE_ID):
            await queue(rig.db, destination, story_id, "post", 0)
    for _ in range(3):
        await drainer.drain_once()
        clock.now += 60

    assert [json.loads(line)["title"] for line in console.getvalue().splitlines()] == [
        "One", "Two"]  # fmt: skip
    assert len(rig.server.called("chat.postMessage")) == 1  # the refused one, nothing after
    reason = token_refused(error)
    assert warnings_logged(caplog) == [
        f"Slack stopped: {reason}; its alerts wait in the outbox until then"
    ]
    assert closed == ["slack"]
    assert [(p.name, p.healthy, p.reason) for p in await platform_health(rig.db)] == [
        ("slack", False, reason)
    ]
    assert await destination_troubles(rig.db) == []  # the channel is not to blame
    assert await pending_count(rig.db) == 2
    assert TOKEN not in reason
    if error != "token_revoked":  # revoked for good, bolt cannot authorize commands either
        await rig.command("/aiwatch", "feeds", MEMBER)
        assert f"Slack stopped: {reason}" in text_of(await rig.server.next_response())


async def test_a_token_refused_at_start_keeps_slack_off(
    slack_server: SlackServer, config: Config, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    slack_server.revoke(TOKEN)
    db = await Database.open(tmp_path / "bot.db")
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    env = read_environment(environ={
        "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "loopback-secret",
        "SLACK_API_URL": slack_server.api_url, "SLACK_PORT": "1",
    }, dotenv=tmp_path / "none.env")  # fmt: skip
    destinations: dict[str, Destination] = {}
    caplog.clear()
    started = await start_chat_adapters(env, Commands(db, config, guide), db, destinations,
                                        PlatformGate(db))  # fmt: skip
    health = await platform_health(db)
    await stop_chat_adapters(started)
    await db.close()

    assert started == []
    assert destinations == {}  # its jobs wait in the outbox
    assert [c.method for c in slack_server.calls] == ["auth.test"]
    assert warnings_logged(caplog) == [
        f"Slack stopped: {token_refused('token_revoked')}; its alerts wait in the outbox until then"
    ]
    assert [(p.name, p.healthy) for p in health] == [("slack", False)]
