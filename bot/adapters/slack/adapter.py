"""The Slack adapter: a slack-bolt app that answers `/optout` and `/aiwatch`, and is the
`slack` destination for the outbox. It translates; every decision is the core's."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import (
    SlackMessage,
    alert_message,
    digest_message,
    reply_message,
    repost_message,
)
from bot.commands import Asker, CommandCall, Commands, parse_call
from bot.delivery.destination import DeliveryError
from bot.delivery.pacing import ChannelPacer
from bot.models import Alert, Digest
from bot.replies import FAILED, Reply

log = logging.getLogger(__name__)
ADMIN_CACHE_SECONDS = 300
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
        self._commands = commands
        self._pacer = pacer or ChannelPacer(limit=1, window=1.0)  # Slack: about 1 a second
        self._clock = clock
        self._admins: dict[str, tuple[float, bool]] = {}
        self.app.command("/optout")(self._on_optout)
        self.app.command("/aiwatch")(self._on_aiwatch)

    # -- commands ---------------------------------------------------------------------------

    async def _on_optout(self, ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond
                         ) -> None:  # fmt: skip
        await ack()  # within Slack's 3 seconds; the answer follows through response_url
        asker = Asker(_destination(command), can_manage=False, user=command.get("user_id", ""))
        await self._answer(respond, asker, f"/optout {command.get('text', '')}")

    async def _on_aiwatch(self, ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond
                          ) -> None:  # fmt: skip
        await ack()
        user = command.get("user_id", "")
        asker = Asker(_destination(command), await self._is_admin(user), user)
        await self._answer(respond, asker, f"/aiwatch {command.get('text', '')}")

    async def _answer(self, respond: AsyncRespond, asker: Asker, text: str) -> None:
        try:
            call = parse_call(text, self._commands.config.regions) or CommandCall("aiwatch", "help")
            reply = await self._commands.run(asker, call)
        except Exception:  # told to the asker and logged; the bot runs on
            log.exception("Slack: %r failed", text)
            reply = FAILED
        message = reply_message(reply)
        await respond(
            text=message.text,
            blocks=list(message.blocks),
            response_type=_response_type(reply),
            replace_original=False,
        )

    async def _is_admin(self, user_id: str) -> bool:
        """Workspace admins and owners manage subscriptions; cached briefly."""
        cached = self._admins.get(user_id)
        if cached and cached[0] > self._clock():
            return cached[1]
        try:
            info = await self.client.users_info(user=user_id)
        except (SlackApiError, aiohttp.ClientError) as exc:
            log.warning("Slack: cannot look up %s's role: %s", user_id, _error_code(exc))
            return False
        profile = info.get("user") or {}
        admin = any(profile.get(k) for k in ("is_admin", "is_owner", "is_primary_owner"))
        self._admins[user_id] = (self._clock() + ADMIN_CACHE_SECONDS, admin)
        return admin

    # -- delivery ---------------------------------------------------------------------------

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
    code = _error_code(exc)
    if code in MESSAGE_GONE:
        return _MessageGone(code)
    if code in STOPPING_ERRORS:
        return DeliveryError(STOPPING_ERRORS[code], permanent=True)
    if code == "ratelimited" or exc.response.status_code == 429:
        retry_after = float(exc.response.headers.get("Retry-After", "30"))
        return DeliveryError("Slack asked us to slow down", retry_after=retry_after)
    return DeliveryError(f"Slack answered {code}")


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if response is not None:
        return str(response.get("error") or response.status_code)
    return exc.__class__.__name__


def _destination(command: dict[str, Any]) -> str:
    return f"slack:{command.get('team_id', '')}/{command.get('channel_id', '')}"


def _response_type(reply: Reply) -> str:
    """Only changes the whole channel should see are posted in the channel."""
    return "ephemeral" if reply.private or not reply.ok else "in_channel"
