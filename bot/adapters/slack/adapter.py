"""The Slack adapter: a slack-bolt app's lifecycle (Socket Mode, or signed HTTP requests behind
a public URL), the listeners intake.py registers, and the `slack` destination for the outbox,
posting what render.py builds. It translates; every decision is the core's."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.intake import AdminLookup, error_code, register
from bot.adapters.slack.render import (
    SlackMessage,
    alert_message,
    development_message,
    digest_message,
    repost_message,
)
from bot.commands import Commands
from bot.delivery.destination import CredentialsRefused, DeliveryError, MessageGone, SendKey
from bot.delivery.limits import SLACK_LIMITS, ChatLimits
from bot.delivery.pacing import ChannelPacer, SharedPacer
from bot.models import Alert, Digest

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
POST_METHOD = "chat.postMessage"  # the one paced per channel
MESSAGE_GONE = ("message_not_found",)
# The message is there but can no longer be edited (a workspace's edit window): it stays as
# it is, and developments still reply in its thread, rather than a second alert.
CANNOT_EDIT = ("cant_update_message", "edit_window_closed")
EVENT_TYPE = "aiwatch_alert"  # the metadata every alert and reply carries
LOOKUP_LIMIT = 50  # the latest messages a lookup reads: a message in doubt is that recent
INVITE = "invite the bot with /invite @AI Data Watch"
STOPPING_ERRORS = {
    "not_in_channel": f"the bot is not in this channel: {INVITE}",
    "channel_not_found": f"the channel is gone or private without the bot: {INVITE}",
    "is_archived": "the channel is archived: unarchive it or subscribe another channel",
    "missing_scope": "the app lacks a permission: reinstall it from slack/manifest.yaml",
}
# The workspace no longer takes the token: Slack stops (bot/delivery/platforms.py), not a channel.
TOKEN_ERRORS = ("invalid_auth", "not_authed", "token_revoked", "token_expired",
                "account_inactive")  # fmt: skip


def token_refused(code: str) -> str:
    return (f"Slack refused the bot token ({code}): reinstall the app to the workspace, put "
            "its Bot User OAuth Token in SLACK_BOT_TOKEN and restart the bot")  # fmt: skip


class SlackAdapter:
    kind = "slack"
    dedup_window = 0.0  # Slack has no nonce: a message that may have gone out is looked up

    def __init__(
        self,
        commands: Commands,
        *,
        token: str,
        api_url: str,
        signing_secret: str = "",
        limits: ChatLimits = SLACK_LIMITS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # One pool of kept-alive connections for every call: without a session, slack_sdk
        # opens (and, with Slack, TLS-handshakes) a connection per call. A session's own
        # timeout is the one slack_sdk then applies.
        timeout = math.ceil(limits.request_timeout)
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))
        self.client = AsyncWebClient(
            token=token, base_url=api_url, timeout=timeout, session=self._session
        )
        # slack_sdk retries a dropped connection once by itself; a post Slack already took
        # would then appear twice. A post is looked up instead (see find), so only other
        # calls are retried that way. A short 429 is waited out (Retry-After) and tried again;
        # a longer one sends the job back to the outbox, due when Slack said.
        self.client.retry_handlers = [
            _ConnectionRetryExceptPosts(),
            _ShortRateLimitRetry(limits.longest_wait),
        ]
        self.app = AsyncApp(
            client=self.client,
            signing_secret=signing_secret,
            request_verification_enabled=bool(signing_secret),  # Socket Mode has no signatures
            logger=logging.getLogger("slack_bolt"),
        )
        self._limits = limits
        self._pacer = ChannelPacer(limits.channel.count, limits.channel.per)
        self._method_pacers = {name: SharedPacer(rate.count, rate.per)
                               for name, rate in limits.methods}  # fmt: skip
        register(self.app, commands, AdminLookup(self.client, clock))

    async def close(self) -> None:
        """Close the connections (after Socket Mode or the HTTP listener has stopped)."""
        await self._session.close()

    async def check_token(self) -> None:
        """auth.test, once at start: CredentialsRefused if Slack no longer takes the token
        (bolt would only find out at the first slash command)."""
        try:
            await self.client.auth_test()
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"no answer from Slack ({exc.__class__.__name__})") from exc

    # -- the destination ------------------------------------------------------------------

    async def post(self, address: str, alert: Alert, key: SendKey) -> str:
        message = repost_message(alert) if alert.continues else alert_message(alert)
        return await self._post(address, message, key)

    async def edit(self, address: str, message_id: str | None, alert: Alert) -> None:
        """chat.update leaves the message's metadata, and so its marker, as it was."""
        if message_id is None:
            raise MessageGone("the alert has no message to edit")
        message = alert_message(alert)
        try:
            await self._call(address, self.client.chat_update, channel=_channel(address),
                             ts=message_id, blocks=list(message.blocks),
                             text=message.text)  # fmt: skip
        except _CannotEdit as exc:
            log.info("Slack: alert %s in %s can no longer be edited (%s); it stays as it is",
                     message_id, address, exc.reason)  # fmt: skip

    async def reply(self, address: str, message_id: str | None, alert: Alert, key: SendKey) -> str:
        """A reply in the alert's thread (`thread_ts`)."""
        return await self._post(address, development_message(alert), key, thread=message_id)

    async def find(self, address: str, key: SendKey, parent_id: str | None) -> str | None:
        """The bot's message carrying `key`'s marker in its metadata: among the channel's
        latest messages for a post, in the alert's thread for a development."""
        channel = _channel(address)
        if parent_id is None:
            response = await self._call(address, self.client.conversations_history,
                                        channel=channel, limit=LOOKUP_LIMIT,
                                        include_all_metadata=True)  # fmt: skip
        else:
            response = await self._call(address, self.client.conversations_replies,
                                        channel=channel, ts=parent_id, limit=LOOKUP_LIMIT,
                                        include_all_metadata=True)  # fmt: skip
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == EVENT_TYPE
                and payload.get("marker") == key.marker
                and message.get("ts") != parent_id
            ):
                return str(message["ts"])
        return None

    async def post_digest(self, address: str, digest: Digest) -> str:
        return await self._post(address, digest_message(digest))

    async def _post(
        self,
        address: str,
        message: SlackMessage,
        key: SendKey | None = None,
        thread: str | None = None,
    ) -> str:
        extra: dict[str, Any] = {"thread_ts": thread} if thread else {}
        if key is not None:  # what a lookup after a crash matches (see find)
            payload = {"story": key.story_id, "marker": key.marker}
            extra["metadata"] = {"event_type": EVENT_TYPE, "event_payload": payload}
        response = await self._call(address, self.client.chat_postMessage,
                                    channel=_channel(address), blocks=list(message.blocks),
                                    text=message.text, unfurl_links=False, **extra)  # fmt: skip
        return str(response["ts"])

    async def _call(self, address: str, method: Callable[..., Awaitable[Any]], **kwargs: Any
                    ) -> Any:  # fmt: skip
        """One Web API call: a post in the channel's turn (Slack's message a second per
        channel counts messages posted), any other call within its method's tier for the
        workspace (the address's first part)."""
        name = method.__name__.replace("_", ".")  # chat_update -> chat.update
        tier = self._method_pacers.get(name)
        try:
            if name == POST_METHOD:
                async with self._pacer.turn(address):
                    return await method(**kwargs)
            if tier is None:
                return await method(**kwargs)
            async with tier.turn(address.partition("/")[0]):
                return await method(**kwargs)
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"no answer from Slack ({exc.__class__.__name__})") from exc


