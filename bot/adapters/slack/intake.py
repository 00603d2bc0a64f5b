"""Slash commands in, answers out: `/optout` and `/aiwatch` become an `Asker` and a
`CommandCall` for the core's one door, and its Reply goes back through `respond`. The verbs
match discord/intake.py: `register`, `asker_of`, `destination_of`, `answer`.

Slack sends a command's options as one line of text, so the core's `parse_call` names them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import reply_message
from bot.commands import Asker, CommandCall, Commands, parse_call
from bot.replies import FAILED, Reply

log = logging.getLogger(__name__)
ADMIN_CACHE_SECONDS = 300


def destination_of(command: Mapping[str, Any]) -> str:
    return f"slack:{command.get('team_id', '')}/{command.get('channel_id', '')}"


def asker_of(command: Mapping[str, Any], *, can_manage: bool) -> Asker:
    """Whether the asker may manage comes from `AdminLookup`; Slack's payload does not say."""
    return Asker(destination_of(command), can_manage, command.get("user_id", ""))


async def answer(respond: AsyncRespond, reply: Reply) -> None:
    """Only changes the whole channel should see are posted in the channel."""
    message = reply_message(reply)
    await respond(
        text=message.text,
        blocks=list(message.blocks),
        response_type="ephemeral" if reply.private or not reply.ok else "in_channel",
        replace_original=False,
    )


def register(app: AsyncApp, commands: Commands, admins: AdminLookup) -> None:
    """Listen for both commands. Each acks first, within Slack's 3 seconds; the answer follows
    through the command's response_url."""

    async def on_optout(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        asker = asker_of(command, can_manage=False)  # reading the guide needs no role
        await answer(respond, await _run(commands, asker, f"/optout {command.get('text', '')}"))

    async def on_aiwatch(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        can_manage = await admins.is_admin(command.get("user_id", ""))
        asker = asker_of(command, can_manage=can_manage)
        await answer(respond, await _run(commands, asker, f"/aiwatch {command.get('text', '')}"))

    app.command("/optout")(on_optout)
    app.command("/aiwatch")(on_aiwatch)


class AdminLookup:
    """Workspace admins and owners manage subscriptions. Slack knows who they are; asking on
    every command would be slow, so each answer is kept for a few minutes."""

    def __init__(self, client: AsyncWebClient, clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._clock = clock
        self._known: dict[str, tuple[float, bool]] = {}  # user -> (valid until, admin)

    async def is_admin(self, user_id: str) -> bool:
        """False when Slack cannot say: managing waits, reading still works."""
        cached = self._known.get(user_id)
        if cached and cached[0] > self._clock():
            return cached[1]
        try:
            info = await self._client.users_info(user=user_id)
        except (SlackApiError, aiohttp.ClientError) as exc:
            log.warning("Slack: cannot look up %s's role: %s", user_id, error_code(exc))
            return False
        profile = info.get("user") or {}
        admin = any(profile.get(k) for k in ("is_admin", "is_owner", "is_primary_owner"))
        self._known[user_id] = (self._clock() + ADMIN_CACHE_SECONDS, admin)
        return admin


def error_code(exc: Exception) -> str:
    """Slack's error name ('not_in_channel'), else the HTTP status or the exception's class."""
    response = getattr(exc, "response", None)
    if response is not None:
        return str(response.get("error") or response.status_code)
    return exc.__class__.__name__


async def _run(commands: Commands, asker: Asker, text: str) -> Reply:
    """A failure is logged and told to the asker; the bot runs on."""
    try:
        call = parse_call(text, commands.config.regions) or CommandCall("aiwatch", "help")
        return await commands.run(asker, call)
    except Exception:
        log.exception("Slack: %r failed", text)
        return FAILED
