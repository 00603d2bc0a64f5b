"""How Slack reaches the bot: Socket Mode (no public URL; the default for self-hosting) or
signed HTTP requests served by bolt's aiohttp adapter behind a public URL."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.adapters.slack.adapter import SlackAdapter

EVENTS_PATH = "/slack/events"


async def connect_socket_mode(adapter: SlackAdapter, app_token: str) -> AsyncSocketModeHandler:
    handler = AsyncSocketModeHandler(adapter.app, app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    return handler


async def serve_http(adapter: SlackAdapter, host: str, port: int) -> web.AppRunner:
    """Slash commands arrive as signed POSTs on /slack/events; bolt checks the signature."""
    runner = web.AppRunner(adapter.app.web_app(path=EVENTS_PATH))
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
