"""The Slack adapter: a slack-bolt app's lifecycle (Socket Mode, or signed HTTP requests behind
a public URL), the listeners intake.py registers, and the `slack` destination for the outbox,
posting what render.py builds. It translates; every decision is the core's."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.intake import AdminLookup, error_code, register
from bot.adapters.slack.render import SlackMessage, alert_message, digest_message, repost_message
from bot.commands import Commands
from bot.delivery.destination import DeliveryError
from bot.delivery.pacing import ChannelPacer
from bot.models import Alert, Digest

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
MESSAGE_GONE = ("message_not_found", "cant_update_message", "edit_window_closed")
INVITE = "invite the bot with /invite @AI Data Watch"
REINSTALL = "Slack refused the bot token: reinstall the app and update SLACK_BOT_TOKEN"
STOPPING_ERRORS = {
    "not_in_channel": f"the bot is not in this channel: {INVITE}",
    "channel_not_found": f"the channel is gone or private without the bot: {INVITE}",
    "is_archived": "the channel is archived: unarchive it or subscribe another channel",
    "invalid_auth": REINSTALL,
    "not_authed": REINSTALL,
    "token_revoked": REINSTALL,
    "account_inactive": REINSTALL,
    "missing_scope": "the app lacks a permission: reinstall it from slack/manifest.yaml",
}


class SlackAdapter:
    kind = "slack"

    def __init__(
        self,
        commands: Commands,
        *,
        token: str,
        api_url: str,
        signing_secret: str = "",
        pacer: ChannelPacer | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = AsyncWebClient(token=token, base_url=api_url)
        # slack_sdk raises on a 429 unless told to wait Retry-After and try again.
        self.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
        self.app = AsyncApp(
            client=self.client,
            signing_secret=signing_secret,
            request_verification_enabled=bool(signing_secret),  # Socket Mode has no signatures
            logger=logging.getLogger("slack_bolt"),
        )
        self._pacer = pacer or ChannelPacer(limit=1, window=1.0)  # Slack: about 1 a second
        register(self.app, commands, AdminLookup(self.client, clock))

    async def deliver(self, address: str, alert: Alert, previous_id: str | None) -> str | None:
        channel = address.rpartition("/")[2]
        message = alert_message(alert)
        if previous_id is not None:
            try:
                await self._call(address, self.client.chat_update, channel=channel,
                                 ts=previous_id, blocks=list(message.blocks),
                                 text=message.text)  # fmt: skip
                return previous_id
            except _MessageGone:
                message = repost_message(alert)
        return await self._post(address, channel, message)

    async def deliver_digest(self, address: str, digest: Digest) -> str | None:
        return await self._post(address, address.rpartition("/")[2], digest_message(digest))

    async def _post(self, address: str, channel: str, message: SlackMessage) -> str:
        response = await self._call(address, self.client.chat_postMessage, channel=channel,
                                    blocks=list(message.blocks), text=message.text,
                                    unfurl_links=False)  # fmt: skip
        return str(response["ts"])

    async def _call(self, address: str, method: Callable[..., Awaitable[Any]], **kwargs: Any
                    ) -> Any:  # fmt: skip
        try:
            async with self._pacer.turn(address):
                return await method(**kwargs)
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"cannot reach Slack ({exc.__class__.__name__})") from exc


class _MessageGone(DeliveryError):
    """The message to update was deleted: post the update as a new message."""


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    code = error_code(exc)
    if code in MESSAGE_GONE:
        return _MessageGone(code)
    if code in STOPPING_ERRORS:
        return DeliveryError(STOPPING_ERRORS[code], permanent=True)
    if code == "ratelimited" or exc.response.status_code == 429:
        retry_after = float(exc.response.headers.get("Retry-After", "30"))
        return DeliveryError("Slack asked us to slow down", retry_after=retry_after)
    return DeliveryError(f"Slack answered {code}")


async def connect_socket_mode(adapter: SlackAdapter, app_token: str) -> AsyncSocketModeHandler:
    """Socket Mode: the bot dials Slack, so no public URL is needed (the self-hosting default)."""
    handler = AsyncSocketModeHandler(adapter.app, app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    return handler


async def serve_http(adapter: SlackAdapter, host: str, port: int) -> web.AppRunner:
    """Slash commands arrive as signed POSTs on /slack/events; bolt checks the signature."""
    runner = web.AppRunner(adapter.app.web_app(path=EVENTS_PATH))
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
