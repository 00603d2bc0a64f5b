"""slack-bolt and slack_sdk driven against the loopback Slack server, the real core behind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.adapters.slack import EVENTS_PATH, SlackAdapter, serve_http
from bot.commands.handlers import Commands
from bot.delivery.limits import SLACK_LIMITS, ChatLimits
from bot.delivery.limits import Rate as BotRate
from bot.optout.guide import Guide
from bot.settings import Config
from bot.storage import Database
from tests.servers.limits import Rate
from tests.servers.slack import SlackServer, sign
from tests.servers.slack_faults import SlackLimits

SECRET = "loopback-signing-secret"  # noqa: S105 (fake, for the loopback server)
# Slack's one post per second per channel, in a fifth of the time: the bot's pacer and the
# server's limit alike.
TEST_PACE = Rate(1, 0.2)
TEST_LIMITS = replace(
    SLACK_LIMITS, channel=BotRate(TEST_PACE.count, TEST_PACE.per), request_timeout=10.0
)


@dataclass
class SlackRig:
    server: SlackServer
    adapter: SlackAdapter
    db: Database
    events_url: str
    http: aiohttp.ClientSession

    async def command(self, command: str, text: str, user: str, *, secret: str = SECRET,
                      timestamp: int | None = None) -> aiohttp.ClientResponse:  # fmt: skip
        body = self.server.slash_command(command, text, user)
        return await self.http.post(self.events_url, data=body,
                                    headers=sign(secret, body, timestamp))  # fmt: skip


@pytest.fixture
async def slack_server() -> AsyncIterator[SlackServer]:
    server = await SlackServer(limits=SlackLimits(post=TEST_PACE)).start()
    yield server
    await server.stop()
    assert server.violations == [], "the bot went over a Slack rate limit"


def make_adapter(config: Config, db: Database, server: SlackServer, secret: str = SECRET,
                 limits: ChatLimits = TEST_LIMITS) -> SlackAdapter:  # fmt: skip
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    return SlackAdapter(
        Commands(db, config, guide),
        token="xoxb-loopback",  # noqa: S106
        api_url=server.api_url,
        signing_secret=secret,
        limits=limits,
    )


@pytest.fixture
def limits() -> ChatLimits:
    """The bot's limits in a rig; a test module may override this fixture."""
    return TEST_LIMITS


@pytest.fixture
async def rig(slack_server: SlackServer, config: Config, tmp_path: Path, limits: ChatLimits
              ) -> AsyncIterator[SlackRig]:  # fmt: skip
    db = await Database.open(tmp_path / "bot.db")
    adapter = make_adapter(config, db, slack_server, limits=limits)
    runner: web.AppRunner = await serve_http(adapter, "127.0.0.1", 0)
    port = runner.addresses[0][1]
    async with aiohttp.ClientSession() as http:
        yield SlackRig(slack_server, adapter, db, f"http://127.0.0.1:{port}{EVENTS_PATH}", http)
    await runner.cleanup()
    await adapter.close()
    await db.close()
