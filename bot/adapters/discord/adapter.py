"""The Discord adapter: a discord.py client's lifecycle (connect, sync the commands intake.py
registers, greet and leave servers) and the `discord` destination for the outbox, posting what
render.py builds. It translates; every decision is the core's."""

from __future__ import annotations

import logging

import discord
import yarl
from discord import app_commands

from bot.adapters.discord.intake import register
from bot.adapters.discord.render import (
    NO_MENTIONS,
    DiscordMessage,
    alert_message,
    digest_message,
    repost_message,
)
from bot.commands import Commands
from bot.delivery.destination import DeliveryError
from bot.delivery.pacing import ChannelPacer
from bot.models import Alert, Digest
from bot.storage import Database
from bot.storage.destinations import stop_server_destinations

log = logging.getLogger(__name__)
UNKNOWN_MESSAGE = 10008
WELCOME = (
    "Hello! I post alerts when platforms start using people's data to train AI, with how to "
    "opt out where you live. Someone with Manage Server can pick a channel and type "
    "`/aiwatch subscribe regions:UK,EU` there. `/optout linkedin` works for everyone; "
    "`/aiwatch help` lists the rest."
)
NO_ACCESS = (
    "the bot cannot post in this channel (missing access): give it View Channel, Send "
    "Messages and Embed Links there, then run /aiwatch subscribe again"
)
GONE = (
    "the channel no longer exists, or the bot was removed from the server: invite it again "
    "and run /aiwatch subscribe in a channel"
)


def use_endpoints(api_base: str, gateway_url: str | None) -> None:
    """REST and gateway proxies (DESIGN.md contract). Both are process-wide in discord.py."""
    discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class DiscordAdapter(discord.Client):
    kind = "discord"

    def __init__(
        self,
        commands: Commands,
        db: Database,
        *,
        dev_guild: int | None = None,
        pacer: ChannelPacer | None = None,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        super().__init__(
            intents=discord.Intents(guilds=True),
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(self)
        register(self.tree, commands)
        self._db = db
        self._dev_guild = dev_guild
        # Discord documents 5 messages per 5 seconds per channel.
        self._pacer = pacer or ChannelPacer(limit=5, window=5.0)

    async def setup_hook(self) -> None:
        """Sync commands: to one guild instantly while developing, else globally."""
        if self._dev_guild:
            guild = discord.Object(id=self._dev_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("Discord: %d slash commands synced", len(synced))

    async def on_ready(self) -> None:
        log.info("Discord: connected as %s to %d servers", self.user, len(self.guilds))

    async def on_guild_join(self, guild: discord.Guild) -> None:
        channel = guild.system_channel
        if channel is None or not channel.permissions_for(guild.me).send_messages:
            log.info("Discord: joined %s; no system channel to greet in", guild.name)
            return
        try:
            await channel.send(WELCOME, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.info("Discord: could not greet %s: %s", guild.name, exc.text)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        stopped = await stop_server_destinations(self._db, f"discord:{guild.id}/", GONE)
        log.warning("Discord: removed from %s; its %d channels stopped", guild.name, stopped)

    async def deliver(self, address: str, alert: Alert, previous_id: str | None) -> str | None:
        self._check_connected()
        channel = self.get_partial_messageable(int(address.rpartition("/")[2]))
        message = alert_message(alert)
        if previous_id is not None:
            try:
                async with self._pacer.turn(address):
                    edited = channel.get_partial_message(int(previous_id))
                    await edited.edit(embeds=list(message.embeds))  # the content stays as it is
                return previous_id
            except discord.NotFound as exc:
                if exc.code != UNKNOWN_MESSAGE:
                    raise _delivery_error(exc) from exc
            except discord.HTTPException as exc:
                raise _delivery_error(exc) from exc
            return await self._send(address, channel, repost_message(alert))
        return await self._send(address, channel, message)

    async def deliver_digest(self, address: str, digest: Digest) -> str | None:
        self._check_connected()
        channel = self.get_partial_messageable(int(address.rpartition("/")[2]))
        return await self._send(address, channel, digest_message(digest))

    def _check_connected(self) -> None:
        if not self.is_ready():
            raise DeliveryError("not connected to Discord yet", retry_after=2)

    async def _send(
        self, address: str, channel: discord.PartialMessageable, message: DiscordMessage
    ) -> str:
        try:
            async with self._pacer.turn(address):
                sent = await channel.send(
                    message.content, embeds=list(message.embeds), allowed_mentions=NO_MENTIONS
                )
        except discord.HTTPException as exc:
            raise _delivery_error(exc) from exc
        return str(sent.id)


def _delivery_error(exc: discord.HTTPException) -> DeliveryError:
    """Missing access stops the destination until a person fixes it; the rest is retried."""
    if isinstance(exc, discord.Forbidden):
        return DeliveryError(NO_ACCESS, permanent=True)
    if isinstance(exc, discord.NotFound):
        return DeliveryError(GONE, permanent=True)
    retry_after = getattr(exc, "retry_after", None)
    return DeliveryError(f"Discord answered {exc.status}: {exc.text or 'no detail'}",
                         retry_after=retry_after)  # fmt: skip
