"""`aiwatch run` with Slack tokens set, in Socket Mode, its Web API calls sent to the loopback
server through SLACK_API_URL (the DESIGN.md contract)."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest

from tests.bot_process import start_bot
from tests.chat_helpers import prepare_run
from tests.servers.feeds import FeedServer
from tests.servers.slack import CHANNEL, MEMBER, TEAM_ID, SlackServer

pytestmark = pytest.mark.slow
BOT_TOKEN = "xoxb-loopback-secret"  # noqa: S105 (fake)
APP_TOKEN = "xapp-loopback-secret"  # noqa: S105 (fake)


async def test_the_bot_posts_alerts_and_answers_commands_on_slack(
    feed_server: FeedServer, slack_server: SlackServer, tmp_path: Path
):
    feeds, db_path = await prepare_run(tmp_path, feed_server, f"slack:{TEAM_ID}/{CHANNEL}")
    proc = await start_bot(
        "run", feeds=feeds, db=db_path, cwd=tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=slack_server.api_url.rstrip("/"),
    )  # fmt: skip
    await slack_server.push_command("/optout", "linkedin", MEMBER)
    answer = await slack_server.next_response(seconds=30)
    assert answer["text"] == "LinkedIn: AI training in United Kingdom"  # the channel's region
    deadline = time.monotonic() + 60
    while not slack_server.called("chat.postMessage"):
        assert time.monotonic() < deadline, "no alert reached the Slack channel"
        await asyncio.sleep(0.2)
    post = slack_server.called("chat.postMessage")[0]
    assert post.args["channel"] == CHANNEL
    assert "LinkedIn in UK" in str(post.args["blocks"])
    proc.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    assert BOT_TOKEN not in out.decode() + err.decode()
    assert APP_TOKEN not in out.decode() + err.decode()