class _ConnectionRetryExceptPosts(AsyncConnectionErrorRetryHandler):
    """slack_sdk's retry of a dropped connection, for every method but chat.postMessage."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if request.url.rstrip("/").endswith(POST_METHOD):
            return False
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


class _ShortRateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's wait for a 429's Retry-After, only when it is at most `longest` seconds."""

    def __init__(self, longest: float) -> None:
        super().__init__(max_retry_count=3)
        self._longest = longest

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        return _retry_after(response.headers) <= self._longest


def _retry_after(headers: Mapping[str, Any]) -> float:
    """Retry-After in seconds (slack_sdk gives each header as a list); 30 if missing."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return float(value) if value is not None else 30.0
    except ValueError:
        return 30.0


def _channel(address: str) -> str:
    return address.rpartition("/")[2]


class _CannotEdit(DeliveryError):
    """The message exists but Slack no longer lets the bot edit it."""


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    code = error_code(exc)
    if code in MESSAGE_GONE:
        return MessageGone(code)
    if code in CANNOT_EDIT:
        return _CannotEdit(code)
    if code in TOKEN_ERRORS:
        return CredentialsRefused(token_refused(code))
    if code in STOPPING_ERRORS:
        return DeliveryError(STOPPING_ERRORS[code], permanent=True)
    if code == "ratelimited" or exc.response.status_code == 429:
        retry_after = _retry_after(exc.response.headers)
        return DeliveryError(f"Slack asked the bot to wait {retry_after:.0f} s (rate limited)",
                             retry_after=retry_after)  # fmt: skip
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
